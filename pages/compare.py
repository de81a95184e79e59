"""Compare regions side by side: 2-4 continents, countries or custom groups in paired columns
(``?regions=EU,AS,DACH&group=DACH:DEU+AUT+CHE``). Every section is one row of columns, so the
sections start level across the regions; the charts of a row share their scale."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import compare as cmp
from components import compare_charts as cc
from components import compare_state as cs
from components import map_view as mv
from components.cached import get_bundle
from components.captions import cluster_list_source, source_line
from components.display import download_csv, show_fig
from components.geo import fit_view, load_countries
from components.i18n import country_name, join_list, parenthesize, sector_name, t
from components.matrices import source_matrices
from components.registry import PAGES
from components.safe import escape_md
from components.widgets import current_lang

MAP_HEIGHT = 260
# The maps' initial views are fitted to the narrowest likely column: the main area is about
# 820 px wide at 1280 px with the sidebar open; wider screens show more surroundings.
NOMINAL_ROW_PX = 820
COLUMN_GAP_PX = 16

lang = current_lang()
bundle = get_bundle()  # app.py has already stopped with a clear message if the data is broken
clusters = bundle.clusters
st.title(t("compare.title", lang))
st.caption(t("compare.intro", lang))

state = cs.load()
notices = [cmp.problem_text(p, lang) for p in cs.problems()]
if notices:
    st.warning("\n".join(f"- {text}" for text in notices), icon=":material/warning:")
regions = [cmp.resolve(tok, state.groups) for tok in state.regions]
n = len(regions)
options = cmp.region_options(clusters, bundle.policies, state.groups, state.regions)
names = {r.token: cmp.region_name(r, lang) for r in regions}


def option_label(token: str) -> str:
    """A selector entry: ``Europe (continent)``, ``DACH (group)``, ``Germany``."""
    region = cmp.resolve(token, state.groups)
    name = cmp.region_name(region, lang)
    return name if region.kind == "country" else t(f"compare.option.{region.kind}", lang, name=name)


def columns(key: str) -> list:
    """One row of paired columns (a section starts level across the regions), in a container
    keyed ``cmp_row_<key>`` (the browser tests measure the rows through it)."""
    return st.container(key=f"cmp_row_{key}").columns(n, gap="medium")


# --- choosing the regions -----------------------------------------------------------------------
for i, col in enumerate(columns("select")):
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
add_col, group_col = st.columns(2, gap="medium")
add_col.selectbox(
    t("compare.add", lang),
    [o for o in options if o not in state.regions],
    index=None,
    format_func=option_label,
    key=cs.ADD_KEY,
    on_change=cs.on_add,
    placeholder=t("compare.add_placeholder", lang),
    disabled=n >= cmp.MAX_REGIONS,
    help=t("compare.add_full", lang, n=cmp.MAX_REGIONS) if n >= cmp.MAX_REGIONS else None,
)
with group_col.expander(t("compare.group.heading", lang), icon=":material/group_work:"):
    st.text_input(
        t("compare.group.name", lang),
        key=cs.GROUP_NAME_KEY,
        max_chars=cmp.MAX_NAME,
        placeholder="DACH",
        help=t("compare.group.name_help", lang, max_name=cmp.MAX_NAME),
    )
    st.multiselect(
        t("compare.group.members", lang),
        cmp.member_options(options),
        format_func=lambda c: country_name(c, lang),
        key=cs.GROUP_MEMBERS_KEY,
        max_selections=cmp.MAX_MEMBERS,
        placeholder=t("compare.group.members_placeholder", lang),
    )
    st.button(t("compare.group.add", lang), key="cmp_group_add", on_click=cs.on_define_group)
    rejected = st.session_state.get(cs.GROUP_PROBLEM)
    if rejected is not None:
        st.warning(cmp.problem_text(rejected, lang), icon=":material/warning:")
    st.caption(t("compare.group.url_hint", lang))
cs.save(state)

# --- the numbers ----------------------------------------------------------------------------------
matrices = source_matrices(bundle.sector_continent, clusters)
counts = [cmp.region_counts(r, clusters, matrices) for r in regions]
members = {r.token: cmp.region_clusters(clusters, r) for r in regions}
named_source = cluster_list_source(clusters, lang)


def basis_source(*bases: str) -> str:
    """Where shares and quotients on these bases come from (the slide renderers share it)."""
    return cc.basis_source(bases, clusters, lang)


def basis_subtitle(rc: cmp.RegionCounts) -> str:
    """``report figure 2-1 · 55 clusters`` / ``named clusters · 11``."""
    return t(f"compare.basis_n.{rc.basis}", lang, n=rc.total)


def section(key: str) -> None:
    st.header(t(f"compare.section.{key}", lang), divider="gray")


def head(col: object, region: cmp.Region) -> None:
    col.markdown(f"**{escape_md(names[region.token])}**")  # type: ignore[attr-defined]


# --- header: names, what they stand for, links ---------------------------------------------------
has_policies_page = any(spec.url_path == "policies" for spec in PAGES)
for col, region in zip(columns("head"), regions, strict=True):
    col.markdown(f"## {escape_md(names[region.token])}")
    col.caption(escape_md(cmp.region_description(region, clusters, lang)))
    here = members[region.token]
    if region.kind == "continent":
        map_params = {"continent": region.token}
    else:
        shown = [c for c in region.countries if c in set(here["country"])]
        map_params = {"country": ",".join(shown)} if shown else {}
    if map_params:
        col.page_link(
            "pages/map.py",
            label=t("compare.link.map", lang),
            icon=":material/public:",
            query_params={**map_params, "lang": lang},
        )
    homes = cmp.region_continents(clusters, region)
    if homes:
        col.page_link(
            "pages/heatmap.py",
            label=t("compare.link.heatmap", lang),
            icon=":material/grid_on:",
            query_params={"hm_continent": ",".join(homes), "measure": "lq", "lang": lang},
        )
    if has_policies_page:
        col.page_link(
            "pages/policies.py",
            label=t("compare.link.policies", lang),
            icon=":material/gavel:",
            query_params={"lang": lang},
        )

# --- cluster counts -------------------------------------------------------------------------------
section("clusters")
for col, rc in zip(columns("clusters"), counts, strict=True):
    head(col, rc.region)
    col.metric(t("compare.metric.named", lang), rc.named)
    col.metric(
        t("compare.metric.published", lang),
        "—" if rc.published is None else rc.published,
        help=t("compare.metric.published_help", lang),
    )
    col.caption(escape_md(cmp.gap_sentence(rc, clusters, matrices, lang)))
    refs = ["figure 2-1"] if rc.region.kind == "continent" else []
    col.caption(source_line(lang, refs, named_source))

# --- sector mix and location quotients ------------------------------------------------------------
x_max = cmp.common_share_max(counts)
for key in ("share", "lq"):
    section(key)
    for i, (col, rc) in enumerate(zip(columns(key), counts, strict=True)):
        with col:
            name = names[rc.region.token]
            if not rc.total:
                head(st, rc.region)
                st.info(t("compare.no_clusters", lang, name=escape_md(name)))
                continue
            if key == "share":
                fig = cc.build_share_chart(
                    rc, name, basis_subtitle(rc), lang, x_max=x_max, n_regions=n
                )
            else:
                fig = cc.build_lq_chart(rc, name, basis_subtitle(rc), lang, n_regions=n)
            source = basis_source(rc.basis)
            show_fig(
                fig,
                key=f"cmp_{key}_{i}",
                view=f"cmp_{key}_{i}",  # one slide per column (the default drops the "_{i}")
                name=f"compare_{key}_{rc.region.token}",
                source=source,
                lang=lang,
            )
    st.caption(t(f"compare.explain.{key}", lang))

# --- lead industries and organisations ------------------------------------------------------------
section("industries")
org_counts: dict[str, int] = {}
for col, region in zip(columns("industries"), regions, strict=True):
    here = members[region.token]
    orgs = cmp.region_organizations(bundle.organizations, here)
    org_counts[region.token] = len(orgs)
    head(col, region)
    if here.empty:
        col.info(t("compare.no_clusters", lang, name=escape_md(names[region.token])))
        continue
    top = cmp.lead_industries(here, lang)
    col.markdown(f"*{t('compare.industries.top', lang, n=len(here))}*")
    col.markdown(
        "\n".join(
            f"- {escape_md(row.industry)}{parenthesize(str(row.clusters), lang)}"
            for row in top.itertuples(index=False)
        )
    )
    if orgs.empty:
        col.caption(t("compare.orgs.none", lang))
    else:
        in_clusters = orgs["cluster_id"].nunique()
        with col.expander(t("compare.orgs.heading", lang, n=len(orgs), k=in_clusters)):
            cluster_names = dict(zip(here["cluster_id"], here[f"name_{lang}"], strict=True))
            for cid, group in orgs.groupby("cluster_id", sort=False):
                lines = [f"**{escape_md(cluster_names[cid])}**"]
                for role, people in group.groupby("role", sort=False):
                    who = join_list((escape_md(x) for x in people[f"name_{lang}"]), lang)
                    lines.append(f"- {t(f'map.role.{role}', lang)}: {who}")
                st.markdown("\n".join(lines))
    refs = sorted(set(orgs["source_ref"])) if not orgs.empty else []
    col.caption(source_line(lang, refs, named_source))

# --- policies -------------------------------------------------------------------------------------
section("policies")
where = {r.token: cmp.region_jurisdictions(r, clusters) for r in regions}
pols = {tok: cmp.region_policies(bundle.policies, w) for tok, w in where.items()}
mats = {tok: cmp.policy_matrix(p) for tok, p in pols.items()}
themes = cmp.shown_themes(mats.values())
pol_max = max((int(m.sum(axis=1).max()) for m in mats.values()), default=0)
for i, (col, region) in enumerate(zip(columns("policies"), regions, strict=True)):
    tok = region.token
    with col:
        found = cmp.jurisdiction_counts(pols[tok], where[tok])
        if not found:
            head(st, region)
            st.info(t("compare.policies.none", lang, name=escape_md(names[tok])))
            continue
        show_fig(
            cc.build_policy_chart(
                mats[tok],
                themes,
                names[tok],
                t("compare.policies.subtitle", lang, n=len(pols[tok])),
                lang,
                x_max=pol_max,
                n_regions=n,
            ),
            key=f"cmp_policies_{i}",
            view=f"cmp_policies_{i}",
            name=f"compare_policies_{tok}",
            source=source_line(lang, ["table 6-2"]),
            lang=lang,
        )
        listed = where[tok] if region.kind != "continent" else tuple(found)
        st.caption(escape_md(cmp.jurisdiction_line(found, listed, lang)))
st.caption(t("compare.explain.policies", lang))

# --- maps -----------------------------------------------------------------------------------------
section("map")
points = mv.jitter_duplicates(clusters)
world = load_countries()
geo_source = join_list(
    [source_line(lang, ["annex", "table 2-10"]), t("map.source_geo", lang)], lang, "clause"
)
for i, (col, region) in enumerate(zip(columns("map"), regions, strict=True)):
    here = points[points["cluster_id"].isin(members[region.token]["cluster_id"])]
    with col:
        head(st, region)
        if here.empty:
            st.info(t("compare.no_clusters", lang, name=escape_md(names[region.token])))
            continue
        lat, lon, zoom = fit_view(
            list(here["x"]),
            list(here["y"]),
            width=NOMINAL_ROW_PX // n - COLUMN_GAP_PX,
            height=MAP_HEIGHT,
            padding=18,
            min_zoom=0.0,
            max_zoom=mv.FIT_MAX_ZOOM,
        )
        view = mv.pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, min_zoom=0, max_zoom=10)
        land = cc.countries_near(world, list(here["x"]), list(here["y"]))
        st.pydeck_chart(
            mv.build_deck(here, land, lang, view=view),
            key=f"cmp_map_{i}",
            height=MAP_HEIGHT,
            width="stretch",
        )
        st.caption(geo_source)
st.html(cc.legend_html(lang))

# --- difference of the first two ----------------------------------------------------------------
section("difference")
a, b = counts[0], counts[1]
name_a, name_b = cmp.reading_names(a, b, lang)
gap = cmp.share_gap(a, b)
if n > 2:
    st.caption(t("compare.diff.first_two", lang))
st.markdown(f"**{escape_md(cmp.difference_reading(gap, name_a, name_b, lang))}**")
if not gap.empty:
    gap_table = pd.DataFrame(
        {
            t("compare.table.sector", lang): [sector_name(str(s), lang) for s in gap.index],
            t("compare.table.gap", lang, a=name_a, b=name_b): gap.round(1).to_numpy(),
        }
    )
    show_fig(
        cc.build_difference_chart(
            gap, name_a, name_b, t("compare.diff.title", lang, a=name_a, b=name_b), lang
        ),
        key="cmp_difference",
        name=f"compare_difference_{a.region.token}_{b.region.token}",
        source=basis_source(a.basis, b.basis),
        lang=lang,
        table=gap_table,
    )

# --- similar countries ----------------------------------------------------------------------------
section("similar")
first = counts[0]
exclude = {r.token for r in regions if r.kind == "country"}
if first.region.kind != "continent":
    exclude |= set(first.region.countries)
similar = cmp.similar_countries(first.shares, clusters, exclude)
st.markdown(t("compare.similar.lead", lang, name=escape_md(names[first.region.token])))
if similar.empty:
    st.info(t("compare.similar.none", lang, min=cmp.MIN_SIMILAR))
for row in similar.itertuples(index=False):
    left, mid, right = st.columns([3, 2, 1.4], vertical_alignment="center")
    left.markdown(
        t("compare.similar.row", lang, name=escape_md(country_name(row.country, lang)), n=row.named)
    )
    mid.markdown(t("compare.similar.distance", lang, pts=f"{row.distance * 100:.0f}"))
    right.button(
        t("compare.similar.add", lang),
        key=f"cmp_similar_{row.country}",
        on_click=cs.add,
        args=(row.country,),
        icon=":material/add:",
        disabled=n >= cmp.MAX_REGIONS or row.country in state.regions,
        help=t("compare.add_full", lang, n=cmp.MAX_REGIONS) if n >= cmp.MAX_REGIONS else None,
    )
st.caption(t("compare.similar.explain", lang, min=cmp.MIN_SIMILAR))
st.caption(basis_source(first.basis, "named"))

# --- the comparison table -------------------------------------------------------------------------
section("table")
table = cmp.comparison_table(
    counts, mats, {tok: len(p) for tok, p in pols.items()}, org_counts, lang
)
# Shown as text (the basis row is words, the rest numbers); the CSV keeps the numbers.
st.dataframe(table.map(lambda v: "" if pd.isna(v) else str(v)), hide_index=True, width="stretch")
st.caption(source_line(lang, ["figure 2-1", "table 6-2"], named_source))
download_csv(table, "compare_" + "_".join(state.regions), lang, key="cmp_csv")
