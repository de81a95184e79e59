"""What the policy timeline page shows, computed from the bundle and the reader's choices.

Each function takes the dataset first and hashable choices after, so the page keeps its results
per dataset (:mod:`components.memo`): a rerun with the same choices rebuilds nothing. Results
are shared between sessions and must not be mutated. Pure: no ``st.*``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from components import policies as pc
from components import policy_charts as charts
from components.captions import source_line
from components.charts import frozen
from components.data import Bundle
from components.i18n import Lang, join_list, t
from components.vocab import POLICY_PERIODS


@dataclass(frozen=True)
class Basics:
    """The table's vocabulary: lanes in display order, periods, ids and names per language."""

    lanes: tuple[str, ...]
    periods: tuple[str, ...]
    ids: frozenset[str]
    names: dict[str, str]  # policy_id -> name in the language asked for
    timeline_source: str


def basics(bundle: Bundle, lang: Lang) -> Basics:
    """Lanes, periods, ids, names and the timeline's source line (years' provenance counted)."""
    policies = bundle.policies
    years = pc.year_source_counts(policies)
    return Basics(
        lanes=pc.lanes(policies),
        periods=pc.periods(policies),
        ids=frozenset(policies["policy_id"]),
        names=dict(zip(policies["policy_id"], policies[f"name_{lang}"], strict=True)),
        timeline_source=join_list(
            [source_line(lang, ["table 6-2"]), t("policies.source_years", lang, **years)],
            lang,
            "clause",
        ),
    )


@dataclass(frozen=True)
class TimelineView:
    """The filtered policies: their ids, the swim-lane figure, its table and hidden count."""

    shown_ids: tuple[str, ...]
    figure: go.Figure
    table: pd.DataFrame
    hidden: int  # policies the chart could not place (said under it)


def shown_policies(bundle: Bundle, filters: pc.PolicyFilters) -> pd.DataFrame:
    """The policies passing ``filters`` (kept: the timeline and the picker both use them)."""
    return pc.filter_policies(bundle.policies, filters)


def timeline_layout(bundle: Bundle, filters: pc.PolicyFilters, lang: Lang) -> pc.Timeline:
    """Where each shown policy goes (independent of the open policy)."""
    policies = bundle.policies
    lanes = filters.jurisdictions or pc.lanes(policies)
    return charts.timeline_layout(policies, shown_policies(bundle, filters), lanes, lang)


def timeline_view(
    bundle: Bundle,
    filters: pc.PolicyFilters,
    selected: str | None,
    lang: Lang,
    layout: pc.Timeline,
    plain: TimelineView | None = None,
) -> TimelineView:
    """The timeline of the policies passing ``filters``, ``selected`` ringed. ``plain``: the
    same view with nothing selected (kept), from which the ringed figure is made."""
    if plain is not None:
        return replace(plain, figure=charts.with_ring(plain.figure, layout, selected))
    policies = bundle.policies
    shown = shown_policies(bundle, filters)
    lanes = filters.jurisdictions or pc.lanes(policies)
    figure = charts.build_timeline(
        policies,
        shown,
        lanes,
        lang,
        selected=selected,
        chosen_themes=filters.themes,
        layout=layout,
    )
    return TimelineView(
        shown_ids=tuple(shown["policy_id"]),
        figure=frozen(figure),
        table=pc.policy_table(shown, lang),
        hidden=layout.hidden,
    )


@dataclass(frozen=True)
class Panel:
    """One chapter 4 regional section with its continent's lanes and their policy counts."""

    section: pd.Series
    codes: tuple[str, ...]
    count_text: str  # "" when the continent has no lane
    lanes_text: str


def regional_panels(bundle: Bundle, lang: Lang) -> tuple[Panel, ...]:
    """Chapter 4's regional sections in report order, each with its lanes and counts."""
    policies = bundle.policies
    out = []
    for section, codes in pc.regional_lanes(bundle.sections, pc.lanes(policies), bundle.clusters):
        lanes = charts.lanes_text(codes, lang) if codes else ""
        count = ""
        if codes:
            by_period = pc.period_counts(policies, codes)
            early, late = (by_period[p] for p in POLICY_PERIODS)
            count = t(
                "policies.region.count",
                lang,
                lanes=lanes,
                n=sum(by_period.values()),
                early=early,
                late=late,
            )
        out.append(Panel(section, codes, count, lanes))
    return tuple(out)


@dataclass(frozen=True)
class Detail:
    """The open policy's row, its regional section and the countries the map link shows."""

    row: pd.Series
    section: pd.Series | None
    map_countries: tuple[str, ...]


def detail(bundle: Bundle, policy_id: str) -> Detail:
    """What the details panel of ``policy_id`` needs from the data."""
    row = bundle.policies.set_index("policy_id").loc[policy_id]
    code = str(row["jurisdiction"])
    return Detail(
        row=row,
        section=pc.regional_section(code, bundle.sections, bundle.clusters),
        map_countries=pc.map_countries(code, bundle.clusters),
    )


@dataclass(frozen=True)
class ThemeView:
    """Theme × period for the chosen lanes: figure, table, the claim's sentences, scope."""

    figure: go.Figure
    table: pd.DataFrame
    claim: tuple[str, ...]
    scope: str


def theme_view(bundle: Bundle, lanes: tuple[str, ...], lang: Lang) -> ThemeView:
    """The theme × period test of the report's comparison over ``lanes`` (empty: all)."""
    policies = bundle.policies
    base = pc.filter_policies(policies, pc.PolicyFilters(jurisdictions=lanes))
    counts = pc.theme_period_counts(base)
    scope = pc.scope_text(lanes, len(base), pc.lanes(policies), lang)
    return ThemeView(
        figure=frozen(charts.build_theme_chart(counts, lang)),
        table=charts.theme_table(counts, lang),
        claim=tuple(pc.claim_caption(counts, scope, lang)),
        scope=scope,
    )
