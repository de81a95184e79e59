"""Source lines: every chart and table says where its numbers come from."""

from __future__ import annotations

import re
from collections.abc import Sequence

from components.i18n import Lang, t

_TABLE = re.compile(r"^table (\d+-\d+)$")
_FIGURE = re.compile(r"^figure (\d+-\d+)$")
_ANNEX_ROW = re.compile(r"^annex row (\d+)$")
_SECTION = re.compile(r"^ch(\d+)\.(\d+)$")
_CHAPTER = re.compile(r"^ch(\d+)$")


def cite(ref: str, lang: Lang) -> str:
    """A ``source_ref`` (``table 2-10``, ``annex row 5``, ``ch6.3`` …) in words; else as is."""
    ref = ref.strip()
    if m := _TABLE.match(ref):
        return t("source.report_table", lang, ref=m[1])
    if m := _FIGURE.match(ref):
        return t("source.report_figure", lang, ref=m[1])
    if m := _ANNEX_ROW.match(ref):
        return t("source.report_annex_row", lang, n=m[1])
    if ref == "annex":
        return t("source.report_annex", lang)
    if m := _SECTION.match(ref):
        return t("source.report_section", lang, n=m[1], m=m[2])
    if m := _CHAPTER.match(ref):
        return t("source.report_chapter", lang, n=m[1])
    if ref == "preface":
        return t("source.report_preface", lang)
    return ref


def source_line(lang: Lang, refs: Sequence[str] = (), computed_from: str | None = None) -> str:
    """``来源：报告图 2-1；根据…计算`` / ``Source: report figure 2-1; computed from …``."""
    parts = [cite(r, lang) for r in refs]
    if computed_from:
        parts.append(t("source.computed_from", lang, what=computed_from))
    sep = "；" if lang == "zh" else "; "
    report = t("app.report_short", lang)
    body = sep.join(parts)
    tail = f"（{report}）" if lang == "zh" else f" ({report})"
    return t("source.prefix", lang) + body + tail
