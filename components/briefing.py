"""The briefing: slides the reader collected from the app's charts, and how each is rebuilt.

A :class:`Slide` is a permalink to one chart view: the page's ``url_path``, the chart's ``view``
id and the query parameters that set it up, plus the reader's title and speaker notes. A slide is
drawn again by its page's *slide renderer* (:data:`RENDERERS`, keyed by page and view): a pure
function of the dataset, the parameters and the language that calls the same builders as the page,
without running the page script.

The briefing is kept in the session and saved as a small JSON file
(:func:`to_json` / :func:`from_json`). An uploaded file is untrusted: it is read strictly (size,
schema, known pages, views and parameters, valid values) and rejected whole with a reason.

Add a renderer for a new page's chart: a function ``(bundle, params, lang) -> SlideView`` and one
``Renderer`` entry below, with the parameters it reads and how to validate them. Pure, no ``st.*``.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from components import compare as cmp
from components import compare_charts as cc
from components import overview as ov
from components import policies as pc
from components import policy_charts as pch
from components import trends as tr
from components.captions import cluster_list_source, source_line
from components.data import Bundle
from components.filters import Filters, apply_filters, search_index
from components.geo import load_countries
from components.heatmap_charts import build_country_heatmap, build_main_heatmap
from components.i18n import Lang, continent_name, country_name, join_list, punct, sector_name, t
from components.matrices import (
    MEASURES,
    SOURCES,
    country_matrix,
    parse_cell,
    source_matrices,
)
from components.memo import per_dataset
from components.present import SlideView, freeze
from components.static_map import build_static_map
from components.urlstate import parse_choice, parse_multi, parse_slug, parse_text
from components.vocab import CONTINENTS, SECTORS, THEMES

FORMAT = "cluster-atlas-briefing"
VERSION = 1
MAX_FILE_BYTES = 100_000
MAX_SLIDES = 40
MAX_NAME = 80
MAX_TITLE = 200
MAX_NOTES = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and newline allowed (notes)
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BriefingError(ValueError):
    """A briefing file that cannot be loaded. ``code`` names the catalogue message
    (``present.error.<code>``), ``info`` fills its placeholders."""

    def __init__(self, code: str, **info: object) -> None:
        self.code = code
        self.info = info
        super().__init__(f"{code}: {info}")

    def message(self, lang: Lang) -> str:
        """The reason in words."""
        return t(f"present.error.{self.code}", lang, **self.info)


# --- the model -----------------------------------------------------------------------------------


def new_uid() -> str:
    """A short random id for a slide (widget keys survive reordering)."""
    return secrets.token_hex(4)


@dataclass(frozen=True)
class Slide:
    """One chart view: ``page`` url_path, ``view`` id, its query ``params`` (sorted pairs), the
    reader's ``title`` (empty: the view's own) and ``notes``."""

    page: str
    view: str
    params: tuple[tuple[str, str], ...] = ()
    title: str = ""
    notes: str = ""
    uid: str = field(default_factory=new_uid, compare=False)

    @property
    def param_dict(self) -> dict[str, str]:
        """The parameters as a dict."""
        return dict(self.params)

    @property
    def target(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        """What the slide shows (page, view, params), without title or notes."""
        return (self.page, self.view, self.params)


@dataclass(frozen=True)
class Briefing:
    """The reader's slides, in order, and the briefing's name."""

    name: str = ""
    slides: tuple[Slide, ...] = ()


def make_slide(page: str, view: str, params: Mapping[str, str]) -> Slide:
    """A slide for a view, parameters sorted (so one view is one slide)."""
    return Slide(
        page=page, view=view, params=tuple(sorted((str(k), str(v)) for k, v in params.items()))
    )


def position(briefing: Briefing, slide: Slide) -> int | None:
    """The 1-based slide number showing the same view as ``slide``, if any."""
    for i, s in enumerate(briefing.slides, 1):
        if s.target == slide.target:
            return i
    return None


def add(briefing: Briefing, slide: Slide) -> Briefing:
    """``slide`` appended (unless the view is already in, or the briefing is full)."""
    if position(briefing, slide) is not None or len(briefing.slides) >= MAX_SLIDES:
        return briefing
    return replace(briefing, slides=(*briefing.slides, slide))


def _index(briefing: Briefing, uid: str) -> int | None:
    for i, s in enumerate(briefing.slides):
        if s.uid == uid:
            return i
    return None


def remove(briefing: Briefing, uid: str) -> Briefing:
    """The briefing without the slide ``uid``."""
    return replace(briefing, slides=tuple(s for s in briefing.slides if s.uid != uid))


def move(briefing: Briefing, uid: str, delta: int) -> Briefing:
    """The slide ``uid`` moved ``delta`` places (clamped to the ends)."""
    i = _index(briefing, uid)
    if i is None:
        return briefing
    slides = list(briefing.slides)
    j = max(0, min(len(slides) - 1, i + delta))
    slides.insert(j, slides.pop(i))
    return replace(briefing, slides=tuple(slides))


def edit(briefing: Briefing, uid: str, *, title: str | None = None, notes: str | None = None):
    """The slide ``uid`` with a new title and/or notes (cleaned, capped)."""
    i = _index(briefing, uid)
    if i is None:
        return briefing
    s = briefing.slides[i]
    s = replace(
        s,
        title=clean_line(title, MAX_TITLE) if title is not None else s.title,
        notes=clean_notes(notes) if notes is not None else s.notes,
    )
    return replace(briefing, slides=(*briefing.slides[:i], s, *briefing.slides[i + 1 :]))


def rename(briefing: Briefing, name: str) -> Briefing:
    """The briefing under a new name (cleaned, capped)."""
    return replace(briefing, name=clean_line(name, MAX_NAME))


def clean_line(text: object, limit: int) -> str:
    """One line of text: control characters dropped, blanks trimmed, cut to ``limit``."""
    return _LINE_CONTROL.sub("", str(text or "")).strip()[:limit]


def clean_notes(text: object) -> str:
    """Notes: newlines and tabs kept, other control characters dropped, cut to ``MAX_NOTES``."""
    return _CONTROL.sub("", str(text or "")).replace("\r\n", "\n").strip()[:MAX_NOTES]


# --- parameters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """How one query parameter of a view is validated.

    ``kind``: ``choice`` (one of ``options``), ``multi`` (comma list of ``options``), ``text``,
    ``country`` (comma list of countries with a named cluster), ``cluster`` (a cluster id) or
    ``cell`` (a heatmap cell code).
    """

    kind: str
    options: tuple[str, ...] = ()
    of: Callable[[Bundle], Sequence[str]] | None = None  # options read from the data instead
    check: Callable[[str], bool] | None = None  # kind ``check``: the page's own validation


def param_ok(spec: Param, raw: object, bundle: Bundle) -> bool:
    """Whether ``raw`` is a valid, non-default value for ``spec``."""
    if not isinstance(raw, str) or raw == "":
        return False
    options = tuple(spec.of(bundle)) if spec.of is not None else spec.options
    if spec.kind == "choice":
        return not parse_choice(raw, options, "").rejected
    if spec.kind == "multi":
        parsed = parse_multi(raw, options)
        return bool(parsed.value) and not parsed.rejected
    if spec.kind == "country":
        parsed = parse_multi(raw, sorted(set(bundle.clusters["country"])))
        return bool(parsed.value) and not parsed.rejected
    if spec.kind == "text":
        return not parse_text(raw).rejected
    if spec.kind == "cluster":
        return parse_slug(raw, bundle.clusters["cluster_id"]).value is not None
    if spec.kind == "cell":
        return parse_cell(raw) is not None
    if spec.kind == "check" and spec.check is not None:
        return spec.check(raw)
    return False


def clean_params(
    renderer: Renderer, params: Mapping[str, object], bundle: Bundle
) -> dict[str, str]:
    """Only the parameters ``renderer`` knows, with valid values (the rest dropped)."""
    return {
        name: str(params[name])
        for name, spec in renderer.params.items()
        if name in params and param_ok(spec, params[name], bundle)
    }


# --- slide renderers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Renderer:
    """Rebuilds one chart view of a page from its parameters."""

    page: str
    view: str
    label_key: str  # catalogue key naming the view (the briefing editor)
    params: Mapping[str, Param]
    build: Callable[[Bundle, Mapping[str, str], Lang], SlideView]


def _overview(by: str) -> Callable[[Bundle, Mapping[str, str], Lang], SlideView]:
    def build(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
        cov = ov.coverage(bundle, by)
        head = ov.headline(bundle)
        return SlideView(
            kind="chart",
            title=t(f"present.view.overview_{by}", lang, total=head.total, named=head.named),
            fig=ov.build_coverage_bar(cov, by, lang),
            source=source_line(lang, ["figure 2-1"], cluster_list_source(bundle.clusters, lang)),
            table=ov.coverage_table(cov, by, lang),
        )

    return build


def _heatmap_main(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
    source = params.get("source", "published")
    measure = params.get("measure", "count")
    shown = "count" if source == "difference" else measure
    counts = source_matrices(bundle.sector_continent, bundle.clusters)[source]  # type: ignore[index]
    refs = [] if source == "named" else ["figure 2-1"]
    computed = None if source == "published" else cluster_list_source(bundle.clusters, lang)
    return SlideView(
        kind="chart",
        title=t(
            "present.view.heatmap_main",
            lang,
            measure=t(f"heatmap.measure.{shown}", lang),
            source=t(f"heatmap.source.{source}", lang),
        ),
        fig=build_main_heatmap(
            counts, measure, source, lang, selected=parse_cell(params.get("cell"))
        ),  # type: ignore[arg-type]
        source=source_line(lang, refs, computed),
    )


def _heatmap_country(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
    chosen = parse_multi(params.get("hm_continent"), CONTINENTS).value
    counts = country_matrix(bundle.clusters, chosen)  # type: ignore[arg-type]
    where = join_list((continent_name(c, lang) for c in chosen), lang) if chosen else ""  # type: ignore[union-attr]
    return SlideView(
        kind="chart" if not counts.empty else "missing",
        title=t("heatmap.country_title", lang) + (f" · {where}" if where else ""),
        fig=build_country_heatmap(counts, lang) if not counts.empty else None,
        subtitle="" if not counts.empty else t("heatmap.country.empty", lang),
        source=source_line(lang, computed_from=cluster_list_source(bundle.clusters, lang)),
    )


def map_filters(params: Mapping[str, str], bundle: Bundle) -> Filters:
    """The map's filters read from slide parameters (already validated)."""
    countries = sorted(set(bundle.clusters["country"]))
    return Filters(
        continents=parse_multi(params.get("continent"), CONTINENTS).value,  # type: ignore[arg-type]
        countries=parse_multi(params.get("country"), countries).value,  # type: ignore[arg-type]
        sectors=parse_multi(params.get("sector"), SECTORS).value,  # type: ignore[arg-type]
        query=parse_text(params.get("q")).value,  # type: ignore[arg-type]
    )


