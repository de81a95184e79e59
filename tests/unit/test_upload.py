"""Uploads (components/upload.py): a catalogue of bad inputs, each with its expected outcome,
and property-based tests of the validator. Never a traceback: every input ends in a Report."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components.data import load_bundle, schema_problems
from components.export import csv_bytes, xlsx_bytes
from components.i18n import t
from components.upload import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    merge,
    read_upload,
    template,
    validate_clusters,
)

BUNDLE = load_bundle()
FREE_TEXT = (
    "name_zh", "name_en", "lead_industry_zh", "lead_industry_en", "field_zh", "place_en", "place_zh"
)  # fmt: skip
CONSTRAINED_TEXT = {  # column -> the error a free-text payload gets there
    "cluster_id": "slug",
    "continent": "vocab",
    "country": "iso3",
    "sector": "vocab",
    "geo_precision": "vocab",
    "source_ref": "source_ref",
}


def good_rows(n: int = 3) -> list[dict[str, str]]:
    """``n`` valid rows for add mode: shipped clusters under new ids, as table-only clusters."""
    picks = BUNDLE.clusters.iloc[[10, 40, 90, 5, 60][:n]]
    rows = []
    for i, r in enumerate(picks.to_dict("records")):
        row = {c: ("" if pd.isna(r[c]) else str(r[c])) for c in COLUMNS}
        row.update(cluster_id=f"test-{i}", annex_no="", source_ref="table 2-10", derived_fields="")
        rows.append(row)
    return rows


def to_csv(
    rows: list[dict[str, str]], *, delimiter: str = ",", header: list[str] | None = None
) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=header or list(COLUMNS), delimiter=delimiter, lineterminator="\n",
        extrasaction="ignore",
    )  # fmt: skip
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def changed(**cells: str) -> bytes:
    """The good file with the first row's ``cells`` changed."""
    rows = good_rows()
    rows[0].update(cells)
    return to_csv(rows).encode("utf-8")


def xlsx(rows: list[dict[str, str]]) -> bytes:
    return xlsx_bytes(pd.DataFrame(rows, columns=list(COLUMNS)), sheet="clusters")


