"""Headline figures and charts of the overview page, computed from the dataset. No ``st.*``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components.captions import named_list_source, named_sources
from components.charts import house_layout
from components.data import Bundle
from components.i18n import Lang, continent_name, join_list, punct, sector_name, t, wrap_label
from components.matrices import reconciliation
from components.memo import per_dataset
from components.safe import escape_md
from components.svg_charts import Series, Svg, stacked_bars_svg
from components.vocab import CONTINENTS, SECTORS

NAMED_COLOR = "#0B5394"
UNNAMED_COLOR = "#C9D3DD"
BEYOND_HEADROOM = 1.5  # the slide's axis where a bar's total reads "59 named · report 55"


@dataclass(frozen=True)
class Headline:
    """The overview's key numbers."""

    total: int  # clusters counted by figure 2-1
    named: int  # clusters named in the available text
    unnamed: int  # counted but not named
    countries: int  # countries among the named clusters
    policies: int
    trends: int
    beyond: int = 0  # named clusters past figure 2-1's count of their cell (uploaded data only)


@per_dataset
def headline(bundle: Bundle) -> Headline:
    """Key numbers read from the dataset (nothing typed by hand)."""
    rec = reconciliation(bundle)
    return Headline(
        total=int(rec["published"].sum()),
        named=len(bundle.clusters),
        unnamed=int(rec["unnamed"].clip(lower=0).sum()),  # a cell naming more counts none
        countries=int(bundle.clusters["country"].nunique()),
        policies=len(bundle.policies),
        trends=len(bundle.trends),
        beyond=int((rec["named"] - rec["published"]).clip(lower=0).sum()),
    )


@per_dataset
def coverage(bundle: Bundle, by: str) -> pd.DataFrame:
    """Named vs counted-but-unnamed clusters per ``by`` (``"continent"`` or ``"sector"``).

    Columns: ``by``, ``published``, ``named``, ``unnamed``; rows in the fixed display order.
    """
    order = CONTINENTS if by == "continent" else SECTORS
    rec = reconciliation(bundle)
    rec["unnamed"] = rec["unnamed"].clip(lower=0)  # data naming more than figure 2-1 counts
    rec = rec.groupby(by)[["published", "named", "unnamed"]].sum()
    return rec.reindex(list(order)).fillna(0).astype(int).reset_index()


def coverage_table(cov: pd.DataFrame, by: str, lang: Lang) -> pd.DataFrame:
    """The coverage counts as the CSV download shows them: localised labels and column names."""
    namer = continent_name if by == "continent" else sector_name
    return pd.DataFrame(
        {
            t(f"common.{by}", lang): [namer(code, lang) for code in cov[by]],
            t("overview.col.published", lang): cov["published"].astype(int),
            t("overview.legend_named", lang): cov["named"].astype(int),
            t("overview.legend_unnamed", lang): cov["unnamed"].astype(int),
        }
    )


def beyond_report(cov: pd.DataFrame) -> pd.Series:
    """Per row of :func:`coverage`, whether its bar passes the report's count: the data in use
    names more clusters than figure 2-1 counts in some of its cells (an upload can; the
    report's own data never does), so named + counted-but-unnamed exceeds the count."""
    return cov["named"] + cov["unnamed"] > cov["published"]


def total_texts(cov: pd.DataFrame, lang: Lang) -> list[str]:
    """The text after each coverage bar: figure 2-1's count, or, where the bar passes it, the
    named clusters and the report's count side by side ("59 named · report 55")."""
    return [
        t("overview.total_beyond", lang, named=int(n), published=int(p)) if over else str(int(p))
        for p, n, over in zip(cov["published"], cov["named"], beyond_report(cov), strict=True)
    ]


