"""Heatmaps page: figure 2-1 (sector × continent) as counts, shares or location quotients, from
the published figure or the named clusters, with a cell drill-down; then country × sector."""

from __future__ import annotations

import streamlit as st

from components.cached import get_bundle
from components.captions import named_list_source, source_line
from components.display import show_fig, wrapping_links
from components.heatmap_charts import (
    TOP_COUNTRIES,
    cell_labels,
    cell_links,
    country_figure,
    country_view_table,
    dataset_lq_example,
    main_figure,
    main_view_table,
)
from components.i18n import continent_name, join_list, sector_name, t
from components.matrices import (
    MEASURES,
    SOURCES,
    cell_summary,
    clicked_cells,
    dataset_country_matrix,
    dataset_matrices,
    parse_cell,
)
from components.viewport import scroll_here, viewport
from components.vocab import CONTINENTS
from components.widgets import (
    current_lang,
    set_click,
    sync,
    url_click,
    url_multiselect,
    url_radio,
    url_toggle,
)

CHART_KEY = "hm_main_chart"
PICK = "hm_cell_pick"
SMALL_CONTINENT = 10  # below this many clusters a continent's LQs are flagged as volatile
BESIDE_MIN_WIDTH = 1200  # content width from which the drill-down sits beside the grid
PHONE_MAX_WIDTH = 600  # below this content width the heatmaps are drawn compact

lang = current_lang()
bundle = get_bundle()  # app.py has already stopped with a clear message if the data is broken
st.title(t("heatmap.title", lang))
size = viewport("hm_viewport")
beside = size is not None and size["w"] >= BESIDE_MIN_WIDTH
narrow = size is not None and size["w"] < PHONE_MAX_WIDTH  # a phone: compact grids
st.caption(t("heatmap.intro", lang, total=int(bundle.sector_continent["clusters"].sum())))
by_source = dataset_matrices(bundle)

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


# --- selected cell: ?cell= (a link), a click on the chart or the cell picker ------------------
cell_value, chart_key = url_click(
    "cell", CHART_KEY, valid=lambda c: parse_cell(c) is not None, picked=clicked_cells
)
cell = parse_cell(cell_value)


# --- main heatmap and its drill-down (beside it on a wide screen, below it and scrolled to) ------
counts = by_source[source]
shown = "count" if source == "difference" else measure
refs = [] if source == "named" else ["figure 2-1"]
named_source = named_list_source(bundle, lang)
computed = None if source == "published" else named_source
grid, detail = st.columns([3, 2], gap="medium") if beside else (st.container(), st.container())
with grid:
    show_fig(
        main_figure(bundle, source, measure, lang, cell, narrow),
        key=chart_key,
        name=t(
            "heatmap.file.main",
            lang,
            source=t(f"heatmap.file.source.{source}", lang),
            measure=t(f"heatmap.file.measure.{shown}", lang),
        ),
        source=source_line(lang, refs, computed),
        lang=lang,
        table=main_view_table(bundle, source, shown, lang),
        on_select="rerun",
        selection_mode="points",
    )
    st.markdown(t(f"heatmap.explain.{'difference' if source == 'difference' else measure}", lang))
    if shown == "lq":
        example = dataset_lq_example(bundle, source)
        if example is not None:
            s_code, c_code, value = example
            st.markdown(
                t(
                    "heatmap.explain.lq_example",
                    lang,
                    sector=sector_name(s_code, lang),
                    continent=continent_name(c_code, lang),
                    lq=f"{value:.2f}",
                    pct=round((value - 1) * 100),
                )
            )
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

with detail:
    # A control to pick a cell without the mouse (the chart's cells are not keyboard-reachable).
    labels = cell_labels(bundle, source, lang)
    st.session_state[PICK] = cell_value
    st.selectbox(
        t("heatmap.cell.pick", lang),
        list(labels),
        index=None,
        key=PICK,
        format_func=labels.__getitem__,
        on_change=lambda: set_click(CHART_KEY, st.session_state.get(PICK)),
        placeholder=t("heatmap.cell.pick_placeholder", lang),
    )
    if cell is None:
        st.info(t("heatmap.cell.prompt", lang), icon=":material/touch_app:")
    else:
        sector, continent = cell
        if size is not None and not beside:
            # Only once the layout is known: the first run of a session has no size yet and
            # draws the drill-down below the grid; scrolling to it there and then switching to
            # the side-by-side layout left a deep link scrolled down to the country heatmap.
            scroll_here(cell_value or "", key="hm_scroll")
        st.header(
            t(
                "heatmap.cell.heading",
                lang,
                sector=sector_name(sector, lang),
                continent=continent_name(continent, lang),
            )
        )
        st.button(
            t("heatmap.cell.clear", lang),
            on_click=set_click,
            args=(CHART_KEY, None),
            key="hm_clear",
            icon=":material/close:",
        )
        summary = cell_summary(by_source, sector, continent)
        st.markdown(t("heatmap.cell.counts", lang, **summary))
        if summary["unnamed"] > 0:
            st.info(t("heatmap.cell.unnamed", lang, n=summary["unnamed"]), icon=":material/help:")
        elif summary["unnamed"] < 0:
            st.warning(t("heatmap.cell.extra", lang, n=-summary["unnamed"]))
        links = cell_links(bundle, sector, continent, lang)
        if not links:
            st.caption(t("heatmap.cell.none", lang))
        cols = wrapping_links("hm_cell_links").columns(1 if beside else 2)
        for i, (label, cluster_id) in enumerate(links):
            cols[i % len(cols)].page_link(
                "pages/map.py",
                label=label,
                icon=":material/location_on:",
                help=t("heatmap.cell.links_help", lang),
                query_params={"cluster": cluster_id, "lang": lang},
            )

# --- country × sector ---------------------------------------------------------------------------
st.divider()
st.header(t("heatmap.country.heading", lang))
chosen = url_multiselect(
    "hm_continent",
    t("heatmap.country.filter", lang),
    CONTINENTS,
    format_func=lambda c: continent_name(c, lang),
    placeholder=t("heatmap.country.placeholder", lang),
)
by_country = dataset_country_matrix(bundle, chosen)
if by_country.empty:
    sync("hm_all", "", "")
    st.info(t("heatmap.country.empty", lang))
else:
    n_countries = len(by_country)
    if n_countries > TOP_COUNTRIES:
        show_all = url_toggle("hm_all", t("heatmap.country.show_all", lang, n=n_countries))
    else:
        show_all = True
        sync("hm_all", "", "")  # nothing to toggle: a stale ?hm_all= is dropped quietly
    if not show_all:
        st.caption(t("heatmap.country.top_note", lang, top=TOP_COUNTRIES, n=n_countries))
    show_fig(
        country_figure(bundle, chosen, None if show_all else TOP_COUNTRIES, lang, narrow),
        key="hm_country_chart",
        name=t("heatmap.file.country", lang),
        source=source_line(lang, computed_from=named_source),
        lang=lang,
        table=country_view_table(bundle, chosen, lang),
    )
    st.markdown(t("heatmap.country.explain", lang))
