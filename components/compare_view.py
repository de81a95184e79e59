"""Everything the compare page shows for one choice of regions, computed from the bundle.

:func:`compare_view` takes the dataset first and the (hashable) choice after, so the page keeps
its result per dataset (:mod:`components.memo`): a rerun with the same regions rebuilds nothing,
the figures and maps included. The result is shared between sessions: never mutate it.
Pure: no ``st.*``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa

from components import compare as cmp
from components import compare_charts as cc
from components import map_view as mv
from components import svg_map
from components.captions import cluster_list_source, source_line
from components.charts import frozen
from components.data import Bundle
from components.i18n import (
    Lang,
    country_name,
    join_list,
    parenthesize,
    punct,
    sector_name,
    t,
)
from components.matrices import source_matrices
from components.safe import escape_md
from components.svg_charts import as_image

MAP_HEIGHT = 260
# The maps' initial views are fitted to the narrowest likely column: the main area is about
# 820 px wide at 1280 px with the sidebar open; wider screens show more surroundings.
NOMINAL_ROW_PX = 820
COLUMN_GAP_PX = 16


@dataclass(frozen=True)
class Header:
    """A column's head: name, description and the query parameters of its links."""

    name: str
    description: str
    map_params: dict[str, str]
    heatmap_continents: tuple[str, ...]


@dataclass(frozen=True)
class Industries:
    """A column's lead industries and organisations (grouped by cluster, then role)."""

    n: int  # clusters of the region
    top: tuple[tuple[str, int], ...]  # (industry, clusters)
    orgs: int
    org_clusters: int
    org_lines: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]
    # ((cluster name, ((role, (names...)), ...)), ...)
    refs: tuple[str, ...]
    lead_md: str = ""  # the column's name, "most frequent lead industries" and the list
    orgs_md: str = ""  # the organisations, one block per cluster (inside the expander)


@dataclass(frozen=True)
class CompareView:
    """The compare page for one choice of regions, in one language."""

    regions: tuple[cmp.Region, ...]
    names: dict[str, str]  # token -> name
    counts: tuple[cmp.RegionCounts, ...]
    headers: tuple[Header, ...]
    named_source: str
    # One figure per row, the regions as panels side by side (None: no region has any)
    share_fig: go.Figure | None
    lq_fig: go.Figure | None
    basis_source: str  # the share and LQ rows' source (figure 2-1, named clusters or both)
    gap_sentences: tuple[str, ...]
    industries: tuple[Industries, ...]
    policy_fig: go.Figure | None
    policy_note: str  # the jurisdictions each column counts (markdown, one line per region)
    maps: tuple[str | None, ...]  # each column's map as an <img> (svg_map), None: no clusters
    geo_source: str
    diff_reading: str
    diff_fig: go.Figure | None
    diff_table: pd.DataFrame | None
    diff_name: str
    diff_source: str
    similar: pd.DataFrame
    similar_source: str
    table: pd.DataFrame
    # ``table`` as text (the basis row is words, the rest numbers), converted to Arrow once
    # (``st.dataframe`` otherwise converts the frame on every rerun)
    table_shown: pa.Table
    similar_lines: tuple[tuple[str, str], ...]  # (country, its line: name, clusters, distance)
    similar_names: dict[str, str]  # country -> its name (markdown-escaped), the "add" buttons


def _header(bundle: Bundle, region: cmp.Region, here: pd.DataFrame, lang: Lang) -> Header:
    clusters = bundle.clusters
    if region.kind == "continent":
        map_params = {"continent": region.token}
    else:
        shown = [c for c in region.countries if c in set(here["country"])]
        map_params = {"country": ",".join(shown)} if shown else {}
    return Header(
        name=cmp.region_name(region, lang),
        description=cmp.region_description(region, clusters, lang),
        map_params=map_params,
        heatmap_continents=tuple(cmp.region_continents(clusters, region)),
    )