def coverage_note(cov: pd.DataFrame, by: str, lang: Lang) -> str:
    """A line under the coverage chart naming the bars that pass the report's count, each with
    both numbers (``""`` when none does)."""
    namer = continent_name if by == "continent" else sector_name
    over = cov[beyond_report(cov)]
    if over.empty:
        return ""
    items = [
        t("overview.beyond_item", lang, label=namer(code, lang), named=int(n), published=int(p))
        for code, n, p in zip(over[by], over["named"], over["published"], strict=True)
    ]
    return t("overview.beyond_note", lang, items=join_list(items, lang))


@per_dataset
def coverage_notes(bundle: Bundle, by: str, lang: Lang) -> str:
    """:func:`coverage_note` for the dataset (built once per dataset and language)."""
    return coverage_note(coverage(bundle, by), by, lang)


@per_dataset
def unnamed_by_sector(bundle: Bundle) -> pd.DataFrame:
    """Sectors of the counted-but-unnamed clusters (``sector``, ``continent``, ``unnamed`` > 0)."""
    rec = reconciliation(bundle)
    return rec.loc[rec["unnamed"] > 0, ["sector", "continent", "unnamed"]].reset_index(drop=True)


def gap_parts(bundle: Bundle, lang: Lang) -> list[str]:
    """One phrase per sector × continent cell with counted-but-unnamed clusters."""
    return [
        t(
            "overview.gap_part",
            lang,
            n=int(row.unnamed),
            sector=sector_name(row.sector, lang),
            continent=continent_name(row.continent, lang),
        )
        for row in unnamed_by_sector(bundle).itertuples()
    ]


@per_dataset
def gap_text(bundle: Bundle, lang: Lang) -> str:
    """The coverage gap in words: how many clusters are named, where the names come from, and
    the sector and continent of the counted-but-unnamed ones. Data naming more clusters in a
    sector and continent than figure 2-1 counts there (an upload) is said so: the named and the
    unnamed then add up to more than the report's total."""
    head = headline(bundle)
    parts = gap_parts(bundle, lang)
    intro = t(
        "overview.gap_beyond" if head.beyond else "overview.gap",
        lang,
        beyond=head.beyond,
        named=head.named,
        total=head.total,
        unnamed=head.unnamed,
        where=named_sources(bundle, lang),
    )
    return intro + join_list(parts, lang, "clause") + punct("stop", lang)


@per_dataset
def trend_lines(bundle: Bundle, lang: Lang) -> tuple[str, ...]:
    """The report's trends as numbered markdown lines (titles escaped), in report order."""
    return tuple(
        f"**{int(row.trend_no)}.** {escape_md(getattr(row, f'title_{lang}'))}"
        for row in bundle.trends.sort_values("trend_no").itertuples(index=False)
    )


@per_dataset
def coverage_csv(bundle: Bundle, by: str, lang: Lang) -> pd.DataFrame:
    """The table of the overview's coverage chart for ``by`` (its CSV download), built once per
    dataset and language (shared between reruns and sessions: never changed after this). The
    page needs no plotly figure: its chart is SVG, and a briefing slide of it is drawn by
    ``components.briefing``'s renderer from :func:`build_coverage_bar`."""
    return coverage_table(coverage(bundle, by), by, lang)


@per_dataset
def coverage_svg(bundle: Bundle, by: str, lang: Lang) -> Svg:
    """The overview page's drawing of the coverage chart for ``by``: the same bars, numbers and
    legend as :func:`build_coverage_bar`'s figure (which the briefing keeps using), as SVG text
    (no chart code for the browser to load). Built once per dataset and language."""
    return build_coverage_svg(coverage(bundle, by), by, lang)


