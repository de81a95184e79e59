"""The trend explorer's logic (components/trends.py) and the recommendation → trend mapping.

Expected values are read from the CSV files with the csv module, independently of the loader, so
a chart or a selection that drifts from the data fails here.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from components import trends as tr
from components.data import DataError, load_bundle
from components.i18n import LANGS, country_name, t
from components.safe import escape_md
from components.sources import cite
from components.vocab import THEMES
from tests.report_source import read_source

DATA = Path(__file__).resolve().parents[2] / "data"
HOSTILE = "<img src=x onerror=alert(1)> and [x](https://evil) and www.evil.com"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def bundle():  # noqa: ANN201
    return load_bundle(DATA)


FACTS = {r["fact_id"]: r for r in rows("facts.csv")}
CLUSTERS = rows("clusters.csv")
TREND_NOS = [int(r["trend_no"]) for r in rows("trends.csv")]


# --------------------------------------------------------------------------------------------
# Trends: summary in both languages, evidence or an explicit "text missing" notice


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", TREND_NOS)
def test_every_trend_has_a_summary_and_evidence_or_a_missing_notice(bundle, n, lang) -> None:
    view = tr.trend_view(bundle, n, lang)
    assert view.title.strip() and view.summary.strip()
    if view.evidence:
        assert not view.missing
        partial = t("trends.partial", lang, ref=cite(f"ch6.{n}", lang))
        assert view.notice(lang) == (partial if view.partial else "")
    else:
        assert view.missing
        notice = view.notice(lang)
        assert notice == t("trends.missing", lang, ref=cite(f"ch6.{n}", lang))
        assert cite(f"ch6.{n}", lang) in notice


def test_trend_2_is_the_one_whose_text_is_missing(bundle) -> None:
    missing = [n for n in TREND_NOS if tr.trend_view(bundle, n, "en").missing]
    assert missing == [2]
    partial = [n for n in TREND_NOS if tr.trend_view(bundle, n, "en").partial]
    assert partial == [3]  # only the end of section 6.3 survives
    # What the data can say about it: growth facts and the counted clusters, not the report's
    # argument.
    related = set(tr.related_facts(bundle, 2)["fact_id"])
    assert {"world-growth-1999-2009", "world-growth-2009-2019", "world-growth-2020-2022"} <= related
    assert tr.CLUSTER_RULES[2].kind == "all"
    assert tr.trend_facts(bundle, 2).empty


def test_every_trend_has_rules() -> None:
    assert set(tr.TREND_THEMES) == set(TREND_NOS)
    assert set(tr.CLUSTER_RULES) == set(TREND_NOS)
    assert set(tr.RELATED_TERMS) == set(TREND_NOS)
    assert all(theme in THEMES for themes in tr.TREND_THEMES.values() for theme in themes)


def test_parse_trend() -> None:
    assert tr.parse_trend("3", TREND_NOS) == (3, None)
    assert tr.parse_trend(None, TREND_NOS) == (None, None)
    assert tr.parse_trend("", TREND_NOS) == (None, None)
    for bad in ("9", "0", "-1", "abc", "3.0", "<b>", "1" * 40):
        assert tr.parse_trend(bad, TREND_NOS) == (None, bad)


# --------------------------------------------------------------------------------------------
# Fact charts: every number equals facts.csv


def _all_fact_sets(bundle) -> list:  # noqa: ANN001
    sets = [bundle.facts]
    for n in TREND_NOS:
        sets += [tr.trend_facts(bundle, n), tr.related_facts(bundle, n).drop(columns="matched")]
    sets += [tr.chapter_facts(bundle, c) for c in (1, 3, 4, 5, 7)]
    return [s for s in sets if len(s)]


def _expected_text(fact: dict[str, str], lang: str) -> str:
    """The value text computed from the CSV row, independently of the module's formatter."""
    v = float(fact["value"])
    shown = v
    if fact["unit"] == "usd_100m" and lang == "en":
        shown = v / 10
    if fact["unit"] in ("usd_billion", "gbp_billion") and lang == "zh":
        shown = v * 10
    number = f"{shown:.6f}".rstrip("0").rstrip(".")
    marks = {
        "zh": {"about": "约", "nearly": "近", "over": "超过"},
        "en": {"about": "about", "nearly": "nearly", "over": "over"},
    }
    prefix = marks[lang].get(fact["qualifier"], "")
    return prefix, number


