"""Checks of the text-derived tables (policies, facts, trends, sections) against the report's text.

The report's partial text lives beside the repository (``../shared/source``); tests needing it
are skipped when it is absent. Matching against the text ignores whitespace, because the extracted
text puts spaces around numbers and breaks lines (even words) at page ends.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from tests.report_source import read_source

REPO = Path(__file__).parents[2]
DATA = REPO / "data"

THEMES = {
    "innovation",
    "cluster",
    "digital",
    "green",
    "sme",
    "supply-chain",
    "basic-research",
    "regional",
    "industry-revival",
    "high-tech",
    "jobs",
}
JURISDICTIONS = {"欧盟": "EU", "德国": "DEU", "美国": "USA", "日本": "JPN", "韩国": "KOR"}
JURISDICTIONS |= {"英国": "GBR", "中国": "CHN"}
PERIODS = ("2005-2021", "2022-2023")
UNITS = {"percent", "count", "usd_100m", "usd_billion", "gbp_billion", "clusters", "firms"}
UNITS |= {"years", "times", "other"}
QUALIFIERS = {"about", "nearly", "over", "exact", ""}
# What the report writes for each qualifier (约 / 左右 / 上下; 近; 超过 / 多 / 几).
QUALIFIER_MARKS = {"about": ("约", "左右", "上下"), "nearly": ("近",), "over": ("超过", "多", "几")}
CONTINENTS = {"NA", "EU", "AS", "OC", "SA"}
SECTORS = {"electronics", "equipment", "biomed", "materials", "consumer", "nev"}
KINDS = {
    1: "value",
    3: "tech_theme",
    4: "regional_policy",
    5: "research_theme",
    7: "recommendation",
}
CHINESE_NUMERALS = {1: "一", 2: "二两", 3: "三", 4: "四", 8: "八", 10: "十", 20: "二十"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

try:  # prefer the project's parser of source_ref; fall back to the README grammar
    from components.sources import chapter_of
except ImportError:  # pragma: no cover - only while components/sources.py does not exist yet
    _REF = re.compile(
        r"preface|annex row [1-9][0-9]*|(?:table|figure) (?P<a>[1-7])-[1-9][0-9]*"
        r"|ch(?P<b>[1-7])(?:\.[1-9][0-9]*)?"
    )

    def chapter_of(ref: str) -> int | None:
        m = _REF.fullmatch(ref) if isinstance(ref, str) else None
        if m is None:
            return None
        if ref == "preface":
            return 0
        if ref.startswith("annex"):
            return 8
        return int(m["a"] or m["b"])


def squash(text: str) -> str:
    """``text`` without any whitespace."""
    return re.sub(r"\s+", "", text)


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def source() -> str:
    return read_source()


@pytest.fixture(scope="module")
def flat(source: str) -> str:
    return squash(source)


@pytest.fixture(scope="module")
def policies() -> pd.DataFrame:
    return read("policies.csv")


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return read("facts.csv")


@pytest.fixture(scope="module")
def trends() -> pd.DataFrame:
    return read("trends.csv")


@pytest.fixture(scope="module")
def sections() -> pd.DataFrame:
    return read("sections.csv")


def table_6_2(source: str) -> list[tuple[str, str, str]]:
    """(jurisdiction, period, name_zh) of every policy printed in table 6-2.

    Rows are ``period-label<TAB>country<TAB>policies<TAB>analysis``. The period label is a merged
    cell, so the extracted text prints 近期 one row late (after the second EU row) and the last
    China row without a label: a row belongs to 2022-2023 when its country was already listed.
    Policies are separated by 、; the ； inside one US policy name is not a separator.
    """
    start = source.index("表 6-2 近期与前期重点政策对比表")
    end = source.index("资料来源", start)
    seen: set[str] = set()
    out = []
    for line in source[start:end].splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 3 or cells[0] == "时期":
            continue
        country = next(c for c in cells[:2] if c in JURISDICTIONS)
        period = PERIODS[1] if country in seen else PERIODS[0]
        seen.add(country)
        out += [(JURISDICTIONS[country], period, n.strip()) for n in cells[2].split("、")]
    return out


# ---------------------------------------------------------------- policies


def test_policies_match_table_6_2_exactly(source: str, policies: pd.DataFrame) -> None:
    expected = Counter(table_6_2(source))
    got = Counter(
        zip(policies["jurisdiction"], policies["period"], policies["name_zh"], strict=True)
    )
    assert got - expected == Counter(), "rows not in table 6-2"
    assert expected - got == Counter(), "table 6-2 policies missing"
    assert len(policies) == 75


def test_table_parse_keeps_us_semicolon_name(source: str) -> None:
    names = [n for _, _, n in table_6_2(source)]
    assert "美国创新战略；确保经济增长与繁荣" in names
    assert "尖端产业全尖端产业全球化集群培育方案计划" in names


def test_policy_ids_and_vocabularies(policies: pd.DataFrame) -> None:
    assert policies["policy_id"].is_unique
    assert policies["policy_id"].map(lambda s: SLUG.fullmatch(s) is not None).all()
    assert set(policies["jurisdiction"]) <= set(JURISDICTIONS.values())
    assert set(policies["period"]) <= set(PERIODS)
    assert (policies["source_ref"] == "table 6-2").all()
    assert (policies["name_en"] != "").all()
    for themes in policies["themes"]:
        items = themes.split(";")
        assert 1 <= len(items) <= 3 and len(set(items)) == len(items), themes
        assert set(items) <= THEMES, themes


def test_policy_years(policies: pd.DataFrame) -> None:
    for row in policies.itertuples():
        assert row.year_source in {"report", "public record", ""}, row.policy_id
        assert (row.year == "") == (row.year_source == ""), row.policy_id
        if row.year == "":
            assert row.note, f"{row.policy_id}: an empty year needs a note explaining why"
            continue
        year = int(row.year)
        assert 1990 <= year <= 2024, row.policy_id
        first, last = map(int, row.period.split("-"))
        if not first <= year <= last:
            assert str(year) in row.note, f"{row.policy_id}: year outside period must be noted"


def test_report_years_are_stated_in_the_text(flat: str, policies: pd.DataFrame) -> None:
    """``year_source=report`` only where the printed name or a sentence dates the policy."""
    for row in policies[policies["year_source"] == "report"].itertuples():
        name = squash(row.name_zh)
        dated = row.year in name or re.search(f"{row.year}年[^。]*{re.escape(name)}", flat)
        assert dated, row.policy_id


def test_duplicated_korean_phrase_is_noted(policies: pd.DataFrame) -> None:
    row = policies.set_index("name_zh").loc["尖端产业全尖端产业全球化集群培育方案计划"]
    assert "duplicated" in row["note"]


# Years corrected or filled after the issue checked against the public record.
PUBLIC_RECORD_YEARS = {
    "chn-cluster-guidance-2015": 2015,
    "usa-rjia": 2012,
    "eu-cluster-memorandum": 2008,
    "eu-cee-cluster-agreement": 2007,
    "deu-ga-networking": 2005,
    "jpn-research-complex": 2015,
    "kor-digital-manufacturing-innovation-2027": 2023,
    "kor-global-high-tech-cluster": 2023,
    "jpn-regional-innovation-cluster": 2010,
}


def test_corrected_policy_years(policies: pd.DataFrame) -> None:
    by_id = policies.set_index("policy_id")
    for policy_id, year in PUBLIC_RECORD_YEARS.items():
        row = by_id.loc[policy_id]
        assert (row["year"], row["year_source"]) == (str(year), "public record"), policy_id
        assert str(year) in row["note"], f"{policy_id}: the note says what the year refers to"


def test_cluster_guidance_is_the_2015_miit_document(policies: pd.DataFrame) -> None:
    assert "chn-cluster-guidance-2007" not in set(policies["policy_id"])
    row = policies.set_index("policy_id").loc["chn-cluster-guidance-2015"]
    assert row["name_zh"] == "关于进一步促进产业集群发展的指导意见"
    assert row["period"] == "2005-2021"
    assert "工信部企业〔2015〕179号" in row["note"] and "MIIT" in row["note"]
    assert "NDRC" in row["note"]  # the 2007 NDRC paper is named as a different document
    # the old id is gone from every data file and from the README
    for path in [*DATA.glob("*.csv"), DATA / "README.md"]:
        assert "chn-cluster-guidance-2007" not in path.read_text(encoding="utf-8"), path.name


def test_rjia_and_memorandum_notes(policies: pd.DataFrame) -> None:
    by_id = policies.set_index("policy_id")
    rjia = by_id.loc["usa-rjia", "note"]
    assert "March 2012" in rjia and "August 2012" in rjia
    memo = by_id.loc["eu-cluster-memorandum", "note"]
    assert "dated 2007" in memo and "January 2008" in memo


def test_year_outside_the_tables_period_is_noted(policies: pd.DataFrame) -> None:
    row = policies.set_index("policy_id").loc["kor-global-high-tech-cluster"]
    assert row["period"] == "2005-2021" and row["year"] == "2023"
    assert "disagrees" in row["note"] and "2005-2021" in row["note"]


def test_policy_year_counts_match_the_readme(policies: pd.DataFrame) -> None:
    counts = Counter(policies["year_source"])
    assert counts == {"report": 3, "public record": 62, "": 10}
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "`year_source = public record` (62 rows)" in readme
    assert "3 years are `report`, 62 `public record` and 10 are empty" in readme
    m = re.search(r"### Policies with an empty year \((\d+)\)\n(.*?)\n###", readme, re.S)
    assert m, "README: the empty-year table"
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", m[2], re.M)
    empty = set(policies.loc[policies["year"] == "", "policy_id"])
    assert int(m[1]) == len(listed) == len(empty)
    assert set(listed) == empty


# ---------------------------------------------------------------- facts


def value_forms(value: float, unit: str) -> set[str]:
    """Ways the report may print ``value``: digits, 亿 for billions, Chinese numerals."""

    def fmt(v: float) -> str:
        return str(int(v)) if float(v).is_integer() else f"{v:g}"

    forms = {fmt(value)}
    if unit.endswith("_billion"):
        forms.add(fmt(value * 10))  # 10 亿 = 1 billion
    if float(value).is_integer():
        forms |= set(CHINESE_NUMERALS.get(int(value), ""))
    return forms


def test_fact_quotes_are_verbatim(flat: str, facts: pd.DataFrame) -> None:
    for row in facts.itertuples():
        assert squash(row.quote_zh) in flat, row.fact_id


def test_fact_values_appear_in_quotes(facts: pd.DataFrame) -> None:
    for row in facts.itertuples():
        quote = squash(row.quote_zh)
        forms = value_forms(float(row.value), row.unit)
        # digits must stand alone (94 must not match 1994); Chinese numerals are single characters
        found = [
            re.search(rf"(?<![\d.]){re.escape(f)}(?![\d.])", quote) if f.isascii() else f in quote
            for f in forms
        ]
        assert any(found), (row.fact_id, row.value, forms)


def test_fact_vocabularies(facts: pd.DataFrame) -> None:
    assert facts["fact_id"].is_unique
    assert facts["fact_id"].map(lambda s: SLUG.fullmatch(s) is not None).all()
    assert set(facts["unit"]) <= UNITS
    assert set(facts["qualifier"]) <= QUALIFIERS
    for row in facts.itertuples():
        for qualifier, marks in QUALIFIER_MARKS.items():
            if row.qualifier == qualifier:
                assert any(m in row.quote_zh for m in marks), row.fact_id
        region = row.region
        plain = region in CONTINENTS | {"WORLD"} or re.fullmatch(r"[A-Z]{3}", region)
        if not plain:
            assert SLUG.fullmatch(region), f"{row.fact_id}: region slugs are lowercase"
            assert region in row.note, f"{row.fact_id}: a region slug must be documented in note"


def test_fact_refs_and_trends(facts: pd.DataFrame) -> None:
    for row in facts.itertuples():
        assert chapter_of(row.source_ref) is not None, row.fact_id
        section = re.fullmatch(r"ch6\.([1-8])", row.source_ref)
        if row.trend_no:
            assert section and section[1] == row.trend_no, row.fact_id
        else:
            assert section is None, f"{row.fact_id}: facts of a ch6 section link to its trend"


def test_key_facts_present(facts: pd.DataFrame) -> None:
    values = dict(zip(facts["fact_id"], facts["value"].astype(float), strict=True))
    assert values["apac-dev-mva-share-2000"] == 15 and values["apac-dev-mva-share-2020"] == 45
    assert values["chn-fortune-global-500-firms"] == 142
    assert values["usa-basic-research-budget-fy2022"] == 94
    assert values["vnm-gdp-growth-2022"] == 8.02
    money = facts[facts["unit"].str.startswith("usd")]
    assert set(money["unit"]) == {"usd_100m"}, "亿美元 amounts use one unit"


def test_past_n_years_is_exact_not_nearly(facts: pd.DataFrame) -> None:
    """近N年 / 近十年 = "over the past N years" (exact); 近 before an amount = nearly."""
    by_id = facts.set_index("fact_id")
    assert by_id.loc["preface-years-of-rethinking", "qualifier"] == "exact"
    assert by_id.loc["am-key-field-decade", "qualifier"] == "exact"
    assert by_id.loc["apac-dev-mva-share-2020", "qualifier"] == "nearly"  # 近 45%
    assert by_id.loc["apple-suppliers", "qualifier"] == "nearly"  # 近 200 家
    for row in facts.itertuples():
        quote = squash(row.quote_zh)
        if re.search(r"近(\d+|[一二三四五六七八九十]+)年", quote):
            assert row.qualifier == "exact", row.fact_id
        if row.qualifier == "nearly":
            assert row.unit != "years", row.fact_id
            assert re.search(r"近\d", quote), f"{row.fact_id}: 近 must directly precede the amount"


def test_inferred_periods_are_flagged(facts: pd.DataFrame) -> None:
    """A year in ``period`` that the quote does not print is flagged "Period inferred" in note."""
    flagged = set()
    for row in facts.itertuples():
        missing = [y for y in re.findall(r"\d{4}", row.period) if y not in squash(row.quote_zh)]
        if missing:
            assert "Period inferred" in row.note, (row.fact_id, missing)
            flagged.add(row.fact_id)
    assert {
        "mex-nearshoring-firms",
        "industrial-policy-growth",
        "preface-sample-clusters",
    } <= flagged
    assert {"preface-years-of-rethinking", "am-key-field-decade", "policy-waves-count"} <= flagged


def test_fit_for_55_keeps_only_the_number_in_the_name(facts: pd.DataFrame) -> None:
    row = facts.set_index("fact_id").loc["eu-fit-for-55"]
    assert "Fit for 55" in row["quote_zh"] and "2030" not in row["quote_zh"]
    assert float(row["value"]) == 55
    assert (row["unit"], row["qualifier"], row["period"]) == ("other", "", "")
    assert "Public record, not in the report" in row["note"]
    assert "2030" in row["note"] and "1990" in row["note"]


# ---------------------------------------------------------------- trends


def test_trends(flat: str, trends: pd.DataFrame) -> None:
    assert list(trends["trend_no"]) == [str(n) for n in range(1, 9)]
    for row in trends.itertuples():
        assert squash(row.title_zh) in flat, row.trend_no
        assert row.source_ref == f"ch6.{row.trend_no}"
        assert chapter_of(row.source_ref) == 6
        assert row.title_en and row.summary_zh and row.summary_en
        for col in ("evidence_zh", "evidence_en"):
            items = getattr(row, col).split(";") if getattr(row, col) else []
            assert all(i.strip() == i and i for i in items), (row.trend_no, col)


def test_trend_3_is_about_layout_adjustment(trends: pd.DataFrame) -> None:
    row = trends.set_index("trend_no").loc["3"]
    assert row["title_zh"] == "全球产业链重构加速产业集群布局调整"
    assert "adjustment of industrial cluster layouts" in row["title_en"]
    for col in ("title_en", "summary_en"):
        assert "relocat" not in row[col].lower(), col


def test_missing_trend_bodies_are_declared(trends: pd.DataFrame) -> None:
    for n in ("2", "3"):
        row = trends.set_index("trend_no").loc[n]
        assert "缺失" in row["summary_zh"] and "missing" in row["summary_en"]
    assert trends.set_index("trend_no").loc["2", "evidence_zh"] == ""


# ---------------------------------------------------------------- sections


def test_sections(flat: str, sections: pd.DataFrame) -> None:
    assert sections["section_id"].is_unique
    assert sections["section_id"].map(lambda s: SLUG.fullmatch(s) is not None).all()
    counts = sections["chapter"].astype(int).value_counts().to_dict()
    assert counts == {1: 4, 3: 5, 4: 3, 5: 3, 7: 4}
    for row in sections.itertuples():
        chapter = int(row.chapter)
        assert chapter_of(row.source_ref) == chapter, row.section_id
        assert row.kind == KINDS[chapter], row.section_id
        assert squash(row.title_zh) in flat, row.section_id
        assert (row.sector != "") == (row.kind == "tech_theme"), row.section_id
        assert (row.continent != "") == (row.kind == "regional_policy"), row.section_id
        zh = row.keywords_zh.split(";") if row.keywords_zh else []
        en = row.keywords_en.split(";") if row.keywords_en else []
        assert len(zh) == len(en), row.section_id
    tech = sections[sections["kind"] == "tech_theme"]
    assert sorted(tech["sector"]) == sorted(SECTORS - {"nev"})
    assert sorted(sections.loc[sections["kind"] == "regional_policy", "continent"]) == [
        "AS",
        "EU",
        "NA",
    ]


def test_missing_sections_say_so(sections: pd.DataFrame) -> None:
    for row in sections[sections["chapter"] == "4"].itertuples():
        assert "缺" in row.summary_zh and "not in the available source" in row.summary_en


def test_research_keywords_follow_the_text(source: str, flat: str, sections: pd.DataFrame) -> None:
    """Every 中文(english) keyword pair printed in chapter 5 is kept, English verbatim."""
    ch5 = sections[sections["kind"] == "research_theme"]
    pairs = [
        (z, e)
        for zh, en in zip(ch5["keywords_zh"], ch5["keywords_en"], strict=True)
        for z, e in zip(zh.split(";"), en.split(";"), strict=True)
        if zh
    ]
    for z, _ in pairs:
        assert z in flat, z
    start = source.index("algorithm)")
    end = source.index("第六章 全球先进制造业集群发展趋势\n")
    printed = re.findall(r"([\u4e00-\u9fff]+)\s*[(（]([a-z][a-z ]*)[)）]", source[start:end])
    assert len(printed) >= 10
    for run, english in printed:
        assert any(e == english and run.endswith(z) for z, e in pairs), (run, english)
