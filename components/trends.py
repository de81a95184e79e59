"""Trend explorer: the trends of chapter 6 with their evidence, the report panels and a
search over the report text in the dataset. Pure functions, no ``st.*``.

Every selection the page shows is made by a rule defined here, and the page prints the rule's
own description (:func:`describe_cluster_rule`, :func:`describe_related_rule`,
:func:`describe_policy_rule`), so what is listed is exactly what the sentence above it says:

- **policies** of a trend: the policies of table 6-2 whose ``themes`` (our classification)
  include one of :data:`TREND_THEMES` of the trend;
- **clusters** of a trend: :data:`CLUSTER_RULES` (e.g. "clusters whose name or lead industry
  mentions 低碳 …"), matched on the report's Chinese text;
- **related facts** of a trend: facts linked to no trend whose ``metric_zh`` mentions one of
  :data:`RELATED_TERMS` of the trend;
- **fact charts**: facts of one report section in the same unit of amount that differ only in
  period (a series) or only in region (a comparison) are drawn together (:func:`fact_groups`).

Match terms live in the catalogue (``trends.term.<key>``): the ``zh`` entry is the pattern
matched against the report's Chinese, the ``en`` entry shows that pattern with a gloss.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from components.captions import source_line
from components.charts import apply_layout, frozen
from components.i18n import (
    LANGS,
    Lang,
    catalogue,
    continent_name,
    country_name,
    join_list,
    sector_name,
    t,
    wrap_label,
)
from components.matrices import reconciliation
from components.safe import escape_md, is_blank
from components.sources import chapter_of, cite
from components.vocab import CONTINENTS, SECTION_KINDS

if TYPE_CHECKING:
    from components.data import Bundle

# --------------------------------------------------------------------------------------------
# Rules (documented on screen through the describe_* functions)

# Trend -> policy themes (policies.themes vocabulary). Our mapping from each trend's subject:
# 1 names the aims of the policy waves (振兴工业, 高技术产业, 促进创新); 3 industrial chains;
# 4 cluster programmes and organisations; 5 basic research; 6 digital; 7 low-carbon.
# 2 (text missing) and 8 (culture: no theme of the vocabulary fits) have none.
TREND_THEMES: dict[int, tuple[str, ...]] = {
    1: ("innovation", "industry-revival", "high-tech"),
    2: (),
    3: ("supply-chain",),
    4: ("cluster",),
    5: ("basic-research",),
    6: ("digital",),
    7: ("green",),
    8: (),
}


@dataclass(frozen=True)
class ClusterRule:
    """How the clusters illustrating a trend are chosen.

    ``kind``: ``text`` (``fields`` of clusters.csv mention one of ``terms``), ``country`` (the
    cluster is in one of ``countries``), ``research`` (the report names a research institution of
    the cluster), ``all`` (every named cluster: the trend is about the clusters as a whole) or
    ``none`` (no cluster rule).
    """

    kind: str
    fields: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()  # catalogue keys trends.term.<key>
    countries: tuple[str, ...] = ()


CLUSTER_RULES: dict[int, ClusterRule] = {
    1: ClusterRule("none"),  # the trend is about the policy waves: see the policies
    2: ClusterRule("all"),  # text missing: the trend's subject, the influential clusters
    3: ClusterRule("country", countries=("MEX", "VNM")),  # the places the surviving text names
    4: ClusterRule("research"),  # government-industry-academia-research linkage
    5: ClusterRule(
        "text",
        fields=("name_zh", "lead_industry_zh"),
        terms=("additive", "printing_3d", "ai", "smart_materials"),
    ),
    6: ClusterRule(
        "text",
        fields=("lead_industry_zh",),
        terms=("blockchain", "big_data", "cloud", "internet", "ai", "software", "info", "it"),
    ),
    7: ClusterRule(
        "text",
        fields=("name_zh", "lead_industry_zh"),
        terms=("low_carbon", "carbon_capture", "net_zero", "environment", "solar", "renewable"),
    ),
    8: ClusterRule("text", fields=("name_zh",), terms=("valley",)),  # branded like 硅谷
}

# Trend -> terms of metric_zh that make an unlinked fact "related".
RELATED_TERMS: dict[int, tuple[str, ...]] = {
    1: ("policy",),
    2: ("world_economy", "mva"),
    3: ("manufacturing_centre", "belt", "mva"),
    4: ("innovation_carrier", "government"),
    5: ("basic_research",),
    6: ("digital", "supplier"),
    7: ("carbon",),
    8: ("culture", "brand"),
}

AMOUNT_UNITS: tuple[str, ...] = ("percent", "usd_100m", "usd_billion", "gbp_billion")
PANELS: dict[str, str] = {  # panel code -> sections.kind, in display order
    "value": "value",
    "tech": "tech_theme",
    "regional": "regional_policy",
    "research": "research_theme",
    "recs": "recommendation",
}
VIEWS: tuple[str, ...] = ("trends", *PANELS)
SECTION_CHAPTERS: dict[str, int] = SECTION_KINDS  # sections.kind -> its chapter
MAX_HITS = 40
SNIPPET = 60  # characters shown either side of the first match of a long text

BAR_COLOR = "#0072B2"
PERIOD_COLORS = {"2005-2021": "#0072B2", "2022-2023": "#D55E00"}


def term_pattern(term: str) -> str:
    """What ``term`` matches: the Chinese entry of ``trends.term.<term>``."""
    return t(f"trends.term.{term}", "zh")


def term_label(term: str, lang: Lang) -> str:
    """How ``term`` is shown: the pattern, glossed in English."""
    return t(f"trends.term.{term}", lang)


def _quoted(terms: Iterable[str], lang: Lang) -> str:
    return join_list((t("trends.quote", lang, text=term_label(x, lang)) for x in terms), lang)


def _mentions(text: object, terms: Sequence[str]) -> str:
    """The first term (key) whose pattern ``text`` contains, or ``""``."""
    s = "" if is_blank(text) else str(text)
    return next((x for x in terms if term_pattern(x) in s), "")


# --------------------------------------------------------------------------------------------
# Trends


@dataclass(frozen=True)
class TrendView:
    """One trend as the page shows it (in one language)."""

    trend_no: int
    title: str
    summary: str
    evidence: tuple[str, ...]
    source_ref: str
    missing: bool  # the report's body of this trend is missing from the source text
    partial: bool = False  # only part of the body survives (the summary says so)

    def notice(self, lang: Lang) -> str:
        """The plain "text missing" / "text partly missing" notice (empty when it is all there)."""
        if self.missing:
            return t("trends.missing", lang, ref=cite(self.source_ref, lang))
        if self.partial:
            return t("trends.partial", lang, ref=cite(self.source_ref, lang))
        return ""


def trend_numbers(bundle: Bundle) -> list[int]:
    """The trend numbers of the dataset, in order."""
    return sorted(int(n) for n in bundle.trends["trend_no"])


def trend_view(bundle: Bundle, trend_no: int, lang: Lang) -> TrendView:
    """Title, summary and evidence of ``trend_no`` in ``lang``; ``missing`` when no evidence."""
    row = bundle.trends.loc[bundle.trends["trend_no"] == trend_no].iloc[0]
    evidence = str(row[f"evidence_{lang}"])
    items = tuple(x for x in evidence.split(";") if x) if evidence else ()
    return TrendView(
        trend_no=int(trend_no),
        title=str(row[f"title_{lang}"]),
        summary=str(row[f"summary_{lang}"]),
        evidence=items,
        source_ref=str(row["source_ref"]),
        missing=not items,
        partial=bool(items) and text_status(str(row["summary_en"])) == "partial",
    )


def parse_trend(raw: str | None, valid: Sequence[int]) -> tuple[int | None, str | None]:
    """``?trend=`` → ``(number, None)``; ``(None, raw)`` when it is not one of ``valid``;
    ``(None, None)`` when absent."""
    if raw is None or raw == "":
        return None, None
    text = str(raw).strip()
    if re.fullmatch(r"[0-9]{1,3}", text) and int(text) in set(valid):
        return int(text), None
    return None, str(raw)


# --------------------------------------------------------------------------------------------
# Facts: formatting and chart builders


def fmt_number(value: float) -> str:
    """``3.2`` → ``"3.2"``, ``150.0`` → ``"150"``, ``8.02`` → ``"8.02"`` (no float noise)."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def unit_text(value: float, unit: str, lang: Lang) -> str:
    """The value with its unit, as printed: ``58 亿美元`` / ``USD 5.8 bn``, ``18%``."""
    if unit == "usd_100m":
        shown = {"zh": value, "en": value / 10}[lang]
    elif unit in ("usd_billion", "gbp_billion"):
        shown = {"zh": value * 10, "en": value}[lang]
    else:
        shown = value
    key = f"trends.unit.{unit}_one" if unit == "clusters" and value == 1 else f"trends.unit.{unit}"
    return t(key, lang, v=fmt_number(shown))