def _industries(bundle: Bundle, here: pd.DataFrame, name: str, lang: Lang) -> Industries:
    orgs = cmp.region_organizations(bundle.organizations, here)
    top = cmp.lead_industries(here, lang) if not here.empty else pd.DataFrame()
    names = dict(zip(here["cluster_id"], here[f"name_{lang}"], strict=True))
    lines = []
    for cid, group in orgs.groupby("cluster_id", sort=False):
        roles = tuple(
            (str(role), tuple(people[f"name_{lang}"]))
            for role, people in group.groupby("role", sort=False)
        )
        lines.append((names[cid], roles))
    pairs = tuple((row.industry, int(row.clusters)) for row in top.itertuples(index=False))
    # One markdown block per column (and one in the expander): fewer elements per rerun.
    lead = [
        f"**{escape_md(name)}**",
        f"*{t('compare.industries.top', lang, n=len(here))}*",
        "\n".join(f"- {escape_md(ind)}{parenthesize(str(k), lang)}" for ind, k in pairs),
    ]
    blocks = []
    for cluster_name, roles in lines:
        block = [f"**{escape_md(cluster_name)}**"]
        for role, people in roles:
            who = join_list((escape_md(x) for x in people), lang)
            block.append(f"- {t(f'map.role.{role}', lang)}: {who}")
        blocks.append("\n".join(block))
    return Industries(
        n=len(here),
        top=pairs,
        orgs=len(orgs),
        org_clusters=int(orgs["cluster_id"].nunique()) if not orgs.empty else 0,
        org_lines=tuple(lines),
        refs=tuple(sorted(set(orgs["source_ref"]))) if not orgs.empty else (),
        lead_md="\n\n".join(lead),
        orgs_md="\n\n".join(blocks),
    )


def _similar_lines(similar: pd.DataFrame, lang: Lang) -> tuple[tuple[str, str], ...]:
    """Each similar country's line: name, named clusters, distance."""
    sep = " · "
    return tuple(
        (
            str(row.country),
            t(
                "compare.similar.row",
                lang,
                name=escape_md(country_name(row.country, lang)),
                n=row.named,
            )
            + sep
            + t("compare.similar.distance", lang, pts=f"{row.distance * 100:.0f}"),
        )
        for row in similar.itertuples(index=False)
    )


def _map(points: pd.DataFrame, name: str, n: int, lang: Lang) -> str | None:
    """The region's clusters as a map image framed for the narrowest likely column."""
    svg = svg_map.region_map_svg(
        points, name, lang, width=NOMINAL_ROW_PX // n - COLUMN_GAP_PX, height=MAP_HEIGHT
    )
    return None if svg is None else as_image(svg, height=MAP_HEIGHT)


