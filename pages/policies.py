"""Policy timeline: table 6-2 as swim-lanes by jurisdiction and year, filters and search, the open
policy (``?policy=``), chapter 4's regional sections and a theme × period test of the report's
comparison (``?jurisdiction=USA,JPN&theme=green&period=2022-2023&q=芯片&policy=...``)."""

import streamlit as st

from components import policies as pc
from components import policy_views as pv
from components.captions import source_line
from components.charts import MISSING
from components.display import download_csv, show_fig
from components.i18n import continent_name, country_name, other, punct, t
from components.memo import dataset_memo
from components.safe import escape_md, is_blank
from components.sources import cite
from components.vocab import THEMES
from components.widgets import (
    current_lang,
    set_click,
    url_click,
    url_multiselect,
    url_tabs,
    url_text_input,
)

CHART_KEY = "pol_timeline"
PICK = "pol_pick"
TABS = ("chart", "table")  # the tabs, ?tab=table
JURISDICTION_KEY = "url_jurisdiction"  # the session key url_multiselect binds ?jurisdiction= to

lang = current_lang()
memo = dataset_memo()  # app.py has already stopped with a clear message if the data is broken
info = memo(pv.basics, lang)
lane_order = info.lanes
total = len(info.ids)

st.title(t("policies.title", lang))
st.caption(t("policies.intro", lang, total=total, lanes=len(lane_order)))


def show_lanes(codes: tuple[str, ...]) -> None:
    """Button callback: set the jurisdiction filter (a regional panel's lanes)."""
    st.session_state[JURISDICTION_KEY] = list(codes)


# --- filters ------------------------------------------------------------------------------------
cols = st.columns([1.2, 1.3, 1, 1.3])
chosen_lanes = url_multiselect(
    "jurisdiction",
    t("policies.filter.jurisdiction", lang),
    lane_order,
    format_func=lambda c: country_name(c, lang),
    container=cols[0],
    placeholder=t("filter.all", lang),
)
chosen_themes = url_multiselect(
    "theme",
    t("policies.filter.theme", lang),
    THEMES,
    format_func=lambda x: t(f"theme.{x}", lang),
    container=cols[1],
    placeholder=t("filter.all", lang),
)
chosen_periods = url_multiselect(
    "period",
    t("policies.filter.period", lang),
    info.periods,
    format_func=lambda p: pc.period_name(p, lang),
    container=cols[2],
    placeholder=t("filter.all", lang),
)
query = url_text_input(
    "q",
    t("policies.filter.search", lang),
    container=cols[3],
    placeholder=t("policies.filter.search_placeholder", lang),
    help=t("policies.filter.search_help", lang),
)
filters = pc.PolicyFilters(chosen_lanes, chosen_themes, chosen_periods, query)

# --- the open policy: ?policy= (a link) or a click on a marker -----------------------------------
raw_policy = st.query_params.get("policy")
ids = info.ids
selected, chart_key = url_click("policy", CHART_KEY, valid=ids.__contains__, picked=pc.picked_ids)
if raw_policy and raw_policy not in ids:
    st.warning(t("policies.bad_policy", lang, value=escape_md(raw_policy[:60])), icon="⚠️")

layout = memo(pv.timeline_layout, filters, lang)
view = memo(pv.timeline_view, filters, None, lang, layout=layout)
if selected is not None:  # the open policy's ring added to the kept timeline
    view = memo(pv.timeline_view, filters, selected, lang, layout=layout, plain=view)
shown_ids = view.shown_ids
st.markdown(f"**{t('policies.count', lang, shown=len(shown_ids), total=total)}**")
if not shown_ids:
    st.warning(t("policies.none", lang))

timeline_source = info.timeline_source
table = view.table

# Lazy tabs (``?tab=table``): the table is drawn only while it is open (a click on a tab reruns
# the page); a table nobody opens cost every rerun its conversion and the first visit the
# browser's data grid.
_, (tab_chart, tab_table) = url_tabs("tab", TABS, TABS[0], lambda v: t(f"policies.tab_{v}", lang))
with tab_chart:
    show_fig(
        view.figure,
        key=chart_key,
        name="policy_timeline",
        source=timeline_source,
        lang=lang,
        table=table,
        on_select="rerun",
        selection_mode="points",
    )
    note = t("policies.chart.marker_note", lang)
    if view.hidden:  # one caption, two paragraphs: one element less per rerun, the same look
        note += f"\n\n:material/info: {t('policies.chart.hidden', lang, n=view.hidden)}"
    st.caption(note)
if tab_table.open:
    with tab_table:
        st.dataframe(table, hide_index=True, width="stretch", placeholder=MISSING)
        st.caption(t("policies.table_caption", lang))
        download_csv(table, t("policies.csv_name", lang), lang, key="pol_table_csv")
        st.caption(timeline_source)

