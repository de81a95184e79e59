"""Regression tests of the attacker's findings (issue 14), one block per finding, plus
property-based tests of the escape and notice helpers."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components import map_view as mv
from components.data import (
    FILES,
    DataError,
    files_signature,
    load_bundle,
    parse_number,
    report_continents,
    suspicious_clusters,
)
from components.export import csv_bytes, neutralize_formula, xlsx_bytes
from components.filters import Filters, apply_filters, search_index
from components.geo import load_bboxes, load_countries
from components.notices import MAX_LISTED, notice_message
from components.problems import problem_sentence, problems_table
from components.safe import WORD_JOINER, deck_safe, deck_text, escape_md, literal_md, shorten

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = load_bundle()
MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&")


def unescaped(text: str) -> str:
    """What markdown would see as syntax: ``text`` without its backslash-escaped characters."""
    return re.sub(r"\\.", "", text)


# --- 1. URL text in notices: literal, shortened, once ---------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "[Session expired - sign in again](https://evil.example/login)",
        ":red[**HACKED**]",
        "$$\\frac{1}{0}$$",
        "<img src=x onerror=alert(1)>",
        ":material/warning: **bold** _it_ `code` ~~s~~",
        "&#91;x&#93;&#40;https&#58;//evil.example&#41;",
    ],
)
def test_notice_shows_url_text_literally(hostile: str) -> None:
    message = notice_message([(hostile, "1"), ("lang", hostile)], "en")
    assert message is not None
    syntax = unescaped(message)
    for ch in "[]()*$<>`~&_":
        assert ch not in syntax, (ch, message)
    assert ":red" not in syntax.replace("\\:", "")
    assert "://" not in message and "www." not in message.lower()


def test_a_huge_parameter_name_gives_a_short_notice() -> None:
    message = notice_message([("x" * 100_000, "y" * 100_000)], "en")
    assert message is not None and len(message) < 200


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sixty_unknown_parameters_give_one_notice_listing_a_few(lang: str) -> None:
    items = [(f"p{i}", "https://evil.example") for i in range(60)]
    message = notice_message(items, lang)
    assert message is not None and "\n" not in message
    assert message.count("p") >= MAX_LISTED and "p59" not in message
    assert str(60 - MAX_LISTED) in message
    assert notice_message([], lang) is None
    assert notice_message([("a", "1"), ("a", "1")], lang) == notice_message([("a", "1")], lang)


# --- 2. bare addresses never become links --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "inert"),
    [
        ("re-login at https://evil.example/x", "https\\:" + WORD_JOINER + "//"),
        ("see HTTP://EVIL.EXAMPLE", "HTTP\\:" + WORD_JOINER + "//"),
        ("or www.evil.example", "www" + WORD_JOINER + "\\."),
        ("WWW.EVIL.EXAMPLE", "WWW" + WORD_JOINER + "\\."),
        ("mail me@evil.example", "me" + WORD_JOINER + "@"),
    ],
)
def test_bare_addresses_are_not_linkable(text: str, inert: str) -> None:
    out = escape_md(text)
    assert inert in out
    assert out.replace("\\", "").replace(WORD_JOINER, "") == text  # reads the same


def test_trend_titles_and_cluster_names_use_the_escaper() -> None:
    import dataclasses

    from components import overview as ov

    trends = BUNDLE.trends.copy()
    trends.loc[trends.index[0], "title_en"] = "[win](https://evil.example) **now**"
    bundle = dataclasses.replace(BUNDLE, trends=trends)
    first = ov.trend_lines(bundle, "en")[0]
    assert first.endswith(escape_md("[win](https://evil.example) **now**"))
    assert "](https://" not in first


# --- 3. the data error box: file, row, column, short literal value; no server path ----------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "secret-server-folder"
    shutil.copytree(ROOT / "data", folder, ignore=shutil.ignore_patterns("geo", "*.md"))
    return folder


def _break(folder: Path, file: str, old: str, new: str) -> DataError:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_bundle(folder)
    return info.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_error_names_file_row_column_and_a_short_literal_value(
    data_copy: Path, lang: str
) -> None:
    payload = "[click](https://evil.example) :red[x] " + "A" * 5000
    err = _break(data_copy, "clusters.csv", ",biomed,", f',"{payload}",')
    sentence = problem_sentence(err.problem, lang)
    assert "clusters.csv" in sentence and "sector" in sentence and "[click]" in sentence
    assert len(sentence) < 400  # the value is shortened
    shown = escape_md(sentence)
    assert "[" not in unescaped(shown) and "://" not in shown
    assert str(data_copy) not in str(err) and "secret-server-folder" not in sentence


def test_missing_file_message_has_no_path(data_copy: Path) -> None:
    (data_copy / "trends.csv").unlink()
    with pytest.raises(DataError) as info:
        load_bundle(data_copy)
    assert "secret-server-folder" not in str(info.value)
    assert info.value.file == "trends.csv"


# --- 4. @@= and @@# never reach the deck as expressions ------------------------------------------


@pytest.mark.parametrize("payload", ["@@=name_zh", "@@#Math", "@@=[1,2].map(x=>x)", "@@"])
def test_deck_strings_are_never_expressions(payload: str) -> None:
    clusters = BUNDLE.clusters.head(3).copy()
    for col in ("name_zh", "name_en", "lead_industry_zh", "lead_industry_en"):
        clusters[col] = payload
    deck = mv.build_deck(mv.jitter_duplicates(clusters), load_countries(), "en")
    spec = json.loads(deck.to_json())
    layer = next(x for x in spec["layers"] if x["id"] == mv.LAYER_CLUSTERS)

    def strings(value: object):  # noqa: ANN202
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    texts = list(strings(layer["data"]))
    assert texts and not any(s.startswith("@@") for s in texts)
    assert layer["data"][0]["tt_name"] == WORD_JOINER + payload  # shown the same
    assert deck_safe({"a": ["@@=x", 1]}) == {"a": [WORD_JOINER + "@@=x", 1]}


# --- 5. an empty cluster list ---------------------------------------------------------------------


def test_search_on_an_empty_cluster_list() -> None:
    clusters, orgs = BUNDLE.clusters.iloc[0:0], BUNDLE.organizations.iloc[0:0]
    index = search_index(clusters, orgs)
    assert apply_filters(clusters, Filters(query="x"), index).empty
    assert apply_filters(clusters, Filters(continents=("EU",)), index).empty
    points = mv.jitter_duplicates(clusters)
    assert mv.point_rows(points, "en") == []
    mv.build_deck(points, load_countries(), "zh")


# --- 6. huge numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "column"),
    [
        ("clusters.csv", ",1,", ",99999999999999999999999,", "annex_no"),
        ("sector_continent.csv", ",3,", ",9223372036854775807,", "clusters"),
        ("sector_continent.csv", ",3,", ",1001,", "clusters"),
        ("facts.csv", ",3.2,", ",1e300,", "value"),
    ],
)
def test_huge_numbers_are_refused_with_row_and_column(
    data_copy: Path, file: str, old: str, new: str, column: str
) -> None:
    err = _break(data_copy, file, old, new)
    assert err.file == file and err.column == column and err.row is not None
    assert "Overflow" not in str(err)


def test_number_parsing_bounds() -> None:
    assert parse_number("12", whole=True) == (12, None)
    assert parse_number("+12", whole=True) == (12, None)
    assert parse_number("9" * 30, whole=True) == (None, "too_large")
    assert parse_number("1e16", whole=False) == (None, "too_large")
    assert parse_number("٣", whole=True) == (None, "non_ascii_digits")
    assert parse_number("٣.٥", whole=False) == (None, "non_ascii_digits")
    assert parse_number("1_000", whole=False) == (None, "not_number")  # float() would take it
    assert parse_number("-0.5", whole=False) == (-0.5, None)


# --- 7. many clusters at one coordinate -----------------------------------------------------------


@pytest.mark.parametrize("n", [2, 7, 60, 61, 3800])
@pytest.mark.parametrize(("lat", "lon"), [(84.9, 179.9), (0.0, 0.0), (-89.0, -179.5)])
def test_duplicates_spread_within_a_capped_radius(n: int, lat: float, lon: float) -> None:
    base = BUNDLE.clusters.iloc[[0]]
    many = pd.concat([base] * n, ignore_index=True)
    many["cluster_id"] = [f"c-{i:05d}" for i in range(n)]
    many["lat"], many["lon"] = lat, lon
    out = mv.jitter_duplicates(many)
    assert out["y"].between(-mv.LAT_LIMIT, mv.LAT_LIMIT).all()
    assert out["x"].between(-180, 180).all()
    assert ((out["y"] - lat).abs() <= mv.JITTER_MAX_DEG + 1e-9).all() or abs(lat) > 80
    spot = max(-mv.LAT_LIMIT, min(mv.LAT_LIMIT, lat))  # the coordinate as the map can draw it
    moved = out[(out["x"] != lon) | (out["y"] != spot)]
    assert len(moved) <= mv.JITTER_MAX_POINTS  # beyond the cap: drawn on the spot itself
    assert not out[["x", "y"]].isna().any().any()


def test_a_large_file_is_refused_before_it_reaches_the_map(data_copy: Path) -> None:
    path = data_copy / "clusters.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([lines[0]] + lines[1:] * 100), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_bundle(data_copy)
    assert info.value.problem.code in ("too_many_rows", "unique")


# --- 8. CSV downloads never carry formulas --------------------------------------------------------


def test_csv_injection_example_is_neutralised() -> None:
    frame = pd.DataFrame(
        {
            "name": ['=HYPERLINK("https://evil.example","click")', "+1", "-2+3", "@SUM(A1)", "ok"],
            "n": [1, -2, 3, 4, 5],
        }
    )
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n'+1," in text and "\n'-2+3," in text
    assert "\n'@SUM" in text and ",-2\n" in text  # numbers stay numbers
    assert neutralize_formula("=1") == "'=1"


def test_xlsx_text_is_never_a_formula() -> None:
    import io

    from openpyxl import load_workbook

    frame = pd.DataFrame({"name": ['=HYPERLINK("https://evil.example","x")']})
    cell = load_workbook(io.BytesIO(xlsx_bytes(frame))).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_every_download_goes_through_the_one_encoder() -> None:
    code = {p: p.read_text(encoding="utf-8") for p in [ROOT / "app.py", *ROOT.glob("pages/*.py")]}
    code |= {p: p.read_text(encoding="utf-8") for p in ROOT.glob("components/*.py")}
    users = [p.name for p, text in code.items() if "download_button(" in text]
    assert "display.py" in users, users
    # Other downloads (the briefing's JSON, PPTX, HTML) are not tables: no CSV outside display.py.
    others = [p.name for p, text in code.items() if "text/csv" in text and p.name != "display.py"]
    assert not others, others
    display = code[ROOT / "components" / "display.py"]
    assert display.count("download_button(") == 3  # CSV, XLSX and an SVG chart's image
    assert "data=lambda: csv_bytes(table)" in display and "data=lambda: xlsx_bytes(table" in display
    assert "data=SVG_PROLOG + svg," in display and 'mime="image/svg+xml"' in display
    assert not [p.name for p, text in code.items() if ".to_csv(" in text and p.name != "export.py"]


# --- 9. wrong data accepted silently --------------------------------------------------------------


def _warn(**cells: object) -> set[str]:
    row = BUNDLE.clusters.iloc[[0]].copy()
    for k, v in cells.items():
        row[k] = v
    problems = suspicious_clusters(row, report_continents(BUNDLE.clusters), load_bboxes())
    assert all(p.warning for p in problems)
    return {p.code for p in problems}


def test_suspicious_rows_are_warned() -> None:
    assert _warn() == set()  # Montreal in Canada, North America
    assert _warn(country="DEU") >= {"outside_country", "continent_mismatch"}  # Montreal in DEU
    assert _warn(lat=-73.5674, lon=45.5019) == {"lat_lon_swapped"}
    assert _warn(continent="EU") == {"continent_mismatch"}
    assert _warn(lat=0.0, lon=0.0) == {"outside_country"}


def test_shipped_data_raises_no_warning() -> None:
    assert (
        suspicious_clusters(BUNDLE.clusters, report_continents(BUNDLE.clusters), load_bboxes())
        == []
    )


def test_arabic_indic_digits_are_refused_in_the_loader(data_copy: Path) -> None:
    err = _break(data_copy, "clusters.csv", ",45.5019,", ",٤٥.٥,")
    assert (err.file, err.column, err.problem.code) == ("clusters.csv", "lat", "non_ascii_digits")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_problem_report_table_is_localised_and_literal(lang: str) -> None:
    row = BUNDLE.clusters.iloc[[0]].copy()
    row["country"] = "DEU"
    problems = suspicious_clusters(row, report_continents(BUNDLE.clusters), load_bboxes())
    table = problems_table(problems, lang)
    assert len(table) == len(problems) and table.shape[1] == 5
    assert table.iloc[:, 0].tolist() == [1] * len(problems)


# --- 10. the cache sees edits ---------------------------------------------------------------------


def test_cache_key_changes_when_a_file_changes(data_copy: Path) -> None:
    before = files_signature(data_copy)
    assert [f for f, _, _ in before] == list(FILES.values())
    time.sleep(0.01)
    path = data_copy / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Montreal", "Montréal", 1))
    assert files_signature(data_copy) != before
    (data_copy / "facts.csv").unlink()
    assert ("facts.csv", -1, -1) in files_signature(data_copy)


def test_cached_bundle_reloads_after_an_edit(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components import cached

    monkeypatch.setenv("DATA_DIR", str(data_copy))
    first = cached.shipped_bundle()
    old = first.clusters.loc[0, "name_en"]
    path = data_copy / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(old, "Edited name", 1))
    assert cached.shipped_bundle().clusters.loc[0, "name_en"] == "Edited name"


# --- properties of the helpers --------------------------------------------------------------------

PROPS = settings(max_examples=300, deadline=None)


@PROPS
@given(st.text())
def test_escaped_text_has_no_markdown_syntax_and_no_address(text: str) -> None:
    out = escape_md(text)
    syntax = unescaped(out)
    assert not (set(syntax) & MD_SPECIAL), syntax
    assert "\n" not in out
    plain = out.replace("\\", "")
    assert "://" not in plain and "www." not in plain.lower()
    assert not re.search(r"[^\s\u2060]@", plain)


@PROPS
@given(st.text(), st.integers(min_value=1, max_value=200))
def test_shortened_text_is_bounded(text: str, limit: int) -> None:
    assert len(shorten(text, limit)) <= limit
    assert "\n" not in literal_md(text, limit)


@PROPS
@given(st.lists(st.tuples(st.text(), st.text()), max_size=80), st.sampled_from(["zh", "en"]))
def test_notice_is_one_bounded_literal_message(items: list[tuple[str, str]], lang: str) -> None:
    message = notice_message(items, lang)  # type: ignore[arg-type]
    if not items:
        assert message is None
        return
    assert message is not None and "\n" not in message
    assert len(message) < 100 + MAX_LISTED * 2 * (30 + 40 + 1) * 2
    body = message.split("：", 1)[-1].split(": ", 1)[-1]
    assert "](" not in unescaped(body)


@PROPS
@given(st.text())
def test_deck_text_is_never_an_expression(text: str) -> None:
    out = deck_text(text)
    assert not out.startswith("@@")
    plain = shorten(text, 10**9)
    assert out in (plain, WORD_JOINER + plain)  # the same text otherwise


def test_overview_counts_with_data_naming_more_than_figure_2_1() -> None:
    import dataclasses

    from components import overview as ov

    extra = BUNDLE.clusters[BUNDLE.clusters["continent"] == "EU"].head(40).copy()
    extra["cluster_id"] = [f"extra-{i}" for i in range(len(extra))]
    extra["annex_no"] = pd.array([None] * len(extra), dtype="Int64")
    bundle = dataclasses.replace(
        BUNDLE, clusters=pd.concat([BUNDLE.clusters, extra], ignore_index=True)
    )
    head = ov.headline(bundle)
    assert head.unnamed == 36  # the Asian gap stays; Europe naming more does not subtract
    assert (ov.unnamed_by_sector(bundle)["unnamed"] > 0).all()
    cov = ov.coverage(bundle, "continent")
    assert (cov["unnamed"] >= 0).all()
    ov.build_coverage_bar(cov, "continent", "en")
