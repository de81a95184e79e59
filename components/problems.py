"""Data problems in the reader's language: one sentence, or a table row. Pure: no ``st.*``.

A :class:`components.datafiles.Problem` carries a code (``data.problem.<code>`` in the
catalogue), its parameters and the offending value; the value is quoted literally and
shortened. These texts are plain: escape them (``components.safe.escape_md``) before they
reach markdown.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from components.datafiles import Problem, quote_value
from components.i18n import Lang, catalogue, join_list, punct, t


def problem_text(problem: Problem, lang: Lang) -> str:
    """What is wrong, in ``lang`` (the English message when the catalogue lacks the code)."""
    key = f"data.problem.{problem.code}"
    if key not in catalogue():
        key = "data.problem.other"
    try:
        return t(key, lang, **problem.fmt)
    except (KeyError, IndexError, ValueError):
        return t("data.problem.other", lang)


def where_text(problem: Problem, lang: Lang) -> str:
    """``file clusters.csv, row 3, column sector`` in ``lang``."""
    parts = [t("data.where.file", lang, file=quote_value(problem.file))]
    if problem.row is not None:
        parts.append(t("data.where.row", lang, n=problem.row))
    if problem.column is not None:
        parts.append(t("data.where.column", lang, name=quote_value(problem.column)))
    return join_list(parts, lang)


def problem_sentence(problem: Problem, lang: Lang) -> str:
    """Where, the value (literal, shortened) and what is wrong: one plain sentence."""
    what = problem_text(problem, lang)
    if problem.value is not None:
        what = t("data.value", lang, value=quote_value(problem.value), problem=what)
    return where_text(problem, lang) + punct("colon", lang) + what


def problems_table(problems: Iterable[Problem], lang: Lang) -> pd.DataFrame:
    """The per-row report: row, column, kind (error/warning), problem, value as given."""
    rows = [
        {
            t("data.report.row", lang): p.row,
            t("data.report.column", lang): quote_value(p.column) if p.column else "",
            t("data.report.severity", lang): t(
                f"data.severity.{'warning' if p.warning else 'error'}", lang
            ),
            t("data.report.problem", lang): problem_text(p, lang),
            t("data.report.value", lang): "" if p.value is None else quote_value(p.value),
        }
        for p in problems
    ]
    columns = [
        t(f"data.report.{k}", lang) for k in ("row", "column", "severity", "problem", "value")
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame[columns[0]] = frame[columns[0]].astype("Int64")
    return frame
