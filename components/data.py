"""Load and validate the dataset in ``data/`` (schema: ``data/README.md``). No Streamlit here.

``load_bundle`` reads every CSV as text (nothing is guessed: an empty cell is ``""``), converts the
numeric columns, validates each file with a pandera schema plus the cross-file rules (unique ids,
foreign keys, source references) and returns a frozen :class:`Bundle` of fresh DataFrames. Any
problem raises :class:`DataError` naming the file, row and column.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
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
_INT_RE = re.compile(r"[+-]?[0-9]+")
log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Problems, errors and the bundle

VALUE_LIMIT = 60  # characters of an offending value quoted in a message
# Rows per data file: the report's files have a few hundred at most. A data folder is the
# operator's (``DATA_DIR``), so ``ATLAS_MAX_ROWS`` may raise the bound (the scale benchmarks' 100k).
MAX_ROWS = int(os.environ.get("ATLAS_MAX_ROWS", "") or 10_000)
MAX_INT = 2**53  # whole numbers beyond this are not read at all (a clear message, no overflow)
MAX_FLOAT = 1e15
_ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def quote_value(value: object, limit: int = VALUE_LIMIT) -> str:
    """A cell value as quoted in messages: one line, at most ``limit`` characters (``…`` cut)."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem (or, with ``warning``, a suspicious but valid value) in a data file.

    ``code`` names the message in the catalogue (``data.problem.<code>``, filled from
    ``params``); ``message`` is the same in English for logs and :class:`DataError`. ``row`` is
    the 1-based data row (the line after the header is row 1), ``value`` the offending cell.
    """

    file: str
    code: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    warning: bool = False

    def __str__(self) -> str:
        where = [f"data file {self.file}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        said = f"value '{quote_value(self.value)}' " if self.value is not None else ""
        text = ", ".join(where) + f": {said}{self.message}"
        return text if text.endswith(".") else text + "."

    @property
    def fmt(self) -> dict[str, str]:
        """``params`` as a dict, for the catalogue's placeholders."""
        return dict(self.params)


class DataError(Exception):
    """A data file is missing, unreadable or breaks the schema.

    ``file`` is the file name (e.g. ``clusters.csv``, never a server path), ``row`` the 1-based
    data row or None, ``column`` the column name or None, ``message`` what is wrong (English),
    ``value`` the offending cell; ``problem`` holds all of it with the catalogue code. ``str()``
    is one sentence naming all of them, the value shortened.
    """

    def __init__(
        self,
        file: str,
        message: str,
        row: int | None = None,
        column: str | None = None,
        *,
        value: object = None,
        code: str = "other",
        params: dict[str, object] | None = None,
    ) -> None:
        self.problem = Problem(
            file=file,
            code=code,
            message=message,
            row=row,
            column=column,
            value=None if value is None else str(value),
            params=tuple((k, str(v)) for k, v in (params or {}).items()),
        )
        self.file, self.row, self.column, self.message = file, row, column, message
        self.value = self.problem.value
        super().__init__(str(self))

    @classmethod
    def of(cls, problem: Problem) -> DataError:
        """The error for ``problem``."""
        return cls(
            problem.file,
            problem.message,
            problem.row,
            problem.column,
            value=problem.value,
            code=problem.code,
            params=problem.fmt,
        )

    def __str__(self) -> str:
        return str(self.problem)


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
# Checks. Each has a ``name`` (its catalogue code, ``data.problem.<name>``), an English ``error``
# (reads after "value 'x' ...") and, where the rule has parameters, ``statistics`` for both.


def _check(fn: Callable[[object], bool], error: str, name: str, **stats: object) -> pa.Check:
    return pa.Check(fn, element_wise=True, error=error, name=name, statistics=stats or None)


def _one_of(values: Iterable[str], *, empty_ok: bool = False) -> pa.Check:
    allowed = tuple(values)
    text = ", ".join(allowed)
    ok = frozenset(allowed) | ({""} if empty_ok else frozenset())
    return _check(
        lambda v: v in ok,
        f"must be one of {text}" + (" or empty" if empty_ok else ""),
        "vocab_or_empty" if empty_ok else "vocab",
        values=text,
    )