def value_text(value: float, unit: str, qualifier: str, lang: Lang) -> str:
    """``约 18%`` / ``about 18%``: the qualifier (约/近/超过) shown with the value."""
    body = unit_text(value, unit, lang)
    if qualifier in ("about", "nearly", "over"):
        return t(f"trends.qualifier.{qualifier}", lang, x=body)
    return body


def unit_axis(unit: str, lang: Lang) -> str:
    """Axis title for a unit (the scale the chart's numbers are in)."""
    return t(f"trends.axis.{unit}", lang)


_PERIOD_FORMS: tuple[tuple[str, str], ...] = (
    (r"(?P<a>\d{4})", "year"),
    (r"(?P<a>\d{4})-(?P<b>\d{4})", "range"),
    (r"(?P<a>\d{4})-", "since"),
    (r"c\. (?P<a>\d{4})-(?P<b>\d{4})", "circa"),
    (r"by (?P<a>\d{4})", "by"),
    (r"FY(?P<a>\d{4})", "fiscal"),
    (r"past (?P<n>\d+) years \(to (?P<a>\d{4})\)", "past"),
)


def period_text(period: str, lang: Lang) -> str:
    """A fact's ``period`` in words (``by 2025`` → ``到2025年``); unknown forms as they are."""
    if is_blank(period):
        return t("trends.period.none", lang)
    for pattern, form in _PERIOD_FORMS:
        if m := re.fullmatch(pattern, period.strip()):
            return t(f"trends.period.{form}", lang, **m.groupdict())
    return str(period)


