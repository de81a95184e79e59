"""Heatmaps page: figure 2-1 (sector × continent) as counts, shares or location quotients, from
the published figure or the named clusters, with a cell drill-down; then country × sector."""

from __future__ import annotations

import streamlit as st

from components.cached import get_bundle
from components.captions import cluster_list_source, source_line
from components.display import show_fig
from components.heatmap_charts import (
    build_country_heatmap,
    build_main_heatmap,
    country_table,
    main_table,
)
from components.i18n import continent_name, country_name, join_list, sector_name, t
from components.matrices import (
    MEASURES,
    SOURCES,
    cell_clusters,
    cell_summary,
    clicked_cells,
    country_matrix,
    parse_cell,
    source_matrices,
)
from components.safe import escape_md
from components.vocab import CONTINENTS
from components.widgets import current_lang, set_click, url_click, url_multiselect, url_radio

CHART_KEY = "hm_main_chart"
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


# --- selected cell: ?cell= (a link) or a click on the chart -------------------------------------
cell_value, chart_key = url_click(
    "cell", CHART_KEY, valid=lambda c: parse_cell(c) is not None, picked=clicked_cells
)
cell = parse_cell(cell_value)


# --- main heatmap -------------------------------------------------------------------------------
counts = by_source[source]
shown = "count" if source == "difference" else measure
refs = [] if source == "named" else ["figure 2-1"]
named_source = cluster_list_source(bundle.clusters, lang)
computed = None if source == "published" else named_source
show_fig(
    build_main_heatmap(counts, measure, source, lang, selected=cell),
    key=chart_key,
    name=f"heatmap_{source}_{shown}",
    source=source_line(lang, refs, computed),
    lang=lang,
    table=main_table(counts, measure, source, lang),
    on_select="rerun",
    selection_mode="points",
)
st.markdown(t(f"heatmap.explain.{'difference' if source == 'difference' else measure}", lang))
if shown == "lq":
    small = [c for c in CONTINENTS if 0 < counts[c].sum() < SMALL_CONTINENT]
    if small:
        st.caption(
            t(
                "heatmap.lq_small",
                lang,
                names=join_list((continent_name(c, lang) for c in small), lang),
                counts=join_list(
                    (f"{continent_name(c, lang)} {int(counts[c].sum())}" for c in small), lang
                ),
            )
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
    clear.button(
        t("heatmap.cell.clear", lang), on_click=set_click, args=(CHART_KEY, None), key="hm_clear"
    )
    summary = cell_summary(by_source, sector, continent)
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
        name = getattr(row, f"name_{lang}")
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
        name="heatmap_country_sector",
        source=source_line(lang, computed_from=named_source),
        lang=lang,
        table=country_table(by_country, lang),
    )
    st.markdown(t("heatmap.country.explain", lang))
