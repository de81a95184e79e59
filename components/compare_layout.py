"""Layout of the compare page (``pages/compare.py``): the region controls and one row of paired
columns per section, drawn from a :class:`components.compare_view.CompareView`. Streamlit glue
only: the numbers, figures and maps are built (and kept) by :mod:`components.compare_view`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components import compare as cmp
from components import compare_charts as cc
from components import compare_state as cs
from components.captions import source_line
from components.compare_view import CompareView
from components.display import download_csv, show_fig
from components.i18n import Lang, join_list, punct, t
from components.registry import PAGES
from components.router import page_target
from components.safe import escape_md

HAS_POLICIES_PAGE = any(spec.url_path == "policies" for spec in PAGES)


def columns(key: str, n: int) -> list:
    """One row of ``n`` paired columns (a section starts level across the regions), in a
    container keyed ``cmp_row_<key>`` (the browser tests measure the rows through it)."""
    return st.container(key=f"cmp_row_{key}").columns(n, gap="medium")


def section(key: str, lang: Lang) -> None:
    """A section heading with a rule."""
    st.header(t(f"compare.section.{key}", lang), divider="gray")


def controls(
    state: cs.CompareState,
    options: Sequence[str],
    members: Sequence[str],
    labels: Mapping[str, str],
    lang: Lang,
) -> None:
    """The region selectors (one per column, with "remove"), "add a region" and the group
    form (``members``: the countries a group may hold); ``labels`` names every option of
    every selector (:func:`components.compare_view.option_labels`)."""
    option_label = labels.__getitem__

    n = len(state.regions)
    for i, col in enumerate(columns("select", n)):
        col.selectbox(
            t("compare.slot", lang, n=i + 1),
            options,
            format_func=option_label,
            key=cs.slot_key(i),
            on_change=cs.on_slot,
            args=(i,),
            help=t("compare.slot_help", lang),
        )
        if n > cmp.MIN_REGIONS:
            col.button(
                t("compare.remove", lang),
                key=f"cmp_remove_{i}",
                on_click=cs.on_remove,
                args=(i,),
                icon=":material/close:",
                type="tertiary",
            )
    full = n >= cmp.MAX_REGIONS
    add_col, group_col = st.columns(2, gap="medium")
    add_col.selectbox(
        t("compare.add", lang),
        [o for o in options if o not in state.regions],
        index=None,
        format_func=option_label,
        key=cs.ADD_KEY,
        on_change=cs.on_add,
        placeholder=t("compare.add_placeholder", lang),
        disabled=full,
        help=t("compare.add_full", lang, n=cmp.MAX_REGIONS) if full else None,
    )
    # Lazy: the form (a 250-country multiselect among others) is built only while it is open,
    # not on every rerun of the page.
    form = group_col.expander(
        t("compare.group.heading", lang),
        icon=":material/group_work:",
        key=cs.GROUP_FORM_KEY,
        on_change="rerun",
    )
    if not form.open:
        return
    with form:
        st.text_input(
            t("compare.group.name", lang),
            key=cs.GROUP_NAME_KEY,
            max_chars=cmp.MAX_NAME,
            placeholder="DACH",
            help=t("compare.group.name_help", lang, max_name=cmp.MAX_NAME),
        )
        st.multiselect(
            t("compare.group.members", lang),
            members,
            format_func=option_label,
            key=cs.GROUP_MEMBERS_KEY,
            max_selections=cmp.MAX_MEMBERS,
            placeholder=t("compare.group.members_placeholder", lang),
        )
        st.button(t("compare.group.add", lang), key="cmp_group_add", on_click=cs.on_define_group)
        rejected = st.session_state.get(cs.GROUP_PROBLEM)
        if rejected is not None:
            st.warning(cmp.problem_text(rejected, lang), icon=":material/warning:")
        st.caption(t("compare.group.url_hint", lang))


def _head(col: object, v: CompareView, i: int) -> None:
    col.markdown(f"**{escape_md(v.headers[i].name)}**")  # type: ignore[attr-defined]


def _no_clusters(col: object, v: CompareView, i: int, lang: Lang) -> None:
    name = escape_md(v.headers[i].name)
    col.info(t("compare.no_clusters", lang, name=name))  # type: ignore[attr-defined]


def headers(v: CompareView, lang: Lang) -> None:
    """Each column's name, what it stands for, and links to the map, heatmap and policies."""
    for col, head in zip(columns("head", len(v.regions)), v.headers, strict=True):
        col.markdown(f"## {escape_md(head.name)}")
        col.caption(escape_md(head.description))
        if head.map_params:
            col.page_link(
                page_target("pages/map.py"),
                label=t("compare.link.map", lang),
                icon=":material/public:",
                query_params={**head.map_params, "lang": lang},
            )
        if head.heatmap_continents:
            col.page_link(
                page_target("pages/heatmap.py"),
                label=t("compare.link.heatmap", lang),
                icon=":material/grid_on:",
                query_params={
                    "hm_continent": ",".join(head.heatmap_continents),
                    "measure": "lq",
                    "lang": lang,
                },
            )
        if HAS_POLICIES_PAGE:
            col.page_link(
                page_target("pages/policies.py"),
                label=t("compare.link.policies", lang),
                icon=":material/gavel:",
                query_params={"lang": lang},
            )