def region_text(region: str, lang: Lang) -> str:
    """A fact's ``region`` in words: WORLD, EU, ISO3, continent code or a documented slug."""
    if region == "WORLD":
        return t("trends.region.world", lang)
    if region == "EU" or re.fullmatch(r"[A-Z]{3}", region):
        return country_name(region, lang)
    if region in CONTINENTS:
        return continent_name(region, lang)
    key = f"trends.region.{region.lower().replace('-', '_')}"
    return t(key, lang) if key in catalogue() else region


@dataclass(frozen=True)
class FactView:
    """One fact as a card shows it."""

    fact_id: str
    metric: str
    value: float
    unit: str
    qualifier: str
    text: str  # value with qualifier and unit
    period: str
    region: str
    quote_zh: str
    source_ref: str
    note: str


def fact_view(row: pd.Series | dict, lang: Lang) -> FactView:
    """A row of facts.csv as the page shows it in ``lang``."""
    r = dict(row)
    return FactView(
        fact_id=str(r["fact_id"]),
        metric=str(r[f"metric_{lang}"]),
        value=float(r["value"]),
        unit=str(r["unit"]),
        qualifier=str(r["qualifier"]),
        text=value_text(float(r["value"]), str(r["unit"]), str(r["qualifier"]), lang),
        period=period_text(str(r["period"]), lang),
        region=region_text(str(r["region"]), lang),
        quote_zh=str(r["quote_zh"]),
        source_ref=str(r["source_ref"]),
        note=str(r["note"]),
    )


@dataclass(frozen=True)
class FactGroup:
    """Facts drawn together: ``single`` (a value card), ``series`` (one region over periods:
    bars for two, a line for three or more) or ``regions`` (one period across regions: bars)."""

    kind: str
    facts: pd.DataFrame

    @property
    def chart(self) -> str:
        """``card``, ``bars`` or ``line``."""
        if self.kind == "single":
            return "card"
        return "line" if self.kind == "series" and len(self.facts) >= 3 else "bars"


def _period_start(period: str) -> int:
    m = re.search(r"\d{4}", str(period))
    return int(m.group()) if m else 0


def fact_groups(facts: pd.DataFrame) -> list[FactGroup]:
    """Group facts for charts (rule in the module docstring), in the order they first appear.

    Only amounts (``AMOUNT_UNITS``) are grouped: counts of different things are never drawn on
    one axis. A series needs one section, unit and region with distinct periods; a comparison one
    section, unit and period with distinct regions.
    """
    rows = facts.reset_index(drop=True)
    used: set[int] = set()
    groups: list[tuple[int, FactGroup]] = []
    amounts = rows[rows["unit"].isin(AMOUNT_UNITS) & (rows["period"] != "")]
    for kind, keys, varying in (
        ("series", ["source_ref", "unit", "region"], "period"),
        ("regions", ["source_ref", "unit", "period"], "region"),
    ):
        free = amounts[~amounts.index.isin(used)]
        for _, grp in free.groupby(keys, sort=False):
            if len(grp) < 2 or grp[varying].nunique() != len(grp):
                continue
            if kind == "series":
                grp = grp.assign(_s=grp["period"].map(_period_start)).sort_values("_s")
                grp = grp.drop(columns="_s")
            used |= set(grp.index)
            groups.append((int(grp.index.min()), FactGroup(kind, grp.reset_index(drop=True))))
    for i in rows.index:
        if i not in used:
            groups.append((int(i), FactGroup("single", rows.loc[[i]].reset_index(drop=True))))
    return [g for _, g in sorted(groups, key=lambda x: x[0])]


