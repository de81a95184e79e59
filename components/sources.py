"""Parse the ``source_ref`` cells of the dataset (where in the report a row comes from).

Grammar (see ``data/README.md``): ``annex row N`` · ``table X-Y`` · ``figure X-Y`` · ``chN`` ·
``chN.M`` · ``preface``. Every valid reference resolves to a chapter: the report's chapters are
1–7, the preface counts as chapter 0 and the annex (附表) as chapter 8.
"""

from __future__ import annotations

import re

PREFACE_CHAPTER = 0
ANNEX_CHAPTER = 8
FIRST_CHAPTER = 1
LAST_CHAPTER = 7
ANNEX_ROWS = 150  # the annex lists the report's 150 clusters

_ANNEX = re.compile(r"annex row (?P<n>[1-9][0-9]*)")
_NUMBERED = re.compile(r"(?:table|figure) (?P<ch>[1-9][0-9]*)-(?P<n>[1-9][0-9]*)")
_CHAPTER = re.compile(r"ch(?P<ch>[1-9][0-9]*)(?:\.(?P<sec>[1-9][0-9]*))?")


def chapter_of(ref: str) -> int | None:
    """The chapter ``ref`` points into (0 = preface, 8 = annex), or None if it is not valid."""
    if not isinstance(ref, str):
        return None
    if ref == "preface":
        return PREFACE_CHAPTER
    if m := _ANNEX.fullmatch(ref):
        return ANNEX_CHAPTER if int(m["n"]) <= ANNEX_ROWS else None
    m = _NUMBERED.fullmatch(ref) or _CHAPTER.fullmatch(ref)
    if m is None:
        return None
    chapter = int(m["ch"])
    return chapter if FIRST_CHAPTER <= chapter <= LAST_CHAPTER else None


def is_valid_ref(ref: str) -> bool:
    """Whether ``ref`` follows the ``source_ref`` grammar and points at an existing chapter."""
    return chapter_of(ref) is not None


def annex_row(ref: str) -> int | None:
    """The annex row number of an ``annex row N`` reference, else None."""
    if isinstance(ref, str) and (m := _ANNEX.fullmatch(ref)) and int(m["n"]) <= ANNEX_ROWS:
        return int(m["n"])
    return None
