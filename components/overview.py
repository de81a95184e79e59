"""Headline figures and charts of the overview page, computed from the dataset. No ``st.*``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components.charts import apply_layout
from components.data import Bundle
from components.i18n import Lang, continent_name, sector_name, t
from components.matrices import reconciliation
from components.memo import per_dataset
from components.vocab import CONTINENTS, SECTORS

NAMED_COLOR = "#0B5394"
UNNAMED_COLOR = "#C9D3DD"


@dataclass(frozen=True)
class Headline:
    """The overview's key numbers."""

    total: int  # clusters counted by figure 2-1
    named: int  # clusters named in the available text
    unnamed: int  # counted but not named
    countries: int  # countries among the named clusters
    policies: int
    trends: int


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


@per_dataset
def unnamed_by_sector(bundle: Bundle) -> pd.DataFrame:
    """Sectors of the counted-but-unnamed clusters (``sector``, ``continent``, ``unnamed`` > 0)."""
    rec = reconciliation(bundle)
    return rec.loc[rec["unnamed"] > 0, ["sector", "continent", "unnamed"]].reset_index(drop=True)


@per_dataset
def coverage_chart(bundle: Bundle, by: str, lang: Lang) -> tuple[go.Figure, pd.DataFrame]:
    """The overview's coverage chart for ``by`` and its CSV table, built once per dataset and
    language (shared between reruns and sessions: never changed after this)."""
    cov = coverage(bundle, by)
    return build_coverage_bar(cov, by, lang), coverage_table(cov, by, lang)


def build_coverage_bar(cov: pd.DataFrame, by: str, lang: Lang) -> go.Figure:
    """Horizontal stacked bars: named clusters and counted-but-unnamed ones, per category."""
    namer = continent_name if by == "continent" else sector_name
    labels = [namer(code, lang) for code in cov[by]]
    fig = go.Figure()
    for col, color, key in (
        ("named", NAMED_COLOR, "overview.legend_named"),
        ("unnamed", UNNAMED_COLOR, "overview.legend_unnamed"),
    ):
        fig.add_bar(
            y=labels,
            x=cov[col],
            name=t(key, lang),
            orientation="h",
            marker_color=color,
            text=[str(v) if v else "" for v in cov[col]],
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            constraintext="none",
            hovertemplate="%{y}: %{x}<extra>" + t(key, lang) + "</extra>",
        )
    # Totals printed at the end of each bar.
    fig.add_scatter(
        y=labels,
        x=[
            max(p, n + u)
            for p, n, u in zip(cov["published"], cov["named"], cov["unnamed"], strict=True)
        ],
        mode="text",
        text=[f"  {v}" for v in cov["published"]],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
    )
    apply_layout(fig, height=120 + 46 * len(cov))
    top = max(int(cov["published"].max()), int((cov["named"] + cov["unnamed"]).max()), 1)
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
        xaxis={"title": t("common.clusters", lang), "range": [0, top * 1.15]},
        yaxis={"autorange": "reversed", "automargin": True},
        bargap=0.3,
    )
    return fig