def _range(lo: float, hi: float, error: str) -> pa.Check:
    return pa.Check.in_range(lo, hi, error=error, name="range")


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


NON_EMPTY = _check(lambda v: v != "", "must not be empty", "required")
SLUG = _check(
    lambda v: isinstance(v, str) and re.fullmatch(SLUG_RE, v) is not None,
    "must be a lowercase ASCII slug (a-z, 0-9, single hyphens)",
    "slug",
)
SOURCE_REF = _check(
    is_valid_ref,
    "is not a valid source_ref (annex row N, table X-Y, figure X-Y, chN, chN.M or preface)",
    "source_ref",
)
ISO3 = _check(_is_iso3, "must be an ISO 3166-1 alpha-3 country code", "iso3")
ISO3_OR_EMPTY = _check(
    lambda v: v == "" or _is_iso3(v), "must be an ISO3 country code or empty", "iso3_or_empty"
)
LIST = _check(
    _is_list, "must be a ';'-separated list without empty items or spaces around ';'", "list"
)


TEXT_MAX = 1000  # characters in any text cell (the report's longest summary has about 600)
NOT_TOO_LONG = _check(
    lambda v: not isinstance(v, str) or len(v) <= TEXT_MAX,
    f"is longer than {TEXT_MAX} characters",
    "too_long",
    max=TEXT_MAX,
)


