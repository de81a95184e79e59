"""Cluster Atlas: router and shared frame (page config, language switch, navigation)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.cached import get_bundle
from components.data import DataError
from components.i18n import t
from components.registry import DEFAULT_PAGE, by_url_path, known_params, sections
from components.router import default_alias
from components.widgets import (
    begin_run,
    drop_unbound_params,
    language_switch,
    remember_page_state,
    restore_page_state,
)

ROOT = Path(__file__).parent
FOCUS_CSS = (
    "<style>:focus-visible{outline:3px solid #0B5394 !important;outline-offset:2px !important;"
    "box-shadow:0 0 0 5px rgba(255,255,255,.9) !important}</style>"
)

st.set_page_config(
    page_title="Cluster Atlas · 全球先进制造业集群图谱",
    page_icon=str(ROOT / "static" / "icon.png"),
    layout="wide",
    initial_sidebar_state="auto",
)

begin_run()
lang = language_switch()

# Every page of components/registry.py, grouped by section (st.navigation stops auto-discovery).
# The default page is served at "/"; a hidden alias makes its url_path ("/overview") open it too.
nav: dict[str, list[st.Page]] = {}
for section, specs in sections().items():
    nav[t(f"nav.section.{section}", lang)] = [
        st.Page(
            spec.path,
            title=t(spec.title_key, lang),
            icon=spec.icon,
            url_path="" if spec == DEFAULT_PAGE else spec.url_path,
            default=spec == DEFAULT_PAGE,
        )
        for spec in specs
    ]
home = next(p for pages in nav.values() for p in pages if p.url_path == "")
nav[next(iter(nav))].append(
    default_alias(home, DEFAULT_PAGE.url_path, t(DEFAULT_PAGE.title_key, lang))
)
# One section: a flat list (Streamlit nests a section's items in a <div> inside the <ul>, which
# screen readers and axe-core's "list" rule reject); several: grouped.
page = st.navigation(nav if len(nav) > 1 else next(iter(nav.values())))
# Clear keyboard focus rings on every control (a style-only st.html takes no space on the page).
st.html(FOCUS_CSS)
st.sidebar.caption(t("app.subtitle", lang))
try:
    get_bundle()
except DataError as err:  # a broken data folder: say which file/row/column, then stop
    st.error(t("app.data_error", lang, error=str(err)), icon=":material/error:")
    st.stop()
spec = by_url_path(page.url_path)
restore_page_state(spec.url_path, spec.params)  # the sidebar and Back keep a page's state
page.run()
drop_unbound_params(known_params())
remember_page_state(spec.url_path, spec.params)
