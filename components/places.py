"""Where a cluster's point is, in the reader's language: ``place_<lang>``, or ``place_en`` where
that is empty or missing (an upload made before ``place_zh`` existed). No ``st.*``."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from components.i18n import Lang
from components.safe import is_blank

FALLBACK = "place_en"
# Where the head of a place ends: "Munich (capital of Bavaria)", "Stuttgart, Baden-Württemberg",
# "慕尼黑（巴伐利亚州首府）", "斯图加特，巴登-符腾堡州", "美国；报告未给出地点".
_HEAD_END = re.compile(r"[,(;，（；]")


def place_column(lang: Lang) -> str:
    """The column that says where a point is in ``lang``."""
    return f"place_{lang}"


def place_text(row: Mapping, lang: Lang) -> str:
    """One cluster's place in ``lang`` (``place_en`` where that is blank or absent)."""
    value = row.get(place_column(lang))
    if is_blank(value):
        value = row.get(FALLBACK)
    return "" if is_blank(value) else str(value)


def places(clusters: pd.DataFrame, lang: Lang) -> pd.Series:
    """Every cluster's place in ``lang`` (``place_en`` where that is blank or absent)."""
    fallback = clusters[FALLBACK].fillna("").astype(str)
    column = place_column(lang)
    if column not in clusters.columns:
        return fallback
    own = clusters[column].fillna("").astype(str)
    return own.where(own.str.strip() != "", fallback)


def head(place: object) -> str:
    """The place name a ``place_*`` text starts with: "Suwon (capital of …)" → "Suwon",
    "慕尼黑（巴伐利亚州首府）" → "慕尼黑", "斯图加特，巴登-符腾堡州" → "斯图加特"."""
    if is_blank(place):
        return ""
    return _HEAD_END.split(str(place), maxsplit=1)[0].strip()