def _text(*checks: pa.Check, required: bool = True, unique: bool = False) -> pa.Column:
    return pa.Column(
        str,
        checks=[NON_EMPTY, NOT_TOO_LONG, *checks] if required else [NOT_TOO_LONG, *checks],
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
# One schema per file, as in data/README.md. Every number is bounded by what it means.

CLUSTERS_PER_CELL_MAX = 1000  # figure 2-1: clusters of one sector in one continent
FACT_VALUE_MAX = 1e9  # a figure the report states, in its unit (percent, 亿美元, firms, ...)

_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "clusters": _schema(
        "clusters",
        {
            "cluster_id": _slug_id(),
            "annex_no": pa.Column(
                "Int64",
                _range(1, ANNEX_MAX, f"must be a whole number 1-{ANNEX_MAX}"),
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
            "lat": _float(_range(-90, 90, "must be a latitude in [-90, 90]")),
            "lon": _float(_range(-180, 180, "must be a longitude in [-180, 180]")),
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
                    "derived_fields",
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
            "clusters": _int(
                _range(
                    0,
                    CLUSTERS_PER_CELL_MAX,
                    f"must be a whole number >= 0 and <= {CLUSTERS_PER_CELL_MAX}",
                )
            ),
            "source_ref": _text(_one_of(["figure 2-1"])),
        },
    ),
    "policies": _schema(
        "policies",
        {
            "policy_id": _slug_id(),
            "jurisdiction": _text(
                _check(
                    lambda v: v == "EU" or _is_iso3(v),
                    "must be an ISO3 country code or EU",
                    "jurisdiction",
                )
            ),
            "name_zh": _text(),
            "name_en": _text(),
            "period": _text(_one_of(POLICY_PERIODS)),
            "year": _int(_range(1900, 2100, "must be a year (1900-2100)"), nullable=True),
            "year_source": _text(_one_of(PROVENANCES, empty_ok=True), required=False),
            "themes": _text(
                _check(
                    lambda v: _is_list(v, frozenset(THEMES)),
                    "must be a ';'-list of themes from " + ", ".join(THEMES),
                    "themes",
                    values=", ".join(THEMES),
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
            "value": _float(
                _range(
                    -FACT_VALUE_MAX,
                    FACT_VALUE_MAX,
                    f"must be a number between -{FACT_VALUE_MAX:.0e} and {FACT_VALUE_MAX:.0e}",
                )
            ),
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
                    "region",
                )
            ),
            "quote_zh": _text(),
            "trend_no": _int(
                _range(1, TREND_COUNT, f"must be a trend number 1-{TREND_COUNT}"), nullable=True
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
                _range(1, TREND_COUNT, f"must be a trend number 1-{TREND_COUNT}"),
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
                _check(
                    lambda v: v in set(SECTION_KINDS.values()),
                    "must be one of chapters "
                    + ", ".join(str(c) for c in sorted(set(SECTION_KINDS.values()))),
                    "vocab",
                    values=", ".join(str(c) for c in sorted(set(SECTION_KINDS.values()))),
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
            "trend_no": _int(_range(1, TREND_COUNT, f"must be a trend number 1-{TREND_COUNT}")),
            "basis_zh": _text(),
            "basis_en": _text(),
            "source_ref": _text(SOURCE_REF),
        },
    ),
}


def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of table ``name`` (a key of :data:`FILES`): the one definition."""
    return _SCHEMAS[name]


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


def column_kind(name: str, column: str) -> str:
    """``int``, ``int_optional``, ``float`` or ``text``: how a column of table ``name`` is read."""
    spec = _NUMERIC[name]
    if column in spec.ints:
        return "int_optional" if column in spec.optional else "int"
    return "float" if column in spec.floats else "text"


# --------------------------------------------------------------------------------------------
# Reading


def parse_csv(text: str, file: str, delimiter: str = ",", max_rows: int = MAX_ROWS) -> pd.DataFrame:
    """Cells of CSV ``text`` as text (``""`` for empty); header required; rows as wide as it.

    Raises :class:`DataError` (``file`` names the file) on the first structural problem.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
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
                    raise DataError(
                        file, "the header repeats this column", column=dupes[0], code="dup_header"
                    )
                continue
            if len(records) >= max_rows:
                raise DataError(
                    file,
                    f"has more than {max_rows} data rows",
                    code="too_many_rows",
                    params={"max": max_rows},
                )
            if len(record) != len(header):
                raise DataError(
                    file,
                    f"malformed CSV: {len(record)} fields where the header has {len(header)} "
                    f"(line {reader.line_num})",
                    row=len(records) + 1,
                    code="row_width",
                    params={"n": len(record), "expected": len(header)},
                )
            records.append(record)
    except csv.Error as exc:
        raise DataError(
            file,
            f"malformed CSV near line {reader.line_num} ({exc})",
            row=len(records) + 1,
            code="malformed",
        ) from exc
    if header is None:
        raise DataError(file, "the file is empty (no header row)", code="empty_file")
    frame = pd.DataFrame(records, columns=header, dtype=str)
    return frame if records else pd.DataFrame({c: pd.Series([], dtype=str) for c in header})


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    """A data file's cells as text. Messages name the file, never the server's folder."""
    if not path.is_file():
        raise DataError(name, "the file is missing", code="missing_file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            name,
            f"the file is not UTF-8 text (byte {exc.start})",
            code="not_utf8",
            params={"byte": exc.start},
        ) from exc
    except OSError as exc:
        raise DataError(name, "the file cannot be read", code="unreadable") from exc
    return parse_csv(text, name)


def parse_number(raw: str, *, whole: bool) -> tuple[object, str | None]:
    """``(value, None)`` or ``(None, problem code)`` for one numeric cell (already non-empty).

    Only ASCII digits count (Arabic-Indic or full-width digits, which Python's ``int`` and
    ``float`` would accept, are refused); magnitudes beyond what the app can hold are refused
    before conversion, so no overflow reaches pandas.
    """
    cell = raw.strip()
    if whole:
        if not _INT_RE.fullmatch(cell):
            return None, "non_ascii_digits" if _has_foreign_digits(cell) else "not_int"
        if len(cell.lstrip("-")) > 16 or abs(int(cell)) > MAX_INT:
            return None, "too_large"
        return int(cell), None
    if not _ASCII_NUMBER.fullmatch(cell):
        return None, "non_ascii_digits" if _has_foreign_digits(cell) else "not_number"
    number = float(cell)
    if not math.isfinite(number) or abs(number) > MAX_FLOAT:
        return None, "too_large"
    return number, None


def _has_foreign_digits(cell: str) -> bool:
    return any(ch.isdigit() and not ("0" <= ch <= "9") for ch in cell)


_NUMBER_MESSAGES = {
    "not_int": "is not a whole number",
    "not_number": "is not a number",
    "non_ascii_digits": "is written with non-ASCII digits (use 0-9)",
    "too_large": "is far too large for this column",
}


def convert_numbers(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The text frame with numeric columns converted, and a problem per cell that is not.

    A cell that fails becomes ``<NA>``/``NaN``; its row is in the problems (callers drop it).
    """
    spec = _NUMERIC[name]
    out = frame.copy()
    problems: list[Problem] = []
    file = FILES[name]
    for col in (*spec.ints, *spec.floats):
        if col not in out.columns:
            continue  # reported as a missing column by the schema
        is_int = col in spec.ints
        values: list[object] = []
        for i, raw in enumerate(out[col].tolist()):
            cell = str(raw).strip()
            if cell == "":
                if col not in spec.optional:
                    problems.append(Problem(file, "required", "must not be empty", i + 1, col))
                values.append(pd.NA if is_int else math.nan)
                continue
            number, code = parse_number(cell, whole=is_int)
            if code is not None:
                problems.append(
                    Problem(file, code, _NUMBER_MESSAGES[code], i + 1, col, value=str(raw))
                )
                values.append(pd.NA if is_int else math.nan)
            else:
                values.append(number)
        dtype = "Int64" if is_int else "float64"
        out[col] = pd.array(values, dtype=dtype)
    return out, problems


_BUILTIN_CODES = {
    "column_in_dataframe": "missing_column",
    "column_in_schema": "extra_column",
    "field_uniqueness": "unique",
    "not_nullable": "required",
}


def schema_problems(name: str, typed: pd.DataFrame) -> list[Problem]:
    """Every failure of the pandera schema on ``typed`` (lazy run), one :class:`Problem` each.

    Rows are 1-based positions in ``typed`` (its index must be 0..n-1).
    """
    file = FILES[name]
    sch = _SCHEMAS[name]
    try:
        sch.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.reset_index(drop=True)
    except pa.errors.SchemaError as exc:  # non-lazy path; should not happen
        return [Problem(file, "other", str(exc).splitlines()[0])]
    else:
        return []
    out: list[Problem] = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        value = case.failure_case
        idx = case.index
        row = None if idx is None or pd.isna(idx) else int(idx) + 1
        column = case.column if isinstance(case.column, str) else None
        if check in ("column_in_dataframe", "column_in_schema"):
            missing = check == "column_in_dataframe"
            message = (
                "this required column is missing" if missing else "this column is not in the schema"
            )
            out.append(Problem(file, _BUILTIN_CODES[check], message, column=str(value)))
            continue
        text = (
            None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        )
        if check in _BUILTIN_CODES:
            code = _BUILTIN_CODES[check]
            message = (
                "appears more than once (must be unique)"
                if code == "unique"
                else "must not be empty"
            )
            out.append(
                Problem(file, code, message, row, column, value=text if code == "unique" else None)
            )
            continue
        if check.startswith("dtype("):
            out.append(Problem(file, "dtype", f"has the wrong type ({check})", row, column, text))
            continue
        code, params = "other", ()
        number = getattr(case, "check_number", None)
        if column in sch.columns and number is not None and not pd.isna(number):
            obj = sch.columns[column].checks[int(number)]
            code = obj.name or "other"
            params = _check_params(obj)
        out.append(Problem(file, code, check, row, column, value=text, params=params))
    return out


def _check_params(check: pa.Check) -> tuple[tuple[str, str], ...]:
    stats = check.statistics or {}
    out = {}
    if "min_value" in stats:
        out["min"], out["max"] = _num(stats["min_value"]), _num(stats["max_value"])
    skip = {"min_value", "max_value", "include_min", "include_max"}
    out.update({k: str(v) for k, v in stats.items() if k not in skip})
    return tuple(out.items())


def _num(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() and abs(number) < 1e6 else f"{number:g}"


def check_rules(name: str) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """Per column of table ``name``: ``(column, code, params)`` of every check of the schema.

    The data page builds its schema tables from this (the same objects that validate).
    """
    out = []
    for column, col in _SCHEMAS[name].columns.items():
        for check in col.checks:
            out.append((column, check.name or "other", _check_params(check)))
        if col.unique:
            out.append((column, "unique", ()))
    return out


def _problem_order(columns: list[str]) -> Callable[[Problem], tuple[int, int, int, int]]:
    def key(p: Problem) -> tuple[int, int, int, int]:
        missing_first = 0 if p.code == "missing_column" else 1
        position = columns.index(p.column) if p.column in columns else -1
        return (0 if p.row is None else 1, p.row or 0, missing_first, position)

    return key


def _first(name: str, problems: list[Problem]) -> DataError:
    """The clearest single problem (column problems first, then by row), with a count of others."""
    first = min(problems, key=_problem_order(list(_SCHEMAS[name].columns)))
    more = len(problems) - 1
    if not more:
        return DataError.of(first)
    suffix = f" ({more} more problem{'s' if more > 1 else ''} in this file)"
    return DataError.of(dataclasses.replace(first, message=first.message + suffix))


def _validate(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    typed, problems = convert_numbers(frame, name)
    if problems:
        raise _first(name, problems)
    problems = schema_problems(name, typed)
    if problems:
        raise _first(name, problems)
    return typed


# --------------------------------------------------------------------------------------------
# Rules across rows and files: each yields every problem, so the upload can report them all


def _p(name: str, row: int, column: str, code: str, message: str, **kw: object) -> Problem:
    value = kw.pop("value", None)
    return Problem(
        FILES[name],
        code,
        message,
        row=row + 1,
        column=column,
        value=None if value is None else str(value),
        params=tuple((k, str(v)) for k, v in kw.items()),
    )


def cluster_rule_problems(df: pd.DataFrame) -> list[Problem]:
    """``annex_no`` unique where set, and N exactly when ``source_ref`` is ``annex row N``."""
    out: list[Problem] = []
    seen: dict[int, int] = {}
    for i, no in enumerate(df["annex_no"]):
        if pd.isna(no):
            continue
        if int(no) in seen:
            out.append(
                _p("clusters", i, "annex_no", "annex_repeat",
                   f"value {int(no)} repeats row {seen[int(no)] + 1}",
                   value=int(no), other=seen[int(no)] + 1)
            )  # fmt: skip
        else:
            seen[int(no)] = i
    for i, (no, ref) in enumerate(zip(df["annex_no"], df["source_ref"], strict=True)):
        if pd.isna(no):
            if annex_row(ref) is not None:
                out.append(
                    _p("clusters", i, "annex_no", "annex_missing",
                       f"is empty but source_ref is '{quote_value(ref)}'", ref=quote_value(ref))
                )  # fmt: skip
        elif annex_row(ref) != int(no):
            out.append(
                _p("clusters", i, "source_ref", "annex_ref",
                   f"should be 'annex row {int(no)}'", value=ref, n=int(no))
            )  # fmt: skip
    return out


def organization_rule_problems(df: pd.DataFrame, clusters: pd.DataFrame) -> list[Problem]:
    """Each organisation's cluster exists; ``exact`` matches name the cluster as printed."""
    names = dict(zip(clusters["cluster_id"], clusters["name_zh"], strict=True))
    out: list[Problem] = []
    for i, row in enumerate(df.itertuples(index=False)):
        if row.cluster_id not in names:
            out.append(
                _p("organizations", i, "cluster_id", "unknown_cluster",
                   f"is not a cluster_id of {FILES['clusters']}", value=row.cluster_id)
            )  # fmt: skip
            continue
        same = names[row.cluster_id] == row.cluster_name_zh_published
        if row.cluster_match == "exact" and not same:
            out.append(
                _p("organizations", i, "cluster_name_zh_published", "exact_name",
                   f"differs from the name_zh of '{row.cluster_id}' although cluster_match is "
                   "'exact'", value=row.cluster_name_zh_published, id=row.cluster_id)
            )  # fmt: skip
        if row.cluster_match == "inferred" and same:
            out.append(
                _p("organizations", i, "cluster_match", "inferred_same",
                   "is 'inferred' but the published name equals the cluster's name_zh")
            )  # fmt: skip
    return out


def _check_sector_continent(df: pd.DataFrame) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for i, pair in enumerate(zip(df["sector"], df["continent"], strict=True)):
        if pair in seen:
            out.append(
                _p("sector_continent", i, "continent", "pair_repeat",
                   f"{pair[0]} x {pair[1]} is repeated", sector=pair[0], continent=pair[1])
            )  # fmt: skip
        seen.add(pair)
    missing = [(s, c) for s in SECTORS for c in CONTINENTS if (s, c) not in seen]
    if missing:
        s, c = missing[0]
        n = len(SECTORS) * len(CONTINENTS)
        out.append(
            Problem(
                FILES["sector_continent"],
                "pair_missing",
                f"has no row for sector {s} x continent {c} (all {n} pairs are required)",
                params=(("sector", s), ("continent", c), ("n", str(n))),
            )
        )
    return out


def _check_policies(df: pd.DataFrame) -> list[Problem]:
    out: list[Problem] = []
    for i, (year, source) in enumerate(zip(df["year"], df["year_source"], strict=True)):
        if pd.isna(year) and source:
            out.append(
                _p("policies", i, "year_source", "year_source_without_year",
                   "must be empty when year is empty", value=source)
            )  # fmt: skip
        if not pd.isna(year) and not source:
            out.append(
                _p("policies", i, "year_source", "year_without_source",
                   "must be set when year is set")
            )  # fmt: skip
    return out


def _check_trends(df: pd.DataFrame) -> list[Problem]:
    return [
        _p("trends", i, "source_ref", "trend_ref", f"should be 'ch6.{int(no)}'", value=ref, n=no)
        for i, (no, ref) in enumerate(zip(df["trend_no"], df["source_ref"], strict=True))
        if ref != f"ch6.{int(no)}"
    ]


def _check_sections(df: pd.DataFrame) -> list[Problem]:
    out: list[Problem] = []
    for i, row in enumerate(df.itertuples(index=False)):
        if SECTION_KINDS[row.kind] != row.chapter:
            out.append(
                _p("sections", i, "chapter", "kind_chapter",
                   f"is {row.chapter} but kind '{row.kind}' belongs to chapter "
                   f"{SECTION_KINDS[row.kind]}", kind=row.kind, n=SECTION_KINDS[row.kind])
            )  # fmt: skip
        if chapter_of(row.source_ref) != row.chapter:
            out.append(
                _p("sections", i, "source_ref", "ref_chapter",
                   f"is not in chapter {row.chapter}", value=row.source_ref, n=row.chapter)
            )  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------
# Valid but suspicious: warnings, never errors


NEAR_BOX_DEG = 2.0  # a point this far outside its country's bounding box is flagged


def report_continents(clusters: pd.DataFrame) -> dict[str, str]:
    """ISO3 → the continent the reference data files a country under (its most common one).

    The report has its own five continents (no Africa; Türkiye, Russia … as it files them), so
    the mapping is read from the shipped clusters, not from a general table; countries absent
    from them are not checked.
    """
    if clusters.empty:
        return {}
    counts = clusters.groupby(["country", "continent"]).size().reset_index(name="n")
    counts = counts.sort_values(["country", "n", "continent"], ascending=[True, False, True])
    return dict(counts.drop_duplicates("country")[["country", "continent"]].itertuples(False))


def _in_box(lat: float, lon: float, box: tuple[float, float, float, float], pad: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = box
    return min_lat - pad <= lat <= max_lat + pad and min_lon - pad <= lon <= max_lon + pad


def suspicious_clusters(
    clusters: pd.DataFrame,
    continents: dict[str, str],
    bboxes: dict[str, tuple[float, float, float, float]],
    file: str = FILES["clusters"],
) -> list[Problem]:
    """Warnings for rows that pass the schema but look wrong.

    - ``lat_lon_swapped``: the point lies outside its country, and swapping lat/lon puts it in;
    - ``outside_country``: the point lies more than :data:`NEAR_BOX_DEG` outside the bounding box
      of its country (``data/geo/country_bbox.csv``);
    - ``continent_mismatch``: ``continents`` (see :func:`report_continents`) files the country
      under another continent.
    """
    out: list[Problem] = []
    for i, r in enumerate(clusters.itertuples(index=False)):
        lat, lon = float(r.lat), float(r.lon)
        box = bboxes.get(str(r.country))
        if box is not None and not _in_box(lat, lon, box, NEAR_BOX_DEG):
            swapped = abs(lon) <= 90 and _in_box(lon, lat, box, NEAR_BOX_DEG)
            code = "lat_lon_swapped" if swapped else "outside_country"
            message = (
                "lat and lon look swapped: the point is in its country only when swapped"
                if swapped
                else f"the point ({lat:g}, {lon:g}) is far outside {r.country}"
            )
            out.append(
                Problem(file, code, message, i + 1, "lat", value=f"{lat:g}, {lon:g}",
                        params=(("country", str(r.country)),), warning=True)
            )  # fmt: skip
        expected = continents.get(str(r.country))
        if expected is not None and expected != r.continent:
            out.append(
                Problem(file, "continent_mismatch",
                        f"{r.country} is filed under {expected}, not {r.continent}",
                        i + 1, "continent", value=str(r.continent),
                        params=(("country", str(r.country)), ("expected", expected)),
                        warning=True)
            )  # fmt: skip
    return out


def _check_recommendation_trends(
    df: pd.DataFrame, sections: pd.DataFrame, trends: pd.DataFrame
) -> list[Problem]:
    name = "recommendation_trends"
    kinds = dict(zip(sections["section_id"], sections["kind"], strict=True))
    refs = dict(zip(sections["section_id"], sections["source_ref"], strict=True))
    trend_nos = {int(n) for n in trends["trend_no"]}
    seen: set[tuple[str, int]] = set()
    out: list[Problem] = []
    for i, row in enumerate(df.itertuples(index=False)):
        if kinds.get(row.section_id) != "recommendation":
            out.append(
                _p(name, i, "section_id", "not_recommendation",
                   f"is not a recommendation of {FILES['sections']}", value=row.section_id)
            )  # fmt: skip
            continue
        if int(row.trend_no) not in trend_nos:
            out.append(
                _p(name, i, "trend_no", "unknown_trend",
                   f"is not a trend of {FILES['trends']}", value=row.trend_no)
            )  # fmt: skip
        if row.source_ref != refs[row.section_id]:
            out.append(
                _p(name, i, "source_ref", "section_ref",
                   f"should be '{refs[row.section_id]}' (the section's own)",
                   value=row.source_ref, ref=refs[row.section_id])
            )  # fmt: skip
        pair = (row.section_id, int(row.trend_no))
        if pair in seen:
            out.append(
                _p(name, i, "trend_no", "link_repeat",
                   f"{pair[0]} -> trend {pair[1]} is repeated", id=pair[0], n=pair[1])
            )  # fmt: skip
        seen.add(pair)
    return out


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
        except Exception as exc:  # last resort: never leak a traceback or a server path
            log.exception("loading %s failed", file)
            raise DataError(file, "could not be loaded", code="unreadable") from exc
    checks = (
        ("clusters", cluster_rule_problems(frames["clusters"])),
        ("organizations", organization_rule_problems(frames["organizations"], frames["clusters"])),
        ("sector_continent", _check_sector_continent(frames["sector_continent"])),
        ("policies", _check_policies(frames["policies"])),
        ("trends", _check_trends(frames["trends"])),
        ("sections", _check_sections(frames["sections"])),
        (
            "recommendation_trends",
            _check_recommendation_trends(
                frames["recommendation_trends"], frames["sections"], frames["trends"]
            ),
        ),
    )
    for _name, problems in checks:
        if problems:
            raise DataError.of(problems[0])
    return Bundle(**{name: frame.reset_index(drop=True) for name, frame in frames.items()})


def files_signature(data_dir: Path | str | None = None) -> tuple[tuple[str, int, int], ...]:
    """``(file, mtime_ns, size)`` of every data file (``-1`` when missing): a cache key that
    changes whenever a file of the folder is edited, replaced or removed."""
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    out = []
    for file in FILES.values():
        try:
            st = (folder / file).stat()
            out.append((file, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((file, -1, -1))
    return tuple(out)