def build_coverage_svg(cov: pd.DataFrame, by: str, lang: Lang) -> Svg:
    """Horizontal stacked bars as SVG: named and counted-but-unnamed clusters per category, the
    report's count after each bar; ``aria-label`` states every number."""
    namer = continent_name if by == "continent" else sector_name
    names = [namer(code, lang) for code in cov[by]]
    parts = (
        ("named", NAMED_COLOR, "#ffffff", "overview.legend_named"),
        ("unnamed", UNNAMED_COLOR, "#1f2933", "overview.legend_unnamed"),
    )
    series = [
        Series(t(key, lang), tuple(int(v) for v in cov[col]), color, text)
        for col, color, text, key in parts
    ]
    hover = [
        [
            t("overview.chart_hover", lang, label=name, series=s.name, n=v)
            for name, v in zip(names, s.values, strict=True)
        ]
        for s in series
    ]
    rows = zip(
        names, cov["published"], cov["named"], cov["unnamed"], beyond_report(cov), strict=True
    )
    items = [
        t(
            "overview.chart_item_beyond" if over else "overview.chart_item",
            lang,
            label=name,
            published=p,
            named=n,
            unnamed=u,
        )
        for name, p, n, u, over in rows
    ]
    title = t(f"overview.by_{by}", lang)
    summary = title + punct("colon", lang) + join_list(items, lang, "clause") + punct("stop", lang)
    return stacked_bars_svg(
        [wrap_label(name, lang).split("<br>") for name in names],
        series,
        [int(v) for v in cov["published"]],
        title=title,
        desc=t(f"overview.chart_desc.{by}", lang),
        summary=summary,
        axis_title=t("common.clusters", lang),
        hover=hover,
        total_labels=total_texts(cov, lang),
    )


def warm(bundle: Bundle, lang: Lang) -> None:
    """Compute and keep what ``pages/overview.py`` asks for in ``lang`` (a launcher does this
    before the first visitor arrives: ``components.warmup.prestart``)."""
    headline(bundle)
    gap_text(bundle, lang)
    named_list_source(bundle, lang)
    for by in ("continent", "sector"):
        coverage_csv(bundle, by, lang)
        coverage_svg(bundle, by, lang)
        coverage_notes(bundle, by, lang)
    trend_lines(bundle, lang)


def build_coverage_bar(cov: pd.DataFrame, by: str, lang: Lang) -> go.Figure:
    """Horizontal stacked bars: named clusters and counted-but-unnamed ones, per category."""
    namer = continent_name if by == "continent" else sector_name
    labels = [namer(code, lang) for code in cov[by]]
    traces: list[dict] = [
        {
            "type": "bar",
            "y": labels,
            "x": cov[col],
            "name": t(key, lang),
            "orientation": "h",
            "marker": {"color": color},
            "text": [str(v) if v else "" for v in cov[col]],
            "textposition": "inside",
            "insidetextanchor": "middle",
            "textangle": 0,
            "constraintext": "none",
            "hovertemplate": "%{y}: %{x}<extra>" + t(key, lang) + "</extra>",
        }
        for col, color, key in (
            ("named", NAMED_COLOR, "overview.legend_named"),
            ("unnamed", UNNAMED_COLOR, "overview.legend_unnamed"),
        )
    ]
    # Totals printed at the end of each bar.
    traces.append(
        {
            "type": "scatter",
            "y": labels,
            "x": [
                max(p, n + u)
                for p, n, u in zip(cov["published"], cov["named"], cov["unnamed"], strict=True)
            ],
            "mode": "text",
            "text": [f"  {v}" for v in total_texts(cov, lang)],
            "textposition": "middle right",
            "cliponaxis": False,
            "showlegend": False,
            "hoverinfo": "skip",
        }
    )
    top = max(int(cov["published"].max()), int((cov["named"] + cov["unnamed"]).max()), 1)
    headroom = BEYOND_HEADROOM if beyond_report(cov).any() else 1.15
    layout = house_layout(
        height=120 + 46 * len(cov),
        barmode="stack",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
        # room for the totals after the bars: more where a bar gives two numbers
        xaxis={"title": t("common.clusters", lang), "range": [0, top * headroom]},
        yaxis={"autorange": "reversed", "automargin": True},
        bargap=0.3,
    )
    return go.Figure(data=traces, layout=layout)
