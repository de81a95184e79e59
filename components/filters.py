"""Filters and search over the named clusters: the frozen ``Filters``. No ``st.*``.

Search is literal (no regex): after NFKC normalisation and case folding, every word of the query
(``basel health``) must appear in a cluster's text: its names, lead industries, places, country
(``Switzerland``, ``瑞士``) and the names of its organisations, in either language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from components.i18n import LANGS, Lang, country_name
from components.safe import is_blank


@dataclass(frozen=True)
class Filters:
    """What the reader chose: empty tuples mean no filter, ``query`` is free text."""

    continents: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    query: str = ""


# --- search and filters --------------------------------------------------------------------------


def normalize_text(text: object) -> str:
    """Text as compared by the search: NFKC (full-width → ASCII), case-folded, blanks collapsed."""
    if is_blank(text):
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def search_index(clusters: pd.DataFrame, organizations: pd.DataFrame) -> pd.Series:
    """Per ``cluster_id``, the searchable text: names, lead industries, places, country names in
    both languages, organisation names."""
    cols = ["name_zh", "name_en", "lead_industry_zh", "lead_industry_en", "place_en", "place_zh"]
    if clusters.empty:  # an empty list (e.g. a header-only file): an empty index of text
        return pd.Series([], index=pd.Index([], name="cluster_id"), dtype=object, name="search")
    own = clusters.set_index("cluster_id")[[c for c in cols if c in clusters]]
    countries = {
        c: normalize_text(" ".join(country_name(c, lg) for lg in LANGS))
        for c in clusters["country"].unique()
    }
    text = own[own.columns[0]].map(normalize_text).astype(object)
    for col in own.columns[1:]:
        text = text + "\n" + own[col].map(normalize_text).astype(object)
    text = text + "\n" + clusters["country"].map(countries).astype(object).to_numpy()
    if len(organizations):
        orgs = organizations.assign(
            _t=organizations["name_zh"].map(normalize_text)
            + "\n"
            + organizations["name_en"].map(normalize_text)
        )
        per = orgs.groupby("cluster_id")["_t"].agg("\n".join)
        text = text + "\n" + per.reindex(text.index).fillna("")
    return text.rename("search")


def apply_filters(clusters: pd.DataFrame, filters: Filters, index: pd.Series) -> pd.DataFrame:
    """The clusters that pass every filter (row order kept)."""
    mask = pd.Series(True, index=clusters.index)
    if filters.continents:
        mask &= clusters["continent"].isin(filters.continents)
    if filters.countries:
        mask &= clusters["country"].isin(filters.countries)
    if filters.sectors:
        mask &= clusters["sector"].isin(filters.sectors)
    words = normalize_text(filters.query).split()
    if words and len(clusters):
        text = index.reindex(clusters["cluster_id"]).fillna("").astype(str)
        for word in words:
            mask &= text.str.contains(word, regex=False).to_numpy()
    return clusters[mask]


def country_options(clusters: pd.DataFrame, continents: Sequence[str], lang: Lang) -> list[str]:
    """Countries with a named cluster in ``continents`` (all when empty), by localised name."""
    sub = clusters[clusters["continent"].isin(continents)] if continents else clusters
    return sorted(set(sub["country"].tolist()), key=lambda c: (country_name(c, lang), c))
