"""Load and validate the dataset in ``data/`` (schema: ``data/README.md``). No Streamlit here.

``load_bundle`` reads every CSV as text (nothing is guessed: an empty cell is ``""``), converts the
numeric columns, validates each file with a pandera schema plus the cross-file rules (unique ids,
foreign keys, source references) and returns a frozen :class:`Bundle` of fresh DataFrames. Any
problem raises :class:`DataError` naming the file, row and column.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pycountry

from components.sources import annex_row, chapter_of, is_valid_ref
from components.vocab import (
    CLUSTER_MATCHES,
    CONTINENTS,
    GEO_PRECISIONS,
    POLICY_PERIODS,
    PROVENANCES,
    QUALIFIERS,
    ROLES,
    SECTION_KINDS,
    SECTORS,
    THEMES,
    TREND_COUNT,
    UNITS,
)

FILES: dict[str, str] = {
    "clusters": "clusters.csv",
    "organizations": "organizations.csv",
    "sector_continent": "sector_continent.csv",
    "policies": "policies.csv",
    "facts": "facts.csv",
    "trends": "trends.csv",
    "sections": "sections.csv",
    "recommendation_trends": "recommendation_trends.csv",
}
ANNEX_MAX = 150

SLUG_RE = r"[a-z0-9]+(?:-[a-z0-9]+)*"
REGION_SLUG_RE = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"  # facts.region: slugs such as USA-MEX, APAC-DEV
_INT_RE = re.compile(r"-?[0-9]+")


# --------------------------------------------------------------------------------------------
# Errors and the bundle


class DataError(Exception):
    """A data file is missing, unreadable or breaks the schema.

    ``file`` is the file name (e.g. ``clusters.csv``), ``row`` the 1-based data row (the line
    after the header is row 1) or None, ``column`` the column name or None, ``message`` what is
    wrong. ``str()`` is one sentence naming all of them.
    """

    def __init__(
        self, file: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"data file {self.file}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where) + f": {self.message}"
        return text if text.endswith(".") else text + "."


RECOMMENDATION_TREND_COLUMNS = ("section_id", "trend_no", "basis_zh", "basis_en", "source_ref")


@dataclass(frozen=True)
class Bundle:
    """Every validated table of the dataset (fresh DataFrames, one per file)."""

    clusters: pd.DataFrame
    organizations: pd.DataFrame
    sector_continent: pd.DataFrame
    policies: pd.DataFrame
    facts: pd.DataFrame
    trends: pd.DataFrame
    sections: pd.DataFrame
    # chapter 7's recommendations -> the chapter 6 trends they answer (our reading, see README)
    recommendation_trends: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            {c: pd.Series([], dtype=str) for c in RECOMMENDATION_TREND_COLUMNS}
        )
    )


def default_data_dir() -> Path:
    """``$DATA_DIR`` if set (and not empty), else the repository's ``data/`` folder."""
    env = os.environ.get("DATA_DIR", "").strip()
    return Path(env) if env else Path(__file__).resolve().parents[1] / "data"


# --------------------------------------------------------------------------------------------
# Checks (each `error` reads after "value 'x' ...")


def _check(fn: Callable[[object], bool], error: str) -> pa.Check:
    return pa.Check(fn, element_wise=True, error=error)


def _one_of(values: Iterable[str], *, empty_ok: bool = False) -> pa.Check:
    allowed = tuple(values)
    text = ", ".join(allowed) + (" or empty" if empty_ok else "")
    ok = frozenset(allowed) | ({""} if empty_ok else frozenset())
    return _check(lambda v: v in ok, f"must be one of {text}")


def _is_iso3(value: object) -> bool:
    return (
        isinstance(value, str)
        and re.fullmatch(r"[A-Z]{3}", value) is not None
        and pycountry.countries.get(alpha_3=value) is not None
    )


