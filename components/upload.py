"""Bring your own clusters: read, validate and merge an uploaded cluster file. Pure: no ``st.*``.

The reader uploads a CSV (UTF-8, UTF-8 with BOM or GBK/GB18030; comma or tab) or an XLSX file
following ``clusters.csv``'s schema. :func:`read_upload` turns the bytes into a frame of text
cells; :func:`validate_clusters` applies the same rules as the shipped data (the pandera schema of
``components.data`` and its cross-row rules) row by row, so valid rows can be used while invalid
ones are listed; :func:`merge` builds this session's :class:`CustomData`. Nothing here raises on
bad input: every problem is a :class:`components.datafiles.Problem` with its row, column and value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from components.data import (
    FILES,
    Bundle,
    DataError,
    Problem,
    cluster_rule_problems,
    convert_numbers,
    organization_rule_problems,
    parse_csv,
    quote_value,
    report_continents,
    schema,
    schema_problems,
    suspicious_clusters,
)
from components.geo import load_bboxes

Mode = Literal["add", "replace"]
MODES: tuple[Mode, ...] = ("add", "replace")
MAX_UPLOAD_MB = 2
MAX_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 2000  # the report names a few hundred clusters at most
MAX_COLUMNS = 64
MAX_UNPACKED = 50 * 1024 * 1024  # an XLSX upload may unpack to this much at most (zip bombs)
NAME_LIMIT = 60  # characters of the uploaded file's name kept
TABLE = "clusters"
XLSX_MAGIC = b"PK\x03\x04"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Columns an uploaded file may leave out (files made before they existed): each is added empty,
# with a warning. An empty ``place_zh`` shows ``place_en`` (``components.places``).
OPTIONAL_COLUMNS: tuple[str, ...] = ("place_zh",)


@functools.cache
def columns() -> tuple[str, ...]:
    """The columns of ``clusters.csv`` in the schema's order (read from the pandera schema, which
    is imported on first use: a cold start does not pay for it)."""
    return tuple(schema(TABLE).columns)


def __getattr__(name: str) -> object:
    """``COLUMNS``: :func:`columns`, computed on first use."""
    if name == "COLUMNS":
        return columns()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Table:
    """An uploaded file read into text cells (``frame`` None when it could not be read)."""

    frame: pd.DataFrame | None
    problems: tuple[Problem, ...] = ()
    encoding: str = ""
    delimiter: str = ""
    kind: str = ""  # "csv" or "xlsx"


@dataclass(frozen=True)
class Report:
    """What validation found: the rows that can be used, the ones that cannot, and why."""

    file_name: str
    rows: int  # data rows read
    valid: pd.DataFrame  # typed rows that pass every rule (schema columns only)
    valid_rows: tuple[int, ...]  # their 1-based row numbers in the file
    invalid: pd.DataFrame  # the failing rows as uploaded (text), with a leading ``row`` column
    problems: tuple[Problem, ...]  # errors and warnings, in row order
    fatal: bool = False  # nothing can be used (unreadable file, missing columns, no rows)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that make a row (or the file) unusable."""
        return tuple(p for p in self.problems if not p.warning)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Valid but suspicious values (kept)."""
        return tuple(p for p in self.problems if p.warning)


@dataclass(frozen=True)
class CustomData:
    """This session's own clusters, validated; the rest of the dataset stays the report's."""

    file_name: str
    mode: Mode
    clusters: pd.DataFrame
    organizations: pd.DataFrame
    uploaded: int  # rows of the file in use
    orgs_dropped: int  # organisations left out because their cluster is no longer there

    def apply(self, base: Bundle) -> Bundle:
        """``base`` with these clusters and the organisations still matching them (copies)."""
        return dataclasses.replace(
            base, clusters=self.clusters.copy(), organizations=self.organizations.copy()
        )


def _problem(file: str, code: str, message: str, **params: object) -> Problem:
    return Problem(file, code, message, params=tuple((k, str(v)) for k, v in params.items()))


def clean_name(name: object) -> str:
    """The uploaded file's name as shown: no folders, one line, shortened."""
    text = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return quote_value(text, NAME_LIMIT) or "upload"


# --- reading -------------------------------------------------------------------------------------


def read_upload(data: bytes, name: str) -> Table:
    """The uploaded bytes as a frame of text cells, or the problem that prevents it."""
    file = clean_name(name)
    if not data:
        return Table(None, (_problem(file, "empty_file", "the file is empty"),))
    if len(data) > MAX_BYTES:
        size = f"{len(data) / 1024 / 1024:.1f}"
        return Table(
            None,
            (
                _problem(
                    file,
                    "file_too_large",
                    f"the file has {size} MB; at most {MAX_UPLOAD_MB} MB",
                    size=size,
                    max=MAX_UPLOAD_MB,
                ),
            ),
        )
    if data.startswith(XLSX_MAGIC) or file.lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, file)
    return _read_text(data, file)


