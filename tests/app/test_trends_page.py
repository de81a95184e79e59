"""The trends page through AppTest: ?trend=N, bad N, the panels, search and its jumps, charts."""

from __future__ import annotations

import json

import pytest

from components import trends as tr
from components.data import load_bundle
from components.i18n import t
from components.safe import escape_md
from components.sources import cite

PAGE = "pages/trends.py"
BUNDLE = load_bundle()
NUMBERS = tr.trend_numbers(BUNDLE)


def _param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def _open_title(at) -> str:
    return at.header[0].value


def _expected_title(n: int, lang: str) -> str:
    return f"{n}. {escape_md(tr.trend_view(BUNDLE, n, lang).title)}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("n", NUMBERS)
def test_trend_param_opens_that_trend(make_app, n: int, lang: str) -> None:
    at = make_app(PAGE, lang=lang, trend=str(n))
    assert not at.exception, at.exception
    assert _open_title(at) == _expected_title(n, lang)
    view = tr.trend_view(BUNDLE, n, lang)
    assert escape_md(view.summary) in _texts(at)
    assert t("trends.section_ref", lang, ref=cite(view.source_ref, lang)) in _texts(at)
    # The open trend is the one marked in the list; the others are not.
    types = {b.key: b.proto.type for b in at.button if b.key and b.key.startswith("trend_btn_")}
    assert types[f"trend_btn_{n}"] == "primary"
    assert [k for k, v in types.items() if v == "primary"] == [f"trend_btn_{n}"]
    assert _param(at, "trend") == (None if n == NUMBERS[0] else str(n))
    # The missing-text notice appears exactly for a trend without evidence.
    warnings = [w.value for w in at.warning]
    assert (view.notice(lang) in warnings) == view.missing
    assert (view.notice(lang) in [i.value for i in at.info]) == view.partial
    assert not [
        w
        for w in warnings
        if w.startswith(t("trends.bad_trend", lang, value="", first=1, last=1)[:8])
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("bad", ["9", "0", "abc", "<img src=x onerror=alert(1)>"])
def test_out_of_range_trend_gets_a_notice(make_app, bad: str, lang: str) -> None:
    at = make_app(PAGE, lang=lang, trend=bad)
    assert not at.exception
    notice = t(
        "trends.bad_trend", lang, value=escape_md(bad[:20]), first=NUMBERS[0], last=NUMBERS[-1]
    )
    assert notice in [w.value for w in at.warning]
    assert _open_title(at) == _expected_title(NUMBERS[0], lang)
    assert _param(at, "trend") is None


def test_default_opens_the_first_trend_and_the_list_navigates(make_app) -> None:
    at = make_app(PAGE, lang="en")
    assert _open_title(at) == _expected_title(1, "en")
    at.button(key="trend_btn_7").click().run()
    assert not at.exception
    assert _open_title(at) == _expected_title(7, "en")
    assert _param(at, "trend") == "7"
    at.button(key="trend_btn_1").click().run()
    assert _open_title(at) == _expected_title(1, "en") and _param(at, "trend") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trend_2_shows_what_the_data_holds_with_sources(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, trend="2")
    text = _texts(at)
    assert tr.trend_view(BUNDLE, 2, lang).notice(lang) in [w.value for w in at.warning]
    assert escape_md(tr.describe_related_rule(2, lang)) in text
    assert escape_md(tr.describe_cluster_rule(BUNDLE, tr.CLUSTER_RULES[2], lang)) in text
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # the world-growth line and the Asia-Pacific share bars
    facts = BUNDLE.facts.set_index("fact_id")
    spec = json.loads(charts[0].proto.spec)
    assert spec["data"][0]["y"] == [
        float(facts.loc[f, "value"])
        for f in ("world-growth-1999-2009", "world-growth-2009-2019", "world-growth-2020-2022")
    ]
    configs = [json.loads(c.proto.config)["toImageButtonOptions"]["filename"] for c in charts]
    assert all(name.endswith(f"_{lang}") for name in configs)
    captions = [c.value for c in at.caption]
    assert sum(c.startswith(t("source.prefix", lang)) for c in captions) >= 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trend_7_cards_policies_clusters_and_recommendation(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, trend="7")
    text = _texts(at)
    for _, row in tr.trend_facts(BUNDLE, 7).iterrows():
        view = tr.fact_view(row, lang)
        assert escape_md(view.text) in text
        assert escape_md(t("trends.fact.quote", lang, quote=view.quote_zh)) in text
    (timeline,) = at.get("plotly_chart")
    spec = json.loads(timeline.proto.spec)
    policies = tr.trend_policies(BUNDLE, 7)
    assert sum(len(trace["x"]) for trace in spec["data"]) == int(policies["year"].notna().sum())
    links = [(p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    chosen = tr.select_clusters(BUNDLE, tr.CLUSTER_RULES[7])
    to_policies = [(pg, q) for pg, q in links if pg == "policies"]
    assert to_policies == [("policies", f"theme={th}&lang={lang}") for th in tr.TREND_THEMES[7]]
    to_map = [(pg, q) for pg, q in links if pg != "policies"]
    assert to_map == [("map", f"cluster={cid}&lang={lang}") for cid in chosen["cluster_id"]]
    recs = tr.recommendations_for(BUNDLE, 7)
    for row in recs.to_dict("records"):
        assert escape_md(row[f"title_{lang}"]) in text


def test_panels_show_their_chapters(make_app) -> None:
    for view in tr.PANELS:
        at = make_app(PAGE, lang="en", view=view)
        assert not at.exception, (view, at.exception)
        text = _texts(at)
        for row in tr.panel_sections(BUNDLE, view).to_dict("records"):
            assert escape_md(row["title_en"]) in text
            assert escape_md(row["summary_en"]) in text
    at = make_app(PAGE, lang="zh", view="research")
    for row in tr.panel_sections(BUNDLE, "research").to_dict("records"):
        for word in tr.keywords(row, "zh"):
            assert f":blue-badge[{escape_md(word)}]" in _texts(at)


def test_a_recommendation_jumps_to_the_trend_it_answers(make_app) -> None:
    at = make_app(PAGE, lang="en", view="recs")
    link = BUNDLE.recommendation_trends.iloc[0]
    at.button(key=f"rec_{link['section_id']}_{int(link['trend_no'])}").click().run()
    assert not at.exception
    assert _param(at, "view") is None
    assert _open_title(at) == _expected_title(int(link["trend_no"]), "en")


@pytest.mark.parametrize(
    ("lang", "query", "trend"), [("zh", "灯塔工厂", 6), ("en", "nearshoring", 3)]
)
def test_search_lists_highlighted_matches_and_jumps_to_the_trend(make_app, lang, query, trend):
    at = make_app(PAGE, lang=lang, q=query)
    assert not at.exception
    text = _texts(at)
    assert ":orange-background[" in text
    hits = [b for b in at.button if b.key and b.key.startswith("hit_")]
    assert hits
    first_trend_hit = next(
        h
        for h, hit in zip(hits, tr.search(tr.search_docs(BUNDLE), query)[0], strict=False)
        if hit.doc.trend_no == trend
    )
    first_trend_hit.click().run()
    assert not at.exception
    assert _open_title(at) == _expected_title(trend, lang)
    assert _param(at, "trend") == str(trend)
    assert _param(at, "q") == query  # the results stay for the next jump


def test_search_result_jumps_to_a_panel(make_app) -> None:
    at = make_app(PAGE, lang="en", q="keywords")
    docs = tr.search(tr.search_docs(BUNDLE), "keywords")[0]
    i = next(i for i, h in enumerate(docs) if h.doc.view not in (None, "trends"))
    at.button(key=f"hit_{i}").click().run()
    assert _param(at, "view") == docs[i].doc.view
    assert at.header[0].value.startswith(t(f"trends.view.{docs[i].doc.view}", "en"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_search_text_is_shown_as_written(make_app, lang: str) -> None:
    hostile = "<img src=x onerror=alert(1)> [x](https://evil)"
    at = make_app(PAGE, lang=lang, q=hostile)
    assert not at.exception
    info = [i.value for i in at.info]
    assert t("trends.search.none", lang, q=escape_md(hostile)) in info
    assert not any("<img" in v.replace("\\<img", "") for v in info)