@pytest.mark.parametrize("lang", LANGS)
def test_every_fact_chart_shows_the_numbers_of_facts_csv(bundle, lang) -> None:
    charts = 0
    for facts in _all_fact_sets(bundle):
        for group in tr.fact_groups(facts):
            ids = list(group.facts["fact_id"])
            if group.chart == "card":
                (fid,) = ids
                view = tr.fact_view(group.facts.iloc[0], lang)
                assert view.value == float(FACTS[fid]["value"])
                prefix, number = _expected_text(FACTS[fid], lang)
                assert number in view.text and view.text.startswith(prefix), (fid, view.text)
                assert view.quote_zh == FACTS[fid]["quote_zh"]
                assert view.source_ref == FACTS[fid]["source_ref"]
                continue
            charts += 1
            fig = tr.build_fact_figure(group, lang)
            (trace,) = fig.data
            assert list(trace.y) == [float(FACTS[f]["value"]) for f in ids]
            for fid, label in zip(ids, trace.text, strict=True):
                prefix, number = _expected_text(FACTS[fid], lang)
                assert number in label and label.startswith(prefix), (fid, label)
            assert fig.layout.yaxis.range[0] == 0  # honest: from zero
            assert fig.layout.yaxis.title.text == t(f"trends.axis.{FACTS[ids[0]]['unit']}", lang)
    assert charts >= 2


def test_fact_groups_follow_the_rule(bundle) -> None:
    groups = {tuple(g.facts["fact_id"]): g for g in tr.fact_groups(bundle.facts)}
    growth = ("world-growth-1999-2009", "world-growth-2009-2019", "world-growth-2020-2022")
    assert groups[growth].kind == "series" and groups[growth].chart == "line"  # chronological
    share = ("apac-dev-mva-share-2000", "apac-dev-mva-share-2020")
    assert groups[share].kind == "series" and groups[share].chart == "bars"
    profit = ("global-500-average-profit", "chn-global-500-average-profit")
    assert groups[profit].kind == "regions" and groups[profit].chart == "bars"
    # Counts of different things (UK cluster targets) are never put on one axis.
    for fid in ("gbr-ccus-clusters-2025", "gbr-low-carbon-clusters-2030"):
        assert groups[(fid,)].chart == "card"
    # Every fact is drawn exactly once.
    drawn = [f for ids in groups for f in ids]
    assert sorted(drawn) == sorted(FACTS)
    # Grouped facts share section and unit, and differ in exactly one of period / region.
    for ids, g in groups.items():
        if len(ids) > 1:
            f = [FACTS[i] for i in ids]
            assert len({x["source_ref"] for x in f}) == 1 and len({x["unit"] for x in f}) == 1
            assert f[0]["unit"] in tr.AMOUNT_UNITS
            varying = "period" if g.kind == "series" else "region"
            fixed = "region" if g.kind == "series" else "period"
            assert len({x[varying] for x in f}) == len(f) and len({x[fixed] for x in f}) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_qualifiers_are_shown(lang) -> None:
    shown = {
        fid: tr.value_text(float(f["value"]), f["unit"], f["qualifier"], lang)
        for fid, f in FACTS.items()
    }
    word = {"zh": ("约", "近", "超过"), "en": ("about", "nearly", "over")}[lang]
    assert shown["world-growth-2020-2022"].startswith(word[0])
    assert shown["apple-suppliers"].startswith(word[1])
    assert shown["industrial-policy-growth"].startswith(word[2])
    assert not shown["preface-years-of-rethinking"].startswith(word)  # 近20年 = the past 20


def test_units_and_numbers_as_printed() -> None:
    assert tr.value_text(58, "usd_100m", "exact", "zh") == "58 亿美元"
    assert tr.value_text(58, "usd_100m", "exact", "en") == "USD 5.8 bn"
    assert tr.value_text(1, "gbp_billion", "exact", "zh") == "10 亿英镑"
    assert tr.value_text(1, "gbp_billion", "exact", "en") == "GBP 1 bn"
    assert tr.value_text(1, "clusters", "", "en") == "1 cluster"
    assert tr.value_text(8.02, "percent", "exact", "en") == "8.02%"
    assert tr.fmt_number(150.0) == "150" and tr.fmt_number(3.2) == "3.2"


@pytest.mark.parametrize("lang", LANGS)
def test_periods_and_regions_are_in_words(lang) -> None:
    for f in FACTS.values():
        period = tr.period_text(f["period"], lang)
        region = tr.region_text(f["region"], lang)
        if lang == "zh":
            assert not re.search(r"by|past|FY|c\.", period), (f["fact_id"], period)
        assert region != f["region"] or f["region"] in ("EU",), (f["fact_id"], region)
        assert not re.fullmatch(r"[a-z0-9-]+", region), (f["fact_id"], region)
    assert tr.period_text("by 2025", "zh") == "到2025年"
    assert tr.period_text("past 10 years (to 2023)", "en") == "past 10 years (to 2023)"
    assert tr.period_text("", "en") == t("trends.period.none", "en")
    assert tr.region_text("apac-dev", "en").startswith("Asia-Pacific")