def compare_view(
    bundle: Bundle, tokens: tuple[str, ...], groups: tuple[cmp.Group, ...], lang: Lang
) -> CompareView:
    """The compare page's numbers, figures and maps for the regions ``tokens``."""
    clusters = bundle.clusters
    regions = tuple(cmp.resolve(tok, groups) for tok in tokens)
    n = len(regions)
    names = {r.token: cmp.region_name(r, lang) for r in regions}
    matrices = source_matrices(bundle.sector_continent, clusters)
    counts = tuple(cmp.region_counts(r, clusters, matrices) for r in regions)
    members = {r.token: cmp.region_clusters(clusters, r) for r in regions}

    x_max = cmp.common_share_max(counts)
    share_figs, lq_figs, subtitles = [], [], []
    for rc in counts:
        name = names[rc.region.token]
        subtitle = t(f"compare.basis_n.{rc.basis}", lang, n=rc.total)
        subtitles.append(subtitle)
        if not rc.total:
            share_figs.append(None)
            lq_figs.append(None)
            continue
        share_figs.append(cc.build_share_chart(rc, name, subtitle, lang, x_max=x_max, n_regions=n))
        lq_figs.append(cc.build_lq_chart(rc, name, subtitle, lang, n_regions=n))
    titles = [names[r.token] for r in regions]
    no_clusters = [t("compare.no_clusters", lang, name=names[r.token]) for r in regions]

    where = {r.token: cmp.region_jurisdictions(r, clusters) for r in regions}
    pols = {tok: cmp.region_policies(bundle.policies, w) for tok, w in where.items()}
    mats = {tok: cmp.policy_matrix(p) for tok, p in pols.items()}
    themes = cmp.shown_themes(mats.values())
    pol_max = max((int(m.sum(axis=1).max()) for m in mats.values()), default=0)
    policy_figs, policy_subtitles, notes = [], [], []
    for region in regions:
        tok = region.token
        found = cmp.jurisdiction_counts(pols[tok], where[tok])
        subtitle = t("compare.policies.subtitle", lang, n=len(pols[tok]))
        policy_subtitles.append(subtitle if found else "")
        if not found:
            policy_figs.append(None)
            continue
        policy_figs.append(
            cc.build_policy_chart(
                mats[tok], themes, names[tok], subtitle, lang, x_max=pol_max, n_regions=n
            )
        )
        listed = where[tok] if region.kind != "continent" else tuple(found)
        line = cmp.jurisdiction_line(found, listed, lang)
        notes.append(f"**{escape_md(names[tok])}**{punct('colon', lang)}{escape_md(line)}")
    no_policies = [t("compare.policies.none", lang, name=names[r.token]) for r in regions]

    points = mv.jitter_duplicates(clusters)
    maps = tuple(
        _map(
            points[points["cluster_id"].isin(members[r.token]["cluster_id"])],
            names[r.token],
            n,
            lang,
        )
        for r in regions
    )

    industries = tuple(_industries(bundle, members[r.token], names[r.token], lang) for r in regions)

    a, b = counts[0], counts[1]
    name_a, name_b = cmp.reading_names(a, b, lang)
    gap = cmp.share_gap(a, b)
    diff_fig = diff_table = None
    if not gap.empty:
        diff_table = pd.DataFrame(
            {
                t("compare.table.sector", lang): [sector_name(str(s), lang) for s in gap.index],
                t("compare.table.gap", lang, a=name_a, b=name_b): gap.round(1).to_numpy(),
            }
        )
        title = t("compare.diff.title", lang, a=name_a, b=name_b)
        diff_fig = frozen(cc.build_difference_chart(gap, name_a, name_b, title, lang))

    first = counts[0]
    table = cmp.comparison_table(
        counts,
        mats,
        {tok: len(p) for tok, p in pols.items()},
        {r.token: ind.orgs for r, ind in zip(regions, industries, strict=True)},
        lang,
    )
    exclude = {r.token for r in regions if r.kind == "country"}
    if first.region.kind != "continent":
        exclude |= set(first.region.countries)
    similar = cmp.similar_countries(first.shares, clusters, exclude)

    return CompareView(
        regions=regions,
        names=names,
        counts=counts,
        headers=tuple(_header(bundle, r, members[r.token], lang) for r in regions),
        named_source=cluster_list_source(clusters, lang),
        share_fig=frozen(cc.panels(share_figs, titles, subtitles, no_clusters)),
        lq_fig=frozen(cc.panels(lq_figs, titles, subtitles, no_clusters)),
        basis_source=cc.basis_source(tuple(rc.basis for rc in counts), clusters, lang),
        gap_sentences=tuple(cmp.gap_sentence(rc, clusters, matrices, lang) for rc in counts),
        industries=industries,
        policy_fig=frozen(cc.panels(policy_figs, titles, policy_subtitles, no_policies)),
        policy_note="\n\n".join(notes),
        maps=maps,
        geo_source=join_list(
            [source_line(lang, ["annex", "table 2-10"]), t("map.source_geo", lang)],
            lang,
            "clause",
        ),
        diff_reading=cmp.difference_reading(gap, name_a, name_b, lang),
        diff_fig=diff_fig,
        diff_table=diff_table,
        diff_name=f"compare_difference_{a.region.token}_{b.region.token}",
        diff_source=cc.basis_source((a.basis, b.basis), clusters, lang),
        similar=similar,
        similar_source=cc.basis_source((first.basis, "named"), clusters, lang),
        table=table,
        table_shown=_shown_table(table),
        similar_lines=_similar_lines(similar, lang),
        similar_names={str(c): escape_md(country_name(str(c), lang)) for c in similar["country"]},
    )


def _shown_table(table: pd.DataFrame) -> pa.Table:
    """The comparison table as the page shows it (``st.table``, which renders markdown): every
    cell and heading as escaped text, a section's name on its first row only."""
    shown = table.map(lambda x: "" if pd.isna(x) else escape_md(str(x)))
    section = shown.columns[0]
    shown[section] = shown[section].where(shown[section] != shown[section].shift(), "")
    shown.columns = [escape_md(str(c)) for c in shown.columns]
    return pa.Table.from_pandas(shown, preserve_index=False)


def region_options(
    bundle: Bundle, groups: tuple[cmp.Group, ...], regions: tuple[str, ...]
) -> list[str]:
    """The selector's tokens (continents, groups, countries with clusters or policies)."""
    return cmp.region_options(bundle.clusters, bundle.policies, groups, regions)


def option_labels(
    bundle: Bundle, groups: tuple[cmp.Group, ...], regions: tuple[str, ...], lang: Lang
) -> dict[str, str]:
    """Selector entries by token: ``Europe (continent)``, ``DACH (group)``, ``Germany``; and
    the group form's members (every ISO country) by code, so the selectors format each option
    with one dict look-up."""
    labels = {}
    options = region_options(bundle, groups, regions)
    for token in options:
        region = cmp.resolve(token, groups)
        name = cmp.region_name(region, lang)
        kind = region.kind
        labels[token] = name if kind == "country" else t(f"compare.option.{kind}", lang, name=name)
    for code in cmp.member_options(options):
        labels.setdefault(code, country_name(code, lang))
    return labels


def member_options(
    bundle: Bundle, groups: tuple[cmp.Group, ...], regions: tuple[str, ...]
) -> list[str]:
    """The group form's countries (see :func:`components.compare.member_options`)."""
    return cmp.member_options(region_options(bundle, groups, regions))
