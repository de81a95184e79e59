"""Load and validate the dataset in ``data/`` (schema: ``data/README.md``). No Streamlit here.

``load_bundle`` reads every CSV as text (nothing is guessed: an empty cell is ``""``), converts the
numeric columns, validates each file with its pandera schema (``components.schemas``) plus the
cross-file rules (unique ids, foreign keys, source references) and returns a frozen :class:`Bundle`
of fresh DataFrames. Any problem raises :class:`DataError` naming the file, row and column. The
shipped files skip the pandera run while their bytes match ``data/validated.json``, the manifest of
files that passed it under the current rules (:func:`vouched_files`, ``make manifest``).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import hashlib
import io
import json
import logging
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from components.datafiles import (
    FILES,
    Problem,
    quote_value,
)
from components.sources import annex_row, chapter_of
from components.vocab import CONTINENTS, SECTION_KINDS, SECTORS

if TYPE_CHECKING:  # pandera is imported only when something is validated (components.schemas)
    import pandera.pandas as pa

_INT_RE = re.compile(r"[+-]?[0-9]+")
log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------
# Problems, errors and the bundle

# Rows per data file: the report's files have a few hundred at most. A data folder is the
# operator's (``DATA_DIR``), so ``ATLAS_MAX_ROWS`` may raise the bound (the scale benchmarks' 100k).
MAX_ROWS = int(os.environ.get("ATLAS_MAX_ROWS", "") or 10_000)
MAX_INT = 2**53  # whole numbers beyond this are not read at all (a clear message, no overflow)
MAX_FLOAT = 1e15
_ASCII_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


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


def schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of table ``name`` (a key of :data:`FILES`): the one definition, in
    :mod:`components.schemas` (imported on first use)."""
    from components.schemas import SCHEMAS

    return SCHEMAS[name]


def schema_problems(name: str, typed: pd.DataFrame) -> list[Problem]:
    """Every failure of the pandera schema on ``typed`` (lazy run), one :class:`Problem` each.

    Rows are 1-based positions in ``typed`` (its index must be 0..n-1).
    """
    from components.schemas import schema_problems as problems

    return problems(name, typed)


def check_rules(name: str) -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """Per column of table ``name``: ``(column, code, params)`` of every check of the schema.

    The data page builds its schema tables from this (the same objects that validate).
    """
    from components.schemas import check_rules as rules

    return rules(name)


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


def _read_csv(path: Path, name: str) -> tuple[pd.DataFrame, str]:
    """A data file's cells as text, and the SHA-256 of the bytes they were read from. Messages
    name the file, never the server's folder."""
    if not path.is_file():
        raise DataError(name, "the file is missing", code="missing_file")
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            name,
            f"the file is not UTF-8 text (byte {exc.start})",
            code="not_utf8",
            params={"byte": exc.start},
        ) from exc
    except OSError as exc:
        raise DataError(name, "the file cannot be read", code="unreadable") from exc
    return parse_csv(text, name), hashlib.sha256(raw).hexdigest()


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


def _problem_order(columns: list[str]) -> Callable[[Problem], tuple[int, int, int, int]]:
    def key(p: Problem) -> tuple[int, int, int, int]:
        missing_first = 0 if p.code == "missing_column" else 1
        position = columns.index(p.column) if p.column in columns else -1
        return (0 if p.row is None else 1, p.row or 0, missing_first, position)

    return key


def _first(name: str, problems: list[Problem]) -> DataError:
    """The clearest single problem (column problems first, then by row), with a count of others."""
    first = min(problems, key=_problem_order(list(schema(name).columns)))
    more = len(problems) - 1
    if not more:
        return DataError.of(first)
    suffix = f" ({more} more problem{'s' if more > 1 else ''} in this file)"
    return DataError.of(dataclasses.replace(first, message=first.message + suffix))


def _validate(name: str, frame: pd.DataFrame, *, schema_check: bool = True) -> pd.DataFrame:
    """The typed frame of table ``name``. ``schema_check=False`` (a file the manifest vouches
    for, see :func:`vouched_files`) skips the pandera run only: numbers are still converted, and
    :func:`load_bundle` still applies every rule across rows and files."""
    typed, problems = convert_numbers(frame, name)
    if problems:
        raise _first(name, problems)
    problems = schema_problems(name, typed) if schema_check else []
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