# --- details of the open policy -----------------------------------------------------------------
names = info.names
options = list(shown_ids)
if selected and selected not in options:
    options.append(selected)
st.session_state[PICK] = selected
st.selectbox(
    t("policies.pick", lang),
    options,
    index=None,
    format_func=lambda p: names.get(p, p),
    key=PICK,
    on_change=lambda: set_click(CHART_KEY, st.session_state.get(PICK)),
    placeholder=t("policies.pick_placeholder", lang),
)
if selected is None:
    st.info(t("policies.click_hint", lang), icon=":material/touch_app:")
else:
    found = memo(pv.detail, selected)
    pol = found.row
    code = str(pol["jurisdiction"])
    colon = punct("colon", lang)
    with st.container(border=True):
        head, close = st.columns([4, 1], vertical_alignment="top")
        head.header(escape_md(pol[f"name_{lang}"]), anchor=False)
        head.markdown(escape_md(pol[f"name_{other(lang)}"]))
        close.button(
            t("policies.close", lang),
            on_click=set_click,
            args=(CHART_KEY, None),
            icon=":material/close:",
            key="pol_close",
        )
        if selected not in shown_ids:
            st.caption(t("policies.outside_filter", lang))
        rows = [
            ("jurisdiction", country_name(code, lang)),
            ("year", pc.year_text(pol["year"], pol["year_source"], lang)),
            ("period", pc.period_name(pol["period"], lang)),
            ("themes", pc.theme_names(pol["themes"], lang)),
        ]
        if pc.year_in_period(pol["year"], pol["period"]) is False:
            rows.append(("period", t("policies.hover.outside", lang)))
        if not is_blank(pol["note"]):
            rows.append(("note", pol["note"]))
        rows.append(("id", selected))
        st.markdown(
            "\n".join(
                f"- **{t(f'policies.detail.{k}', lang)}**{colon}{escape_md(v)}" for k, v in rows
            )
        )
        st.caption(
            t("source.prefix", lang)
            + t(
                "policies.detail.source",
                lang,
                table=cite(pol["source_ref"], lang),
                added=t("policies.detail.added", lang),
            )
        )
        countries = found.map_countries
        place = t("policies.detail.map_eu", lang) if code == "EU" else country_name(code, lang)
        if countries:
            st.page_link(
                "pages/map.py",
                label=escape_md(t("policies.detail.map", lang, place=place)),
                icon=":material/map:",
                help=t("policies.detail.map_help", lang),
                query_params={"country": ",".join(countries), "lang": lang},
            )
        else:
            st.caption(t("policies.detail.map_none", lang, place=place))
        section = found.section
        region = f"**{t('policies.detail.region', lang)}**"
        if section is None:
            st.markdown(region)
            st.caption(t("policies.detail.no_region", lang))
        else:
            st.markdown(f"{region}\n\n{escape_md(section[f'title_{lang}'])}")
            st.caption(
                f"{escape_md(section[f'summary_{lang}'])}\n\n"
                + source_line(lang, [section["source_ref"]])
            )

# --- chapter 4: regional sections, each linked to its lanes -------------------------------------
st.divider()
st.header(t("policies.region.heading", lang), anchor=False)
st.caption(t("policies.region.intro", lang))
panels = memo(pv.regional_panels, lang)
for col, panel in zip(st.columns(max(len(panels), 1)), panels, strict=False):
    section = panel.section
    with col.container(border=True):
        # One element per block of text (each element costs every rerun; paragraphs look alike)
        st.markdown(
            f"**{escape_md(continent_name(section['continent'], lang))}**\n\n"
            + escape_md(section[f"title_{lang}"])
        )
        summary = escape_md(section[f"summary_{lang}"])
        st.caption(f"{summary}\n\n{panel.count_text}" if panel.codes else summary)
        if panel.codes:
            st.button(
                t("policies.region.show", lang),
                key=f"pol_region_{section['section_id']}",
                on_click=show_lanes,
                args=(panel.codes,),
                icon=":material/filter_alt:",
                help=t("policies.region.show_help", lang, lanes=panel.lanes_text),
            )
        else:
            st.caption(t("policies.region.no_lanes", lang))
        st.caption(source_line(lang, [section["source_ref"]]))

# --- theme × period: does the data bear out the report's comparison? ----------------------------
st.divider()
st.header(t("policies.theme.heading", lang), anchor=False)
st.markdown(t("policies.theme.claim", lang))
themed = memo(pv.theme_view, chosen_lanes, lang)
show_fig(
    themed.figure,
    key="pol_theme_chart",
    name="policy_themes_by_period",
    source=source_line(lang, ["table 6-2"], computed_from=t("policies.theme.computed_from", lang)),
    lang=lang,
    table=themed.table,
)
st.markdown("\n".join(f"- {escape_md(s)}" for s in themed.claim))
st.caption(t("policies.theme.scope_note", lang, scope=themed.scope))