def _is_list(value: object, vocabulary: frozenset[str] | None = None) -> bool:
    if value == "":
        return True
    if not isinstance(value, str):
        return False
    items = value.split(";")
    if any(not item or item != item.strip() for item in items):
        return False
    return vocabulary is None or all(item in vocabulary for item in items)


NON_EMPTY = _check(lambda v: v != "", "must not be empty")
SLUG = _check(
    lambda v: isinstance(v, str) and re.fullmatch(SLUG_RE, v) is not None,
    "must be a lowercase ASCII slug (a-z, 0-9, single hyphens)",
)
SOURCE_REF = _check(
    is_valid_ref,
    "is not a valid source_ref (annex row N, table X-Y, figure X-Y, chN, chN.M or preface)",
)
ISO3 = _check(_is_iso3, "must be an ISO 3166-1 alpha-3 country code")
ISO3_OR_EMPTY = _check(lambda v: v == "" or _is_iso3(v), "must be an ISO3 country code or empty")
LIST = _check(_is_list, "must be a ';'-separated list without empty items or spaces around ';'")


def _text(*checks: pa.Check, required: bool = True, unique: bool = False) -> pa.Column:
    return pa.Column(
        str,
        checks=[NON_EMPTY, *checks] if required else list(checks),
        unique=unique,
        report_duplicates="exclude_first",
    )


def _slug_id() -> pa.Column:
    return _text(SLUG, unique=True)


