"""Compare regions side by side: the region grammar of the URL, custom groups, cluster counts,
sector shares, location quotients, the difference reading and the similarity ranking.

Pure functions (pandas, the catalogue), no ``st.*``. The page is ``pages/compare.py``; its charts
are built in ``components/compare_charts.py``.

URL grammar
-----------
``?regions=EU,AS,DACH``
    2-4 region tokens, comma-separated, in column order. A token is a continent code
    (``NA EU AS OC SA``), an ISO 3166-1 alpha-3 country code, or the name of a group defined in
    ``?group=``. Codes match in any case and are kept upper-case; group names match in any case
    and keep the spelling of their definition. Unknown and repeated tokens are dropped with a
    notice; tokens past the fourth are dropped with a notice; fewer than two valid tokens are
    topped up from the default pair (Europe, Asia) with a notice.
``?group=DACH:DEU+AUT+CHE;NORDICS:DNK+FIN+ISL+NOR+SWE``
    custom groups, ``NAME:ISO3+ISO3…``, separated by ``;`` (a repeated ``?group=`` works too).
    A ``+`` in a URL arrives as a blank, so blanks separate members as well. ``NAME``: 1-16
    letters or digits (any script), ``-`` or ``_``, starting with a letter, and not itself a
    continent or country code; members: 2-30 distinct ISO alpha-3 codes (no continents, no
    nested groups). At most four groups. A group that breaks any rule is rejected whole, with a
    notice quoting what was typed.
Without ``?regions=``
    Europe and Asia, followed by the groups of ``?group=``; groups take the places of the default
    pair from its end, so ``?group=DACH:DEU+AUT+CHE`` alone compares Europe, Asia and DACH.

The page writes the canonical form back: ``regions`` unless it is the default pair, ``group`` for
the groups in use.

Counting basis
--------------
A continent is counted as figure 2-1 publishes it (``basis = "published"``), so Asia's shares
and location quotients include the clusters the available text does not name. Figure 2-1 has no
country split, so a country or a group is counted from the named clusters (``basis = "named"``)
and compared with the world's named clusters. Either way the location quotient is the heatmap
page's (:func:`components.matrices.location_quotient`): the region's share of a sector divided
by the world's share of that sector, the world being all clusters of the same basis.

Similarity
----------
:func:`similar_countries` ranks countries by the total-variation distance between sector-share
vectors, ``½ Σ |p_s − q_s|`` (0 = the same mix, 1 = no sector in common; ×100 = the percentage
points of clusters that would have to change sector to turn one mix into the other). Only
countries with at least ``MIN_SIMILAR`` named clusters are ranked; ties go to the country with
more named clusters, then to the smaller ISO code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import pandas as pd
import pycountry

from components.i18n import (
    Lang,
    continent_name,
    country_name,
    join_list,
    parenthesize,
    sector_name,
    t,
)
from components.matrices import Source, location_quotient
from components.vocab import CONTINENTS, EU_MEMBERS, POLICY_PERIODS, SECTORS, THEMES, jurisdictions

MIN_REGIONS, MAX_REGIONS = 2, 4
DEFAULT_REGIONS: tuple[str, ...] = ("EU", "AS")
MAX_GROUPS = 4
MIN_MEMBERS, MAX_MEMBERS = 2, 30
MAX_NAME = 16
MAX_SPEC = 200  # longest group definition considered (characters)
MAX_RAW = 1000  # longest ?regions= / ?group= value read at all
MIN_SIMILAR = 3  # a country needs this many named clusters to be ranked by similarity
TOP_SIMILAR = 5
READING_MIN_POINTS = 1.0  # differences below one point of share are "about the same"
NOTICE_CHARS = 40

Kind = Literal["continent", "country", "group"]
Basis = Literal["published", "named"]


# --- the grammar ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A custom group of countries: ``name`` as the user spelt it, ISO3 ``members`` in order."""

    name: str
    members: tuple[str, ...]

    def spec(self) -> str:
        """The URL form, ``DACH:DEU+AUT+CHE``."""
        return f"{self.name}:{'+'.join(self.members)}"


