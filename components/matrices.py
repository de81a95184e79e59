"""Sector × continent and sector × country matrices and their measures. Pure pandas, no ``st.*``.

Counts come from two sources that must never be mixed silently: the report's figure 2-1
(``published``, 150 clusters) and the named cluster list (``named``, computed from
``clusters.csv``). ``difference`` = published − named shows where the unnamed clusters sit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from components.vocab import CONTINENTS, SECTORS

if TYPE_CHECKING:
    from components.data import Bundle
from components.memo import per_dataset

Measure = Literal["count", "share_continent", "share_sector", "lq"]
Source = Literal["published", "named", "difference"]
MEASURES: tuple[Measure, ...] = ("count", "share_continent", "share_sector", "lq")
SOURCES: tuple[Source, ...] = ("published", "named", "difference")
CELL_SEP = "."


def _frame(values: pd.DataFrame | None = None) -> pd.DataFrame:
    """An all-zero sector × continent frame in the fixed display order (or ``values`` reindexed)."""
    base = pd.DataFrame(0, index=pd.Index(SECTORS, name="sector"), columns=list(CONTINENTS))
    base.columns.name = "continent"
    if values is None:
        return base
    out = values.reindex(index=list(SECTORS), columns=list(CONTINENTS), fill_value=0)
    out.index.name, out.columns.name = "sector", "continent"
    return out.fillna(0).astype(int)


def published_matrix(sector_continent: pd.DataFrame) -> pd.DataFrame:
    """Figure 2-1 as a sector × continent matrix of ints (rows SECTORS, columns CONTINENTS)."""
    wide = sector_continent.pivot_table(
        index="sector", columns="continent", values="clusters", aggfunc="sum"
    )
    return _frame(wide)


def named_matrix(clusters: pd.DataFrame) -> pd.DataFrame:
    """Named clusters counted per sector × continent (same shape as :func:`published_matrix`)."""
    if clusters.empty:
        return _frame()
    return _frame(pd.crosstab(clusters["sector"], clusters["continent"]))


def difference_matrix(published: pd.DataFrame, named: pd.DataFrame) -> pd.DataFrame:
    """Published − named: clusters counted by figure 2-1 but not named in the available text.

    The one definition of "unnamed" in the app: the reconciliation, the overview, the map's notes
    and the heatmap's drill-down all read it from here.
    """
    return published - named


def source_matrices(
    sector_continent: pd.DataFrame, clusters: pd.DataFrame
) -> dict[Source, pd.DataFrame]:
    """The count matrix of every source: ``published``, ``named`` and their ``difference``."""
    published = published_matrix(sector_continent)
    named = named_matrix(clusters)
    return {
        "published": published,
        "named": named,
        "difference": difference_matrix(published, named),
    }


def share_of_continent(counts: pd.DataFrame) -> pd.DataFrame:
    """Each cell / its continent's total (columns sum to 1; an empty continent is NaN)."""
    col = counts.sum(axis=0).replace(0, np.nan)
    return counts.div(col, axis=1).astype(float)


def share_of_sector(counts: pd.DataFrame) -> pd.DataFrame:
    """Each cell / its sector's total (rows sum to 1; an empty sector is NaN)."""
    row = counts.sum(axis=1).replace(0, np.nan)
    return counts.div(row, axis=0).astype(float)


def location_quotient(counts: pd.DataFrame) -> pd.DataFrame:
    """Specialisation index: (cell / continent total) / (sector total / grand total).

    1.0 = the continent holds the sector in the same proportion as the world; 0 where the cell is
    empty; NaN where the continent or the sector has no clusters at all.
    """
    total = counts.to_numpy().sum()
    if total == 0:
        return counts.astype(float) * np.nan
    sector_share = counts.sum(axis=1) / total
    return share_of_continent(counts).div(sector_share.replace(0, np.nan), axis=0)


def measure_matrix(counts: pd.DataFrame, measure: Measure) -> pd.DataFrame:
    """The values of ``measure`` for a count matrix (float; NaN where undefined)."""
    if measure == "count":
        return counts.astype(float)
    if measure == "share_continent":
        return share_of_continent(counts)
    if measure == "share_sector":
        return share_of_sector(counts)
    if measure == "lq":
        return location_quotient(counts)
    raise ValueError(f"unknown measure {measure!r}")