def build_fact_figure(group: FactGroup, lang: Lang) -> go.Figure:
    """Bars (two values) or a line (a series) of a group's facts, labelled with the qualifier,
    value and unit; the y axis starts at zero and is in the data's own unit."""
    views = [fact_view(r, lang) for _, r in group.facts.iterrows()]
    metrics = {v.metric for v in views}
    if group.kind == "series":
        x = [v.period for v in views]
    elif len(metrics) == 1:
        x = [v.region for v in views]
    else:
        x = [wrap_label(v.metric, lang, width=22) for v in views]
    y = [v.value for v in views]
    text = [v.text for v in views]
    hover = [f"{v.metric}<br>{v.region} · {v.period}" for v in views]
    fig = go.Figure()
    if group.chart == "line":
        fig.add_scatter(
            x=x,
            y=y,
            mode="lines+markers+text",
            text=text,
            textposition="top center",
            line={"color": BAR_COLOR, "width": 3},
            marker={"size": 10, "color": BAR_COLOR},
            hovertext=hover,
            hoverinfo="text",
            cliponaxis=False,
        )
    else:
        fig.add_bar(
            x=x,
            y=y,
            text=text,
            textposition="outside",
            marker_color=BAR_COLOR,
            hovertext=hover,
            hoverinfo="text",
            cliponaxis=False,
            width=0.5,
        )
    if len(metrics) == 1 or group.kind == "series":
        title = views[0].metric
    else:
        title = t("trends.versus", lang).join(dict.fromkeys(v.metric for v in views))
    apply_layout(fig, title=wrap_label(title, lang, width=60), height=300)
    fig.update_layout(
        showlegend=False,
        yaxis={"title": unit_axis(views[0].unit, lang), "rangemode": "tozero"},
        xaxis={"type": "category"},
        margin={"t": 90 if "<br>" in fig.layout.title.text else 70},
    )
    fig.update_yaxes(range=[0, max(y) * 1.3])
    fig.update_layout(title_font_size=16)
    return fig