def _int(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    """Whole numbers: nullable ``Int64`` when the cell may be empty, else ``int64``."""
    return pa.Column("Int64" if nullable else "int64", checks=list(checks), nullable=nullable)


def _float(*checks: pa.Check) -> pa.Column:
    return pa.Column("float64", checks=list(checks))


def _schema(name: str, columns: dict[str, pa.Column]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(columns, name=name, strict=True, ordered=False)


# --------------------------------------------------------------------------------------------
# One schema per file, as in data/README.md

_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "clusters": _schema(
        "clusters",
        {
            "cluster_id": _slug_id(),
            "annex_no": pa.Column(
                "Int64",
                pa.Check.in_range(1, ANNEX_MAX, error=f"must be a whole number 1-{ANNEX_MAX}"),
                nullable=True,
            ),
            "name_zh": _text(),
            "name_en": _text(),
            "continent": _text(_one_of(CONTINENTS)),
            "country": _text(ISO3),
            "lead_industry_zh": _text(),
            "lead_industry_en": _text(),
            "field_zh": _text(),
            "sector": _text(_one_of(SECTORS)),
            "lat": _float(pa.Check.in_range(-90, 90, error="must be a latitude in [-90, 90]")),
            "lon": _float(pa.Check.in_range(-180, 180, error="must be a longitude in [-180, 180]")),
            "geo_precision": _text(_one_of(GEO_PRECISIONS)),
            "place_en": _text(),
            "source_ref": _text(SOURCE_REF),
            # ';'-list of the columns derived rather than transcribed (empty for annex rows)
            "derived_fields": _text(
                _check(
                    lambda v: _is_list(
                        v, frozenset(_SCHEMAS["clusters"].columns) - {"derived_fields"}
                    ),
                    "must be a ';'-list of other column names of clusters.csv, or empty",
                ),
                required=False,
            ),
        },
    ),
    "organizations": _schema(
        "organizations",
        {
            "org_id": _slug_id(),
            "cluster_id": _text(SLUG),
            "cluster_match": _text(_one_of(CLUSTER_MATCHES)),
            "cluster_name_zh_published": _text(),
            "name_zh": _text(),
            "name_en": _text(),
            "role": _text(_one_of(ROLES)),
            "country": _text(ISO3_OR_EMPTY, required=False),
            "innovations_zh": _text(required=False),
            "innovations_en": _text(required=False),
            "source_ref": _text(SOURCE_REF),
        },
    ),
    "sector_continent": _schema(
        "sector_continent",
        {
            "sector": _text(_one_of(SECTORS)),
            "continent": _text(_one_of(CONTINENTS)),
            "clusters": _int(pa.Check.ge(0, error="must be a whole number >= 0")),
            "source_ref": _text(_one_of(["figure 2-1"])),
        },
    ),
    "policies": _schema(
        "policies",
        {
            "policy_id": _slug_id(),
            "jurisdiction": _text(
                _check(lambda v: v == "EU" or _is_iso3(v), "must be an ISO3 country code or EU")
            ),
            "name_zh": _text(),
            "name_en": _text(),
            "period": _text(_one_of(POLICY_PERIODS)),
            "year": _int(
                pa.Check.in_range(1900, 2100, error="must be a year (1900-2100)"), nullable=True
            ),
            "year_source": _text(_one_of(PROVENANCES, empty_ok=True), required=False),
            "themes": _text(
                _check(
                    lambda v: _is_list(v, frozenset(THEMES)),
                    "must be a ';'-list of themes from " + ", ".join(THEMES),
                ),
                required=False,
            ),
            "note": _text(required=False),
            "source_ref": _text(SOURCE_REF),
        },
    ),
    "facts": _schema(
        "facts",
        {
            "fact_id": _slug_id(),
            "metric_zh": _text(),
            "metric_en": _text(),
            "value": _float(),
            "unit": _text(_one_of(UNITS)),
            "qualifier": _text(_one_of(QUALIFIERS, empty_ok=True), required=False),
            "period": _text(required=False),
            "region": _text(
                _check(
                    lambda v: (
                        v in ("EU", "WORLD", *CONTINENTS)
                        or _is_iso3(v)
                        or re.fullmatch(REGION_SLUG_RE, v) is not None
                    ),
                    "must be an ISO3 code, EU, a continent code, WORLD or a slug (e.g. USA-MEX)",
                )
            ),
            "quote_zh": _text(),
            "trend_no": _int(
                pa.Check.in_range(1, TREND_COUNT, error=f"must be a trend number 1-{TREND_COUNT}"),
                nullable=True,
            ),
            "source_ref": _text(SOURCE_REF),
            "note": _text(required=False),
        },
    ),
    "trends": _schema(
        "trends",
        {
            "trend_no": pa.Column(
                "Int64",
                pa.Check.in_range(1, TREND_COUNT, error=f"must be a trend number 1-{TREND_COUNT}"),
                unique=True,
                report_duplicates="exclude_first",
            ),
            "title_zh": _text(),
            "title_en": _text(),
            "summary_zh": _text(),
            "summary_en": _text(),
            "evidence_zh": _text(LIST, required=False),
            "evidence_en": _text(LIST, required=False),
            "source_ref": _text(SOURCE_REF),
        },
    ),
    "sections": _schema(
        "sections",
        {
            "section_id": _slug_id(),
            "chapter": _int(
                pa.Check.isin(
                    sorted(set(SECTION_KINDS.values())),
                    error="must be one of chapters "
                    + ", ".join(str(c) for c in sorted(set(SECTION_KINDS.values()))),
                )
            ),
            "kind": _text(_one_of(SECTION_KINDS)),
            "sector": _text(_one_of(SECTORS, empty_ok=True), required=False),
            "continent": _text(_one_of(CONTINENTS, empty_ok=True), required=False),
            "title_zh": _text(),
            "title_en": _text(),
            "summary_zh": _text(required=False),
            "summary_en": _text(required=False),
            "keywords_zh": _text(LIST, required=False),
            "keywords_en": _text(LIST, required=False),
            "source_ref": _text(SOURCE_REF),
        },
    ),
    "recommendation_trends": _schema(
        "recommendation_trends",
        {
            "section_id": _text(SLUG),
            "trend_no": _int(
                pa.Check.in_range(1, TREND_COUNT, error=f"must be a trend number 1-{TREND_COUNT}")
            ),
            "basis_zh": _text(),
            "basis_en": _text(),
            "source_ref": _text(SOURCE_REF),
        },
    ),
}


@dataclass(frozen=True)
class _Numeric:
    """Columns converted from text before validation."""

    ints: tuple[str, ...] = ()
    floats: tuple[str, ...] = ()
    optional: frozenset[str] = field(default_factory=frozenset)  # empty cell -> <NA>


_NUMERIC: dict[str, _Numeric] = {
    "clusters": _Numeric(
        ints=("annex_no",), floats=("lat", "lon"), optional=frozenset({"annex_no"})
    ),
    "organizations": _Numeric(),
    "sector_continent": _Numeric(ints=("clusters",)),
    "policies": _Numeric(ints=("year",), optional=frozenset({"year"})),
    "facts": _Numeric(ints=("trend_no",), floats=("value",), optional=frozenset({"trend_no"})),
    "trends": _Numeric(ints=("trend_no",)),
    "sections": _Numeric(ints=("chapter",)),
    "recommendation_trends": _Numeric(ints=("trend_no",)),
}


# --------------------------------------------------------------------------------------------
# Reading


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    """All cells as text (``""`` for empty); header required; every row as wide as the header."""
    if not path.is_file():
        raise DataError(name, f"the file is missing (looked for {path})")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(name, f"the file is not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise DataError(name, f"the file cannot be read ({exc.strerror or exc})") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    records: list[list[str]] = []
    try:
        for record in reader:
            if not record:  # blank line
                continue
            if header is None:
                header = record
                dupes = sorted({c for c in header if header.count(c) > 1})
                if dupes:
                    raise DataError(name, "the header repeats this column", column=dupes[0])
                continue
            if len(record) != len(header):
                raise DataError(
                    name,
                    f"malformed CSV: {len(record)} fields where the header has {len(header)} "
                    f"(line {reader.line_num})",
                    row=len(records) + 1,
                )
            records.append(record)
    except csv.Error as exc:
        raise DataError(
            name, f"malformed CSV near line {reader.line_num} ({exc})", row=len(records) + 1
        ) from exc
    if header is None:
        raise DataError(name, "the file is empty (no header row)")
    frame = pd.DataFrame(records, columns=header, dtype=str)
    return frame if records else pd.DataFrame({c: pd.Series([], dtype=str) for c in header})


def _to_numbers(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Convert the numeric columns (present ones) of a text frame, with row-level errors."""
    spec = _NUMERIC[name]
    out = frame.copy()
    for col in (*spec.ints, *spec.floats):
        if col not in out.columns:
            continue  # reported as a missing column by the schema
        is_int = col in spec.ints
        values: list[object] = []
        for i, raw in enumerate(out[col].tolist()):
            cell = raw.strip()
            if cell == "":
                if col not in spec.optional:
                    raise DataError(FILES[name], "must not be empty", row=i + 1, column=col)
                values.append(pd.NA if is_int else math.nan)
                continue
            if is_int:
                if not _INT_RE.fullmatch(cell):
                    raise DataError(
                        FILES[name], f"'{raw}' is not a whole number", row=i + 1, column=col
                    )
                values.append(int(cell))
            else:
                try:
                    number = float(cell)
                except ValueError:
                    number = math.nan
                if not math.isfinite(number):
                    raise DataError(FILES[name], f"'{raw}' is not a number", row=i + 1, column=col)
                values.append(number)
        out[col] = pd.array(values, dtype=str(_SCHEMAS[name].columns[col].dtype))
    return out


def _first_failure(name: str, exc: pa.errors.SchemaErrors) -> DataError:
    """The clearest single failure of a lazy pandera run (column problems first, then by row)."""
    file = FILES[name]
    cases = exc.failure_cases.reset_index(drop=True)
    if cases.empty:
        return DataError(file, str(exc).strip().splitlines()[0])
    columns = list(_SCHEMAS[name].columns)

    def row_of(idx: object) -> int | None:
        return None if idx is None or pd.isna(idx) else int(idx) + 1

    def key(i: int) -> tuple[int, int, int, int]:
        row = row_of(cases.at[i, "index"])
        col = cases.at[i, "column"]
        missing_first = 0 if cases.at[i, "check"] == "column_in_dataframe" else 1
        position = columns.index(col) if col in columns else -1
        return (0 if row is None else 1, row or 0, missing_first, position)

    first = cases.iloc[min(range(len(cases)), key=key)]
    more = len(cases) - 1
    suffix = f" ({more} more problem{'s' if more > 1 else ''} in this file)" if more else ""
    check = str(first["check"])
    value = first["failure_case"]
    row = row_of(first["index"])
    column = first["column"] if isinstance(first["column"], str) else None
    if check == "column_in_dataframe":
        return DataError(file, "this required column is missing" + suffix, column=str(value))
    if check == "column_in_schema":
        return DataError(file, "this column is not in the schema" + suffix, column=str(value))
    if check == "field_uniqueness":
        message = f"value '{value}' appears more than once (must be unique)"
    elif check == "not_nullable":
        message = "must not be empty"
    elif check.startswith("dtype("):
        message = f"value '{value}' has the wrong type ({check})"
    else:
        message = f"value '{value}' {check}"
    return DataError(file, message + suffix, row=row, column=column)


def _validate(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    typed = _to_numbers(frame, name)
    try:
        return _SCHEMAS[name].validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _first_failure(name, exc) from exc
    except pa.errors.SchemaError as exc:  # non-lazy path; should not happen
        raise DataError(FILES[name], str(exc).splitlines()[0]) from exc


# --------------------------------------------------------------------------------------------
# Rules across rows and files


def _fail(name: str, row: int, column: str, message: str) -> DataError:
    return DataError(FILES[name], message, row=row + 1, column=column)


def _check_clusters(df: pd.DataFrame) -> None:
    seen: dict[int, int] = {}
    for i, no in enumerate(df["annex_no"]):
        if pd.isna(no):
            continue
        if int(no) in seen:
            raise _fail(
                "clusters", i, "annex_no", f"value {int(no)} repeats row {seen[int(no)] + 1}"
            )
        seen[int(no)] = i
    for i, (no, ref) in enumerate(zip(df["annex_no"], df["source_ref"], strict=True)):
        if pd.isna(no):
            if annex_row(ref) is not None:
                raise _fail("clusters", i, "annex_no", f"is empty but source_ref is '{ref}'")
        elif annex_row(ref) != int(no):
            raise _fail("clusters", i, "source_ref", f"'{ref}' should be 'annex row {int(no)}'")


def _check_organizations(df: pd.DataFrame, clusters: pd.DataFrame) -> None:
    names = dict(zip(clusters["cluster_id"], clusters["name_zh"], strict=True))
    for i, row in enumerate(df.itertuples(index=False)):
        if row.cluster_id not in names:
            raise _fail(
                "organizations",
                i,
                "cluster_id",
                f"value '{row.cluster_id}' is not a cluster_id of {FILES['clusters']}",
            )
        same = names[row.cluster_id] == row.cluster_name_zh_published
        if row.cluster_match == "exact" and not same:
            raise _fail(
                "organizations",
                i,
                "cluster_name_zh_published",
                f"'{row.cluster_name_zh_published}' differs from the name_zh of "
                f"'{row.cluster_id}' although cluster_match is 'exact'",
            )
        if row.cluster_match == "inferred" and same:
            raise _fail(
                "organizations",
                i,
                "cluster_match",
                "is 'inferred' but the published name equals the cluster's name_zh",
            )


def _check_sector_continent(df: pd.DataFrame) -> None:
    seen: set[tuple[str, str]] = set()
    for i, pair in enumerate(zip(df["sector"], df["continent"], strict=True)):
        if pair in seen:
            raise _fail("sector_continent", i, "continent", f"{pair[0]} x {pair[1]} is repeated")
        seen.add(pair)
    missing = [(s, c) for s in SECTORS for c in CONTINENTS if (s, c) not in seen]
    if missing:
        s, c = missing[0]
        raise DataError(
            FILES["sector_continent"],
            f"has no row for sector {s} x continent {c} (all {len(SECTORS) * len(CONTINENTS)} "
            "pairs are required)",
        )


def _check_policies(df: pd.DataFrame) -> None:
    for i, (year, source) in enumerate(zip(df["year"], df["year_source"], strict=True)):
        if pd.isna(year) and source:
            raise _fail("policies", i, "year_source", "must be empty when year is empty")
        if not pd.isna(year) and not source:
            raise _fail("policies", i, "year_source", "must be set when year is set")


def _check_trends(df: pd.DataFrame) -> None:
    for i, (no, ref) in enumerate(zip(df["trend_no"], df["source_ref"], strict=True)):
        if ref != f"ch6.{int(no)}":
            raise _fail("trends", i, "source_ref", f"'{ref}' should be 'ch6.{int(no)}'")


def _check_sections(df: pd.DataFrame) -> None:
    for i, row in enumerate(df.itertuples(index=False)):
        if SECTION_KINDS[row.kind] != row.chapter:
            raise _fail(
                "sections",
                i,
                "chapter",
                f"is {row.chapter} but kind '{row.kind}' belongs to chapter "
                f"{SECTION_KINDS[row.kind]}",
            )
        if chapter_of(row.source_ref) != row.chapter:
            raise _fail(
                "sections", i, "source_ref", f"'{row.source_ref}' is not in chapter {row.chapter}"
            )


def _check_recommendation_trends(
    df: pd.DataFrame, sections: pd.DataFrame, trends: pd.DataFrame
) -> None:
    name = "recommendation_trends"
    kinds = dict(zip(sections["section_id"], sections["kind"], strict=True))
    refs = dict(zip(sections["section_id"], sections["source_ref"], strict=True))
    trend_nos = {int(n) for n in trends["trend_no"]}
    seen: set[tuple[str, int]] = set()
    for i, row in enumerate(df.itertuples(index=False)):
        if kinds.get(row.section_id) != "recommendation":
            raise _fail(
                name,
                i,
                "section_id",
                f"value '{row.section_id}' is not a recommendation of {FILES['sections']}",
            )
        if int(row.trend_no) not in trend_nos:
            raise _fail(
                name, i, "trend_no", f"value {row.trend_no} is not a trend of {FILES['trends']}"
            )
        if row.source_ref != refs[row.section_id]:
            raise _fail(
                name,
                i,
                "source_ref",
                f"'{row.source_ref}' should be '{refs[row.section_id]}' (the section's own)",
            )
        pair = (row.section_id, int(row.trend_no))
        if pair in seen:
            raise _fail(name, i, "trend_no", f"{pair[0]} -> trend {pair[1]} is repeated")
        seen.add(pair)


# --------------------------------------------------------------------------------------------
# Public API


def load_bundle(data_dir: Path | str | None = None) -> Bundle:
    """Read and validate every file of ``data_dir`` (default: :func:`default_data_dir`).

    Pure: returns new DataFrames on each call. Raises :class:`DataError` on the first problem.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    frames: dict[str, pd.DataFrame] = {}
    for name, file in FILES.items():
        try:
            frames[name] = _validate(name, _read_csv(folder / file, file))
        except DataError:
            raise
        except Exception as exc:  # last resort: never leak a raw traceback type
            raise DataError(file, f"could not be loaded ({type(exc).__name__}: {exc})") from exc
    _check_clusters(frames["clusters"])
    _check_organizations(frames["organizations"], frames["clusters"])
    _check_sector_continent(frames["sector_continent"])
    _check_policies(frames["policies"])
    _check_trends(frames["trends"])
    _check_sections(frames["sections"])
    _check_recommendation_trends(
        frames["recommendation_trends"], frames["sections"], frames["trends"]
    )
    return Bundle(**{name: frame.reset_index(drop=True) for name, frame in frames.items()})
