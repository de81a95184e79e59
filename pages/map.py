"""Map explorer: named clusters on an offline world map; filters, search and the open profile in
the URL (``?continent=EU&sector=biomed&q=Basel&cluster=basel-health-valley``)."""

import pydeck as pdk
import streamlit as st

from components import map_frame as mf
from components import map_model as mm
from components import map_view as mv
from components.briefing_store import briefing_button
from components.cached import get_bundle
from components.captions import source_line
from components.charts import MISSING
from components.display import download_csv
from components.i18n import join_list, t
from components.safe import escape_md
from components.viewport import viewport
from components.widgets import (
    current_lang,
    filter_bar,
    rejected_link_value,
    set_click,
    set_int,
    url_click,
    url_int,
    url_tabs,
)

DECK_KEY = "map_deck"
PICK = "map_pick"
SAME_LISTED = 6  # clusters on the open one's spot listed as buttons (nearest first)
VIEWS = ("map", "table")  # the tabs, ?tab=table
NONCE = "_map_view_nonce"  # button presses: a pressed button re-applies the whole view


def zoom_to(step: int) -> None:
    """Zoom buttons: set the zoom step (URL ``?zoom=``) and re-apply the view."""
    set_int("zoom", max(mf.MIN_STEP, min(mf.MAX_STEP, step)))
    st.session_state[NONCE] = st.session_state.get(NONCE, 0) + 1


lang = current_lang()
# What sits above the map is kept short, so the map starts in the upper part of a 1280×720
# screen: the count and the intro beside the title, the filters in one row, narrow gaps, the
# zoom buttons beside the map (tests/browser/test_meeting_browser.py checks where the map starts).
top = st.container(gap="xsmall")
with top.container(gap=None):  # no gap under the (zero-height) size probe
    # The map is sized to the screen; a new size mounts a new deck (Streamlit does not reliably
    # move a deck's view to a new initial view while it is being mounted).
    frame = mf.map_frame(viewport("map_viewport"))
    # On a narrow screen (a phone) the count and intro go under the title.
    head = st.container(
        horizontal=frame.beside,
        gap="medium" if frame.beside else "xsmall",
        vertical_alignment="bottom",
    )
head.title(t("map.title", lang), width="content")
about = head.container(gap=None)

bundle = get_bundle()  # app.py has already stopped with a clear message if the data is broken
clusters = mm.drawn(bundle)
ids = mm.cluster_ids(bundle)

filters = filter_bar(clusters, lang, container=top)
shown = mm.shown(bundle, filters)
LIMIT = mv.GROUP_LIMIT
grouped = mm.grouped(bundle, filters, LIMIT)

step = url_int("zoom", mf.MIN_STEP, mf.MAX_STEP)
frame = mm.fitted(bundle, filters, frame)
raw_cluster = st.query_params.get("cluster")
selected, deck_key = url_click(
    "cluster",
    DECK_KEY,
    valid=ids.__contains__,
    picked=mv.picked_ids,
    variant=f"_{frame.width}x{frame.height}",
)
bad_cluster = rejected_link_value("cluster", raw_cluster, ids.__contains__, selected)
if bad_cluster:
    top.warning(t("map.bad_cluster", lang, value=escape_md(bad_cluster[:60])), icon="⚠️")

about.markdown(f"**{t('map.count', lang, shown=len(shown), total=len(clusters))}**")
about.caption(t("map.intro", lang))
if shown.empty:
    top.warning(t("map.none", lang))

source = join_list(
    [source_line(lang, ["annex", "table 2-10"]), t("map.source_geo", lang)], lang, "clause"
)

# Lazy tabs (``?tab=table``): the table and the data grid's JavaScript only when it is open.
_, (tab_map, tab_table) = url_tabs(
    "tab", VIEWS, VIEWS[0], lambda v: t(f"map.tab_{v}", lang), container=top
)