def _decode(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _read_text(data: bytes, file: str) -> Table:
    if b"\x00" in data:
        return Table(None, (_problem(file, "binary", "the file is not a text (CSV) file"),))
    decoded = _decode(data)
    if decoded is None:
        message = "the file is neither UTF-8 nor GBK/GB18030 text"
        return Table(None, (_problem(file, "bad_encoding", message),))
    text, encoding = decoded
    if _CONTROL.search(text):
        return Table(None, (_problem(file, "binary", "the file is not a text (CSV) file"),))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    if first.count(delimiter) == 0:
        other = next((sep for sep in ";|" if sep in first), None)
        if other is not None:
            message = f"the columns are separated by '{other}' (use a comma or a tab)"
            problem = _problem(file, "delimiter", message, sep=other)
            return Table(None, (problem,), encoding, other, "csv")
    try:
        frame = parse_csv(text, file, delimiter=delimiter, max_rows=MAX_ROWS)
    except DataError as err:
        return Table(None, (err.problem,), encoding, delimiter, "csv")
    return Table(_clean_header(frame), (), encoding, delimiter, "csv")


def _clean_header(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [str(c).strip().lstrip("\ufeff") for c in out.columns]
    return out


def _cell(value: object) -> str:
    """An XLSX cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, file: str) -> Table:
    from openpyxl import load_workbook

    bad = (_problem(file, "bad_xlsx", "the file is not a readable XLSX workbook"),)
    try:  # a workbook is a zip: refuse one that unpacks to far more than any cluster list
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return Table(None, bad, kind="xlsx")
    if unpacked > MAX_UNPACKED:
        return Table(None, bad, kind="xlsx")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError):
        return Table(None, bad, kind="xlsx")
    except Exception:  # noqa: BLE001 - any malformed workbook is the reader's problem, not ours
        return Table(None, bad, kind="xlsx")
    try:
        sheet = book.worksheets[0]
        rows: list[list[str]] = []
        header: list[str] | None = None
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            cells = [_cell(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                while cells and not cells[-1].strip():
                    cells.pop()
                header = cells
                continue
            if len(rows) >= MAX_ROWS:
                message = f"has more than {MAX_ROWS} data rows"
                return Table(None, (_problem(file, "too_many_rows", message, max=MAX_ROWS),))
            extra = cells[len(header) :]
            if any(c.strip() for c in extra):
                n = len(header)
                message = f"a row has cells beyond the header's {n} columns"
                params = (("n", str(len(cells))), ("expected", str(n)))
                problem = Problem(file, "row_width", message, row=len(rows) + 1, params=params)
                return Table(None, (problem,), kind="xlsx")
            rows.append(cells[: len(header)] + [""] * (len(header) - len(cells)))
    except Exception:  # noqa: BLE001
        return Table(None, bad, kind="xlsx")
    finally:
        book.close()
    if header is None:
        return Table(None, (_problem(file, "empty_file", "the file is empty"),), kind="xlsx")
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        problem = Problem(file, "dup_header", "the header repeats this column", column=dupes[0])
        return Table(None, (problem,), kind="xlsx")
    frame = pd.DataFrame(rows, columns=header, dtype=str)
    if not rows:
        frame = pd.DataFrame({c: pd.Series([], dtype=str) for c in header})
    return Table(_clean_header(frame), (), "xlsx", "", "xlsx")


# --- validating ----------------------------------------------------------------------------------


def _empty_typed() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series([], dtype=str) for c in columns()})
    typed, _ = convert_numbers(frame, TABLE)
    return typed


def _fatal(file: str, rows: int, problems: list[Problem], raw: pd.DataFrame | None) -> Report:
    invalid = pd.DataFrame({"row": pd.Series([], dtype=int)})
    if raw is not None and len(raw):
        invalid = raw.assign(row=range(1, len(raw) + 1))[["row", *raw.columns]]
    return Report(file, rows, _empty_typed(), (), invalid, tuple(problems), fatal=True)


def validate_clusters(table: Table, base: Bundle, mode: Mode, file_name: str) -> Report:
    """Every problem of every row of an uploaded cluster file, and the rows that can be used.

    Same rules as ``clusters.csv``: the schema's columns, types, vocabularies, ranges and unique
    ids, the annex/source rules; in ``add`` mode ids and annex numbers must also be new to the
    report's clusters. Suspicious rows (swapped lat/lon, far outside the country, another
    continent than the report gives the country) are kept with a warning.
    """
    file = clean_name(file_name)
    if table.frame is None:
        return _fatal(file, 0, [dataclasses.replace(p, file=file) for p in table.problems], None)
    raw = table.frame.reset_index(drop=True)
    rows = len(raw)
    problems: list[Problem] = []
    absent = [c for c in OPTIONAL_COLUMNS if c not in raw.columns]
    for column in absent:
        problems.append(
            Problem(file, "optional_column", "this optional column is missing (left empty)",
                    column=column, warning=True)
        )  # fmt: skip
    full = raw.assign(**dict.fromkeys(absent, ""))  # what is checked; ``raw`` as uploaded
    missing = [c for c in columns() if c not in full.columns]
    for column in missing:
        problems.append(
            Problem(file, "missing_column", "this required column is missing", column=column)
        )
    for column in [c for c in raw.columns if c not in columns()]:
        problems.append(
            Problem(file, "extra_column", "this column is not in the schema and is ignored",
                    column=quote_value(column), warning=True)
        )  # fmt: skip
    if missing:
        return _fatal(file, rows, problems, raw)
    if rows == 0:
        problems.append(_problem(file, "no_rows", "the file has a header but no data rows"))
        return _fatal(file, rows, problems, raw)

    text = full[list(columns())].astype(str)
    typed, found = convert_numbers(text, TABLE)
    seen = {(p.row, p.column) for p in found}
    found += [p for p in schema_problems(TABLE, typed) if (p.row, p.column) not in seen]
    found += cluster_rule_problems(typed)
    if mode == "add":
        found += _clashes(typed, base.clusters)
    problems += [dataclasses.replace(p, file=file, value=_as_given(raw, p)) for p in found]

    bad = {p.row for p in problems if not p.warning and p.row is not None}
    keep = [i for i in range(rows) if i + 1 not in bad]
    valid = typed.iloc[keep].reset_index(drop=True)
    reference = report_continents(base.clusters)
    for p in suspicious_clusters(valid, reference, load_bboxes(), file):
        problems.append(dataclasses.replace(p, row=keep[p.row - 1] + 1))  # type: ignore[operator]
    problems.sort(
        key=lambda p: (p.row or 0, columns().index(p.column) if p.column in columns() else -1)
    )
    failing = sorted(bad)
    invalid = raw.iloc[[r - 1 for r in failing]].assign(row=failing)
    invalid = invalid[["row", *raw.columns]].reset_index(drop=True)
    return Report(
        file, rows, valid, tuple(k + 1 for k in keep), invalid, tuple(problems), fatal=not keep
    )


def _as_given(raw: pd.DataFrame, problem: Problem) -> str | None:
    """The offending cell exactly as uploaded (``91``, not the parsed ``91.0``)."""
    if problem.value is None or problem.row is None or problem.column not in raw.columns:
        return problem.value
    return str(raw.at[problem.row - 1, problem.column])


def _clashes(typed: pd.DataFrame, existing: pd.DataFrame) -> list[Problem]:
    """In ``add`` mode: ids and annex numbers the report's clusters already use."""
    file = FILES[TABLE]
    ids = set(existing["cluster_id"])
    annex = {int(n) for n in existing["annex_no"].dropna()}
    out = []
    for i, (cid, no) in enumerate(zip(typed["cluster_id"], typed["annex_no"], strict=True)):
        if cid in ids:
            out.append(Problem(file, "id_taken", "is already a cluster_id of the report's data",
                               i + 1, "cluster_id", value=str(cid)))  # fmt: skip
        if not pd.isna(no) and int(no) in annex:
            out.append(Problem(file, "annex_taken", "is already an annex row of the report's data",
                               i + 1, "annex_no", value=str(int(no))))  # fmt: skip
    return out


# --- using ---------------------------------------------------------------------------------------


def merge(report: Report, base: Bundle, mode: Mode) -> CustomData | None:
    """This session's data from the valid rows (None when there is nothing valid to use).

    ``add``: the report's clusters and the valid rows; ``replace``: the valid rows alone.
    Organisations whose cluster is gone (or no longer carries the name they were published
    under) are left out and counted. The result passes the loader's cross-file rules.
    """
    if report.fatal or report.valid.empty:
        return None
    valid = report.valid[list(columns())]
    if mode == "add":
        clusters = pd.concat([base.clusters[list(columns())], valid], ignore_index=True)
    else:
        clusters = valid.copy()
    for col, dtype in base.clusters.dtypes.items():
        clusters[col] = clusters[col].astype(dtype)
    orgs = base.organizations.reset_index(drop=True)
    dropped = {p.row for p in organization_rule_problems(orgs, clusters)}
    keep = [i for i in range(len(orgs)) if i + 1 not in dropped]
    orgs = orgs.iloc[keep].reset_index(drop=True)
    if cluster_rule_problems(clusters) or organization_rule_problems(orgs, clusters):
        return None  # cannot happen after validate_clusters; never hand pages broken data
    if schema_problems(TABLE, clusters.reset_index(drop=True)):
        return None
    return CustomData(
        file_name=report.file_name,
        mode=mode,
        clusters=clusters.reset_index(drop=True),
        organizations=orgs,
        uploaded=len(valid),
        orgs_dropped=len(dropped),
    )


def template() -> pd.DataFrame:
    """A blank cluster file: the schema's columns, no rows."""
    return pd.DataFrame({c: pd.Series([], dtype=str) for c in columns()})