def describe_filters(filters: Filters, lang: Lang) -> str:
    """``欧洲 · 生物医药 · “Basel”``: the filters in words (empty when none)."""
    parts = [
        join_list((continent_name(c, lang) for c in filters.continents), lang),
        join_list((country_name(c, lang) for c in filters.countries), lang),
        join_list((sector_name(s, lang) for s in filters.sectors), lang),
        t("present.view.query", lang, q=filters.query) if filters.query else "",
    ]
    return " · ".join(p for p in parts if p)


def _map(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
    filters = map_filters(params, bundle)
    shown = apply_filters(
        bundle.clusters, filters, search_index(bundle.clusters, bundle.organizations)
    )
    what = describe_filters(filters, lang)
    selected = params.get("cluster")
    title = t("present.view.map", lang, n=len(shown), total=len(bundle.clusters))
    if what:
        title += f" · {what}"
    if selected:
        name = bundle.clusters.loc[bundle.clusters["cluster_id"] == selected, f"name_{lang}"]
        if len(name):
            title += f" · {name.iloc[0]}"
    return SlideView(
        kind="chart",
        title=title,
        fig=build_static_map(shown, load_countries(), lang, selected=selected),
        source=join_list(
            [source_line(lang, ["annex", "table 2-10"]), t("map.source_geo", lang)], lang, "clause"
        ),
    )


def _policy_filters(params: Mapping[str, str], bundle: Bundle) -> pc.PolicyFilters:
    """The policies page's filters read from slide parameters (already validated)."""
    policies = bundle.policies
    return pc.PolicyFilters(
        parse_multi(params.get("jurisdiction"), pc.lanes(policies)).value,  # type: ignore[arg-type]
        parse_multi(params.get("theme"), THEMES).value,  # type: ignore[arg-type]
        parse_multi(params.get("period"), pc.periods(policies)).value,  # type: ignore[arg-type]
        parse_text(params.get("q")).value,  # type: ignore[arg-type]
    )


def _policy_timeline(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
    policies = bundle.policies
    filters = _policy_filters(params, bundle)
    shown = pc.filter_policies(policies, filters)
    lanes_shown = filters.jurisdictions or pc.lanes(policies)
    selected = params.get("policy") or None
    source = join_list(
        [
            source_line(lang, ["table 6-2"]),
            t("policies.source_years", lang, **pc.year_source_counts(policies)),
        ],
        lang,
        "clause",
    )
    what = " · ".join(
        p
        for p in (
            join_list((country_name(c, lang) for c in filters.jurisdictions), lang),
            join_list((t(f"theme.{x}", lang) for x in filters.themes), lang),
            join_list((pc.period_name(x, lang) for x in filters.periods), lang),
            t("present.view.query", lang, q=filters.query) if filters.query else "",
        )
        if p
    )
    title = t("policies.count", lang, shown=len(shown), total=len(policies))
    title = t("policies.title", lang) + f" · {title}" + (f" · {what}" if what else "")
    return SlideView(
        kind="chart",
        title=title,
        fig=pch.build_timeline(
            policies,
            shown,
            lanes_shown,
            lang,
            selected=selected,
            chosen_themes=filters.themes,
        ),
        source=source,
        table=pc.policy_table(shown, lang),
    )


def _policy_themes(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
    policies = bundle.policies
    lanes = _policy_filters(params, bundle).jurisdictions
    base = pc.filter_policies(policies, pc.PolicyFilters(jurisdictions=lanes))
    counts = pc.theme_period_counts(base)
    scope = pc.scope_text(lanes, len(base), pc.lanes(policies), lang)
    return SlideView(
        kind="chart",
        title=f"{t('policies.theme.heading', lang)} · {scope}",
        fig=pch.build_theme_chart(counts, lang),
        source=source_line(
            lang, ["table 6-2"], computed_from=t("policies.theme.computed_from", lang)
        ),
        table=pch.theme_table(counts, lang),
    )


def _policy_ids(bundle: Bundle) -> Sequence[str]:
    return tuple(bundle.policies["policy_id"])


def _policy_lanes(bundle: Bundle) -> Sequence[str]:
    return pc.lanes(bundle.policies)


def _policy_periods(bundle: Bundle) -> Sequence[str]:
    return pc.periods(bundle.policies)


_POLICY_PARAMS: dict[str, Param] = {
    "jurisdiction": Param("multi", of=_policy_lanes),
    "theme": Param("multi", THEMES),
    "period": Param("multi", of=_policy_periods),
    "q": Param("text"),
    "policy": Param("choice", of=_policy_ids),
}


def _trend_numbers(bundle: Bundle) -> Sequence[str]:
    return tuple(str(n) for n in tr.trend_numbers(bundle))


_TREND_PARAMS: dict[str, Param] = {"trend": Param("choice", of=_trend_numbers)}


def _trend_missing(n: int, lang: Lang) -> SlideView:
    """A trend chart the data no longer has (another dataset, or no such chart)."""
    title = f"{t('nav.trends', lang)} · {n}"
    return SlideView(kind="missing", title=title, subtitle=t("present.missing", lang))


def _trend_title(bundle: Bundle, n: int, part: str, lang: Lang) -> str:
    return f"{n}. {tr.trend_view(bundle, n, lang).title} · {t(part, lang)}"


def _trend_policies(n: int) -> Callable[[Bundle, Mapping[str, str], Lang], SlideView]:
    def build(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
        policies = tr.trend_policies(bundle, n) if n in tr.trend_numbers(bundle) else None
        if policies is None or not policies["year"].notna().any():
            return _trend_missing(n, lang)
        return SlideView(
            kind="chart",
            title=_trend_title(bundle, n, "trends.policies.heading", lang),
            fig=tr.build_policy_timeline(policies, lang, order=bundle.policies["jurisdiction"]),
            source=source_line(lang, ["table 6-2"])
            + punct("clause", lang)
            + t("trends.policies.years_note", lang),
            table=tr.policies_table(policies, lang),
        )

    return build


def _trend_fact_chart(
    n: int, related: bool, i: int
) -> Callable[[Bundle, Mapping[str, str], Lang], SlideView]:
    def build(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
        if n not in tr.trend_numbers(bundle):
            return _trend_missing(n, lang)
        if related:
            facts = tr.related_facts(bundle, n).drop(columns="matched")
        else:
            facts = tr.trend_facts(bundle, n)
        groups = [g for g in tr.fact_groups(facts) if g.chart != "card"] if len(facts) else []
        if i >= len(groups):
            return _trend_missing(n, lang)
        group = groups[i]
        part = "trends.related.heading" if related else "trends.facts.heading"
        return SlideView(
            kind="chart",
            title=_trend_title(bundle, n, part, lang),
            fig=tr.build_fact_figure(group, lang),
            source=source_line(lang, sorted(set(group.facts["source_ref"]))),
            table=tr.facts_table(group.facts, lang),
        )

    return build


# The trends page's charts are keyed per trend (and per chart): ``trend_3_policies``,
# ``trend3_chart_0``, ``trend3_related_chart_1`` (see pages/trends.py).
_TREND_FACT_VIEW = re.compile(r"trend([1-9][0-9]?)_(related_)?chart_([0-9]{1,2})")
_TREND_POLICY_VIEW = re.compile(r"trend_([1-9][0-9]?)_policies")


def _pattern_renderer(page: str, view: str) -> Renderer | None:
    """A renderer for a view whose id carries a number (a trend's charts, a compare column's)."""
    if page == "compare":
        m = _COMPARE_VIEW.fullmatch(view)
        if m is None:
            return None
        key, i = m[1], int(m[2])
        return Renderer(
            page, view, f"compare.section.{key}", _COMPARE_PARAMS, _compare_column(key, i)
        )
    if page != "trends":
        return None
    m = _TREND_POLICY_VIEW.fullmatch(view)
    if m is not None:
        n = int(m[1])
        return Renderer(page, view, "trends.policies.heading", _TREND_PARAMS, _trend_policies(n))
    m = _TREND_FACT_VIEW.fullmatch(view)
    if m is None:
        return None
    n, related, i = int(m[1]), bool(m[2]), int(m[3])
    label = "trends.related.heading" if related else "trends.facts.heading"
    return Renderer(page, view, label, _TREND_PARAMS, _trend_fact_chart(n, related, i))


def _compare_regions_ok(raw: str) -> bool:
    """``?regions=``: the page's grammar, each token a code or a well-formed group name (which
    group it names is known only with ``?group=``; the page falls back as it would)."""
    if len(raw) > cmp.MAX_RAW:
        return False
    pieces = [p.strip() for p in raw.split(",") if p.strip()]
    if not cmp.MIN_REGIONS <= len(pieces) <= cmp.MAX_REGIONS:
        return False
    names = [p if not (p.isascii() and cmp.is_code(p)) else p.upper() for p in pieces]
    if len({n.casefold() for n in names}) != len(names):
        return False
    probe = [cmp.Group(n, ("DEU", "FRA")) for n in names if not cmp.is_code(n)]
    return not cmp.parse_regions(raw, probe)[1] and all(
        isinstance(cmp.parse_group(f"{g.name}:DEU+FRA"), cmp.Group) for g in probe
    )


def _compare_groups_ok(raw: str) -> bool:
    """``?group=``: every definition valid (the page's parser)."""
    groups, problems = cmp.parse_groups([raw])
    return bool(groups) and not problems


_COMPARE_PARAMS: dict[str, Param] = {
    "regions": Param("check", check=_compare_regions_ok),
    "group": Param("check", check=_compare_groups_ok),
}


@dataclass(frozen=True)
class _Compare:
    regions: list[cmp.Region]
    counts: list[cmp.RegionCounts]
    names: dict[str, str]


def _compare(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> _Compare:
    """The compare page's regions and their numbers, as the page computes them."""
    group = params.get("group")
    sel = cmp.parse_selection(params.get("regions"), [group] if group else [])
    regions = [cmp.resolve(tok, sel.groups) for tok in sel.regions]
    matrices = source_matrices(bundle.sector_continent, bundle.clusters)
    counts = [cmp.region_counts(r, bundle.clusters, matrices) for r in regions]
    return _Compare(regions, counts, {r.token: cmp.region_name(r, lang) for r in regions})


def _compare_missing(lang: Lang) -> SlideView:
    return SlideView(
        kind="missing", title=t("nav.compare", lang), subtitle=t("present.missing", lang)
    )


def _compare_column(key: str, i: int) -> Callable[[Bundle, Mapping[str, str], Lang], SlideView]:
    """Column ``i``'s sector-share, location-quotient or policy chart."""

    def build(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
        c = _compare(bundle, params, lang)
        n = len(c.regions)
        if i >= n:
            return _compare_missing(lang)
        rc, region = c.counts[i], c.regions[i]
        name = c.names[region.token]
        title = f"{t(f'compare.section.{key}', lang)} · {name}"
        if key == "policies":
            where = {r.token: cmp.region_jurisdictions(r, bundle.clusters) for r in c.regions}
            pols = {tok: cmp.region_policies(bundle.policies, w) for tok, w in where.items()}
            mats = {tok: cmp.policy_matrix(p) for tok, p in pols.items()}
            themes = cmp.shown_themes(mats.values())
            pol_max = max((int(m.sum(axis=1).max()) for m in mats.values()), default=0)
            tok = region.token
            if not cmp.jurisdiction_counts(pols[tok], where[tok]):
                return _compare_missing(lang)
            fig = cc.build_policy_chart(
                mats[tok],
                themes,
                name,
                t("compare.policies.subtitle", lang, n=len(pols[tok])),
                lang,
                x_max=pol_max,
                n_regions=n,
            )
            return SlideView(
                kind="chart", title=title, fig=fig, source=source_line(lang, ["table 6-2"])
            )
        if not rc.total:
            return _compare_missing(lang)
        subtitle = t(f"compare.basis_n.{rc.basis}", lang, n=rc.total)
        if key == "share":
            x_max = cmp.common_share_max(c.counts)
            fig = cc.build_share_chart(rc, name, subtitle, lang, x_max=x_max, n_regions=n)
        else:
            fig = cc.build_lq_chart(rc, name, subtitle, lang, n_regions=n)
        return SlideView(
            kind="chart",
            title=title,
            fig=fig,
            source=cc.basis_source([rc.basis], bundle.clusters, lang),
        )

    return build


def _compare_difference(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
    c = _compare(bundle, params, lang)
    a, b = c.counts[0], c.counts[1]
    name_a, name_b = cmp.reading_names(a, b, lang)
    gap = cmp.share_gap(a, b)
    if gap.empty:
        return _compare_missing(lang)
    title = t("compare.diff.title", lang, a=name_a, b=name_b)
    return SlideView(
        kind="chart",
        title=title,
        subtitle=cmp.difference_reading(gap, name_a, name_b, lang),
        fig=cc.build_difference_chart(gap, name_a, name_b, title, lang),
        source=cc.basis_source([a.basis, b.basis], bundle.clusters, lang),
    )


_COMPARE_VIEW = re.compile(r"cmp_(share|lq|policies)_([0-9])")  # one column (older briefings)
_COMPARE_ROWS = {"share": "share_fig", "lq": "lq_fig", "policies": "policy_fig"}


@per_dataset
def _compare_view(bundle: Bundle, tokens: tuple, groups: tuple, lang: Lang) -> object:
    from components.compare_view import compare_view  # late: it pulls in the map code

    return compare_view(bundle, tokens, groups, lang)


def _compare_row(key: str) -> Callable[[Bundle, Mapping[str, str], Lang], SlideView]:
    """A whole row of the page: every region's share, LQ or policy panel in one figure."""

    def build(bundle: Bundle, params: Mapping[str, str], lang: Lang) -> SlideView:
        group = params.get("group")
        sel = cmp.parse_selection(params.get("regions"), [group] if group else [])
        used = tuple(g for g in sel.groups if g.name in sel.regions)
        view = _compare_view(bundle, sel.regions, used, lang)
        fig = getattr(view, _COMPARE_ROWS[key])
        if fig is None:
            return _compare_missing(lang)
        source = source_line(lang, ["table 6-2"]) if key == "policies" else view.basis_source
        title = f"{t(f'compare.section.{key}', lang)} · {join_list(view.names.values(), lang)}"
        return SlideView(kind="chart", title=title, fig=fig, source=source)

    return build


_MAP_PARAMS: dict[str, Param] = {
    "continent": Param("multi", CONTINENTS),
    "country": Param("country"),
    "sector": Param("multi", SECTORS),
    "q": Param("text"),
    "cluster": Param("cluster"),
}

RENDERERS: dict[tuple[str, str], Renderer] = {
    (r.page, r.view): r
    for r in (
        Renderer("overview", "ov_continent", "overview.by_continent", {}, _overview("continent")),
        Renderer("overview", "ov_sector", "overview.by_sector", {}, _overview("sector")),
        Renderer(
            "heatmap",
            "hm_main_chart",
            "heatmap.main_title",
            {
                "source": Param("choice", SOURCES),
                "measure": Param("choice", MEASURES),
                "cell": Param("cell"),
            },
            _heatmap_main,
        ),
        Renderer(
            "heatmap",
            "hm_country_chart",
            "heatmap.country_title",
            {"hm_continent": Param("multi", CONTINENTS)},
            _heatmap_country,
        ),
        Renderer("map", "map_deck", "map.title", _MAP_PARAMS, _map),
        *(
            Renderer(
                "compare",
                f"cmp_{key}",
                f"compare.section.{key}",
                _COMPARE_PARAMS,
                _compare_row(key),
            )  # fmt: skip
            for key in _COMPARE_ROWS
        ),
        Renderer(
            "compare",
            "cmp_difference",
            "compare.section.difference",
            _COMPARE_PARAMS,
            _compare_difference,
        ),
        Renderer("policies", "pol_timeline", "policies.title", _POLICY_PARAMS, _policy_timeline),
        Renderer(
            "policies",
            "pol_theme_chart",
            "policies.theme.heading",
            {"jurisdiction": _POLICY_PARAMS["jurisdiction"]},
            _policy_themes,
        ),
    )
}


def renderer_for(page: str, view: str) -> Renderer | None:
    """The renderer of a page's view, if one is registered."""
    return RENDERERS.get((page, view)) or _pattern_renderer(page, view)


def figure_id(slide: Slide, lang: Lang) -> tuple:
    """What identifies a briefing slide's figure (the memo keeps its slide-sized chart under it):
    its view and parameters in ``lang``, or, for a view no renderer knows, the figure kept this
    session (one per slide, whatever the language)."""
    if renderer_for(slide.page, slide.view) is None:
        return ("snapshot", slide.uid)
    return (slide.page, slide.view, slide.params, lang)


def view_label(slide: Slide, lang: Lang) -> str:
    """The view a slide shows, in words: ``领域分布热力图 · 集群的领域 × 大洲分布``."""
    page = t(f"nav.{slide.page}", lang) if _has_key(f"nav.{slide.page}") else slide.page
    r = renderer_for(slide.page, slide.view)
    return f"{page} · {t(r.label_key, lang)}" if r else f"{page} · {slide.view}"


def _has_key(key: str) -> bool:
    from components.i18n import catalogue

    return key in catalogue()


def render_view(
    page: str, view: str, params: Mapping[str, str], bundle: Bundle, lang: Lang
) -> SlideView:
    """A view drawn from its parameters (invalid ones dropped), without a slide's title and
    notes; a ``missing`` slide when no renderer knows the view."""
    r = renderer_for(page, view)
    link = (page, dict(params))
    if r is None:
        return SlideView(
            kind="missing",
            title=view_label(Slide(page, view), lang),
            subtitle=t("present.missing", lang),
            link=link,
        )
    return replace(r.build(bundle, clean_params(r, params, bundle), lang), link=link)


def apply_slide(view: SlideView, slide: Slide) -> SlideView:
    """``view`` with the slide's own title (if any) and notes."""
    return replace(view, title=slide.title or view.title, notes=slide.notes)


def render(slide: Slide, bundle: Bundle, lang: Lang) -> SlideView:
    """The slide drawn from its parameters, its title and notes applied."""
    return apply_slide(render_view(slide.page, slide.view, slide.param_dict, bundle, lang), slide)


def snapshot_view(slide: Slide, fig_json: str, source: str, lang: Lang) -> SlideView:
    """A slide of a view no renderer knows, from the figure kept when it was added (this session
    only; such a view cannot be saved to and loaded from a file)."""
    return SlideView(
        kind="chart",
        title=slide.title or view_label(slide, lang),
        fig=json.loads(fig_json),
        source=source,
        notes=slide.notes,
        link=(slide.page, slide.param_dict),
    )


# --- the briefing file ---------------------------------------------------------------------------


def to_json(briefing: Briefing) -> bytes:
    """The briefing file: UTF-8 JSON, the format's name and version first."""
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "name": briefing.name,
        "slides": [
            {
                "page": s.page,
                "view": s.view,
                "params": dict(s.params),
                "title": s.title,
                "notes": s.notes,
            }
            for s in briefing.slides
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


_TOP_KEYS = {"format", "version", "name", "slides"}
_SLIDE_KEYS = {"page", "view", "params", "title", "notes"}


def from_json(data: bytes, bundle: Bundle) -> Briefing:
    """Read a briefing file strictly (see :func:`read_briefing`); a slide of a view no renderer
    knows is an error too."""
    briefing, skipped = read_briefing(data, bundle)
    if skipped:
        raise BriefingError("bad_view", n=skipped[0][0], view=skipped[0][1])
    return briefing


def read_briefing(data: bytes, bundle: Bundle) -> tuple[Briefing, list[tuple[int, str]]]:
    """Read a briefing file strictly; raise :class:`BriefingError` on the first problem.

    Slides of views that no renderer knows (another page's chart, kept in a file before that
    page had one) are not loaded but listed as ``(slide number, "page/view")``, so the rest of
    the briefing survives; everything else about them must still be well-formed.

    Checked: size, UTF-8 JSON, exactly the known keys, format and version, slide count, each
    slide's page and view (a registered renderer), each parameter (known to that view, valid
    value), text fields (strings within their length limits; control characters rejected in
    titles). Titles and notes stay plain text: the app shows them literally.
    """
    if len(data) > MAX_FILE_BYTES:
        raise BriefingError("too_big", limit=MAX_FILE_BYTES // 1000)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BriefingError("not_json") from None
    if (
        not isinstance(doc, dict)
        or set(doc) != _TOP_KEYS
        or doc["format"] != FORMAT
        or type(doc["version"]) is not int
        or doc["version"] != VERSION
        or not isinstance(doc["slides"], list)
    ):
        raise BriefingError("not_briefing")
    name = _text_field(doc["name"], MAX_NAME, 0, line=True)
    if len(doc["slides"]) > MAX_SLIDES:
        raise BriefingError("too_many", n=MAX_SLIDES)
    slides, skipped = [], []
    for n, item in enumerate(doc["slides"], 1):
        slide = _read_slide(item, n, bundle)
        if isinstance(slide, str):
            skipped.append((n, slide))
        else:
            slides.append(slide)
    return Briefing(name=name, slides=tuple(slides)), skipped


def _text_field(value: object, limit: int, n: int, *, line: bool) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise BriefingError("bad_text", n=n, limit=limit)
    if (_LINE_CONTROL if line else _CONTROL).search(value):
        raise BriefingError("bad_text", n=n, limit=limit)
    return value.strip()


def _read_slide(item: object, n: int, bundle: Bundle) -> Slide | str:
    """The slide, or ``"page/view"`` when no renderer knows its (well-formed) view."""
    if not isinstance(item, dict) or set(item) != _SLIDE_KEYS:
        raise BriefingError("bad_slide", n=n)
    page, view, params = item["page"], item["view"], item["params"]
    if not isinstance(page, str) or not isinstance(view, str) or not isinstance(params, dict):
        raise BriefingError("bad_slide", n=n)
    title = _text_field(item["title"], MAX_TITLE, n, line=True)
    notes = _text_field(item["notes"], MAX_NOTES, n, line=False)
    r = renderer_for(page, view)
    if r is None:
        return f"{clean_line(page, 30)}/{clean_line(view, 30)}"
    for key, value in params.items():
        if key not in r.params:
            raise BriefingError("bad_param", n=n, name=str(key)[:30])
        if not param_ok(r.params[key], value, bundle):
            raise BriefingError("bad_param", n=n, name=str(key)[:30])
    return replace(make_slide(page, view, params), title=title, notes=notes)


def kept_view(
    bundle: Bundle, page: str, view: str, params: tuple[tuple[str, str], ...], lang: Lang
) -> SlideView:
    """:func:`render_view` with a plain-JSON figure, for keeping per dataset (a slide's own
    title and notes are applied afterwards: :func:`apply_slide`)."""
    return freeze(render_view(page, view, dict(params), bundle, lang))