def country_matrix(clusters: pd.DataFrame, continents: Sequence[str] = ()) -> pd.DataFrame:
    """Named clusters per country × sector, countries sorted by cluster count (most first).

    ``continents`` narrows the countries to those continents (empty: all). Ties are broken by
    the continent order, then the ISO code, so the order does not depend on the language.
    """
    df = clusters if not continents else clusters[clusters["continent"].isin(continents)]
    if df.empty:
        empty = pd.DataFrame(columns=list(SECTORS), dtype=int)
        empty.index.name, empty.columns.name = "country", "sector"
        return empty
    wide = pd.crosstab(df["country"], df["sector"]).reindex(columns=list(SECTORS), fill_value=0)
    home = df.groupby("country")["continent"].first()
    order = pd.DataFrame(
        {
            "n": wide.sum(axis=1),
            "cont": home.map({c: i for i, c in enumerate(CONTINENTS)}).reindex(wide.index),
            "code": wide.index,
        },
        index=wide.index,
    ).sort_values(["n", "cont", "code"], ascending=[False, True, True])
    out = wide.loc[order.index].astype(int)
    out.index.name, out.columns.name = "country", "sector"
    return out


def cell_code(sector: str, continent: str) -> str:
    """``"consumer.EU"``: a cell as kept in the URL."""
    return f"{sector}{CELL_SEP}{continent}"


def cell_codes() -> list[str]:
    """Every valid cell code, row by row."""
    return [cell_code(s, c) for s in SECTORS for c in CONTINENTS]


def parse_cell(raw: object) -> tuple[str, str] | None:
    """``"consumer.EU"`` → ``("consumer", "EU")``; anything else → ``None``."""
    if not isinstance(raw, str) or raw.count(CELL_SEP) != 1:
        return None
    sector, continent = raw.split(CELL_SEP)
    if sector in SECTORS and continent in CONTINENTS:
        return sector, continent
    return None


def clicked_cells(event: object) -> list[str]:
    """The cell codes of the points picked in a plotly selection event (``customdata``)."""
    try:
        points = event["selection"]["points"] or []  # type: ignore[index]
    except (KeyError, TypeError):
        return []
    return [
        p["customdata"] for p in points if isinstance(p, dict) and parse_cell(p.get("customdata"))
    ]


def cell_clusters(clusters: pd.DataFrame, sector: str, continent: str) -> pd.DataFrame:
    """The named clusters of one cell, in annex order (table-only clusters last)."""
    mask = (clusters["sector"] == sector) & (clusters["continent"] == continent)
    df = clusters[mask]
    if "annex_no" in df.columns:
        df = df.sort_values(["annex_no", "cluster_id"], na_position="last")
    return df.reset_index(drop=True)


def cell_summary(
    matrices: dict[Source, pd.DataFrame], sector: str, continent: str
) -> dict[str, int]:
    """``published``, ``named`` and ``unnamed`` counts of one cell of :func:`source_matrices`."""
    return {
        key: int(matrices[src].at[sector, continent])
        for key, src in (("published", "published"), ("named", "named"), ("unnamed", "difference"))
    }


@per_dataset
def dataset_matrices(bundle: Bundle) -> dict[Source, pd.DataFrame]:
    """:func:`source_matrices` of ``bundle``, computed once per dataset."""
    return source_matrices(bundle.sector_continent, bundle.clusters)


@per_dataset
def dataset_country_matrix(bundle: Bundle, continents: tuple[str, ...] = ()) -> pd.DataFrame:
    """:func:`country_matrix` of ``bundle``'s clusters, once per dataset and continents."""
    return country_matrix(bundle.clusters, continents)


@per_dataset
def reconciliation(bundle: Bundle) -> pd.DataFrame:
    """Figure 2-1's count per sector x continent against the clusters named in the dataset.

    Columns ``sector``, ``continent``, ``published``, ``named``, ``unnamed`` (published − named,
    :func:`difference_matrix`); one row per pair in ``SECTORS`` x ``CONTINENTS`` order.
    """
    m = dataset_matrices(bundle)
    rows = [
        (
            s,
            c,
            int(m["published"].at[s, c]),
            int(m["named"].at[s, c]),
            int(m["difference"].at[s, c]),
        )
        for s in SECTORS
        for c in CONTINENTS
    ]
    return pd.DataFrame(rows, columns=["sector", "continent", "published", "named", "unnamed"])


@per_dataset
def unnamed_total(bundle: Bundle) -> int:
    """How many clusters figure 2-1 counts that the dataset does not name."""
    return int(reconciliation(bundle)["unnamed"].sum())
