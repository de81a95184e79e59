"""Cluster Atlas: router and shared frame (page config, language switch, navigation)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.cached import get_bundle
from components.data import DataError
from components.i18n import t
from components.widgets import begin_run, drop_unbound_params, language_switch

ROOT = Path(__file__).parent

st.set_page_config(
    page_title="Cluster Atlas · 全球先进制造业集群图谱",
    page_icon=str(ROOT / "static" / "icon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)

begin_run()
lang = language_switch()

# Every page, listed explicitly with a stable url_path (st.navigation stops auto-discovery).
PAGES = [
    ("pages/overview.py", "overview", "nav.overview", ":material/dashboard:"),
    ("pages/map.py", "map", "nav.map", ":material/public:"),
    ("pages/heatmap.py", "heatmap", "nav.heatmap", ":material/grid_on:"),
]
page = st.navigation(
    [
        st.Page(path, title=t(key, lang), icon=icon, url_path=url, default=url == "overview")
        for path, url, key, icon in PAGES
    ]
)
st.sidebar.caption(t("app.subtitle", lang))
try:
    get_bundle()
except DataError as err:  # a broken data folder: say which file/row/column, then stop
    st.error(t("app.data_error", lang, error=str(err)), icon=":material/error:")
    st.stop()
page.run()
drop_unbound_params()
