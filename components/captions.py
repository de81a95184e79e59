"""Source lines: every chart and table says where its numbers come from. No ``st.*``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from components.i18n import Lang, join_list, parenthesize, t
from components.memo import per_dataset
from components.sources import cite, parse_ref

if TYPE_CHECKING:
    from components.data import Bundle


def source_line(lang: Lang, refs: Sequence[str] = (), computed_from: str | None = None) -> str:
    """``来源：报告图 2-1；根据…计算（报告）`` / ``Source: report figure 2-1; computed from …``."""
    parts = [cite(r, lang) for r in refs]
    if computed_from:
        parts.append(t("source.computed_from", lang, what=computed_from))
    body = join_list(parts, lang, "clause")
    return t("source.prefix", lang) + body + parenthesize(t("app.report_short", lang), lang)


def ranges(numbers: Iterable[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` → ``"1–3, 7, 9–10"`` (sorted, duplicates dropped)."""
    values = sorted({int(n) for n in numbers})
    out: list[str] = []
    start = prev = None
    for n in [*values, None]:
        if start is not None and (n is None or n != prev + 1):
            out.append(str(start) if start == prev else f"{start}–{prev}")
            start = None
        if n is not None and start is None:
            start = n
        prev = n
    return ", ".join(out)


def cluster_sources(clusters: pd.DataFrame, lang: Lang) -> str:
    """Where the named clusters come from, read from the data: ``报告附表第 1–104 行；报告表 2-10``.

    Another edition (``DATA_DIR``) gets its own annex rows and tables.
    """
    annex = clusters["annex_no"].notna()
    parts = []
    if annex.any():
        parts.append(t("source.annex_rows", lang, rows=ranges(clusters.loc[annex, "annex_no"])))
    refs = sorted({r for r in clusters.loc[~annex, "source_ref"] if parse_ref(r)})
    parts += [cite(r, lang) for r in refs]
    return join_list(parts, lang, "clause")


def cluster_list_source(clusters: pd.DataFrame, lang: Lang) -> str:
    """``具名集群（报告附表第 1–104 行；报告表 2-10）``: the named clusters as a source."""
    return t("source.cluster_list", lang, what=cluster_sources(clusters, lang))


@per_dataset
def named_sources(bundle: Bundle, lang: Lang) -> str:
    """:func:`cluster_sources` of ``bundle``'s clusters, once per dataset and language."""
    return cluster_sources(bundle.clusters, lang)


@per_dataset
def named_list_source(bundle: Bundle, lang: Lang) -> str:
    """:func:`cluster_list_source` of ``bundle``'s clusters, once per dataset and language."""
    return cluster_list_source(bundle.clusters, lang)