@dataclass(frozen=True)
class Problem:
    """A rejected piece of the URL: which parameter, why (``compare.problem.<reason>``), the
    user's text as received and, where useful, the offending part (e.g. the unknown code)."""

    param: Literal["regions", "group"]
    reason: str
    text: str
    detail: str = ""


@dataclass(frozen=True)
class Selection:
    """The regions to compare (tokens, column order), the groups defined and what was rejected."""

    regions: tuple[str, ...]
    groups: tuple[Group, ...] = ()
    problems: tuple[Problem, ...] = field(default=())


@cache
def _iso3() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries)


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 code (upper-case)."""
    return code in _iso3()


def is_code(text: str) -> bool:
    """Whether ``text`` (any case) is a continent or a country code."""
    up = text.upper()
    return up in CONTINENTS or is_country(up)


def _valid_name(name: str) -> bool:
    if not 1 <= len(name) <= MAX_NAME or not name[0].isalpha():
        return False
    return all(ch.isalnum() or ch in "-_" for ch in name) and all(
        unicodedata.category(ch)[0] in "LN" or ch in "-_" for ch in name
    )


def parse_group(spec: str, taken: Iterable[str] = ()) -> Group | Problem:
    """One ``NAME:ISO3+ISO3…`` definition, or the :class:`Problem` that rejects it.

    ``taken``: names already defined (compared case-insensitively).
    """
    text = spec.strip()
    if len(text) > MAX_SPEC:
        return Problem("group", "too_long", spec)
    if text.count(":") != 1:
        return Problem("group", "syntax", spec)
    name, body = (part.strip() for part in text.split(":"))
    if not name or not body:
        return Problem("group", "syntax", spec)
    if not _valid_name(name):
        return Problem("group", "name", spec, name)
    if is_code(name):
        return Problem("group", "name_code", spec, name)
    if name.casefold() in {n.casefold() for n in taken}:
        return Problem("group", "name_duplicate", spec, name)
    raw_members = body.replace("+", " ").split()
    members: list[str] = []
    for raw in raw_members:
        code = raw.upper()
        if not (len(code) == 3 and code.isascii() and is_country(code)):
            return Problem("group", "member_unknown", spec, raw)
        if code in members:
            return Problem("group", "member_duplicate", spec, raw)
        members.append(code)
    if not MIN_MEMBERS <= len(members) <= MAX_MEMBERS:
        return Problem("group", "member_count", spec, str(len(members)))
    return Group(name, tuple(members))


def parse_groups(raws: Sequence[str]) -> tuple[tuple[Group, ...], tuple[Problem, ...]]:
    """Every ``?group=`` value (each may hold several definitions separated by ``;``)."""
    groups: list[Group] = []
    problems: list[Problem] = []
    for raw in raws:
        if len(raw) > MAX_RAW:
            problems.append(Problem("group", "too_long", raw))
            continue
        for spec in raw.split(";"):
            if not spec.strip():
                continue
            if len(groups) >= MAX_GROUPS:
                problems.append(Problem("group", "too_many", spec))
                continue
            parsed = parse_group(spec, [g.name for g in groups])
            (groups if isinstance(parsed, Group) else problems).append(parsed)  # type: ignore[arg-type]
    return tuple(groups), tuple(problems)


def resolve_token(token: str, groups: Sequence[Group]) -> str | None:
    """The canonical token for ``token``: a code upper-cased, a group name as defined; else None."""
    text = token.strip()
    for g in groups:
        if g.name.casefold() == text.casefold():
            return g.name
    if text.isascii() and is_code(text):
        return text.upper()
    return None


def default_regions(groups: Sequence[Group]) -> tuple[str, ...]:
    """The regions without ``?regions=``: the default pair, then the groups (4 at most)."""
    names = [g.name for g in groups][:MAX_REGIONS]
    keep = max(0, min(len(DEFAULT_REGIONS), MAX_REGIONS - len(names)))
    return (*DEFAULT_REGIONS[:keep], *names)


def parse_regions(raw: str | None, groups: Sequence[Group]) -> tuple[tuple[str, ...], tuple]:
    """``?regions=`` → 2-4 canonical tokens and the problems found (see the module docstring)."""
    if raw is None or not raw.strip():
        return default_regions(groups), ()
    if len(raw) > MAX_RAW:
        return DEFAULT_REGIONS, (Problem("regions", "too_long", raw),)
    chosen: list[str] = []
    problems: list[Problem] = []
    for piece in raw.split(","):
        if not piece.strip():
            continue
        token = resolve_token(piece, groups)
        if token is None:
            problems.append(Problem("regions", "unknown", piece.strip()))
        elif token in chosen:
            problems.append(Problem("regions", "duplicate", piece.strip()))
        elif len(chosen) >= MAX_REGIONS:
            problems.append(Problem("regions", "too_many", piece.strip()))
        else:
            chosen.append(token)
    if len(chosen) < MIN_REGIONS:
        for fill in DEFAULT_REGIONS:
            if len(chosen) < MIN_REGIONS and fill not in chosen:
                chosen.append(fill)
        problems.append(Problem("regions", "too_few", raw))
    return tuple(chosen), tuple(problems)


def parse_selection(regions_raw: str | None, group_raws: Sequence[str] = ()) -> Selection:
    """The whole URL state of the page: ``?regions=`` and every ``?group=``."""
    groups, group_problems = parse_groups(group_raws)
    regions, region_problems = parse_regions(regions_raw, groups)
    return Selection(regions, groups, (*group_problems, *region_problems))


def encode_regions(regions: Sequence[str]) -> str:
    """``EU,AS,DACH``."""
    return ",".join(regions)


def encode_groups(groups: Sequence[Group], regions: Sequence[str]) -> str:
    """The groups ``regions`` uses, in the URL form ``A:…;B:…`` (empty when none)."""
    used = set(regions)
    return ";".join(g.spec() for g in groups if g.name in used)


def shorten(text: str, limit: int = NOTICE_CHARS) -> str:
    """One line of at most ``limit`` characters, ``…`` where cut (control characters blanked)."""
    flat = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def with_region(regions: Sequence[str], slot: int, token: str) -> tuple[str, ...]:
    """``regions`` with ``slot`` set to ``token``; if ``token`` is already shown elsewhere the two
    columns swap, so no region is ever lost or doubled."""
    out = list(regions)
    if token in out:
        j = out.index(token)
        out[j] = out[slot]
    out[slot] = token
    return tuple(out)


def added(regions: Sequence[str], token: str) -> tuple[str, ...]:
    """``regions`` with ``token`` appended (unchanged if shown already or if four are shown)."""
    if token in regions or len(regions) >= MAX_REGIONS:
        return tuple(regions)
    return (*regions, token)


def removed(regions: Sequence[str], slot: int) -> tuple[str, ...]:
    """``regions`` without ``slot`` (unchanged if that would leave fewer than two)."""
    if len(regions) <= MIN_REGIONS or not 0 <= slot < len(regions):
        return tuple(regions)
    return tuple(r for i, r in enumerate(regions) if i != slot)


def region_options(
    clusters: pd.DataFrame,
    policies: pd.DataFrame,
    groups: Sequence[Group],
    regions: Sequence[str] = (),
) -> list[str]:
    """Every token the selectors offer: continents, groups, countries with named clusters (most
    first, then ISO code), then countries with policies, EU members and any country shown."""
    counts = clusters["country"].value_counts()
    with_clusters = sorted(counts.index, key=lambda c: (-int(counts[c]), c))
    extra = {j for j in policies["jurisdiction"] if is_country(j)} | set(EU_MEMBERS)
    extra |= {r for r in regions if is_country(r)}
    countries = [*with_clusters, *sorted(extra - set(with_clusters))]
    return [*CONTINENTS, *(g.name for g in groups), *countries]


def member_options(options: Sequence[str]) -> list[str]:
    """Countries a group may hold: those of ``options`` first (in their order), then every other
    ISO 3166-1 country by code."""
    first = [o for o in options if is_country(o)]
    return [*first, *sorted(_iso3() - set(first))]


# --- regions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A resolved region: its token, kind and the countries it stands for (none for a continent:
    a continent is whatever the report files under it)."""

    token: str
    kind: Kind
    countries: tuple[str, ...] = ()


