"""Map explorer: named clusters on an offline world map; filters, search and the open profile in
the URL (``?continent=EU&sector=biomed&q=Basel&cluster=basel-health-valley``)."""

import streamlit as st

from components import map_view as mv
from components import profile as pf
from components.cached import get_bundle
from components.captions import source_line
from components.display import download_csv
from components.filters import apply_filters, search_index
from components.geo import load_countries
from components.i18n import join_list, t
from components.matrices import reconciliation
from components.safe import escape_md
from components.widgets import current_lang, filter_bar, set_click, url_click

DECK_KEY = "map_deck"
PICK = "map_pick"

lang = current_lang()
st.title(t("map.title", lang))
st.caption(t("map.intro", lang))

bundle = get_bundle()  # app.py has already stopped with a clear message if the data is broken
clusters = mv.jitter_duplicates(bundle.clusters)
ids = set(clusters["cluster_id"])

filters = filter_bar(clusters, lang)
shown = apply_filters(clusters, filters, search_index(clusters, bundle.organizations))

raw_cluster = st.query_params.get("cluster")
selected, deck_key = url_click("cluster", DECK_KEY, valid=ids.__contains__, picked=mv.picked_ids)
if raw_cluster and raw_cluster not in ids:
    st.warning(t("map.bad_cluster", lang, value=escape_md(raw_cluster[:60])), icon="⚠️")

st.markdown(f"**{t('map.count', lang, shown=len(shown), total=len(clusters))}**")
if shown.empty:
    st.warning(t("map.none", lang))

source = join_list(
    [source_line(lang, ["annex", "table 2-10"]), t("map.source_geo", lang)], lang, "clause"
)
notes = mv.unnamed_notes(reconciliation(bundle), lang)

tab_map, tab_table = st.tabs([t("map.tab_map", lang), t("map.tab_table", lang)])

with tab_map:
    left, right = st.columns([3, 2], gap="medium")
    with left:
        ring = clusters[clusters["cluster_id"] == selected] if selected else None
        layer_id = mv.cluster_layer_id(list(shown["cluster_id"]), st.session_state.get(deck_key))
        st.pydeck_chart(
            mv.build_deck(shown, load_countries(), lang, selected=ring, cluster_layer=layer_id),
            on_select="rerun",
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
            on_change=lambda: set_click(DECK_KEY, st.session_state.get(PICK)),
            placeholder=t("map.pick_placeholder", lang),
        )
        card = pf.profile(bundle, selected) if selected else None
        if card is None:
            st.info(t("map.click_hint", lang), icon=":material/touch_app:")
        else:
            st.button(
                t("map.close", lang),
                on_click=set_click,
                args=(DECK_KEY, None),
                icon=":material/close:",
                key="map_close",
            )
            if selected not in set(shown["cluster_id"]):
                st.caption(t("map.outside_filter", lang))
            st.html(pf.profile_html(card, lang))
            st.markdown(f"**{t('map.profile.nearby', lang)}**")
            if card.nearby.empty:
                st.caption(t("map.profile.no_nearby", lang))
            for row in card.nearby.itertuples(index=False):
                st.button(
                    escape_md(pf.nearby_label(row, lang)),
                    key=f"map_near_{row.cluster_id}",
                    on_click=set_click,
                    args=(DECK_KEY, row.cluster_id),
                    type="tertiary",
                    icon=":material/place:",
                )

with tab_table:
    frame = mv.table_frame(shown, lang)
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(t("map.table_caption", lang))
    download_csv(frame, t("map.csv_name", lang), lang, key="map_csv")
    st.caption(source)