def cluster_counts(v: CompareView, lang: Lang) -> None:
    """Named and published clusters per column, the gap between them, the source."""
    section("clusters", lang)
    for i, (col, rc) in enumerate(zip(columns("clusters", len(v.regions)), v.counts, strict=True)):
        _head(col, v, i)
        col.metric(t("compare.metric.named", lang), rc.named)
        col.metric(
            t("compare.metric.published", lang),
            "—" if rc.published is None else rc.published,
            help=t("compare.metric.published_help", lang),
        )
        refs = ["figure 2-1"] if rc.region.kind == "continent" else []
        # One caption: the gap, then the source (one element less per column).
        source = source_line(lang, refs, v.named_source)
        col.caption(f"{escape_md(v.gap_sentences[i])}\n\n{source}")


def _row_chart(
    key: str, fig: object, v: CompareView, source: str, lang: Lang, **kw: object
) -> None:
    """One row's figure (every region a panel, on the columns' grid) with its source line."""
    # A container keyed like the column rows (the browser tests measure the rows through it).
    with st.container(key=f"cmp_row_{key}"):
        show_fig(
            fig,
            key=f"cmp_{key}",
            name=f"compare_{key}_" + "_".join(r.token for r in v.regions),
            source=source,
            lang=lang,
            **kw,
        )


def sector_charts(v: CompareView, lang: Lang) -> None:
    """The sector mix and the location quotients: one figure per row, a panel per region."""
    for key, fig in (("share", v.share_fig), ("lq", v.lq_fig)):
        section(key, lang)
        if fig is None:
            st.info(t("compare.no_clusters", lang, name=_names(v, lang)))
        else:
            _row_chart(key, fig, v, v.basis_source, lang)
        st.caption(t(f"compare.explain.{key}", lang))


def _names(v: CompareView, lang: Lang) -> str:
    return escape_md(join_list(v.names.values(), lang))


def industries(v: CompareView, lang: Lang) -> None:
    """Lead industries and the organisations the report names, per column."""
    section("industries", lang)
    cols = columns("industries", len(v.regions))
    for i, (col, ind) in enumerate(zip(cols, v.industries, strict=True)):
        if not ind.n:
            _head(col, v, i)
            _no_clusters(col, v, i, lang)
            continue
        col.markdown(ind.lead_md)  # the name, "most frequent lead industries", the list
        if not ind.orgs:
            col.caption(t("compare.orgs.none", lang))
        else:
            label = t("compare.orgs.heading", lang, n=ind.orgs, k=ind.org_clusters)
            col.expander(label).markdown(ind.orgs_md)
        col.caption(source_line(lang, list(ind.refs), v.named_source))