def facts_table(facts: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The facts behind a chart or card, for the CSV download (values as in facts.csv)."""
    cols = ["fact_id", f"metric_{lang}", "value", "unit", "qualifier", "period", "region"]
    return facts[[*cols, "quote_zh", "source_ref", "note"]].reset_index(drop=True)


def trend_facts(bundle: Bundle, trend_no: int) -> pd.DataFrame:
    """Facts linked to ``trend_no`` (``facts.trend_no``), in file order."""
    facts = bundle.facts
    return facts[facts["trend_no"].fillna(0).astype(int) == int(trend_no)].reset_index(drop=True)


def related_facts(bundle: Bundle, trend_no: int) -> pd.DataFrame:
    """Facts linked to no trend whose ``metric_zh`` mentions a :data:`RELATED_TERMS` term of
    ``trend_no``; column ``matched`` holds the key of the term found."""
    terms = RELATED_TERMS.get(int(trend_no), ())
    facts = bundle.facts[bundle.facts["trend_no"].isna()]
    matched = facts["metric_zh"].map(lambda s: _mentions(s, terms))
    return facts.assign(matched=matched)[matched != ""].reset_index(drop=True)


def describe_related_rule(trend_no: int, lang: Lang) -> str:
    """The related-facts rule of ``trend_no`` in words (shown above the facts it selects)."""
    terms = RELATED_TERMS.get(int(trend_no), ())
    return t("trends.rule.related", lang, terms=_quoted(terms, lang))


def chapter_facts(bundle: Bundle, chapter: int) -> pd.DataFrame:
    """Facts whose ``source_ref`` is in ``chapter`` (the panels show their chapter's facts)."""
    facts = bundle.facts
    return facts[facts["source_ref"].map(chapter_of) == chapter].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Policies


def trend_policies(bundle: Bundle, trend_no: int) -> pd.DataFrame:
    """Policies of table 6-2 with a theme of :data:`TREND_THEMES` of ``trend_no``, by year."""
    themes = set(TREND_THEMES.get(int(trend_no), ()))
    pol = bundle.policies
    hit = pol["themes"].map(lambda s: bool(themes & set(str(s).split(";"))) if s else False)
    out = pol[hit].copy()
    return out.sort_values(["year", "policy_id"], na_position="last").reset_index(drop=True)


def inline_case(text: str) -> str:
    """A name as it reads inside a sentence: ``Supply chains`` → ``supply chains``; acronyms
    (``SMEs``) and scripts without case (Chinese) unchanged."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def theme_name(theme: str, lang: Lang) -> str:
    """A policy theme's name (``theme.<code>``, the one set every page uses) as it reads inside
    a sentence."""
    return inline_case(t(f"theme.{theme}", lang))


def describe_policy_rule(trend_no: int, lang: Lang) -> str:
    """The policy rule of ``trend_no`` in words."""
    themes = TREND_THEMES.get(int(trend_no), ())
    if not themes:
        return t("trends.rule.policies_none", lang)
    names = join_list((t("trends.quote", lang, text=theme_name(x, lang)) for x in themes), lang)
    return t("trends.rule.policies", lang, themes=names)


def build_policy_timeline(
    policies: pd.DataFrame, lang: Lang, order: Iterable[str] = ()
) -> go.Figure:
    """A compact timeline: one marker per dated policy, a row per jurisdiction (in ``order``,
    e.g. table 6-2's, then as they come), coloured by table 6-2's period; policies of one
    jurisdiction and year are stacked, not overdrawn."""
    dated = policies[policies["year"].notna()].copy()
    present = set(policies["jurisdiction"])
    order = [j for j in dict.fromkeys([*order, *policies["jurisdiction"]]) if j in present]
    row_of = {j: i for i, j in enumerate(order)}
    dated["_k"] = dated.groupby(["jurisdiction", "year"]).cumcount()
    dated["_n"] = dated.groupby(["jurisdiction", "year"])["policy_id"].transform("count")
    dated["_y"] = [
        row_of[j] + (k - (n - 1) / 2) * 0.22
        for j, k, n in zip(dated["jurisdiction"], dated["_k"], dated["_n"], strict=True)
    ]
    fig = go.Figure()
    for period, color in PERIOD_COLORS.items():
        part = dated[dated["period"] == period]
        if part.empty:
            continue
        fig.add_scatter(
            x=[int(y) for y in part["year"]],
            y=[float(y) for y in part["_y"]],
            mode="markers",
            name=t("trends.policy.period", lang, period=period),
            marker={"size": 11, "color": color, "line": {"width": 1, "color": "white"}},
            hovertext=[
                f"{name}<br>{int(year)} · {country_name(j, lang)}"
                for name, year, j in zip(
                    part[f"name_{lang}"], part["year"], part["jurisdiction"], strict=True
                )
            ],
            hoverinfo="text",
        )
    apply_layout(fig, height=max(200, 70 + 38 * len(order)))
    years = dated["year"].astype(int)
    span = [int(years.min()) - 1, int(years.max()) + 1] if len(years) else None
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        xaxis={
            "title": t("trends.policy.year_axis", lang),
            "dtick": 2 if len(years) and years.max() - years.min() > 6 else 1,
            "tickformat": "d",
            "range": span,
        },
        yaxis={
            "tickvals": list(range(len(order))),
            "ticktext": [country_name(j, lang) for j in order],
            "autorange": "reversed",
            "automargin": True,
            "showgrid": True,
        },
        margin={"t": 40},
    )
    return fig


def policies_table(policies: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The policies of a timeline for the CSV download."""
    cols = ["policy_id", "jurisdiction", "name_zh", "name_en", "period", "year", "year_source"]
    return policies[[*cols, "themes", "note", "source_ref"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Clusters


def _research_cluster_ids(bundle: Bundle) -> set[str]:
    orgs = bundle.organizations
    return set(orgs.loc[orgs["role"] == "research_institution", "cluster_id"])


def select_clusters(bundle: Bundle, rule: ClusterRule) -> pd.DataFrame:
    """The clusters ``rule`` selects, in file order, with ``matched``: the key of the term
    found (text rules), the country (country rules), ``research`` or ``all``."""
    c = bundle.clusters
    if rule.kind == "text":
        matched = pd.Series("", index=c.index)
        for col in reversed(rule.fields):  # the first field wins
            hit = c[col].map(lambda s: _mentions(s, rule.terms))
            matched = hit.where(hit != "", matched)
    elif rule.kind == "country":
        matched = c["country"].where(c["country"].isin(rule.countries), "")
    elif rule.kind == "research":
        ids = _research_cluster_ids(bundle)
        matched = c["cluster_id"].map(lambda x: "research" if x in ids else "")
    elif rule.kind == "all":
        matched = pd.Series("all", index=c.index)
    else:
        matched = pd.Series("", index=c.index)
    return c.assign(matched=matched)[matched != ""].reset_index(drop=True)


def describe_cluster_rule(bundle: Bundle, rule: ClusterRule, lang: Lang) -> str:
    """The rule in words, as printed above the clusters it selects."""
    if rule.kind == "text":
        where = t("trends.or", lang).join(t(f"trends.col.{f}", lang) for f in rule.fields)
        return t("trends.rule.clusters_text", lang, where=where, terms=_quoted(rule.terms, lang))
    if rule.kind == "country":
        names = join_list((country_name(x, lang) for x in rule.countries), lang)
        return t("trends.rule.clusters_country", lang, countries=names)
    if rule.kind == "research":
        orgs = bundle.organizations
        refs = sorted(set(orgs.loc[orgs["role"] == "research_institution", "source_ref"]))
        where = join_list((cite(r, lang) for r in refs), lang)
        return t("trends.rule.clusters_research", lang, refs=where)
    if rule.kind == "all":
        total = int(bundle.sector_continent["clusters"].sum())
        return t("trends.rule.clusters_all", lang, total=total, named=len(bundle.clusters))
    return t("trends.rule.clusters_none", lang)


def cluster_label(row: pd.Series | dict, lang: Lang, rule: ClusterRule) -> str:
    """``Name · Country (matched: 低碳)`` for a cluster selected by ``rule`` (plain text)."""
    r = dict(row)
    label = t(
        "trends.cluster_label",
        lang,
        name=r[f"name_{lang}"],
        country=country_name(str(r["country"]), lang),
    )
    if rule.kind == "text" and r.get("matched"):
        label += t("trends.cluster_matched", lang, term=term_label(str(r["matched"]), lang))
    return label


# --------------------------------------------------------------------------------------------
# Report panels and the recommendation mapping


def panel_sections(bundle: Bundle, panel: str) -> pd.DataFrame:
    """The sections of a panel (``PANELS``), in the report's order (by ``source_ref``)."""
    s = bundle.sections[bundle.sections["kind"] == PANELS[panel]]
    s = s.assign(_o=s["source_ref"].map(_ref_key)).sort_values("_o").drop(columns="_o")
    return s.reset_index(drop=True)


def _ref_key(ref: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", str(ref)))


_MISSING_OPENINGS = (
    "The text of this section is not in the available source",
    "The body of this section is missing",
)


def text_status(summary_en: str) -> str:
    """``missing``, ``partial`` or ``complete``, as a section's English summary states it
    (``data/README.md``: a summary of missing text says so, in both languages)."""
    text = str(summary_en)
    if text.startswith(_MISSING_OPENINGS):
        return "missing"
    return "partial" if "missing" in text.lower() else "complete"


def panel_tag(row: pd.Series | dict, lang: Lang) -> str:
    """The sector (ch3) or continent (ch4) a section is about, in words; else ``""``."""
    r = dict(row)
    if r.get("sector"):
        return sector_name(str(r["sector"]), lang)
    if r.get("continent"):
        return continent_name(str(r["continent"]), lang)
    return ""


INNOVATIONS_REF = "table 3-4"  # the table of companies' patents and innovations (chapter 3)


def innovations_table(bundle: Bundle, lang: Lang) -> pd.DataFrame:
    """Table 3-4 as the technology panel shows it: company, cluster, patents and innovations."""
    orgs = bundle.organizations
    orgs = orgs[(orgs["source_ref"] == INNOVATIONS_REF) & (orgs[f"innovations_{lang}"] != "")]
    names = dict(zip(bundle.clusters["cluster_id"], bundle.clusters[f"name_{lang}"], strict=True))
    return pd.DataFrame(
        {
            t("trends.panel.org_name", lang): orgs[f"name_{lang}"],
            t("trends.panel.org_cluster", lang): orgs["cluster_id"].map(names),
            t("trends.panel.org_innovations", lang): orgs[f"innovations_{lang}"],
        }
    ).reset_index(drop=True)


def continent_counts(bundle: Bundle) -> pd.DataFrame:
    """Clusters per continent: ``published`` (figure 2-1) and ``named``, in continent order."""
    rec = reconciliation(bundle).groupby("continent")[["published", "named"]].sum()
    rec = rec.reindex([c for c in CONTINENTS if c in rec.index]).astype(int)
    return rec.reset_index()


def keywords(row: pd.Series | dict, lang: Lang) -> list[str]:
    """A section's keywords in ``lang`` (``;``-list)."""
    text = str(dict(row).get(f"keywords_{lang}", ""))
    return [k for k in text.split(";") if k]


def recommendations_for(bundle: Bundle, trend_no: int) -> pd.DataFrame:
    """The recommendations linked to ``trend_no`` with their titles and the basis quote."""
    links = bundle.recommendation_trends
    links = links[links["trend_no"].astype(int) == int(trend_no)]
    sec = bundle.sections[["section_id", "title_zh", "title_en"]]
    return links.merge(sec, on="section_id", how="left").reset_index(drop=True)


def trends_for(bundle: Bundle, section_id: str) -> pd.DataFrame:
    """The trends a recommendation is linked to, with the basis quote, by trend number."""
    links = bundle.recommendation_trends
    links = links[links["section_id"] == section_id]
    return links.sort_values("trend_no").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Search


@dataclass(frozen=True)
class Doc:
    """One searchable text: where it is (``view`` and ``trend_no`` to jump to; ``None`` view
    when the page shows it nowhere), what it is (``where`` catalogue key and args) and its
    language."""

    view: str | None
    trend_no: int | None
    where: str
    args: tuple[tuple[str, object], ...]
    text_lang: Lang
    text: str


@dataclass(frozen=True)
class Hit:
    """A document and the ``(start, end)`` spans of the query in its text."""

    doc: Doc
    spans: tuple[tuple[int, int], ...] = field(default=())


def fact_targets(bundle: Bundle) -> dict[str, tuple[str | None, int | None]]:
    """Where the page shows each fact: ``("trends", n)`` for a linked fact or the first trend
    it is related to, ``(panel, None)`` for the panel of its chapter, else ``(None, None)``."""
    related: dict[str, int] = {}
    for n in reversed(trend_numbers(bundle)):
        related |= dict.fromkeys(related_facts(bundle, n)["fact_id"], n)
    panel_of = {SECTION_CHAPTERS[kind]: panel for panel, kind in PANELS.items()}
    out: dict[str, tuple[str | None, int | None]] = {}
    for fact in bundle.facts.itertuples(index=False):
        if not pd.isna(fact.trend_no):
            out[fact.fact_id] = ("trends", int(fact.trend_no))
        elif fact.fact_id in related:
            out[fact.fact_id] = ("trends", related[fact.fact_id])
        else:
            out[fact.fact_id] = (panel_of.get(chapter_of(fact.source_ref)), None)
    return out


def search_docs(bundle: Bundle) -> list[Doc]:
    """Every report text of the dataset, zh and en: trend titles, summaries and evidence,
    section titles, summaries and keywords, fact quotes and metrics, recommendation links."""
    docs: list[Doc] = []
    for row in bundle.trends.sort_values("trend_no").itertuples(index=False):
        n = int(row.trend_no)
        for lang in LANGS:
            for part in ("title", "summary"):
                docs.append(
                    Doc(
                        "trends",
                        n,
                        f"trends.field.{part}",
                        (("n", n),),
                        lang,
                        str(getattr(row, f"{part}_{lang}")),
                    )
                )
            for item in str(getattr(row, f"evidence_{lang}")).split(";"):
                if item:
                    docs.append(Doc("trends", n, "trends.field.evidence", (("n", n),), lang, item))
    for panel, kind in PANELS.items():
        for row in bundle.sections[bundle.sections["kind"] == kind].itertuples(index=False):
            args = (("ref", row.source_ref),)
            for lang in LANGS:
                for part in ("title", "summary", "keywords"):
                    text = str(getattr(row, f"{part}_{lang}"))
                    if text:
                        text = text.replace(";", punct_list(lang)) if part == "keywords" else text
                        docs.append(
                            Doc(panel, None, f"trends.field.section_{part}", args, lang, text)
                        )
    targets = fact_targets(bundle)
    for _, fact in bundle.facts.iterrows():
        view, n = targets[fact["fact_id"]]
        args = (("ref", fact["source_ref"]),)
        docs.append(Doc(view, n, "trends.field.quote", args, "zh", str(fact["quote_zh"])))
        for lang in LANGS:
            docs.append(
                Doc(view, n, "trends.field.metric", args, lang, str(fact[f"metric_{lang}"]))
            )
    for row in bundle.recommendation_trends.itertuples(index=False):
        args = (("ref", row.source_ref), ("n", int(row.trend_no)))
        for lang in LANGS:
            docs.append(
                Doc(
                    "recs",
                    None,
                    "trends.field.basis",
                    args,
                    lang,
                    str(getattr(row, f"basis_{lang}")),
                )
            )
    return docs


def punct_list(lang: Lang) -> str:
    """The list separator of ``lang`` (keywords are shown joined by it)."""
    return t("punct.list", lang)


def _normalise(text: str) -> tuple[str, list[int]]:
    """Lower-cased text without whitespace, and the original index of each character kept."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        low = ch.lower()
        chars.append(low)
        index.extend([i] * len(low))
    return "".join(chars), index


def find_spans(text: str, query: str) -> tuple[tuple[int, int], ...]:
    """Where ``query`` occurs in ``text``, ignoring case and whitespace (``2008年`` finds
    ``2008 年``); spans index the original text."""
    needle, _ = _normalise(query)
    if not needle:
        return ()
    hay, index = _normalise(text)
    spans: list[tuple[int, int]] = []
    start = hay.find(needle)
    while start != -1:
        end = start + len(needle) - 1
        spans.append((index[start], index[end] + 1))
        start = hay.find(needle, start + len(needle))
    return tuple(spans)


def search(docs: Sequence[Doc], query: str, limit: int = MAX_HITS) -> tuple[list[Hit], int]:
    """The first ``limit`` documents containing ``query`` and the total number of matches."""
    hits = [Hit(d, s) for d in docs if (s := find_spans(d.text, query))]
    return hits[:limit], len(hits)


def highlight_md(text: str, spans: Sequence[tuple[int, int]], width: int = SNIPPET) -> str:
    """Markdown of ``text`` (cut to ``width`` characters around the first match when long) with
    every match on an orange background. All text is escaped: hostile markup is shown as
    written, never rendered, and nothing becomes a link."""
    if not spans:
        return escape_md(text)
    lo, hi = 0, len(text)
    if len(text) > 2 * width + 20:
        lo = max(0, spans[0][0] - width)
        hi = min(len(text), spans[0][1] + width)
    out: list[str] = ["… " if lo > 0 else ""]
    pos = lo
    for a, b in spans:
        if a < pos or b > hi:
            continue
        out.append(escape_md(text[pos:a]))
        out.append(f":orange-background[{escape_md(text[a:b])}]")
        pos = b
    out.append(escape_md(text[pos:hi]))
    out.append(" …" if hi < len(text) else "")
    return "".join(out)


def hit_where(hit: Hit, lang: Lang) -> str:
    """Where a hit is, in words: ``趋势 3 · 摘要（英文）`` / ``Trend 3 · summary (English)``."""
    args = dict(hit.doc.args)
    if "ref" in args:
        args["ref"] = cite(str(args["ref"]), lang)
    where = t(hit.doc.where, lang, **args)
    return t(
        "trends.search.where",
        lang,
        where=where,
        language=t(f"trends.lang.{hit.doc.text_lang}", lang),
    )


# --------------------------------------------------------------------------------------------
# What the page shows, built once per dataset (components.memo keeps these: never mutate them)


@dataclass(frozen=True)
class FactChart:
    """One chart of grouped figures: the figure, its file name, source, table, quotes, notes."""

    figure: go.Figure
    name: str
    source: str
    table: pd.DataFrame
    quotes: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class FactsContent:
    """Facts as the page draws them: charts, single-value cards, and the table of all."""

    charts: tuple[FactChart, ...]
    cards: tuple[FactView, ...]
    table: pd.DataFrame


def facts_content(facts: pd.DataFrame, key: str, lang: Lang) -> FactsContent:
    """Charts for grouped figures (bars or a line), cards for the others, and one table."""
    groups = fact_groups(facts)
    charts = tuple(
        FactChart(
            figure=frozen(build_fact_figure(g, lang)),
            name=f"{key}_{g.facts['fact_id'].iloc[0]}",
            source=source_line(lang, sorted(set(g.facts["source_ref"]))),
            table=facts_table(g.facts, lang),
            quotes=tuple(dict.fromkeys(g.facts["quote_zh"])),
            notes=tuple(dict.fromkeys(n for n in g.facts["note"] if n)),
        )
        for g in groups
        if g.chart != "card"
    )
    cards = tuple(fact_view(g.facts.iloc[0], lang) for g in groups if g.chart == "card")
    return FactsContent(charts, cards, facts_table(facts, lang))


def trend_facts_content(bundle: Bundle, trend_no: int, lang: Lang) -> FactsContent | None:
    """The facts linked to a trend (None when there are none)."""
    linked = trend_facts(bundle, trend_no)
    return None if linked.empty else facts_content(linked, f"trend{trend_no}", lang)


def related_facts_content(bundle: Bundle, trend_no: int, lang: Lang) -> FactsContent | None:
    """The facts related to a trend by its terms (None when there are none)."""
    related = related_facts(bundle, trend_no)
    if related.empty:
        return None
    return facts_content(related.drop(columns="matched"), f"trend{trend_no}_related", lang)


def chapter_facts_content(bundle: Bundle, chapter: int, lang: Lang) -> FactsContent | None:
    """The facts of a report chapter (None when there are none)."""
    facts = chapter_facts(bundle, chapter)
    return None if facts.empty else facts_content(facts, f"ch{chapter}", lang)


@dataclass(frozen=True)
class TrendPolicies:
    """A trend's policies: how many, how many dated, the timeline and table, undated names."""

    n: int
    dated: int
    figure: go.Figure | None
    table: pd.DataFrame
    undated: tuple[str, ...]


def trend_policies_content(bundle: Bundle, trend_no: int, lang: Lang) -> TrendPolicies:
    """The policies of a trend as the page shows them."""
    policies = trend_policies(bundle, trend_no)
    dated = int(policies["year"].notna().sum())
    figure = None
    if dated:
        order = bundle.policies["jurisdiction"]
        figure = frozen(build_policy_timeline(policies, lang, order=order))
    return TrendPolicies(
        n=len(policies),
        dated=dated,
        figure=figure,
        table=policies_table(policies, lang),
        undated=tuple(policies.loc[policies["year"].isna(), f"name_{lang}"]),
    )


@dataclass(frozen=True)
class TrendClusters:
    """A trend's clusters: the rule in words, and per continent counts or a cluster list."""

    rule: ClusterRule
    description: str
    by_continent: tuple[str, ...] = ()  # "all": one line per continent
    clusters: tuple[tuple[str, str], ...] = ()  # (cluster_id, label) of the chosen clusters
    chosen: pd.DataFrame | None = None


def trend_clusters_content(bundle: Bundle, trend_no: int, lang: Lang) -> TrendClusters:
    """The clusters illustrating a trend, by its rule."""
    rule = CLUSTER_RULES[trend_no]
    description = describe_cluster_rule(bundle, rule, lang)
    if rule.kind == "none":
        return TrendClusters(rule, description)
    if rule.kind == "all":
        lines = tuple(
            t(
                "trends.clusters.by_continent",
                lang,
                continent=continent_name(c.continent, lang),
                published=c.published,
                named=c.named,
            )
            for c in continent_counts(bundle).itertuples(index=False)
        )
        return TrendClusters(rule, description, by_continent=lines)
    chosen = select_clusters(bundle, rule)
    labels = tuple(
        (row["cluster_id"], cluster_label(row, lang, rule)) for row in chosen.to_dict("records")
    )
    return TrendClusters(rule, description, clusters=labels, chosen=chosen)


def nav_titles(bundle: Bundle, lang: Lang) -> tuple[tuple[int, str], ...]:
    """``(number, title)`` of every trend, in order (the trend list)."""
    return tuple((n, trend_view(bundle, n, lang).title) for n in trend_numbers(bundle))


def search_hits(bundle: Bundle, query: str, *, docs: Sequence[Doc]) -> tuple[list[Hit], int]:
    """:func:`search` of ``query`` over ``docs`` (the bundle's :func:`search_docs`)."""
    del bundle  # the documents are the bundle's; the memo keys on it
    return search(docs, query)
