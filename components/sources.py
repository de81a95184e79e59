"""The ``source_ref`` cells of the dataset (where in the report a row comes from): one parser for
validation and for the source lines the reader sees.

Grammar (see ``data/README.md``): ``annex row N`` · ``table X-Y`` · ``figure X-Y`` · ``chN`` ·
``chN.M`` · ``preface``. Every valid reference resolves to a chapter: the report's chapters are
1–7, the preface counts as chapter 0 and the annex (附表) as chapter 8. Source lines may also cite
the whole ``annex``, which is not a valid cell value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from components.i18n import Lang, t

PREFACE_CHAPTER = 0
ANNEX_CHAPTER = 8
FIRST_CHAPTER = 1
LAST_CHAPTER = 7
ANNEX_ROWS = 150  # the annex lists the report's 150 clusters (a bound of the report's layout)

_ANNEX = re.compile(r"annex row (?P<n>[1-9][0-9]*)")
_NUMBERED = re.compile(r"(?P<kind>table|figure) (?P<ch>[1-9][0-9]*)-(?P<n>[1-9][0-9]*)")
_CHAPTER = re.compile(r"ch(?P<ch>[1-9][0-9]*)(?:\.(?P<sec>[1-9][0-9]*))?")


@dataclass(frozen=True)
class Ref:
    """A parsed reference: ``kind`` is preface, annex, annex_row, table, figure, chapter or
    section; ``chapter`` as above; ``number`` the row, ``X-Y`` or section number."""

    kind: str
    chapter: int
    number: str = ""


def parse_ref(ref: object) -> Ref | None:
    """The reference ``ref`` names, or None if it does not follow the grammar."""
    if not isinstance(ref, str):
        return None
    if ref == "preface":
        return Ref("preface", PREFACE_CHAPTER)
    if ref == "annex":
        return Ref("annex", ANNEX_CHAPTER)
    if m := _ANNEX.fullmatch(ref):
        return Ref("annex_row", ANNEX_CHAPTER, m["n"]) if int(m["n"]) <= ANNEX_ROWS else None
    if m := _NUMBERED.fullmatch(ref):
        chapter, kind, number = int(m["ch"]), m["kind"], f"{m['ch']}-{m['n']}"
    elif m := _CHAPTER.fullmatch(ref):
        chapter, kind = int(m["ch"]), "section" if m["sec"] else "chapter"
        number = m["sec"] or ""
    else:
        return None
    return Ref(kind, chapter, number) if FIRST_CHAPTER <= chapter <= LAST_CHAPTER else None


def chapter_of(ref: str) -> int | None:
    """The chapter a cell's ``ref`` points into (0 = preface, 8 = annex), or None if invalid."""
    parsed = parse_ref(ref)
    return None if parsed is None or parsed.kind == "annex" else parsed.chapter


def is_valid_ref(ref: str) -> bool:
    """Whether ``ref`` follows the ``source_ref`` grammar and points at an existing chapter."""
    return chapter_of(ref) is not None


def annex_row(ref: str) -> int | None:
    """The annex row number of an ``annex row N`` reference, else None."""
    parsed = parse_ref(ref)
    return int(parsed.number) if parsed is not None and parsed.kind == "annex_row" else None


def cite(ref: str, lang: Lang) -> str:
    """A ``source_ref`` in words (``报告表 2-10`` / ``report table 2-10``); else as it is."""
    parsed = parse_ref(ref)
    if parsed is None:
        return str(ref)
    if parsed.kind in ("table", "figure"):
        return t(f"source.report_{parsed.kind}", lang, ref=parsed.number)
    if parsed.kind == "annex_row":
        return t("source.report_annex_row", lang, n=parsed.number)
    if parsed.kind == "section":
        return t("source.report_section", lang, n=parsed.chapter, m=parsed.number)
    if parsed.kind == "chapter":
        return t("source.report_chapter", lang, n=parsed.chapter)
    return t(f"source.report_{parsed.kind}", lang)  # preface, annex
