"""Compare page through AppTest: URL state restores regions and groups, swapping one column keeps
the others, malformed groups are rejected with a notice, both languages."""

from __future__ import annotations

import html
import json
import re

import pytest

from components import compare as cmp
from components.data import load_bundle
from components.i18n import LANGS, continent_name, country_name, t
from components.matrices import source_matrices
from components.registry import PAGES
from components.safe import escape_md

PAGE = "pages/compare.py"


def _param(at, name: str) -> str | None:  # noqa: ANN001
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _slots(at) -> list[str]:  # noqa: ANN001
    values = []
    i = 0
    while True:
        try:
            values.append(at.selectbox(key=f"cmp_slot_{i}").value)
        except KeyError:
            return values
        i += 1


def _heads(at) -> list[str]:  # noqa: ANN001
    return [m.value[3:] for m in at.markdown if m.value.startswith("## ")]


def _open_group_form(at):  # noqa: ANN001, ANN202
    """Open the group form's expander (built only while open) and rerun."""
    assert not [w for w in at.text_input if w.key == "cmp_group_name"]  # closed: not built
    at.session_state["cmp_group_form"] = True
    return at.run()


def _warnings(at) -> str:  # noqa: ANN001
    return "\n".join(w.value for w in at.warning)


def _charts(at) -> list[dict]:  # noqa: ANN001
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _panel_titles(chart: dict) -> list[str]:
    """The region names on top of a row figure's panels, left to right."""
    heads = [
        a["text"]
        for a in chart["layout"]["annotations"]
        if a.get("yref") == "paper" and a["text"].startswith("<b>")
    ]
    return [html.unescape(h[3 : h.index("</b>")]) for h in heads]


def _maps(at) -> list[str]:  # noqa: ANN001
    """The alt text of each map image (components.svg_map, shown through st.html)."""
    bodies = [e.proto.body for e in at.get("html")]
    return [
        html.unescape(re.search(r'alt="([^"]*)"', b).group(1))
        for b in bodies
        if "data:image/svg+xml" in b and "height:" in b and "height:auto" not in b
    ]


def _titles(at) -> list[str]:  # noqa: ANN001
    """Every chart's title; a row figure (no title) gives its panels' region names."""
    out = []
    for c in _charts(at):
        title = c["layout"].get("title", {}).get("text")
        out += [title] if title else _panel_titles(c)
    return out


def _annotations(at) -> str:  # noqa: ANN001
    return "\n".join(a["text"] for c in _charts(at) for a in c["layout"].get("annotations", ()))