def policies(v: CompareView, lang: Lang) -> None:
    """Policies by theme and period: one figure, a panel per region on a shared scale."""
    section("policies", lang)
    if v.policy_fig is None:
        st.info(t("compare.policies.none", lang, name=_names(v, lang)))
    else:
        source = source_line(lang, ["table 6-2"])
        # the jurisdictions each column counts, under the source
        _row_chart("policies", v.policy_fig, v, source, lang, note=v.policy_note)
    st.caption(t("compare.explain.policies", lang))


def maps(v: CompareView, lang: Lang) -> None:
    """A small map of each region's clusters, and the sector legend."""
    section("map", lang)
    for i, (col, image) in enumerate(zip(columns("map", len(v.regions)), v.maps, strict=True)):
        with col:
            _head(st, v, i)
            if image is None:
                _no_clusters(st, v, i, lang)
                continue
            st.html(image)  # an <img> of an SVG drawn on the server (components.svg_map)
    # The legend, then one source line for the row (the maps share it).
    st.html(cc.legend_html(lang))
    hint = t("compare.map.hint", lang, link=t("compare.link.map", lang))
    st.caption(f"{hint}\n\n{v.geo_source}")  # one caption: how to read them, then the source


def difference(v: CompareView, lang: Lang) -> None:
    """The sector-share difference of the first two columns."""
    section("difference", lang)
    if len(v.regions) > 2:
        st.caption(t("compare.diff.first_two", lang))
    st.markdown(f"**{escape_md(v.diff_reading)}**")
    if v.diff_fig is not None:
        show_fig(
            v.diff_fig,
            key="cmp_difference",
            name=v.diff_name,
            source=v.diff_source,
            lang=lang,
            table=v.diff_table,
        )


def similar(v: CompareView, regions: Sequence[str], lang: Lang) -> None:
    """Countries whose sector mix is closest to the first column's, each with "add"."""
    section("similar", lang)
    full = len(regions) >= cmp.MAX_REGIONS
    st.markdown(t("compare.similar.lead", lang, name=escape_md(v.headers[0].name)))
    if v.similar.empty:
        st.info(t("compare.similar.none", lang, min=cmp.MIN_SIMILAR))
    if v.similar_lines:
        # The lines in one list, then one row of "add" buttons (one element per country
        # instead of three).
        lines = "\n".join(f"- {line}" for _, line in v.similar_lines)
        st.markdown(f"{lines}\n\n{t('compare.similar.add', lang)}{punct('colon', lang)}")
        row = st.container(horizontal=True, gap="small")
        for country, _ in v.similar_lines:
            row.button(
                v.similar_names[country],
                key=f"cmp_similar_{country}",
                on_click=cs.add,
                args=(country,),
                icon=":material/add:",
                disabled=full or country in regions,
                help=t("compare.add_full", lang, n=cmp.MAX_REGIONS) if full else None,
            )
    explain = t("compare.similar.explain", lang, min=cmp.MIN_SIMILAR)
    st.caption(f"{explain}\n\n{v.similar_source}")  # one caption: how, then the source


def table(v: CompareView, regions: Sequence[str], lang: Lang) -> None:
    """The comparison table (shown as text; the CSV keeps the numbers)."""
    section("table", lang)
    # Shown as text (the basis row is words, the rest numbers); the CSV keeps the numbers. A
    # static table: every row readable at once, found by the browser's search, read as a
    # table by screen readers (and no data-grid JavaScript to load for 30 rows).
    st.table(v.table_shown, hide_index=True)
    st.caption(source_line(lang, ["figure 2-1", "table 6-2"], v.named_source))
    download_csv(v.table, "compare_" + "_".join(regions), lang, key="cmp_csv")