def resolve(token: str, groups: Sequence[Group]) -> Region:
    """The :class:`Region` of a canonical token (raises ``KeyError`` for an unknown one)."""
    if token in CONTINENTS:
        return Region(token, "continent")
    for g in groups:
        if g.name == token:
            return Region(token, "group", g.members)
    if is_country(token):
        return Region(token, "country", (token,))
    raise KeyError(token)


def region_name(region: Region, lang: Lang) -> str:
    """``Europe`` / ``Germany`` / ``DACH``."""
    if region.kind == "continent":
        return continent_name(region.token, lang)
    if region.kind == "country":
        return country_name(region.token, lang)
    return region.token


def region_label(region: Region, lang: Lang) -> str:
    """A name that is unique on the page: ``DACH (DEU+AUT+CHE)``, ``Europe (EU)``."""
    code = "+".join(region.countries) if region.kind == "group" else region.token
    return t("compare.label", lang, name=region_name(region, lang), code=code)


def region_clusters(clusters: pd.DataFrame, region: Region) -> pd.DataFrame:
    """The named clusters of ``region``, in the order of the cluster list."""
    if region.kind == "continent":
        return clusters[clusters["continent"] == region.token]
    return clusters[clusters["country"].isin(region.countries)]


def region_continents(clusters: pd.DataFrame, region: Region) -> tuple[str, ...]:
    """The continents the region's named clusters lie in (in ``CONTINENTS`` order)."""
    if region.kind == "continent":
        return (region.token,)
    found = set(region_clusters(clusters, region)["continent"])
    return tuple(c for c in CONTINENTS if c in found)


