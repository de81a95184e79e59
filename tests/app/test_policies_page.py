"""Policy timeline page through AppTest: filters and ?policy= change the figure and the details,
in both languages; a bad ?policy= gets a notice; regional panels set the lanes."""

from __future__ import annotations

import json

import pytest

from components import policies as pc
from components.charts import MISSING
from components.data import load_bundle
from components.i18n import LANGS, country_name, t
from components.safe import escape_md
from components.vocab import EU_MEMBERS

PAGE = "pages/policies.py"


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


def _spec(at, i: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def _markers(at) -> list[str]:
    """The policy ids of the timeline's markers (the ring of the open policy left out)."""
    ids: list[str] = []
    for trace in _spec(at)["data"]:
        if trace.get("showlegend") is False:
            continue
        ids += trace["customdata"]
    return ids


def _ring(at) -> list[str]:
    return [
        pid
        for trace in _spec(at)["data"]
        if trace.get("showlegend") is False
        for pid in trace["customdata"]
    ]


def _lanes(at) -> list[str]:
    return [
        a["text"]
        for a in _spec(at)["layout"]["annotations"]
        if a.get("yref") == "y" and a["text"].startswith("<b>")
    ]


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.header]
    parts += [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def _param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.mark.parametrize("lang", LANGS)
def test_page_runs_in_both_languages(make_app, bundle, lang: str) -> None:
    at = make_app(PAGE, lang=lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t("policies.title", lang)
    intro = t(
        "policies.intro", lang, total=len(bundle.policies), lanes=len(pc.lanes(bundle.policies))
    )
    assert intro in _texts(at)
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # the timeline and the theme × period chart
    policies = bundle.policies
    assert sorted(_markers(at)) == sorted(policies["policy_id"])
    assert _ring(at) == []
    assert _lanes(at) == [f"<b>{country_name(c, lang)}</b>" for c in pc.lanes(policies)]
    spec = _spec(at)
    assert spec["layout"]["title"]["text"] == t("policies.chart.title", lang)
    names = {tr["name"] for tr in spec["data"]}
    assert t("theme.green", lang) in names and t("theme.digital", lang) in names
    text = _texts(at)
    assert t("policies.count", lang, shown=len(policies), total=len(policies)) in text
    assert t("policies.click_hint", lang) in text
    years = pc.year_source_counts(policies)
    assert t("policies.source_years", lang, **years) in text
    assert t("source.report_table", lang, ref="6-2") in text
    # three regional panels, each with a button that sets its lanes
    assert len([b for b in at.button if b.key and b.key.startswith("pol_region_")]) == 3
    # the timeline's CSV and the theme chart's CSV; the table tab is drawn only when opened
    assert len(at.get("download_button")) == 2 and len(at.dataframe) == 0
    theme = _spec(at, 1)
    assert theme["layout"]["title"]["text"] == t("policies.theme.title", lang)
    counts = pc.theme_period_counts(policies)
    scope = pc.scope_text((), len(policies), pc.lanes(policies), lang)
    for sentence in pc.claim_caption(counts, scope, lang):
        assert escape_md(sentence) in text


@pytest.mark.parametrize("lang", LANGS)
def test_filters_in_the_url_change_the_figure(make_app, bundle, lang: str) -> None:
    policies = bundle.policies
    at = make_app(PAGE, lang=lang, jurisdiction="USA,JPN", theme="green")
    assert not at.exception
    expected = pc.filter_policies(policies, pc.PolicyFilters(("USA", "JPN"), ("green",)))
    assert sorted(_markers(at)) == sorted(expected["policy_id"]) and len(expected) > 0
    assert _lanes(at) == [f"<b>{country_name(c, lang)}</b>" for c in ("USA", "JPN")]
    # the marker shows the theme filtered for
    names = {tr["name"] for tr in _spec(at)["data"]}
    assert names == {t("theme.green", lang)}
    assert t("policies.count", lang, shown=len(expected), total=len(policies)) in _texts(at)
    assert len(at.dataframe) == 0  # the table tab is drawn when opened (a rerun)
    at = make_app(PAGE, lang=lang, jurisdiction="USA,JPN", theme="green", tab="table")
    assert not at.exception and len(at.get("download_button")) == 3  # + the table's CSV
    assert at.dataframe[0].proto.placeholder == MISSING  # a missing year is not "None"
    table = at.dataframe[0].value  # the table tab: the same policies, both names
    assert list(table[t("policies.col.id", lang)]) == list(expected["policy_id"])
    assert list(table[t("policies.col.name_zh", lang)]) == list(expected["name_zh"])
    # the theme × period chart follows the jurisdiction filter only
    base = pc.filter_policies(policies, pc.PolicyFilters(("USA", "JPN")))
    legend = [tr["name"] for tr in _spec(at, 1)["data"]]
    n_early = int((base["period"] == "2005-2021").sum())
    assert legend[0] == t(
        "policies.theme.legend", lang, period=pc.period_name("2005-2021", lang), n=n_early
    )


def test_widgets_write_the_url_and_redraw(make_app, bundle) -> None:
    policies = bundle.policies
    at = make_app(PAGE, lang="en")
    at.multiselect(key="url_period").set_value(["2022-2023"]).run()
    assert not at.exception
    recent = policies[policies["period"] == "2022-2023"]
    assert sorted(_markers(at)) == sorted(recent["policy_id"])
    assert _param(at, "period") == "2022-2023"
    at.text_input(key="url_q").set_value("chips").run()
    assert _markers(at) == ["usa-chips-and-science-act"]
    assert _param(at, "q") == "chips"
    at.text_input(key="url_q").set_value("no such policy").run()
    assert _markers(at) == []
    assert t("policies.none", "en") in _texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_search_in_chinese_and_english(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, q="地平线")
    assert sorted(_markers(at)) == ["eu-horizon-2020", "eu-horizon-europe"]
    at = make_app(PAGE, lang=lang, q="Horizon Europe")
    assert _markers(at) == ["eu-horizon-europe"]


@pytest.mark.parametrize("lang", LANGS)
def test_policy_param_opens_its_details(make_app, bundle, lang: str) -> None:
    at = make_app(PAGE, lang=lang, policy="usa-rjia")
    assert not at.exception
    row = bundle.policies.set_index("policy_id").loc["usa-rjia"]
    text = _texts(at)
    assert at.header[0].value == escape_md(row[f"name_{lang}"])
    assert "Rural Jobs and Innovation Accelerator Challenge" in text.replace("\\", "")
    assert t("policies.year.public", lang, year=2012) in text.replace("\\", "")
    assert t("policies.detail.region", lang) in text
    section = pc.regional_section("USA", bundle.sections, bundle.clusters)
    assert section[f"title_{lang}"] in text.replace("\\", "")
    assert _ring(at) == ["usa-rjia"]
    links = list(at.get("page_link"))
    assert len(links) == 1 and links[0].proto.page == "map"
    assert links[0].proto.query_string == f"country=USA&lang={lang}"
    assert _param(at, "policy") == "usa-rjia"


def test_eu_policy_links_to_the_member_states_clusters(make_app, bundle) -> None:
    at = make_app(PAGE, lang="en", policy="eu-horizon-2020")
    assert not at.exception
    link = list(at.get("page_link"))[0]
    members = sorted(EU_MEMBERS & set(bundle.clusters["country"]))
    assert link.proto.query_string == "country=" + "%2C".join(members) + "&lang=en"
    section = pc.regional_section("EU", bundle.sections, bundle.clusters)
    assert section["source_ref"] == "ch4.2"
    assert section["title_en"] in _texts(at).replace("\\", "")


def test_switching_policy_changes_figure_and_details(make_app, bundle) -> None:
    at = make_app(PAGE, lang="en", policy="usa-rjia")
    at.selectbox(key="pol_pick").set_value("jpn-research-complex").run()
    assert not at.exception
    assert _ring(at) == ["jpn-research-complex"]
    assert _param(at, "policy") == "jpn-research-complex"
    assert t("policies.year.public", "en", year=2015) in _texts(at).replace("\\", "")
    assert list(at.get("page_link"))[0].proto.query_string == "country=JPN&lang=en"
    at.button(key="pol_close").click().run()
    assert not at.exception
    assert _ring(at) == [] and _param(at, "policy") is None
    assert t("policies.click_hint", "en") in _texts(at)


def test_open_policy_outside_the_filter_says_so(make_app) -> None:
    at = make_app(PAGE, lang="zh", jurisdiction="CHN", policy="usa-rjia")
    assert not at.exception
    assert t("policies.outside_filter", "zh") in _texts(at)
    assert _ring(at) == []  # its marker is not drawn


@pytest.mark.parametrize("lang", LANGS)
def test_bad_policy_param_gets_a_notice(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, policy="no-such-policy")
    assert not at.exception
    assert t("policies.bad_policy", lang, value="no\\-such\\-policy") in _texts(at)
    assert _ring(at) == [] and _param(at, "policy") is None
    assert t("policies.click_hint", lang) in _texts(at)


def test_map_link_opens_the_map_filtered_to_the_jurisdiction(make_app, bundle) -> None:
    """The link's query string, followed: the map shows the EU member states' clusters."""
    countries = pc.map_countries("EU", bundle.clusters)
    at = make_app("pages/map.py", lang="en", country=",".join(countries))
    assert not at.exception and not at.toast
    assert set(at.multiselect(key="url_country").value) == set(countries)
    in_eu = bundle.clusters["country"].isin(EU_MEMBERS).sum()
    assert t("map.count", "en", shown=in_eu, total=len(bundle.clusters)) in _texts(at)


def test_regional_panel_sets_the_lanes(make_app) -> None:
    at = make_app(PAGE, lang="en")
    at.button(key="pol_region_ch4-asia").click().run()
    assert not at.exception
    assert at.multiselect(key="url_jurisdiction").value == ["JPN", "KOR", "CHN"]
    assert _param(at, "jurisdiction") == "JPN,KOR,CHN"
    assert _lanes(at) == [f"<b>{country_name(c, 'en')}</b>" for c in ("JPN", "KOR", "CHN")]
