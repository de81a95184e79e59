"""Heatmaps page: figure 2-1 (sector × continent) as counts, shares or location quotients, from
the published figure or the named clusters, with a cell drill-down; then country × sector."""

from __future__ import annotations

import streamlit as st

from components import urlstate
from components.cached import get_bundle
from components.captions import source_line
from components.data import CONTINENTS
from components.heatmap_charts import (
    build_country_heatmap,
    build_main_heatmap,
    country_table,
    main_table,
    to_csv_bytes,
)
from components.i18n import continent_name, country_name, sector_name, t
from components.matrices import (
    MEASURES,
    SOURCES,
    cell_clusters,
    cell_code,
    cell_codes,
    cell_summary,
    country_matrix,
    parse_cell,
    source_matrices,
)
from components.safe import escape_md
from components.widgets import current_lang, show_fig, sync, url_multiselect, url_radio

CHART_KEY = "hm_main_chart"
CELL_KEY = "hm_cell"  # the selected cell code (session), mirrored in ?cell=
SEEN_KEY = "hm_selection_seen"  # the last chart selection acted upon
SMALL_CONTINENT = 10  # below this many clusters a continent's LQs are flagged as volatile

lang = current_lang()
bundle = get_bundle()  # app.py has already stopped with a clear message if the data is broken
st.title(t("heatmap.title", lang))
st.caption(t("heatmap.intro", lang, total=int(bundle.sector_continent["clusters"].sum())))
by_source = source_matrices(bundle.sector_continent, bundle.clusters)

# --- controls -----------------------------------------------------------------------------------
left, right = st.columns(2)
source = url_radio(
    "source",
    t("heatmap.source_label", lang),
    SOURCES,
    "published",
    format_func=lambda s: t(f"heatmap.source.{s}", lang),
    container=left,
)
measure = url_radio(
    "measure",
    t("heatmap.measure_label", lang),
    MEASURES,
    "count",
    format_func=lambda m: t(f"heatmap.measure.{m}", lang),
    container=right,
    disabled=source == "difference",
    help=t("heatmap.difference_measure", lang) if source == "difference" else None,
)


# --- selected cell: ?cell= on the first visit, then clicks on the chart ------------------------
def _selected_cell() -> tuple[str, str] | None:
    """The cell to list: a new click on the chart wins, else the session's (first from ?cell=)."""
    if CELL_KEY not in st.session_state:
        parsed = urlstate.parse_choice(st.query_params.get("cell"), cell_codes(), "")
        st.session_state[CELL_KEY] = parsed.value
        for raw in parsed.rejected:
            st.toast(t("app.bad_param", lang, name="cell", value=raw[:40]), icon="⚠️")
    event = st.session_state.get(CHART_KEY) or {}
    points = (event.get("selection") or {}).get("points") or []
    signature = repr([p.get("customdata") for p in points])
    if signature != st.session_state.get(SEEN_KEY):  # act on a selection once, ignore clearing
        st.session_state[SEEN_KEY] = signature
        clicked = [p["customdata"] for p in points if parse_cell(p.get("customdata"))]
        if clicked:
            st.session_state[CELL_KEY] = clicked[0]
    cell = parse_cell(st.session_state[CELL_KEY])
    sync("cell", cell_code(*cell) if cell else "", "")
    return cell


def _clear_cell() -> None:
    st.session_state[CELL_KEY] = ""


cell = _selected_cell()

# --- main heatmap -------------------------------------------------------------------------------
counts = by_source[source]
shown = "count" if source == "difference" else measure
refs = [] if source == "named" else ["figure 2-1"]
computed = None if source == "published" else t("source.cluster_list", lang)
show_fig(
    build_main_heatmap(counts, measure, source, lang, selected=cell),
    key=CHART_KEY,
    filename=f"heatmap_{source}_{shown}",
    source=source_line(lang, refs, computed),
    on_select="rerun",
    selection_mode="points",
)
st.markdown(t(f"heatmap.explain.{'difference' if source == 'difference' else measure}", lang))
if shown == "lq":
    small = [c for c in CONTINENTS if 0 < counts[c].sum() < SMALL_CONTINENT]
    if small:
        sep = "、" if lang == "zh" else ", "
        st.caption(
            t(
                "heatmap.lq_small",
                lang,
                names=sep.join(continent_name(c, lang) for c in small),
                counts=sep.join(f"{continent_name(c, lang)} {int(counts[c].sum())}" for c in small),
            )
        )
st.download_button(
    t("common.download_csv", lang),
    data=to_csv_bytes(main_table(counts, measure, source, lang)),
    file_name=f"heatmap_{source}_{shown}.csv",
    mime="text/csv",
    icon=":material/download:",
    key="hm_main_csv",
)

# --- drill-down ---------------------------------------------------------------------------------
if cell is None:
    st.info(t("heatmap.cell.prompt", lang), icon=":material/touch_app:")
else:
    sector, continent = cell
    head, clear = st.columns([4, 1], vertical_alignment="bottom")
    head.subheader(
        t(
            "heatmap.cell.heading",
            lang,
            sector=sector_name(sector, lang),
            continent=continent_name(continent, lang),
        )
    )
    clear.button(t("heatmap.cell.clear", lang), on_click=_clear_cell, key="hm_clear")
    summary = cell_summary(by_source["published"], by_source["named"], sector, continent)
    st.markdown(t("heatmap.cell.counts", lang, **summary))
    if summary["unnamed"] > 0:
        st.info(t("heatmap.cell.unnamed", lang, n=summary["unnamed"]), icon=":material/help:")
    elif summary["unnamed"] < 0:
        st.warning(t("heatmap.cell.extra", lang, n=-summary["unnamed"]))
    members = cell_clusters(bundle.clusters, sector, continent)
    if members.empty:
        st.caption(t("heatmap.cell.none", lang))
    cols = st.columns(2)
    for i, row in enumerate(members.itertuples(index=False)):
        name = row.name_zh if lang == "zh" else row.name_en
        cols[i % 2].page_link(
            "pages/map.py",
            label=escape_md(f"{name} · {country_name(row.country, lang)}"),
            icon=":material/location_on:",
            help=t("heatmap.cell.links_help", lang),
            query_params={"cluster": row.cluster_id, "lang": lang},
        )

# --- country × sector ---------------------------------------------------------------------------
st.divider()
st.subheader(t("heatmap.country.heading", lang))
chosen = url_multiselect(
    "hm_continent",
    t("heatmap.country.filter", lang),
    CONTINENTS,
    format_func=lambda c: continent_name(c, lang),
    placeholder=t("heatmap.country.placeholder", lang),
)
by_country = country_matrix(bundle.clusters, chosen)
if by_country.empty:
    st.info(t("heatmap.country.empty", lang))
else:
    show_fig(
        build_country_heatmap(by_country, lang),
        key="hm_country_chart",
        filename="heatmap_country_sector",
        source=source_line(lang, computed_from=t("source.cluster_list", lang)),
    )
    st.markdown(t("heatmap.country.explain", lang))
    st.download_button(
        t("common.download_csv", lang),
        data=to_csv_bytes(country_table(by_country, lang)),
        file_name="heatmap_country_sector.csv",
        mime="text/csv",
        icon=":material/download:",
        key="hm_country_csv",
    )