with tab_map:
    if frame.beside:
        left, right = st.columns([3, 2], gap="small")
    else:
        left = right = st.container()
    with left:
        ring = mm.position(bundle, selected) if selected else None
        focus = None if ring is None or ring.empty else (ring["x"].iloc[0], ring["y"].iloc[0])
        view = mm.view(bundle, filters, frame, step, focus, st.session_state.get(NONCE, 0))
        # Beside the map when the profile column is (the map starts at the top of its tab),
        # else above it.
        # Words without icons, close together: one row in the profile column at 1280 in both
        # languages (with icons the English row needed 337 px of the column's 322 and wrapped).
        zoom_bar = (right if frame.beside else left).container(horizontal=True, gap="xsmall")
        with zoom_bar:
            st.button(
                t("map.zoom_in", lang),
                key="map_zoom_in",
                on_click=zoom_to,
                args=(step + 1,),
                disabled=step >= mf.MAX_STEP,
            )
            st.button(
                t("map.zoom_out", lang),
                key="map_zoom_out",
                on_click=zoom_to,
                args=(step - 1,),
                disabled=step <= mf.MIN_STEP,
            )
            st.button(t("map.zoom_reset", lang), key="map_zoom_all", on_click=zoom_to, args=(0,))
        selection = st.session_state.get(deck_key)
        deck = mv.build_deck(
            shown,
            mv.COUNTRIES_URL,
            lang,
            selected=ring,
            cluster_layer=mv.cluster_layer_id(mm.layer_token(bundle, filters), selection),
            group_layer=mv.group_layer_id(selection),
            rows=mm.point_rows(bundle, filters, lang, view.zoom, LIMIT),
            groups=mm.group_rows(bundle, filters, lang, view.zoom, LIMIT),
            labels=mm.labels(bundle, filters, lang, view, frame, LIMIT, selected),
            view=pdk.ViewState(
                latitude=view.latitude,
                longitude=view.longitude,
                zoom=view.zoom,
                min_zoom=mf.MIN_ZOOM,
                max_zoom=mf.MAX_ZOOM,
            ),
            borders=mv.BORDERS_URL,
        )
        st.pydeck_chart(
            deck,
            on_select="rerun",
            selection_mode="single-object",
            key=deck_key,
            height=frame.height,
            width="stretch",
            alt=t("map.alt", lang),
        )
        if grouped:  # under the map: the map keeps its place on the screen
            st.info(
                t("map.grouped", lang, shown=len(shown), limit=LIMIT),
                icon=":material/bubble_chart:",
            )
        elif not shown.empty:
            st.caption(t("map.spots", lang, n=mm.spot_count(bundle, filters, view.zoom)))
        st.html(mv.legend_html(lang, dict(mm.sector_counts(bundle, filters))))
        st.caption(source)
        briefing_button("map_deck", lang, source=source, key="map_brief")
        for note in mm.notes(bundle, lang):
            st.caption(f":material/info: {escape_md(note)}")
    with right:
        names = mm.names(bundle, lang)
        if grouped:  # too many to list: only the open one, and a word on how to list them
            options = [selected] if selected else []
        else:
            options = shown["cluster_id"].tolist()
            if selected and selected not in options:
                options.append(selected)
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
        if grouped:
            st.caption(t("map.pick_grouped", lang, limit=LIMIT))
        card, near = mm.card(bundle, selected, lang) if selected else ("", ())
        if not card:
            st.info(t("map.click_hint", lang), icon=":material/touch_app:")
        else:
            with st.container(horizontal=True, gap="small"):
                st.button(
                    t("map.close", lang),
                    on_click=set_click,
                    args=(DECK_KEY, None),
                    icon=":material/close:",
                    key="map_close",
                )
                st.button(
                    t("map.zoom_to", lang),
                    on_click=zoom_to,
                    args=(max(step, mf.FOCUS_STEP),),
                    icon=":material/my_location:",
                    key="map_zoom_to",
                )
            if not mm.is_shown(bundle, filters, selected):
                st.caption(t("map.outside_filter", lang))
            st.html(card)
            here = mm.spots(bundle, filters, view.zoom, LIMIT).get(selected, ())
            same = [c for c in here if c in names]
            if same:
                st.markdown(f"**{t('map.same_spot', lang)}**")
            for cid in same[:SAME_LISTED]:
                st.button(
                    escape_md(names[cid]),
                    key=f"map_same_{cid}",
                    on_click=set_click,
                    args=(DECK_KEY, cid),
                    type="tertiary",
                    icon=":material/layers:",
                )
            if len(same) > SAME_LISTED:
                st.caption(t("map.same_spot_more", lang, n=len(same) - SAME_LISTED))
            st.markdown(f"**{t('map.profile.nearby', lang)}**")
            if not near:
                st.caption(t("map.profile.no_nearby", lang))
            for cid, label in near:
                st.button(
                    escape_md(label),
                    key=f"map_near_{cid}",
                    on_click=set_click,
                    args=(DECK_KEY, cid),
                    type="tertiary",
                    icon=":material/place:",
                )

with tab_table:
    if tab_table.open:  # closed: nothing built, nothing sent
        table = mm.table(bundle, filters, lang)
        if len(table.frame) > mv.TABLE_LIMIT:
            st.caption(t("map.table_first", lang, n=mv.TABLE_LIMIT, total=len(table.frame)))
        st.dataframe(table.shown, hide_index=True, width="stretch", placeholder=MISSING)
        st.caption(t("map.table_caption", lang))
        download_csv(table.frame, t("map.csv_name", lang), lang, key="map_csv")
        st.caption(source)