# --- counts, shares, location quotients -----------------------------------------------------------


@dataclass(frozen=True)
class RegionCounts:
    """The cluster numbers of one region on its counting basis (see the module docstring)."""

    region: Region
    basis: Basis
    named: int
    published: int | None  # figure 2-1's total (continents only)
    counts: pd.Series  # per sector, in SECTORS order, on the basis
    shares: pd.Series  # counts / total (NaN when the region has no clusters)
    lq: pd.Series  # against the world of the same basis

    @property
    def total(self) -> int:
        """Clusters on the basis."""
        return int(self.counts.sum())

    @property
    def unnamed(self) -> int | None:
        """Published − named (continents only): counted by figure 2-1 but not named."""
        return None if self.published is None else self.published - self.named


def lq_against(region: pd.Series, world: pd.Series) -> pd.Series:
    """Location quotient of ``region``'s sector counts against ``world`` (which contains them).

    Built as a two-column matrix (the region and the rest of the world) and handed to
    :func:`components.matrices.location_quotient`, so the definition is the heatmap page's:
    ``(region_s / region_total) / (world_s / world_total)``.
    """
    frame = pd.DataFrame({"region": region, "rest": world - region})
    return location_quotient(frame)["region"].astype(float)


def sector_shares(counts: pd.Series) -> pd.Series:
    """Counts as shares of their total (NaN everywhere when the total is 0)."""
    total = counts.sum()
    return counts.astype(float) / total if total else counts.astype(float) * float("nan")


