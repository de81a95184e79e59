"""The data page's tables: schema (from the pandera definition), sources, provenance, checks.
Pure: no ``st.*``."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components import overview as ov
from components.captions import cluster_list_source, cluster_sources, source_line
from components.charts import frozen
from components.data import (
    Bundle,
    check_rules,
    column_kind,
    report_continents,
    schema,
    suspicious_clusters,
)
from components.datafiles import FILES, TEXT_MAX, Problem
from components.geo import load_bboxes
from components.i18n import Lang, join_list, t
from components.problems import problem_text
from components.sources import chapter_of, cite, parse_ref

TABLES: tuple[str, ...] = tuple(FILES)
_SILENT_RULES = {"required", "too_long"}  # shown as the "required" column and one caption
_MAX_REFS = 6  # past this many distinct references a table's sources are summed up by chapter


def schema_table(name: str, lang: Lang) -> pd.DataFrame:
    """One row per column of table ``name``: type, required, rules and meaning, in ``lang``.

    Types and rules are read from ``components.data.schema(name)``, the definition that
    validates the files; nothing is typed twice.
    """
    rules: dict[str, list[str]] = {}
    required: dict[str, bool] = {}
    for column, code, params in check_rules(name):
        if code == "required":
            required[column] = True
        if code in _SILENT_RULES:
            continue
        text = problem_text(Problem(FILES[name], code, "", params=params), lang)
        rules.setdefault(column, []).append(text)
    rows = []
    for column, col in schema(name).columns.items():
        kind = column_kind(name, column)
        needed = required.get(column, False) or (kind in ("int", "float") and not col.nullable)
        rows.append(
            {
                t("data.schema.column", lang): column,
                t("data.schema.type", lang): t(f"data.type.{kind}", lang),
                t("data.schema.required", lang): t(
                    "data.schema.yes" if needed else "data.schema.no", lang
                ),
                t("data.schema.rules", lang): join_list(rules.get(column, []), lang, "clause"),
                t("data.schema.meaning", lang): t(f"data.field.{column}", lang),
            }
        )
    return pd.DataFrame(rows)


def text_limit() -> int:
    """Characters allowed in any text cell (the schema's ``too_long`` rule)."""
    return TEXT_MAX


def table_sources(frame: pd.DataFrame, name: str, lang: Lang) -> str:
    """Where a table's rows come from in the report, in words (chapters when there are many)."""
    if name == "clusters" and len(frame):
        return cluster_sources(frame, lang)
    refs = sorted({r for r in frame["source_ref"] if parse_ref(r)}, key=_ref_order)
    if len(refs) > _MAX_REFS:
        chapters = sorted({c for c in (chapter_of(r) for r in refs) if c is not None})
        refs = ["preface" if c == 0 else f"ch{c}" for c in chapters if c <= 7]
    return join_list((cite(r, lang) for r in refs), lang, "clause")


def _ref_order(ref: str) -> tuple[int, str]:
    return (chapter_of(ref) or 0, ref)


def sources_table(bundle: Bundle, lang: Lang) -> pd.DataFrame:
    """Per table: its name, row count and where in the report its rows come from."""
    rows = []
    for name in TABLES:
        frame = getattr(bundle, name)
        rows.append(
            {
                t("data.sources.table", lang): t(f"data.table.{name}", lang),
                t("data.sources.rows", lang): len(frame),
                t("data.sources.refs", lang): table_sources(frame, name, lang),
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Provenance:
    """Counts of the fields that did not come straight from a cell of the report."""

    derived: int  # clusters with a non-empty derived_fields
    years_report: int
    years_public: int
    years_empty: int
    inferred_orgs: int


def provenance(bundle: Bundle) -> Provenance:
    """How many values were derived, taken from public record, or inferred (read from data)."""
    source = bundle.policies["year_source"]
    return Provenance(
        derived=int((bundle.clusters["derived_fields"] != "").sum()),
        years_report=int((source == "report").sum()),
        years_public=int((source == "public record").sum()),
        years_empty=int((source == "").sum()),
        inferred_orgs=int((bundle.organizations["cluster_match"] == "inferred").sum()),
    )


def cluster_warnings(clusters: pd.DataFrame, reference: pd.DataFrame) -> list[Problem]:
    """Suspicious rows of ``clusters`` (continents checked against ``reference``'s)."""
    return suspicious_clusters(clusters, report_continents(reference), load_bboxes())


def own_warnings(bundle: Bundle) -> list[Problem]:
    """:func:`cluster_warnings` of the bundle's clusters against themselves (the shipped data)."""
    return cluster_warnings(bundle.clusters, bundle.clusters)


@dataclass(frozen=True)
class CoverageView:
    """The data page's coverage section: headline numbers, chart, its table and source line."""

    head: ov.Headline
    figure: go.Figure
    table: pd.DataFrame
    source: str


def coverage_view(bundle: Bundle, lang: Lang) -> CoverageView:
    """Named vs counted clusters per continent, drawn and tabled (built once per dataset)."""
    cov = ov.coverage(bundle, "continent")
    return CoverageView(
        head=ov.headline(bundle),
        figure=frozen(ov.build_coverage_bar(cov, "continent", lang)),
        table=ov.coverage_table(cov, "continent", lang),
        source=source_line(lang, ["figure 2-1"], cluster_list_source(bundle.clusters, lang)),
    )


def download_frame(bundle: Bundle, name: str) -> pd.DataFrame:
    """Table ``name`` exactly as the app uses it, in the schema's column order."""
    return getattr(bundle, name)[list(schema(name).columns)].reset_index(drop=True)


def blank(name: str) -> pd.DataFrame:
    """A blank template of table ``name``: its columns, no rows."""
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in schema(name).columns})