# --------------------------------------------------------------------------------------------
# Selection rules return what their on-screen description says


WHERE = {"zh": r"规则：(.+?)（报告中文原文）", "en": r"whose (.+?) \(in the report's Chinese\)"}


def described_patterns(description: str) -> set[str]:
    """The terms a description quotes: “低碳” or, in English, “低碳 (low-carbon)”."""
    quoted = re.findall(r"“([^”]+)”", description)
    return {q.split(" (")[0] for q in quoted}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", TREND_NOS)
def test_cluster_rule_returns_what_it_says(bundle, n, lang) -> None:
    rule = tr.CLUSTER_RULES[n]
    text = tr.describe_cluster_rule(bundle, rule, lang)
    chosen = list(tr.select_clusters(bundle, rule)["cluster_id"])
    if rule.kind == "text":
        patterns = described_patterns(text)
        assert patterns == {t(f"trends.term.{k}", "zh") for k in rule.terms}
        where = re.search(WHERE[lang], text).group(1).split(t("trends.or", lang))
        labels = {t(f"trends.col.{f}", lang): f for f in ("name_zh", "lead_industry_zh")}
        fields = [labels[w] for w in where]
        assert fields == list(rule.fields)
        expected = [
            c["cluster_id"] for c in CLUSTERS if any(p in c[f] for p in patterns for f in fields)
        ]
    elif rule.kind == "country":
        named = [
            code
            for code in ("MEX", "VNM", *{c["country"] for c in CLUSTERS})
            if country_name(code, lang) in text
        ]
        assert set(named) == set(rule.countries)
        expected = [c["cluster_id"] for c in CLUSTERS if c["country"] in rule.countries]
    elif rule.kind == "research":
        assert cite("table 2-10", lang) in text
        ids = {
            o["cluster_id"]
            for o in rows("organizations.csv")
            if o["role"] == "research_institution"
        }
        expected = [c["cluster_id"] for c in CLUSTERS if c["cluster_id"] in ids]
        assert expected
    elif rule.kind == "all":
        total = sum(int(r["clusters"]) for r in rows("sector_continent.csv"))
        assert str(total) in text and str(len(CLUSTERS)) in text
        expected = [c["cluster_id"] for c in CLUSTERS]
    else:
        assert text == t("trends.rule.clusters_none", lang)
        expected = []
    assert chosen == expected


def test_cluster_rules_pick_sensible_clusters(bundle) -> None:
    def ids(n: int) -> set[str]:
        return set(tr.select_clusters(bundle, tr.CLUSTER_RULES[n])["cluster_id"])

    green = ids(7)
    names = {c["cluster_id"]: c["name_zh"] for c in CLUSTERS}
    assert any("净零" in names[i] for i in green) and any("ccs" in names[i] for i in green)
    assert any("硅谷" in names[i] for i in ids(8))
    assert any("区块链" in names[i] for i in ids(6))
    assert ids(3) == set()  # no named cluster is in Mexico or Viet Nam: shown as "none"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", TREND_NOS)
def test_related_rule_returns_what_it_says(bundle, n, lang) -> None:
    text = tr.describe_related_rule(n, lang)
    patterns = described_patterns(text)
    assert patterns == {t(f"trends.term.{k}", "zh") for k in tr.RELATED_TERMS[n]}
    expected = [
        fid
        for fid, f in FACTS.items()
        if not f["trend_no"] and any(p in f["metric_zh"] for p in patterns)
    ]
    assert list(tr.related_facts(bundle, n)["fact_id"]) == expected


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", TREND_NOS)
def test_policy_rule_returns_what_it_says(bundle, n, lang) -> None:
    text = tr.describe_policy_rule(n, lang)
    themes = [th for th in THEMES if f"“{tr.theme_name(th, lang)}”" in text]
    assert themes == [th for th in THEMES if th in tr.TREND_THEMES[n]]
    expected = {
        p["policy_id"] for p in rows("policies.csv") if set(p["themes"].split(";")) & set(themes)
    }
    got = tr.trend_policies(bundle, n)
    assert set(got["policy_id"]) == expected
    fig = tr.build_policy_timeline(got, lang, order=bundle.policies["jurisdiction"])
    plotted = sum(len(trace.x) for trace in fig.data)
    assert plotted == int(got["year"].notna().sum())
    years = sorted(int(x) for trace in fig.data for x in trace.x)
    assert years == sorted(int(y) for y in got["year"].dropna())