Matrices = Mapping[Source, pd.DataFrame]  # components.matrices.source_matrices(...)


def region_counts(region: Region, clusters: pd.DataFrame, matrices: Matrices) -> RegionCounts:
    """Named and published counts, sector shares and location quotients of one region.

    ``matrices``: :func:`components.matrices.source_matrices` of the bundle (computed once per
    run by the caller)."""
    members = region_clusters(clusters, region)
    named_by_sector = (
        members["sector"].value_counts().reindex(list(SECTORS), fill_value=0).astype(int)
    )
    if region.kind == "continent":
        published = matrices["published"]
        counts = published[region.token].astype(int)
        world = published.sum(axis=1)
        basis: Basis = "published"
        pub_total: int | None = int(counts.sum())
    else:
        counts = named_by_sector
        world = matrices["named"].sum(axis=1)
        basis, pub_total = "named", None
    counts = counts.rename(None)
    counts.index.name = "sector"
    return RegionCounts(
        region=region,
        basis=basis,
        named=len(members),
        published=pub_total,
        counts=counts,
        shares=sector_shares(counts),
        lq=lq_against(counts, world),
    )


def unnamed_by_continent(matrices: Matrices) -> pd.Series:
    """Clusters figure 2-1 counts but the text does not name, per continent (only those > 0)."""
    per = matrices["difference"].sum(axis=0)
    return per[per > 0].astype(int)


def common_share_max(items: Iterable[RegionCounts]) -> float:
    """The largest sector share among ``items``: the right end of the common share axis."""
    best = [float(rc.shares.max()) for rc in items if rc.total]
    return max(best, default=1.0)


# --- the difference of two regions ----------------------------------------------------------------


def share_gap(a: RegionCounts, b: RegionCounts) -> pd.Series:
    """Points of share by which ``a`` over- (+) or under- (−) represents each sector against
    ``b``; largest first, ties in ``SECTORS`` order. Empty when either region has no clusters."""
    if not a.total or not b.total:
        return pd.Series(dtype=float)
    gap = (a.shares - b.shares) * 100
    order = sorted(SECTORS, key=lambda s: (-round(float(gap[s]), 9), SECTORS.index(s)))
    return gap.reindex(order).astype(float)


def signed(value: float) -> str:
    """Whole points with a sign: ``+13``, ``−4``, ``0`` (a typographic minus)."""
    whole = round(float(value))
    return "0" if whole == 0 else f"{whole:+d}".replace("-", "−")


def points(value: float, lang: Lang) -> str:
    """``+13 pts`` / ``+13 个百分点``."""
    return t("compare.points", lang, v=signed(value))


def difference_reading(gap: pd.Series, name_a: str, name_b: str, lang: Lang) -> str:
    """One sentence, from the numbers, on what ``a`` has more and less of than ``b``."""
    if gap.empty:
        return t("compare.reading.empty", lang, a=name_a, b=name_b)
    over = [s for s in gap.index if gap[s] >= READING_MIN_POINTS][:2]
    under = [s for s in reversed(gap.index) if gap[s] <= -READING_MIN_POINTS][:2]
    if not over and not under:
        return t("compare.reading.same", lang, a=name_a, b=name_b)

    def items(codes: list[str]) -> str:
        return join_list(
            (
                t(
                    "compare.reading.item",
                    lang,
                    sector=sector_name(s, lang),
                    pts=points(gap[s], lang),
                )
                for s in codes
            ),
            lang,
        )

    if not under:
        return t("compare.reading.over_only", lang, a=name_a, b=name_b, over=items(over))
    if not over:
        return t("compare.reading.under_only", lang, a=name_a, b=name_b, under=items(under))
    return t("compare.reading.both", lang, a=name_a, b=name_b, over=items(over), under=items(under))


# --- similar countries ----------------------------------------------------------------------------


