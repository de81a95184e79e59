"""Cluster Atlas: router and shared frame (page config, language switch, navigation)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.warmup import (
    IDLE_CSS,
    await_prestart,
    freeze_imported,
    load_chart_code_when_idle,
    warm_in_background,
)

ROOT = Path(__file__).parent

st.set_page_config(
    page_title="Cluster Atlas · 全球先进制造业集群图谱",
    page_icon=str(ROOT / "static" / "icon.png"),
    layout="wide",
    initial_sidebar_state="auto",
)
# Presenter mode (``?present=1`` on the present page): no sidebar at all. The navigation is
# hidden and nothing is written to the sidebar, so Streamlit draws neither the sidebar nor its
# expand button; the language comes from the URL and the page offers its own switch.
presenting = st.query_params.get("present") == "1"
await_prestart()  # under serve.py: the imports and data below are being made ready meanwhile

from components import briefing_sync  # noqa: E402
from components.briefing_store import set_current_page  # noqa: E402
from components.cached import custom_data, get_bundle, use_custom  # noqa: E402
from components.data import DataError  # noqa: E402
from components.downloads import keep_replaced_downloads  # noqa: E402
from components.i18n import t  # noqa: E402
from components.problems import problem_sentence  # noqa: E402
from components.registry import (  # noqa: E402
    DEFAULT_PAGE,
    PRESENT_PAGE,
    by_url_path,
    known_params,
    sections,
)
from components.router import default_alias, navigation_pages  # noqa: E402
from components.safe import escape_md, literal_md  # noqa: E402
from components.widgets import (  # noqa: E402
    begin_run,
    drop_unbound_params,
    flush_notices,
    language_switch,
    remember_page_state,
    restore_page_state,
)

keep_replaced_downloads()  # once per process: a download clicked during a rerun still works
freeze_imported()  # once per process: the collector after every run skips the modules above
# The frame's CSS: a visible keyboard focus; the map's tooltip shown whole beyond the map's box
# (Streamlit's box around the deck and deck.gl's box of widgets, the tooltip's, hide overflow; the
# page's main area then clips sideways at the screen's edge, where nothing can be seen anyway,
# instead of growing a scrollbar).
FOCUS_CSS = (
    "<style>:focus-visible{outline:3px solid #0B5394 !important;outline-offset:2px !important;"
    "box-shadow:0 0 0 5px rgba(255,255,255,.9) !important}"
    '[data-testid="stDeckGlJsonChart"]>div,[data-testid="stDeckGlJsonChart"] .deck-widgets-root>div'
    "{overflow:visible !important}"
    '[data-testid="stMain"]{overflow-x:hidden}' + IDLE_CSS + "</style>"
)

begin_run()
lang = language_switch(hidden=presenting)


# Every page of components/registry.py, grouped by section (st.navigation stops auto-discovery).
# The default page is served at "/"; a hidden alias makes its url_path ("/overview") open it too.
def build_nav() -> tuple[dict[str, list[st.Page]], dict[str, st.Page]]:
    nav: dict[str, list[st.Page]] = {}
    by_path: dict[str, st.Page] = {}
    for section, specs in sections().items():
        pages = nav[t(f"nav.section.{section}", lang)] = []
        for spec in specs:
            page = by_path[spec.path] = st.Page(
                spec.path,
                title=t(spec.title_key, lang),
                icon=spec.icon,
                url_path="" if spec == DEFAULT_PAGE else spec.url_path,
                default=spec == DEFAULT_PAGE,
            )
            pages.append(page)
    home = by_path[DEFAULT_PAGE.path]
    nav[next(iter(nav))].append(
        default_alias(home, DEFAULT_PAGE.url_path, t(DEFAULT_PAGE.title_key, lang))
    )
    return nav, by_path


# Built once per session and language (st.Page resolves its script on disk when built).
nav, _ = navigation_pages(lang, build_nav)
# One section: a flat list (Streamlit nests a section's items in a <div> inside the <ul>, which
# screen readers and axe-core's "list" rule reject); several: grouped.
page = st.navigation(
    nav if len(nav) > 1 else next(iter(nav.values())),
    position="hidden" if presenting else "sidebar",
)
spec = by_url_path(page.url_path)
if presenting and spec != PRESENT_PAGE:  # ?present=1 means nothing elsewhere: drop it
    del st.query_params["present"]
    st.rerun()
set_current_page(spec.url_path)
# Clear keyboard focus rings on every control, and the chart-code script's container hidden (a
# style-only st.html takes no space on the page).
st.html(FOCUS_CSS)
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
# A briefing kept by the browser comes back after a reload (in presenter mode said under the slide)
briefing_sync.restore(lang, inline=presenting)
restore_page_state(spec.url_path, spec.params)  # the sidebar and Back keep a page's state
page.run()
briefing_sync.mount()
drop_unbound_params(known_params())
remember_page_state(spec.url_path, spec.params)
load_chart_code_when_idle()  # after the page: plotly.js imported once the browser is idle
warm_in_background(lang)  # once per process and language: the other pages' first visits