def zip_bomb() -> bytes:
    """A small zip that claims to unpack to far more than any cluster list."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<a>" + b"0" * (60 * 1024 * 1024) + b"</a>")
    return out.getvalue()


@dataclass(frozen=True)
class Case:
    """One bad (or tricky) input and what must come of it."""

    data: Callable[[], bytes]
    name: str = "clusters.csv"
    mode: str = "add"
    fatal: bool = False
    valid: int | None = None  # valid rows expected (None: not checked)
    errors: frozenset[str] = field(default_factory=frozenset)  # error codes that must appear
    warnings: frozenset[str] = field(default_factory=frozenset)


def case(data: Callable[[], bytes], **kw: object) -> Case:
    for key in ("errors", "warnings"):
        if key in kw:
            kw[key] = frozenset(kw[key])  # type: ignore[arg-type]
    return Case(data, **kw)  # type: ignore[arg-type]


GOOD = lambda: to_csv(good_rows()).encode("utf-8")  # noqa: E731
LONG = "长" * 5000
HTML = '<img src=x onerror=alert(1)><iframe srcdoc="<script>alert(2)</script>"></iframe>'
MARKDOWN = "[Session expired](https://evil.example/login) www.evil.example :red[**HACKED**] $$x$$"
DECK = "@@=name_zh"

CATALOGUE: dict[str, Case] = {
    # --- the file as a whole
    "empty file": case(lambda: b"", fatal=True, errors={"empty_file"}),
    "blank lines only": case(lambda: b"\n\n\n", fatal=True, errors={"empty_file"}),
    "header only": case(lambda: to_csv([]).encode(), fatal=True, errors={"no_rows"}),
    "semicolon delimiter": case(
        lambda: to_csv(good_rows(), delimiter=";").encode(), fatal=True, errors={"delimiter"}
    ),
    "pipe delimiter": case(
        lambda: to_csv(good_rows(), delimiter="|").encode(),
        fatal=True,
        errors={"delimiter"},
    ),
    "tab delimiter": case(lambda: to_csv(good_rows(), delimiter="\t").encode(), valid=3),
    "UTF-8 with BOM": case(lambda: b"\xef\xbb\xbf" + GOOD(), valid=3),
    "GBK (Excel in China)": case(lambda: to_csv(good_rows()).encode("gbk"), valid=3),
    "GB18030": case(lambda: to_csv(good_rows()).encode("gb18030"), valid=3),
    "UTF-16 is refused": case(
        lambda: to_csv(good_rows()).encode("utf-16"), fatal=True, errors={"binary"}
    ),
    "XLSX": case(lambda: xlsx(good_rows()), name="clusters.xlsx", valid=3),
    "XLSX named .csv": case(lambda: xlsx(good_rows()), name="clusters.csv", valid=3),
    "corrupt XLSX": case(
        lambda: b"PK\x03\x04" + os.urandom(2000), name="c.xlsx", fatal=True, errors={"bad_xlsx"}
    ),
    "XLSX zip bomb": case(lambda: zip_bomb(), name="bomb.xlsx", fatal=True, errors={"bad_xlsx"}),
    "CSV named .xlsx": case(GOOD, name="c.xlsx", fatal=True, errors={"bad_xlsx"}),
    "10 MB file": case(
        lambda: GOOD() + b"x" * (10 * 1024 * 1024), fatal=True, errors={"file_too_large"}
    ),
    "binary garbage with NUL": case(lambda: bytes(range(256)) * 40, fatal=True, errors={"binary"}),
    "binary garbage without NUL": case(
        lambda: bytes(range(1, 32)) * 50, fatal=True, errors={"binary"}
    ),
    "HTML page": case(
        lambda: b"<html><body><script>alert(1)</script><a href='x'>x</a></body></html>",
        fatal=True,
        errors={"missing_column"},
    ),
    "too many rows": case(
        lambda: to_csv(good_rows(1) * (MAX_ROWS + 1)).encode(),
        fatal=True,
        errors={"too_many_rows"},
    ),
    "row wider than header": case(
        lambda: GOOD() + b"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s\n",
        fatal=True,
        errors={"row_width"},
    ),
    "unterminated quote": case(
        lambda: GOOD() + b'x,"unterminated\n', fatal=True, errors={"malformed"}
    ),
    "duplicate header": case(
        lambda: to_csv(good_rows(), header=[*COLUMNS, "lat"]).encode(),
        fatal=True,
        errors={"dup_header"},
    ),
    # --- columns
    "missing column": case(
        lambda: to_csv(good_rows(), header=[c for c in COLUMNS if c != "lat"]).encode(),
        fatal=True,
        errors={"missing_column"},
    ),
    "file made before place_zh": case(
        lambda: to_csv(good_rows(), header=[c for c in COLUMNS if c != "place_zh"]).encode(),
        valid=3,
        warnings={"optional_column"},
    ),
    "blank place_zh": case(lambda: changed(place_zh=""), valid=3),
    "extra column ignored": case(
        lambda: to_csv(
            [{**r, "notes": "x"} for r in good_rows()], header=[*COLUMNS, "notes"]
        ).encode(),
        valid=3,
        warnings={"extra_column"},
    ),
    "header with blanks": case(
        lambda: GOOD().replace(b"cluster_id,", b" cluster_id ,", 1), valid=3
    ),
    # --- vocabularies and codes
    "unknown continent": case(lambda: changed(continent="XX"), valid=2, errors={"vocab"}),
    "Africa is not a report continent": case(
        lambda: changed(continent="AF"), valid=2, errors={"vocab"}
    ),
    "unknown sector": case(lambda: changed(sector="automotive"), valid=2, errors={"vocab"}),
    "unknown country": case(lambda: changed(country="ZZZ"), valid=2, errors={"iso3"}),
    "lower-case country": case(lambda: changed(country="usa"), valid=2, errors={"iso3"}),
    "unknown precision": case(lambda: changed(geo_precision="street"), valid=2, errors={"vocab"}),
    "bad source_ref": case(lambda: changed(source_ref="annex 2"), valid=2, errors={"source_ref"}),
    "annex without annex ref": case(lambda: changed(annex_no="149"), valid=2, errors={"annex_ref"}),
    "annex ref without annex": case(
        lambda: changed(source_ref="annex row 149"), valid=2, errors={"annex_missing"}
    ),
    "bad derived_fields": case(
        lambda: changed(derived_fields="continent;colour"), valid=2, errors={"derived_fields"}
    ),
    # --- numbers
    "lat 91": case(lambda: changed(lat="91"), valid=2, errors={"range"}),
    "lat -90.5": case(lambda: changed(lat="-90.5"), valid=2, errors={"range"}),
    "lon 181": case(lambda: changed(lon="181"), valid=2, errors={"range"}),
    "lon abc": case(lambda: changed(lon="abc"), valid=2, errors={"not_number"}),
    "lat empty": case(lambda: changed(lat=""), valid=2, errors={"required"}),
    "lat NaN": case(lambda: changed(lat="NaN"), valid=2, errors={"not_number"}),
    "lat inf": case(lambda: changed(lat="inf"), valid=2, errors={"not_number"}),
    "lat 1e400": case(lambda: changed(lat="1e400"), valid=2, errors={"too_large"}),
    "lat with decimal comma": case(lambda: changed(lat="48,1"), valid=2, errors={"not_number"}),
    "Arabic-Indic digits": case(lambda: changed(lat="٤٨.١٤"), valid=2, errors={"non_ascii_digits"}),
    "full-width digits": case(lambda: changed(lat="４８"), valid=2, errors={"non_ascii_digits"}),
    "huge annex_no": case(
        lambda: changed(annex_no="99999999999999999999999", source_ref="annex row 1"),
        valid=2,
        errors={"too_large"},
    ),
    "annex_no 151": case(lambda: changed(annex_no="151"), valid=2, errors={"range"}),
    "annex_no 7.5": case(lambda: changed(annex_no="7.5"), valid=2, errors={"not_int"}),
    "numbers with blanks": case(lambda: changed(lat=" 41.9 ", lon=" 12.5 "), valid=3),
    # --- ids
    "duplicate id in the file": case(
        lambda: changed(cluster_id="test-1"), valid=2, errors={"unique"}
    ),
    "id already in the report (add)": case(
        lambda: changed(cluster_id="basel-health-valley"), valid=2, errors={"id_taken"}
    ),
    "id already in the report (replace)": case(
        lambda: changed(cluster_id="basel-health-valley"), mode="replace", valid=3
    ),
    "annex row already in the report (add)": case(
        lambda: changed(annex_no="12", source_ref="annex row 12"), valid=2, errors={"annex_taken"}
    ),
    "not a slug": case(lambda: changed(cluster_id="Not A Slug"), valid=2, errors={"slug"}),
    "javascript: id": case(
        lambda: changed(cluster_id="javascript:alert(1)"), valid=2, errors={"slug"}
    ),
    "empty name": case(lambda: changed(name_en=""), valid=2, errors={"required"}),
    "very long name": case(lambda: changed(name_en=LONG), valid=2, errors={"too_long"}),
    "every row invalid": case(
        lambda: to_csv([{**r, "lat": "abc"} for r in good_rows()]).encode(),
        fatal=True,
        valid=0,
        errors={"not_number"},
    ),
    # --- valid but suspicious: kept, with a warning
    "swapped lat/lon": case(
        lambda: changed(lat="12.5", lon="41.9", country="ITA", continent="EU"),
        valid=3,
        warnings={"lat_lon_swapped"},
    ),
    "Montreal under DEU": case(
        lambda: changed(country="DEU", continent="EU", lat="45.50", lon="-73.57"),
        valid=3,
        warnings={"outside_country"},
    ),
    "country outside its continent": case(
        lambda: changed(country="CAN", continent="EU", lat="45.50", lon="-73.57"),
        valid=3,
        warnings={"continent_mismatch"},
    ),
    # --- text that is only text
    "emoji": case(lambda: changed(name_en="Cluster 🚗🔋 ✨"), valid=3),
    "right-to-left text": case(
        lambda: changed(name_en="مجمع الصناعات \u202eevil\u202c", place_en="תל אביב"), valid=3
    ),
    "formula in a cell": case(
        lambda: changed(name_en='=HYPERLINK("https://evil.example")'), valid=3
    ),
    "javascript: link as a name": case(lambda: changed(name_en="javascript:alert(1)"), valid=3),
}
for column in FREE_TEXT:
    for label, payload in (("HTML", HTML), ("markdown", MARKDOWN), ("@@=", DECK)):
        CATALOGUE[f"{label} in {column}"] = case(
            lambda c=column, p=payload: changed(**{c: p}), valid=3
        )
for column, code in CONSTRAINED_TEXT.items():
    for label, payload in (("HTML", HTML), ("@@=", DECK)):
        CATALOGUE[f"{label} in {column}"] = case(
            lambda c=column, p=payload: changed(**{c: p}), valid=2, errors={code}
        )


def test_the_catalogue_is_large() -> None:
    assert len(CATALOGUE) >= 40


@pytest.mark.parametrize("label", list(CATALOGUE))
def test_catalogue(label: str) -> None:
    c = CATALOGUE[label]
    report = validate_clusters(read_upload(c.data(), c.name), BUNDLE, c.mode, c.name)  # no raise
    errors = {p.code for p in report.errors}
    warnings = {p.code for p in report.warnings}
    assert report.fatal is c.fatal, (label, report.problems)
    assert c.errors <= errors, (label, errors)
    assert c.warnings <= warnings, (label, warnings)
    if c.valid is not None:
        assert len(report.valid) == c.valid, (label, report.problems)
    if not c.errors:
        assert not errors, (label, report.errors)
    for p in report.problems:  # every problem says where and what, and quotes values shortened
        assert p.code and p.file
        assert p.value is None or len(p.value) <= 5000
    for p in report.errors if not report.fatal else ():
        if p.row is not None:
            assert p.row in set(report.invalid["row"]), (label, p)
    # Valid rows pass the schema again and carry finite coordinates: nothing NaN reaches pydeck.
    assert not schema_problems("clusters", report.valid.reset_index(drop=True))
    assert report.valid[["lat", "lon"]].notna().all().all()
    data = merge(report, BUNDLE, c.mode)  # type: ignore[arg-type]
    assert (data is None) is (report.fatal or report.valid.empty)


def test_problem_values_are_kept_literal_and_rows_numbered() -> None:
    report = validate_clusters(read_upload(changed(lat="٤٨"), "x.csv"), BUNDLE, "add", "x.csv")
    (p,) = report.errors
    assert (p.row, p.column, p.value, p.file) == (1, "lat", "٤٨", "x.csv")
    assert list(report.invalid["row"]) == [1]
    assert report.invalid.loc[0, "lat"] == "٤٨"  # the invalid rows download as given


def test_file_name_is_shortened_and_has_no_folder() -> None:
    name = "C:\\Users\\me\\" + "x" * 300 + ".csv"
    report = validate_clusters(read_upload(GOOD(), name), BUNDLE, "add", name)
    assert "\\" not in report.file_name and len(report.file_name) <= 60


def test_merge_add_and_replace() -> None:
    report = validate_clusters(read_upload(GOOD(), "x.csv"), BUNDLE, "add", "x.csv")
    added = merge(report, BUNDLE, "add")
    assert added is not None and len(added.clusters) == len(BUNDLE.clusters) + 3
    assert len(added.organizations) == len(BUNDLE.organizations) and added.orgs_dropped == 0
    replaced = merge(report, BUNDLE, "replace")
    assert replaced is not None and list(replaced.clusters["cluster_id"]) == [
        "test-0",
        "test-1",
        "test-2",
    ]
    assert replaced.organizations.empty and replaced.orgs_dropped == len(BUNDLE.organizations)
    bundle = replaced.apply(BUNDLE)
    assert bundle.clusters is not replaced.clusters  # a fresh copy for every page
    assert bundle.policies is BUNDLE.policies
    assert dict(bundle.clusters.dtypes) == dict(BUNDLE.clusters.dtypes)


def test_a_file_without_place_zh_shows_place_en() -> None:
    """An upload made before ``place_zh`` existed: its rows are used, with a warning naming the
    column; their ``place_zh`` is empty and every page shows ``place_en`` instead."""
    from components.map_view import table_frame
    from components.places import places
    from components.profile import _facts

    header = [c for c in COLUMNS if c != "place_zh"]
    rows = good_rows()
    rows[2]["lat"] = "x"  # one invalid row: its download keeps the columns as uploaded
    report = validate_clusters(read_upload(to_csv(rows, header=header).encode(), "old.csv"),
                               BUNDLE, "replace", "old.csv")  # fmt: skip
    (warning,) = [p for p in report.warnings if p.code == "optional_column"]
    assert warning.column == "place_zh" and warning.row is None
    assert list(report.invalid.columns) == ["row", *header]
    data = merge(report, BUNDLE, "replace")
    assert data is not None
    clusters = data.apply(BUNDLE).clusters
    assert (clusters["place_zh"] == "").all()
    english = [r["place_en"] for r in rows[:2]]
    assert places(clusters, "zh").tolist() == english
    place = t("map.col.place", "zh")
    assert table_frame(clusters, "zh")[place].tolist() == english
    facts = dict(_facts(clusters.iloc[0].to_dict(), "zh"))
    assert facts[place] == english[0]


def test_exported_files_round_trip_through_the_upload() -> None:
    for data, name in (
        (csv_bytes(BUNDLE.clusters), "clusters.csv"),
        (xlsx_bytes(BUNDLE.clusters, "clusters"), "clusters.xlsx"),
    ):
        report = validate_clusters(read_upload(data, name), BUNDLE, "replace", name)
        assert not report.errors, report.errors[:3]
        assert len(report.valid) == len(BUNDLE.clusters)
        pd.testing.assert_frame_equal(report.valid, BUNDLE.clusters[list(COLUMNS)])


def test_blank_template_is_the_schema() -> None:
    assert list(template().columns) == list(COLUMNS)
    report = validate_clusters(read_upload(csv_bytes(template()), "t.csv"), BUNDLE, "add", "t")
    assert report.fatal and {p.code for p in report.errors} == {"no_rows"}


# --- property-based -----------------------------------------------------------------------------

PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.binary(max_size=4000))
def test_any_bytes_give_a_report(data: bytes) -> None:
    report = validate_clusters(read_upload(data, "x.csv"), BUNDLE, "add", "x.csv")
    assert report.fatal or len(report.valid) >= 0
    assert len(data) <= MAX_BYTES


@PROPS
@given(
    st.sampled_from(COLUMNS),
    st.text(max_size=300),
    st.sampled_from(["add", "replace"]),
)
def test_any_cell_value_is_either_valid_or_reported(column: str, value: str, mode: str) -> None:
    rows = good_rows()
    rows[1][column] = value
    data = to_csv(rows).encode("utf-8")
    report = validate_clusters(read_upload(data, "x.csv"), BUNDLE, mode, "x.csv")  # type: ignore[arg-type]
    if report.fatal:
        assert report.errors
        return
    bad_rows = {p.row for p in report.errors}
    assert len(report.valid) + len(bad_rows - {None}) == report.rows
    assert not schema_problems("clusters", report.valid.reset_index(drop=True))
    assert report.valid[["lat", "lon"]].notna().all().all()
    assert (
        report.valid["lat"].between(-90, 90).all() and report.valid["lon"].between(-180, 180).all()
    )
    merged = merge(report, BUNDLE, mode)  # type: ignore[arg-type]
    assert merged is not None
    assert merged.clusters["cluster_id"].is_unique


@PROPS
@given(st.lists(st.sampled_from([",", "\t", ";", '"', "\n", "a", "1", "é", "中"]), max_size=400))
def test_csv_like_noise_gives_a_report(chars: list[str]) -> None:
    header = ",".join(COLUMNS) + "\n"
    data = (header + "".join(chars)).encode("utf-8")
    report = validate_clusters(read_upload(data, "x.csv"), BUNDLE, "add", "x.csv")
    assert report.fatal or not schema_problems("clusters", report.valid.reset_index(drop=True))


def test_shipped_files_are_never_written() -> None:
    from components.data import default_data_dir, files_signature

    before = files_signature(default_data_dir())
    for mode in ("add", "replace"):
        report = validate_clusters(read_upload(GOOD(), "x.csv"), BUNDLE, mode, "x.csv")
        custom = merge(report, BUNDLE, mode)
        assert custom is not None
        applied = custom.apply(BUNDLE).clusters
        applied.loc[0, "name_en"] = "mutated"
        assert custom.clusters.loc[0, "name_en"] != "mutated"  # pages get copies
    assert files_signature(default_data_dir()) == before
    assert load_bundle().clusters.equals(BUNDLE.clusters)