def tv_distance(p: pd.Series, q: pd.Series) -> float:
    """Total-variation distance of two share vectors over ``SECTORS``: ``½ Σ |p − q|``."""
    keys = list(SECTORS)
    return float((p.reindex(keys).fillna(0) - q.reindex(keys).fillna(0)).abs().sum() / 2)


def similar_countries(
    shares: pd.Series,
    clusters: pd.DataFrame,
    exclude: Iterable[str] = (),
    *,
    min_clusters: int = MIN_SIMILAR,
    top: int = TOP_SIMILAR,
) -> pd.DataFrame:
    """The countries whose named sector mix is closest to ``shares``.

    Columns ``country``, ``named``, ``distance`` (total variation, 0-1); at most ``top`` rows;
    countries in ``exclude`` and those with fewer than ``min_clusters`` named clusters left out.
    Order: distance, then more named clusters, then ISO code.
    """
    cols = ["country", "named", "distance"]
    if shares.isna().all():
        return pd.DataFrame(columns=cols)
    skip = set(exclude)
    wide = pd.crosstab(clusters["country"], clusters["sector"]).reindex(
        columns=list(SECTORS), fill_value=0
    )
    rows = []
    for code, row in wide.iterrows():
        n = int(row.sum())
        if code in skip or n < min_clusters:
            continue
        rows.append((str(code), n, tv_distance(shares, row / n)))
    rows.sort(key=lambda r: (round(r[2], 9), -r[1], r[0]))
    return pd.DataFrame(rows[:top], columns=cols)


# --- lead industries, organisations ---------------------------------------------------------------


def lead_industries(members: pd.DataFrame, lang: Lang, top: int = 5) -> pd.DataFrame:
    """The most frequent lead industries (columns ``industry``, ``clusters``); ties in the order
    of the cluster list."""
    col = f"lead_industry_{lang}"
    if members.empty:
        return pd.DataFrame(columns=["industry", "clusters"])
    values = members[col].astype(str).str.strip()
    first = {v: i for i, v in reversed(list(enumerate(values)))}
    counts = values.value_counts()
    order = sorted(counts.index, key=lambda v: (-int(counts[v]), first[v]))
    return pd.DataFrame(
        {"industry": order[:top], "clusters": [int(counts[v]) for v in order[:top]]}
    )