@pytest.mark.parametrize("lang", LANGS)
def test_default_is_europe_against_asia(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t("compare.title", lang)
    assert _slots(at) == ["EU", "AS"]
    assert _heads(at) == [continent_name("EU", lang), continent_name("AS", lang)]
    # share, LQ and policies: one figure per row (a panel per region); the difference view
    assert len(at.get("plotly_chart")) == 3 + 1
    assert _titles(at)[:6] == [continent_name(c, lang) for c in ("EU", "AS")] * 3
    maps = _maps(at)
    assert len(maps) == 2
    # each map image says what it shows: the region, its named clusters, the first countries
    assert maps[0].startswith(
        t("compare.map.alt", lang, name=continent_name("EU", lang), n=55, countries="")
    )
    assert t("compare.map.country_n", lang, name=country_name("DEU", lang), n=11) in maps[0]
    assert not at.get("deck_gl_json_chart")  # no WebGL map on this page
    # the comparison table: a static table (no data grid), one column per region
    assert not at.dataframe and len(at.table) == 1
    assert at.table[0].value.shape[1] == 2 + 2
    assert _param(at, "regions") is None and _param(at, "group") is None
    assert not at.warning
    metrics = [(m.label, m.value) for m in at.metric]
    assert (t("compare.metric.published", lang), "55") in metrics
    assert (t("compare.metric.named", lang), "19") in metrics
    reading = cmp.difference_reading(
        cmp.share_gap(*_eu_as()), continent_name("EU", lang), continent_name("AS", lang), lang
    )
    assert f"**{escape_md(reading)}**" in [m.value for m in at.markdown]
    assert len(at.get("download_button")) == 2  # the difference and the comparison table


def _eu_as() -> list[cmp.RegionCounts]:
    bundle = load_bundle()
    return [
        cmp.region_counts(
            cmp.resolve(c, ()),
            bundle.clusters,
            source_matrices(bundle.sector_continent, bundle.clusters),
        )
        for c in ("EU", "AS")
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_url_restores_regions_and_groups(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, regions="EU,DACH,JPN", group="DACH:DEU+AUT+CHE")
    assert not at.exception, at.exception
    assert _slots(at) == ["EU", "DACH", "JPN"]
    assert _heads(at) == [continent_name("EU", lang), "DACH", country_name("JPN", lang)]
    assert _param(at, "regions") == "EU,DACH,JPN"
    assert _param(at, "group") == "DACH:DEU+AUT+CHE"
    assert not at.warning
    members = ", " if lang == "en" else "、"
    dach = members.join(country_name(c, lang) for c in ("DEU", "AUT", "CHE"))
    assert any(dach in c.value.replace("\\", "") for c in at.caption)
    assert len(_maps(at)) == 3
    named = [m.value for m in at.metric if m.label == t("compare.metric.named", lang)]
    assert named == ["55", "15", "3"]
    titles = _titles(at)
    assert titles[:3] == [continent_name("EU", lang), "DACH", country_name("JPN", lang)]


def test_a_group_alone_joins_the_default_pair(make_app) -> None:
    at = make_app(PAGE, lang="en", group="DACH:DEU+AUT+CHE")
    assert not at.exception
    assert _slots(at) == ["EU", "AS", "DACH"]
    assert _param(at, "regions") == "EU,AS,DACH"


@pytest.mark.parametrize("lang", LANGS)
def test_swapping_one_region_keeps_the_others(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, regions="EU,AS,USA")
    at.selectbox(key="cmp_slot_1").set_value("KOR").run()
    assert not at.exception
    assert _slots(at) == ["EU", "KOR", "USA"]
    assert _param(at, "regions") == "EU,KOR,USA"
    assert _heads(at) == [
        continent_name("EU", lang),
        country_name("KOR", lang),
        country_name("USA", lang),
    ]
    # Picking a region another column shows swaps the two columns.
    at.selectbox(key="cmp_slot_0").set_value("USA").run()
    assert _slots(at) == ["USA", "KOR", "EU"]
    assert _param(at, "regions") == "USA,KOR,EU"


def test_swapping_keeps_groups(make_app) -> None:
    at = make_app(PAGE, lang="en", regions="DACH,AS", group="DACH:DEU+AUT+CHE")
    at.selectbox(key="cmp_slot_1").set_value("NA").run()
    assert _slots(at) == ["DACH", "NA"]
    assert _param(at, "group") == "DACH:DEU+AUT+CHE"
    at.selectbox(key="cmp_slot_0").set_value("SA").run()
    assert _slots(at) == ["SA", "NA"]
    assert _param(at, "group") is None  # an unused group leaves the URL …
    option = t("compare.option.group", "en", name="DACH")
    assert option in at.selectbox(key="cmp_slot_0").options  # … but stays a choice


def test_add_remove_and_the_four_region_limit(make_app) -> None:
    at = make_app(PAGE, lang="en")
    at.selectbox(key="cmp_add").set_value("NA").run()
    assert _slots(at) == ["EU", "AS", "NA"]
    at.selectbox(key="cmp_add").set_value("DEU").run()
    assert _slots(at) == ["EU", "AS", "NA", "DEU"]
    assert at.selectbox(key="cmp_add").disabled
    assert len(_maps(at)) == 4
    at.button(key="cmp_remove_1").click().run()
    assert _slots(at) == ["EU", "NA", "DEU"]
    assert _param(at, "regions") == "EU,NA,DEU"
    at.button(key="cmp_remove_0").click().run()
    assert _slots(at) == ["NA", "DEU"]
    assert not [b for b in at.button if b.key and b.key.startswith("cmp_remove_")]


def test_one_click_adds_a_similar_country(make_app) -> None:
    at = make_app(PAGE, lang="en")
    bundle = load_bundle()
    eu = _eu_as()[0]
    best = cmp.similar_countries(eu.shares, bundle.clusters)["country"].tolist()
    keys = [b.key for b in at.button if b.key and b.key.startswith("cmp_similar_")]
    assert keys == [f"cmp_similar_{c}" for c in best]
    at.button(key=f"cmp_similar_{best[0]}").click().run()
    assert _slots(at) == ["EU", "AS", best[0]]
    assert f"cmp_similar_{best[0]}" not in [b.key for b in at.button]


def test_similar_to_a_group_leaves_out_its_members(make_app) -> None:
    at = make_app(PAGE, lang="en", regions="DACH,AS", group="DACH:DEU+AUT+CHE")
    keys = {b.key for b in at.button if b.key and b.key.startswith("cmp_similar_")}
    assert keys and not keys & {"cmp_similar_DEU", "cmp_similar_CHE"}


@pytest.mark.parametrize("lang", LANGS)
def test_malformed_groups_are_rejected_with_a_notice(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, regions="EU,DACH", group="DACH:DEU+XXX")
    assert not at.exception
    notice = _warnings(at)
    # The user's text, literally (a code span), and the offending code.
    assert "`DACH:DEU+XXX`" in notice and "`XXX`" in notice
    assert _slots(at) == ["EU", "AS"]
    assert _param(at, "group") is None and _param(at, "regions") is None
    # The notice goes away with the next change.
    at.selectbox(key="cmp_slot_1").set_value("NA").run()
    assert not at.warning


@pytest.mark.parametrize(
    "group",
    [
        "[x](javascript:alert(1)):DEU+FRA",
        "<img src=x onerror=alert(1)>:DEU+FRA",
        "$$\\frac{1}{2}$$:DEU+FRA",
        "www.evil.example:DEU+FRA",
        "A" * 300,
        "EU:DEU+FRA",
        "X:DEU;;;Y:" + "Z" * 50,
    ],
)
def test_hostile_groups_never_raise_and_are_shown_short(make_app, group: str) -> None:
    at = make_app(PAGE, lang="en", group=group)
    assert not at.exception
    notice = _warnings(at)
    assert notice
    for line in notice.splitlines():
        spans = re.findall(r"(`+)(.+?)\1", line)
        assert spans, line
        assert all(len(body.strip()) <= cmp.NOTICE_CHARS for _, body in spans)
        outside = re.sub(r"(`+)(.+?)\1", "", line)
        assert "](" not in outside and "<" not in outside and "$" not in outside
    assert _slots(at) == ["EU", "AS"]


def test_a_group_defined_in_the_form(make_app) -> None:
    at = _open_group_form(make_app(PAGE, lang="en"))
    at.text_input(key="cmp_group_name").input("Nordics")
    at.multiselect(key="cmp_group_members").set_value(["SWE", "DNK", "NOR", "FIN"])
    at.button(key="cmp_group_add").click().run()
    assert not at.exception
    assert _slots(at) == ["EU", "AS", "Nordics"]
    assert _param(at, "group") == "Nordics:SWE+DNK+NOR+FIN"
    assert at.text_input(key="cmp_group_name").value == ""
    named = [m.value for m in at.metric if m.label == t("compare.metric.named", "en")]
    assert named[-1] == "11"  # Sweden 7, Denmark 3, Norway 1, Finland 0


@pytest.mark.parametrize(
    ("name", "members", "reason"),
    [("DEU", ["FRA", "ITA"], "name_code"), ("Solo", ["FRA"], "member_count"), ("", [], "syntax")],
)
def test_a_bad_group_in_the_form_is_explained(
    make_app, name: str, members: list, reason: str
) -> None:
    at = _open_group_form(make_app(PAGE, lang="zh"))
    at.text_input(key="cmp_group_name").input(name)
    at.multiselect(key="cmp_group_members").set_value(members)
    at.button(key="cmp_group_add").click().run()
    assert not at.exception
    assert _slots(at) == ["EU", "AS"]
    problem = cmp.Problem("group", reason, name, name if reason == "name_code" else "")
    if reason == "member_count":
        problem = cmp.Problem("group", reason, name, "1")
    assert cmp.problem_text(problem, "zh") in _warnings(at)


def test_region_without_clusters_gets_messages_not_empty_charts(make_app) -> None:
    at = make_app(PAGE, lang="en", regions="AUT,OC")
    assert not at.exception
    info = "\n".join(i.value for i in at.info)
    name = country_name("AUT", "en")
    assert t("compare.no_clusters", "en", name=name) in info  # industries, map
    # Austria: no share, LQ or map, but EU policies; Oceania: share, LQ and map, no policies.
    # The row figures say so in the empty panel; no difference chart: Austria has no sector
    # mix to compare.
    assert len(_maps(at)) == 1
    oc = continent_name("OC", "en")
    assert _titles(at) == [name, oc] * 3
    panels = _annotations(at).replace("<br>", " ")
    assert panels.count(t("compare.no_clusters", "en", name=name)) == 2  # share, LQ
    assert t("compare.policies.none", "en", name=oc) in panels
    share, lq, policies = _charts(at)
    assert {d["xaxis"] for d in share["data"]} == {"x2"}  # Oceania's panel only
    assert {d["xaxis"] for d in policies["data"]} == {"x"}  # Austria's panel only
    assert escape_md(t("compare.reading.empty", "en", a=name, b=oc)) in "\n".join(
        m.value for m in at.markdown
    )
    # EU policies still apply to Austria.
    assert any("European Union" in c.value for c in at.caption)


@pytest.mark.parametrize("lang", LANGS)
def test_links_to_map_heatmap_and_policies(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, regions="EU,DACH", group="DACH:DEU+AUT+CHE")
    links = [(x.proto.page, x.proto.query_string) for x in at.get("page_link")]
    assert ("map", f"continent=EU&lang={lang}") in links
    assert ("map", f"country=DEU%2CCHE&lang={lang}") in links  # Austria has no named cluster
    assert ("heatmap", f"hm_continent=EU&measure=lq&lang={lang}") in links
    has_policies = any(spec.url_path == "policies" for spec in PAGES)
    assert any(page == "policies" for page, _ in links) == has_policies


def test_charts_of_a_row_share_their_scale(make_app) -> None:
    at = make_app(PAGE, lang="en", regions="EU,AS,KOR,DEU")
    charts = _charts(at)
    axes = ("xaxis", "xaxis2", "xaxis3", "xaxis4")
    for row in charts[:3]:  # share, LQ, policies: one figure, four panels, one scale
        layout = row["layout"]
        assert len({tuple(layout[a]["range"]) for a in axes}) == 1
        # the panels sit side by side, left to right, without overlapping
        spans = [layout[a]["domain"] for a in axes]
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))
        assert _panel_titles(row) == [
            continent_name("EU", "en"),
            continent_name("AS", "en"),
            country_name("KOR", "en"),
            country_name("DEU", "en"),
        ]
    # one legend entry per period, not one per panel
    legend = [d["name"] for d in charts[2]["data"] if d.get("showlegend", True)]
    assert len(legend) == len(set(legend)) == 2
    assert len(charts) == 4  # and one difference chart: it compares the first two columns
    assert t("compare.diff.first_two", "en") in [c.value for c in at.caption]
