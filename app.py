"""Cluster Atlas: router and shared frame (page config, language switch, navigation)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import briefing_sync
from components.briefing_store import set_current_page
from components.cached import custom_data, get_bundle, use_custom
from components.data import DataError
from components.i18n import t
from components.problems import problem_sentence
from components.registry import DEFAULT_PAGE, PRESENT_PAGE, sections
from components.safe import escape_md, literal_md
from components.widgets import begin_run, drop_unbound_params, flush_notices, language_switch

ROOT = Path(__file__).parent

st.set_page_config(
    page_title="Cluster Atlas · 全球先进制造业集群图谱",
    page_icon=str(ROOT / "static" / "icon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)

begin_run()
# Presenter mode (``?present=1`` on the present page): no sidebar at all. The navigation is
# hidden and nothing is written to the sidebar, so Streamlit draws neither the sidebar nor its
# expand button; the language comes from the URL and the page offers its own switch.
presenting = st.query_params.get("present") == "1"
lang = language_switch(hidden=presenting)

# Every page of components/registry.py, grouped by section (st.navigation stops auto-discovery).
entries = {
    t(f"nav.section.{section}", lang): [
        (
            spec,
            st.Page(
                spec.path,
                title=t(spec.title_key, lang),
                icon=spec.icon,
                url_path=spec.url_path,
                default=spec == DEFAULT_PAGE,
            ),
        )
        for spec in specs
    ]
    for section, specs in sections().items()
}
page = st.navigation(
    {section: [p for _, p in pairs] for section, pairs in entries.items()},
    position="hidden" if presenting else "sidebar",
)
spec = next(s for pairs in entries.values() for s, p in pairs if p is page)
if presenting and spec != PRESENT_PAGE:  # ?present=1 means nothing elsewhere: drop it
    del st.query_params["present"]
    st.rerun()
set_current_page(spec.url_path)
if not presenting:
    st.sidebar.caption(t("app.subtitle", lang))
try:
    get_bundle()
except DataError as err:  # a broken data folder: file, row, column and the value, literally
    message = escape_md(problem_sentence(err.problem, lang))
    st.error(t("app.data_error", lang, error=message), icon=":material/error:")
    flush_notices()
    st.stop()

custom = custom_data()
if custom is not None:  # this session's uploaded clusters: say so on every page
    with st.container(border=True, key="custom_banner"):
        text, button = st.columns([5, 2], vertical_alignment="center")
        text.warning(
            t(
                "data.banner",
                lang,
                file=literal_md(custom.file_name, 60),
                n=len(custom.clusters),
                mode=t(f"data.banner.{custom.mode}", lang),
            ),
            icon=":material/dataset:",
        )
        button.button(
            t("data.banner.reset", lang),
            on_click=use_custom,
            args=(None,),
            icon=":material/undo:",
            key="custom_reset",
        )
briefing_sync.restore(lang)  # a briefing kept by the browser comes back after a reload
page.run()
briefing_sync.mount()
drop_unbound_params()