def test_terms_show_their_pattern_in_english() -> None:
    keys = {k for rule in tr.CLUSTER_RULES.values() for k in rule.terms}
    keys |= {k for terms in tr.RELATED_TERMS.values() for k in terms}
    for k in keys:
        assert t(f"trends.term.{k}", "en").startswith(t(f"trends.term.{k}", "zh"))


# --------------------------------------------------------------------------------------------
# Search


@pytest.mark.parametrize(
    ("query", "lang", "trend"),
    [
        ("灯塔工厂", "zh", 6),
        ("lighthouse factories", "en", 6),
        ("近岸外包", "zh", 3),
        ("NEARSHORING", "en", 3),
    ],
)
def test_search_finds_a_known_phrase_in_each_language(bundle, query, lang, trend) -> None:
    hits, total = tr.search(tr.search_docs(bundle), query)
    assert total >= 1
    mine = [h for h in hits if h.doc.text_lang == lang]
    assert mine and all(h.doc.view == "trends" and h.doc.trend_no == trend for h in mine[:1])
    hit = mine[0]
    a, b = hit.spans[0]
    assert hit.doc.text[a:b].lower().replace(" ", "") == query.lower().replace(" ", "")
    md = tr.highlight_md(hit.doc.text, hit.spans)
    assert f":orange-background[{escape_md(hit.doc.text[a:b])}]" in md


def test_search_ignores_spaces_the_extracted_text_puts_around_numbers(bundle) -> None:
    hits, _ = tr.search(tr.search_docs(bundle), "2008年金融危机后")
    quotes = {dict(h.doc.args)["ref"]: h.doc for h in hits if h.doc.where == "trends.field.quote"}
    assert "2008 年" in quotes["ch6.1"].text and "2008 年" in quotes["ch1.1"].text
    assert (quotes["ch6.1"].view, quotes["ch6.1"].trend_no) == ("trends", 1)
    assert (quotes["ch1.1"].view, quotes["ch1.1"].trend_no) == ("trends", 2)  # related to 2


def test_search_covers_sections_facts_and_links(bundle) -> None:
    docs = tr.search_docs(bundle)
    views = {(d.view, d.where) for d in docs}
    assert ("recs", "trends.field.section_summary") in views
    assert ("research", "trends.field.section_keywords") in views
    assert ("recs", "trends.field.basis") in views
    # An unlinked ch1 fact jumps to the first trend it is related to, a ch7 one to its panel.
    targets = tr.fact_targets(bundle)
    assert targets["world-growth-2009-2019"] == ("trends", 2)
    assert targets["chn-innovation-carriers-span"] == ("trends", 4)
    assert targets["global-500-average-profit"] == ("value", None)
    assert targets["preface-sample-clusters"] == (None, None)
    for lang in LANGS:
        for hit in tr.search(docs, "碳")[0]:
            assert tr.hit_where(hit, lang)


def assert_inert(md: str) -> None:
    """No markup of the data survives: every <, [, ], (, :, . of it is backslash-escaped."""
    assert not re.search(r"(?<!\\)<", md), md
    assert "](" not in md and "[x]" not in md, md
    assert "https://" not in md and "www.evil.com" not in md, md  # no auto-link either
    assert not re.search(r"(?<!\\)\[", md.replace(":orange-background[", "")), md


@pytest.mark.parametrize("query", ["img", "evil", "onerror", "x](", "<img"])
def test_highlight_escapes_hostile_text(query) -> None:
    spans = tr.find_spans(HOSTILE, query)
    assert spans
    md = tr.highlight_md(HOSTILE, spans)
    assert_inert(md)
    assert ":orange-background[" in md
    # Without the highlight markup the text reads exactly as written once unescaped.
    plain = re.sub(r":orange-background\[(.*?)\]", r"\1", md.replace("\\]", "\0"))
    plain = plain.replace("\0", "]")
    # (the word joiners components.safe puts into addresses are invisible)
    assert re.sub(r"\\(.)", r"\1", plain).replace("\u2060", "") == HOSTILE


def test_hostile_text_in_the_data_is_escaped_in_results(bundle) -> None:
    from dataclasses import replace

    trends = bundle.trends.copy()
    trends.loc[trends["trend_no"] == 5, "summary_en"] = HOSTILE
    hostile = replace(bundle, trends=trends)
    hits, _ = tr.search(tr.search_docs(hostile), "onerror")
    (hit,) = hits
    assert hit.doc.trend_no == 5
    md = tr.highlight_md(hit.doc.text, hit.spans)
    assert_inert(md)
    assert ":orange-background[onerror]" in md


