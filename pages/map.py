"""Map explorer: named clusters on an offline world map; filters, search and the open profile in
the URL (``?continent=EU&sector=biomed&q=Basel&cluster=basel-health-valley``)."""

import streamlit as st

from components import map_view as mv
from components.cached import get_bundle
from components.captions import source_line
from components.data import CONTINENTS, SECTORS, reconciliation
from components.geo import load_countries
from components.i18n import continent_name, country_name, sector_name, t
from components.safe import escape_md
from components.widgets import current_lang, url_multiselect, url_slug, url_text_input

DECK_GEN = "map_deck_gen"  # bumped on "close profile": a fresh chart has no stale selection
PICK = "map_pick"

lang = current_lang()
st.title(t("map.title", lang))
st.caption(t("map.intro", lang))

bundle = get_bundle()  # app.py has already stopped with a clear message if the data is broken

clusters = mv.jitter_duplicates(bundle.clusters)
index = mv.search_index(clusters, bundle.organizations)
deck_key = f"map_deck_{st.session_state.get(DECK_GEN, 0)}"


def _open(cluster_id: str | None) -> None:
    if cluster_id:
        st.query_params["cluster"] = cluster_id
    elif "cluster" in st.query_params:
        del st.query_params["cluster"]


def _on_map_select() -> None:
    _open(mv.selected_id(st.session_state.get(deck_key)) or st.query_params.get("cluster"))


def _on_pick() -> None:
    _open(st.session_state.get(PICK))


def _close() -> None:
    _open(None)
    st.session_state[DECK_GEN] = st.session_state.get(DECK_GEN, 0) + 1


# --- filters (all in the URL) ---
cols = st.columns([1, 1, 1, 1.4])
present = set(clusters["continent"])
continents = url_multiselect(
    "continent",
    t("map.filter_continent", lang),
    [c for c in CONTINENTS if c in present],
    format_func=lambda c: continent_name(c, lang),
    container=cols[0],
    placeholder=t("map.filter_all", lang),
)
countries = url_multiselect(
    "country",
    t("map.filter_country", lang),
    mv.country_options(clusters, continents, lang),
    format_func=lambda c: country_name(c, lang),
    container=cols[1],
    placeholder=t("map.filter_all", lang),
)
sectors = url_multiselect(
    "sector",
    t("map.filter_sector", lang),
    list(SECTORS),
    format_func=lambda s: sector_name(s, lang),
    container=cols[2],
    placeholder=t("map.filter_all", lang),
)
query = url_text_input(
    "q",
    t("map.search", lang),
    container=cols[3],
    placeholder=t("map.search_placeholder", lang),
    help=t("map.search_help", lang),
)
filters = mv.Filters(continents, countries, sectors, query)
shown = mv.apply_filters(clusters, filters, index)

raw_cluster = st.query_params.get("cluster")
selected = url_slug("cluster", clusters["cluster_id"].tolist())
if raw_cluster and selected is None:
    st.warning(t("map.bad_cluster", lang, value=escape_md(raw_cluster[:60])), icon="⚠️")

st.markdown(f"**{t('map.count', lang, shown=len(shown), total=len(clusters))}**")
if shown.empty:
    st.warning(t("map.none", lang))

source = source_line(lang, ["annex", "table 2-10"]) + ("；" if lang == "zh" else "; ")
source += t("map.source_geo", lang)
notes = mv.unnamed_notes(reconciliation(bundle), lang)

tab_map, tab_table = st.tabs([t("map.tab_map", lang), t("map.tab_table", lang)])

with tab_map:
    left, right = st.columns([3, 2], gap="medium")
    with left:
        ring = clusters[clusters["cluster_id"] == selected] if selected else None
        deck = mv.build_deck(shown, load_countries(), lang, selected=ring)
        st.pydeck_chart(
            deck,
            on_select=_on_map_select,
            selection_mode="single-object",
            key=deck_key,
            height=mv.MAP_HEIGHT,
            width="stretch",
            alt=t("map.alt", lang),
        )
        st.html(mv.legend_html(lang, shown["sector"].value_counts().to_dict()))
        st.caption(source)
        for note in notes:
            st.caption(f":material/info: {escape_md(note)}")
    with right:
        options = shown["cluster_id"].tolist()
        if selected and selected not in options:
            options.append(selected)
        names = dict(zip(clusters["cluster_id"], clusters[f"name_{lang}"], strict=True))
        st.session_state[PICK] = selected
        st.selectbox(
            t("map.pick", lang),
            options,
            index=None,
            format_func=lambda c: names.get(c, c),
            key=PICK,
            on_change=_on_pick,
            placeholder=t("map.pick_placeholder", lang),
        )
        card = mv.profile(bundle, selected) if selected else None
        if card is None:
            st.info(t("map.click_hint", lang), icon=":material/touch_app:")
        else:
            st.button(
                t("map.close", lang), on_click=_close, icon=":material/close:", key="map_close"
            )
            if selected not in set(shown["cluster_id"]):
                st.caption(t("map.outside_filter", lang))
            st.html(mv.profile_html(card, lang))
            st.markdown(f"**{t('map.profile.nearby', lang)}**")
            if card.nearby.empty:
                st.caption(t("map.profile.no_nearby", lang))
            for row in card.nearby.itertuples(index=False):
                st.button(
                    escape_md(mv.nearby_label(row, lang)),
                    key=f"map_near_{row.cluster_id}",
                    on_click=_open,
                    args=(row.cluster_id,),
                    type="tertiary",
                    icon=":material/place:",
                )

with tab_table:
    frame = mv.table_frame(shown, lang)
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(t("map.table_caption", lang))
    st.download_button(
        t("common.download_csv", lang),
        mv.csv_bytes(frame),
        file_name=t("map.csv_name", lang),
        mime="text/csv",
        key="map_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption(source)