def load_bundle(data_dir: Path | str | None = None, *, use_manifest: bool = True) -> Bundle:
    """Read and validate every file of ``data_dir`` (default: :func:`default_data_dir`).

    A file whose bytes the manifest lists (:func:`vouched_files`: the shipped files, as they
    passed the full validation under the current rules) skips the pandera schema run; every other
    file gets it. ``use_manifest=False`` validates everything fully (tests, ``make manifest``).
    Pure: returns new DataFrames on each call. Raises :class:`DataError` on the first problem.
    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    vouched = vouched_files() if use_manifest else {}
    frames: dict[str, pd.DataFrame] = {}
    for name, file in FILES.items():
        try:
            text, digest = _read_csv(folder / file, file)
            frames[name] = _validate(name, text, schema_check=vouched.get(file) != digest)
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


# --------------------------------------------------------------------------------------------
# The manifest of validated files: the shipped data, validated once per content, not per start

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "data" / "validated.json"
# What decides whether a file passes the schema: these sources and the pinned versions of the
# libraries that check. Any change makes the manifest stale: every file is then fully validated
# (and a unit test asks for ``make manifest``).
RULE_SOURCES = (
    "components/schemas.py",
    "components/data.py",
    "components/datafiles.py",
    "components/vocab.py",
    "components/sources.py",
)
RULE_PINS = ("pandas", "pandera", "pycountry")


@functools.cache
def rules_fingerprint() -> str:
    """SHA-256 over :data:`RULE_SOURCES` and the ``requirements.txt`` pins of :data:`RULE_PINS`
    (a missing file counts as empty, so the manifest no longer matches)."""
    digest = hashlib.sha256()
    for rel in RULE_SOURCES:
        path = ROOT / rel
        digest.update(f"{rel}\0".encode() + (path.read_bytes() if path.is_file() else b"") + b"\0")
    try:
        lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    pins = sorted(
        line.strip() for line in lines if re.split(r"[=<>~!\[ ]", line.strip())[0] in RULE_PINS
    )
    digest.update("\n".join(pins).encode())
    return digest.hexdigest()


def file_digests(data_dir: Path | str) -> dict[str, str]:
    """SHA-256 of every data file of ``data_dir`` (missing files left out)."""
    folder = Path(data_dir)
    return {
        file: hashlib.sha256((folder / file).read_bytes()).hexdigest()
        for file in FILES.values()
        if (folder / file).is_file()
    }


def build_manifest(data_dir: Path | str | None = None) -> dict[str, object]:
    """The manifest of ``data_dir`` (default: the repository's ``data/``) after a full
    validation of it: raises :class:`DataError` if a file does not pass."""
    folder = Path(data_dir) if data_dir is not None else ROOT / "data"
    load_bundle(folder, use_manifest=False)
    return {
        "about": "SHA-256 of each shipped data file that passed the full validation under the "
        "rules fingerprinted in 'rules'; written by `make manifest` (data/README.md).",
        "rules": rules_fingerprint(),
        "files": file_digests(folder),
    }


def write_manifest(path: Path = MANIFEST, data_dir: Path | str | None = None) -> Path:
    """Validate the shipped files fully and write the manifest (``make manifest``)."""
    text = json.dumps(build_manifest(data_dir), indent=2, ensure_ascii=False, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


@functools.cache
def _read_manifest(path: Path) -> dict[str, str]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("data manifest %s unreadable: every data file is fully validated", path.name)
        return {}
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if manifest.get("rules") != rules_fingerprint() or not isinstance(files, dict):
        log.info("data manifest is stale (rules changed): every data file is fully validated")
        return {}
    return {str(k): str(v) for k, v in files.items()}


def vouched_files(path: Path = MANIFEST) -> dict[str, str]:
    """``{file name: SHA-256}`` of the files the manifest says passed the full validation under
    the current rules (empty when it is missing, unreadable or stale). Read from the repository,
    never from ``DATA_DIR``: a file is vouched for by its exact bytes only, wherever it lies."""
    return _read_manifest(path)