def region_organizations(organizations: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The organisations the report names in the region's clusters: clusters in list order,
    lead enterprises before research institutions, then ``org_id``."""
    order = {cid: i for i, cid in enumerate(members["cluster_id"])}
    orgs = organizations[organizations["cluster_id"].isin(order)]
    role = {"lead_enterprise": 0, "research_institution": 1}
    keyed = orgs.assign(
        _c=orgs["cluster_id"].map(order), _r=orgs["role"].map(role).fillna(9)
    ).sort_values(["_c", "_r", "org_id"])
    return keyed.drop(columns=["_c", "_r"]).reset_index(drop=True)


# --- policies -------------------------------------------------------------------------------------


def region_jurisdictions(region: Region, clusters: pd.DataFrame) -> tuple[str, ...]:
    """Whose policies apply: a country and, for EU members, the EU; a group, each member's; a
    continent, those of the countries of its named clusters, and the EU for Europe."""
    if region.kind == "continent":
        members = region_clusters(clusters, region)
        countries = list(dict.fromkeys(members["country"]))
    else:
        countries = list(region.countries)
    out: list[str] = []
    for c in countries:
        out += [j for j in jurisdictions(c) if j != "EU"]
    europe = region.kind == "continent" and region.token == "EU"
    if europe or any(c in EU_MEMBERS for c in countries):
        out.append("EU")
    return tuple(dict.fromkeys(out))


def region_policies(policies: pd.DataFrame, where: Sequence[str]) -> pd.DataFrame:
    """Policies of table 6-2 whose jurisdiction is in ``where`` (in ``where`` order, then
    period and id)."""
    pos = {j: i for i, j in enumerate(where)}
    hit = policies[policies["jurisdiction"].isin(pos)]
    return (
        hit.assign(_j=hit["jurisdiction"].map(pos))
        .sort_values(["_j", "period", "policy_id"])
        .drop(columns="_j")
        .reset_index(drop=True)
    )


def policy_matrix(pols: pd.DataFrame) -> pd.DataFrame:
    """Policies per theme × period (a policy counts once under each of its themes)."""
    frame = pd.DataFrame(0, index=pd.Index(THEMES, name="theme"), columns=list(POLICY_PERIODS))
    for row in pols.itertuples(index=False):
        for theme in str(row.themes).split(";"):
            if theme in frame.index and row.period in frame.columns:
                frame.at[theme, row.period] += 1
    return frame


def jurisdiction_counts(pols: pd.DataFrame, where: Sequence[str]) -> dict[str, int]:
    """Policies per jurisdiction, for the jurisdictions that have any (in ``where`` order)."""
    counts = pols["jurisdiction"].value_counts()
    return {j: int(counts[j]) for j in where if j in counts.index}


def shown_themes(matrices: Iterable[pd.DataFrame]) -> list[str]:
    """The themes with a policy in at least one of ``matrices``, in ``THEMES`` order."""
    mats = list(matrices)
    return [th for th in THEMES if any(int(m.loc[th].sum()) > 0 for m in mats)]


# --- the comparison table -------------------------------------------------------------------------


def comparison_table(
    items: Sequence[RegionCounts],
    policy_mats: Mapping[str, pd.DataFrame],
    policy_totals: Mapping[str, int],
    org_counts: Mapping[str, int],
    lang: Lang,
) -> pd.DataFrame:
    """Everything the columns show, one row per measure, one column per region (CSV)."""

    def name(key: str, **fmt: object) -> str:
        return t(f"compare.table.{key}", lang, **fmt)

    rows: list[tuple[str, str, list[object]]] = []
    sec_clusters, sec_share, sec_lq, sec_pol = (
        name("clusters"),
        name("share"),
        name("lq"),
        name("policies"),
    )
    rows.append(
        (sec_clusters, name("basis"), [t(f"compare.basis.{rc.basis}", lang) for rc in items])
    )
    rows.append((sec_clusters, name("named"), [rc.named for rc in items]))
    rows.append((sec_clusters, name("published"), [rc.published for rc in items]))
    rows.append((sec_clusters, name("unnamed"), [rc.unnamed for rc in items]))
    for s in SECTORS:
        rows.append(
            (sec_share, sector_name(s, lang), [_round(rc.shares[s] * 100, 1) for rc in items])
        )
    for s in SECTORS:
        rows.append((sec_lq, sector_name(s, lang), [_round(rc.lq[s], 3) for rc in items]))
    tokens = [rc.region.token for rc in items]
    rows.append((sec_pol, name("policies_total"), [policy_totals[tk] for tk in tokens]))
    for p in POLICY_PERIODS:
        rows.append(
            (
                sec_pol,
                t(f"compare.period.{p}", lang),
                [int(policy_mats[tk][p].sum()) for tk in tokens],
            )
        )
    for th in THEMES:
        rows.append(
            (
                sec_pol,
                t(f"theme.{th}", lang),
                [int(policy_mats[tk].loc[th].sum()) for tk in tokens],
            )
        )
    rows.append((name("orgs"), name("orgs_count"), [org_counts[tk] for tk in tokens]))
    labels = [region_label(rc.region, lang) for rc in items]
    return pd.DataFrame(
        [[section, item, *values] for section, item, values in rows],
        columns=[name("section"), name("item"), *labels],
    )


def _round(value: object, digits: int) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else round(number, digits)  # NaN → empty cell


# --- sentences ------------------------------------------------------------------------------------


def literal_md(text: str) -> str:
    """``text`` as a markdown code span: shown exactly as typed, never a link, emphasis, maths,
    colour or icon (escaping alone does not stop Streamlit's markdown from auto-linking
    ``https://…`` and ``www.…``)."""
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def problem_text(problem: Problem, lang: Lang) -> str:
    """A notice for a rejected piece: the user's text shown literally (a code span), shortened
    to ``NOTICE_CHARS`` characters."""
    return t(
        f"compare.problem.{problem.param}.{problem.reason}",
        lang,
        text=literal_md(shorten(problem.text)),
        detail=literal_md(shorten(problem.detail, 20)),
        max_regions=MAX_REGIONS,
        max_groups=MAX_GROUPS,
        min_members=MIN_MEMBERS,
        max_members=MAX_MEMBERS,
        max_name=MAX_NAME,
    )


def region_description(region: Region, clusters: pd.DataFrame, lang: Lang) -> str:
    """What the column stands for: ``Continent`` / ``Country · Europe`` / ``Group: A, B, C``."""
    if region.kind == "continent":
        return t("compare.kind.continent", lang)
    if region.kind == "country":
        homes = region_continents(clusters, region)
        where = join_list((continent_name(c, lang) for c in homes), lang)
        if homes:
            return t("compare.kind.country_in", lang, where=where)
        return t("compare.kind.country", lang)
    names = join_list((country_name(c, lang) for c in region.countries), lang)
    return t("compare.kind.group", lang, members=names)


def gap_sentence(rc: RegionCounts, clusters: pd.DataFrame, matrices: Matrices, lang: Lang) -> str:
    """The coverage gap in one sentence: counted by figure 2-1 but not named in the text."""
    gaps = unnamed_by_continent(matrices)
    region = rc.region
    if region.kind == "continent":
        if rc.unnamed:
            gap = matrices["difference"][region.token]
            parts = [
                t("compare.gap.part", lang, sector=sector_name(s, lang), n=int(gap[s]))
                for s in sorted(SECTORS, key=lambda s: (-int(gap[s]), SECTORS.index(s)))
                if gap[s] > 0
            ]
            return t(
                "compare.gap.continent",
                lang,
                published=rc.published,
                named=rc.named,
                n=rc.unnamed,
                breakdown=join_list(parts, lang),
            )
        return t("compare.gap.complete", lang, published=rc.published)
    homes = region_continents(clusters, region)
    if homes:
        open_gaps = [c for c in homes if c in gaps.index]
        if not open_gaps:
            where = join_list((continent_name(c, lang) for c in homes), lang)
            return t("compare.gap.named_complete", lang, where=where)
        where = join_list((continent_name(c, lang) for c in open_gaps), lang)
        n = int(sum(gaps[c] for c in open_gaps))
        return t("compare.gap.named_open", lang, n=n, where=where)
    if gaps.empty:
        return t("compare.gap.none_named", lang)
    where = join_list((f"{continent_name(str(c), lang)} {int(v)}" for c, v in gaps.items()), lang)
    return t("compare.gap.none_named_open", lang, n=int(gaps.sum()), where=where)


def jurisdiction_line(counts: Mapping[str, int], where: Sequence[str], lang: Lang) -> str:
    """``Policies of Germany (12), European Union (12)`` plus the jurisdictions without any."""
    have = join_list(
        (f"{country_name(j, lang)}{parenthesize(str(n), lang)}" for j, n in counts.items()), lang
    )
    missing = [j for j in where if j not in counts]
    if missing:
        names = join_list((country_name(j, lang) for j in missing), lang)
        return t("compare.policies.of_missing", lang, which=have, missing=names)
    return t("compare.policies.of", lang, which=have)


def reading_names(a: RegionCounts, b: RegionCounts, lang: Lang) -> tuple[str, str]:
    """The names the difference view uses (labels when the plain names coincide)."""
    name_a, name_b = region_name(a.region, lang), region_name(b.region, lang)
    if name_a == name_b:
        return region_label(a.region, lang), region_label(b.region, lang)
    return name_a, name_b
