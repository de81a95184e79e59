"""The pandera schema of every data file (``data/README.md``): the one definition of the rules.

Imported only when something is validated (an upload, a data folder whose files the manifest does
not vouch for, ``make manifest``) or the data page shows the rules: importing pandera costs about
a quarter of a second, which a cold start of the shipped data does not pay
(``components.data.load_bundle``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd
import pandera.pandas as pa
import pycountry

from components.datafiles import (
    ANNEX_MAX,
    FILES,
    REGION_SLUG_RE,
    SLUG_RE,
    TEXT_MAX,
    Problem,
)
from components.sources import is_valid_ref
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

SCHEMAS: dict[str, pa.DataFrameSchema] = {
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
            # our translation of place_en; may be empty (then place_en is shown), and an uploaded
            # file may leave the column out (components.upload.OPTIONAL_COLUMNS)
            "place_zh": _text(required=False),
            "source_ref": _text(SOURCE_REF),
            # ';'-list of the columns derived rather than transcribed (empty for annex rows)
            "derived_fields": _text(
                _check(
                    lambda v: _is_list(
                        v, frozenset(SCHEMAS["clusters"].columns) - {"derived_fields"}
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
    sch = SCHEMAS[name]
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
    for column, col in SCHEMAS[name].columns.items():
        for check in col.checks:
            out.append((column, check.name or "other", _check_params(check)))
        if col.unique:
            out.append((column, "unique", ()))
    return out