def test_long_texts_are_cut_around_the_match() -> None:
    text = "甲" * 300 + "灯塔工厂" + "乙" * 300
    md = tr.highlight_md(text, tr.find_spans(text, "灯塔工厂"))
    assert md.startswith("… ") and md.endswith(" …")
    assert len(md) < 2 * tr.SNIPPET + 60
    assert tr.search([], "x") == ([], 0)
    assert tr.find_spans("abc", "   ") == ()


# --------------------------------------------------------------------------------------------
# Report panels and the recommendation → trend mapping


def test_panels_hold_their_chapters(bundle) -> None:
    for panel, kind in tr.PANELS.items():
        sections = tr.panel_sections(bundle, panel)
        assert len(sections) and set(sections["kind"]) == {kind}
        assert list(sections["source_ref"]) == sorted(sections["source_ref"])
    tech = tr.panel_sections(bundle, "tech")
    assert set(tech["sector"]) == {"materials", "equipment", "electronics", "biomed", "consumer"}
    research = tr.panel_sections(bundle, "research")
    assert all(tr.keywords(r, lang) for _, r in research.iterrows() for lang in LANGS)
    assert len(tr.innovations_table(bundle, "en")) == sum(
        1 for o in rows("organizations.csv") if o["source_ref"] == "table 3-4"
    )
    counts = tr.continent_counts(bundle)
    assert int(counts["published"].sum()) == sum(
        int(r["clusters"]) for r in rows("sector_continent.csv")
    )


def test_text_status_of_sections(bundle) -> None:
    status = {r.section_id: tr.text_status(r.summary_en) for r in bundle.sections.itertuples()}
    assert status["ch1-knowledge-flow-innovation"] == "missing"
    assert status["ch1-efficiency-quality-growth"] == "partial"
    assert status["ch3-biomed"] == "partial"
    assert status["ch7-brand-culture"] == "complete"
    assert tr.text_status(bundle.trends.loc[1, "summary_en"]) == "missing"  # trend 2


def test_every_recommendation_answers_a_trend(bundle) -> None:
    recs = bundle.sections.loc[bundle.sections["kind"] == "recommendation", "section_id"]
    for section_id in recs:
        assert len(tr.trends_for(bundle, section_id)) >= 1
    linked = set(bundle.recommendation_trends["trend_no"].astype(int))
    for n in TREND_NOS:
        assert (n in linked) == (not tr.recommendations_for(bundle, n).empty)


def test_mapping_basis_is_verbatim_in_its_own_section(bundle) -> None:
    flat = re.sub(r"\s+", "", read_source())
    sections = bundle.sections.set_index("section_id")
    recs = sections[sections["kind"] == "recommendation"].sort_values("source_ref")
    starts = {}
    for sid, row in recs.iterrows():
        heading = re.sub(r"\s+", "", row["title_zh"])
        starts[sid] = flat.rindex(heading)  # the body's heading, after the table of contents
    ends = dict(
        zip(
            list(starts),
            [*list(starts.values())[1:], flat.index("附表", max(starts.values()))],
            strict=True,
        )
    )
    for link in bundle.recommendation_trends.itertuples():
        body = flat[starts[link.section_id] : ends[link.section_id]]
        assert re.sub(r"\s+", "", link.basis_zh) in body, link
        assert link.source_ref == sections.loc[link.section_id, "source_ref"]


def _broken(tmp_path: Path, row: list[str]) -> DataError:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    with (folder / "recommendation_trends.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(row)
    with pytest.raises(DataError) as info:
        load_bundle(folder)
    return info.value


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["ch1-regional-upgrading", "3", "甲", "a", "ch1.3"], "section_id", "recommendation"),
        (["ch7-brand-culture", "9", "甲", "a", "ch7.4"], "trend_no", "trend number"),
        (["ch7-brand-culture", "1", "甲", "a", "ch7.1"], "source_ref", "ch7.4"),
        (["ch7-brand-culture", "8", "甲", "a", "ch7.4"], "trend_no", "repeated"),
        (["ch7-brand-culture", "1", "", "a", "ch7.4"], "basis_zh", "empty"),
    ],
)
def test_loader_rejects_a_bad_mapping_row(tmp_path, row, column, words) -> None:
    err = _broken(tmp_path, row)
    assert err.file == "recommendation_trends.csv" and err.column == column
    assert words in str(err)
