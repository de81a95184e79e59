"""Trend explorer: the trends of chapter 6, one open at a time (``?trend=N``), with their
evidence (the report's figures, policies, clusters, recommendations); the report panels of
chapters 1, 3, 4, 5 and 7 (``?view=``); a search over the report text (``?q=``)."""

import streamlit as st

from components import trends as tr
from components import trends_layout as tl
from components.i18n import Lang, t
from components.memo import dataset_memo
from components.safe import escape_md
from components.widgets import current_lang, sync, url_radio, url_text_input

lang: Lang = current_lang()
memo = dataset_memo()  # app.py has already stopped with a clear message if the data is broken
titles = memo(tr.nav_titles, lang)
numbers = [n for n, _ in titles]
first = numbers[0]

st.title(t("trends.title", lang))
st.caption(t("trends.intro", lang, n=len(numbers)))

# --- the open trend: ?trend=N, the URL is its only state -----------------------------------------
trend, bad = tr.parse_trend(st.query_params.get("trend"), numbers)
if bad is not None:
    st.warning(
        t("trends.bad_trend", lang, value=escape_md(bad[:20]), first=first, last=numbers[-1]),
        icon=":material/warning:",
    )
current = trend or first
sync("trend", str(current), str(first))

view = url_radio(
    "view",
    t("trends.view_label", lang),
    tr.VIEWS,
    "trends",
    format_func=lambda v: t(f"trends.view.{v}", lang),
)
query = url_text_input(
    "q",
    t("trends.search.label", lang),
    placeholder=t("trends.search.placeholder", lang),
    help=t("trends.search.help", lang),
)
if query.strip():
    tl.show_search(memo, query, first, lang)

if view == "trends":
    nav, body = st.columns([1, 2.7], gap="large")
    with nav:
        tl.show_trend_list(titles, current, lang)
    with body:
        tl.show_trend(memo, current, lang)
else:
    tl.show_panel(memo, view, first, lang)
