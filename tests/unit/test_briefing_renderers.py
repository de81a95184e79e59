"""Slide renderers of the policies, compare and trends pages: each rebuilds the page's figure and
source line from the slide's parameters, and their slides survive a briefing file."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from components import briefing as bf
from components import policies as pc
from components import policy_charts as pch
from components.captions import source_line
from components.data import load_bundle
from components.i18n import LANGS, join_list, t


@pytest.fixture(scope="module")
def bundle():
    return load_bundle("data")


POLICY_TIMELINE = {"jurisdiction": "USA,DEU", "theme": "cluster", "q": "cluster"}


def _timeline_source(bundle, lang: str) -> str:
    years = pc.year_source_counts(bundle.policies)
    parts = [source_line(lang, ["table 6-2"]), t("policies.source_years", lang, **years)]
    return join_list(parts, lang, "clause")


@pytest.mark.parametrize("lang", LANGS)
def test_policy_timeline_is_the_pages_figure(bundle, lang: str) -> None:
    view = bf.render(bf.make_slide("policies", "pol_timeline", POLICY_TIMELINE), bundle, lang)
    assert view.kind == "chart" and view.fig.data
    assert view.source == _timeline_source(bundle, lang)
    shown = pc.filter_policies(
        bundle.policies, pc.PolicyFilters(("DEU", "USA"), ("cluster",), (), "cluster")
    )
    expected = pch.build_timeline(
        bundle.policies, shown, ("DEU", "USA"), lang, chosen_themes=("cluster",)
    )
    assert view.fig.to_plotly_json() == expected.to_plotly_json()


@pytest.mark.parametrize("lang", LANGS)
def test_policy_theme_chart_is_the_pages_figure(bundle, lang: str) -> None:
    view = bf.render(bf.make_slide("policies", "pol_theme_chart", {}), bundle, lang)
    counts = pc.theme_period_counts(bundle.policies)
    assert view.fig.to_plotly_json() == pch.build_theme_chart(counts, lang).to_plotly_json()
    assert view.source == source_line(
        lang, ["table 6-2"], computed_from=t("policies.theme.computed_from", lang)
    )


NEW_SLIDES = [
    ("policies", "pol_timeline", POLICY_TIMELINE),
    ("policies", "pol_theme_chart", {"jurisdiction": "CHN"}),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("page", "view", "params"), NEW_SLIDES)
def test_new_renderers_draw_in_both_languages(bundle, lang, page, view, params) -> None:
    out = bf.render(bf.make_slide(page, view, params), bundle, lang)
    assert out.kind == "chart" and isinstance(out.fig, go.Figure) and out.fig.data
    assert out.title and out.source


def test_slides_survive_a_briefing_file(bundle) -> None:
    b = bf.Briefing(name="x")
    for page, view, params in NEW_SLIDES:
        b = bf.add(b, bf.make_slide(page, view, params))
    again, skipped = bf.read_briefing(bf.to_json(b), bundle)
    assert skipped == []
    assert [s.target for s in again.slides] == [s.target for s in b.slides]


HOSTILE = [
    ("policies", "pol_timeline", {"jurisdiction": "XXX"}),
    ("policies", "pol_timeline", {"policy": "../../etc/passwd"}),
    ("policies", "pol_timeline", {"period": "1900-1901"}),
    ("policies", "pol_timeline", {"theme": "<script>"}),
    ("policies", "pol_timeline", {"q": "a\x00b"}),
    ("policies", "pol_timeline", {"jurisdiction": ["USA"]}),
    ("policies", "pol_theme_chart", {"theme": "cluster"}),
]


@pytest.mark.parametrize(("page", "view", "params"), HOSTILE)
def test_hostile_params_are_rejected(bundle, page, view, params) -> None:
    doc = {
        "format": bf.FORMAT,
        "version": bf.VERSION,
        "name": "",
        "slides": [{"page": page, "view": view, "params": params, "title": "", "notes": ""}],
    }
    with pytest.raises(bf.BriefingError) as err:
        bf.read_briefing(json.dumps(doc).encode(), bundle)
    assert err.value.code == "bad_param"
    # Rendering directly drops them too.
    assert bf.clean_params(bf.renderer_for(page, view), params, bundle) == {}


# --- trends: views keyed per trend (and per chart) ------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_trend_policy_timeline_is_the_pages_figure(bundle, lang: str) -> None:
    from components import trends as tr
    from components.i18n import punct

    view = bf.render(bf.make_slide("trends", "trend_3_policies", {"trend": "3"}), bundle, lang)
    policies = tr.trend_policies(bundle, 3)
    expected = tr.build_policy_timeline(policies, lang, order=bundle.policies["jurisdiction"])
    assert view.kind == "chart" and view.fig.data
    assert view.fig.to_plotly_json() == expected.to_plotly_json()
    assert view.source == (
        source_line(lang, ["table 6-2"])
        + punct("clause", lang)
        + t("trends.policies.years_note", lang)
    )


@pytest.mark.parametrize("lang", LANGS)
def test_trend_fact_chart_is_the_pages_figure(bundle, lang: str) -> None:
    from components import trends as tr

    view = bf.render(bf.make_slide("trends", "trend2_related_chart_0", {}), bundle, lang)
    facts = tr.related_facts(bundle, 2).drop(columns="matched")
    group = next(g for g in tr.fact_groups(facts) if g.chart != "card")
    assert view.kind == "chart" and view.fig.data
    assert view.fig.to_plotly_json() == tr.build_fact_figure(group, lang).to_plotly_json()
    assert view.source == source_line(lang, sorted(set(group.facts["source_ref"])))


def test_trend_views_without_a_chart_are_missing_not_errors(bundle) -> None:
    for view in ("trend_8_policies", "trend1_chart_5", "trend99_chart_0", "trend_42_policies"):
        assert bf.render(bf.make_slide("trends", view, {}), bundle, "en").kind == "missing"
    # Ids outside the pattern have no renderer at all.
    for view in ("trend1_chart_999", "trend_1_policies_x", "trend0_chart_0", "trend_01_policies"):
        assert bf.renderer_for("trends", view) is None


def test_trend_slides_survive_a_briefing_file(bundle) -> None:
    b = bf.Briefing()
    for view, params in (("trend_1_policies", {}), ("trend2_related_chart_0", {"trend": "2"})):
        b = bf.add(b, bf.make_slide("trends", view, params))
    again, skipped = bf.read_briefing(bf.to_json(b), bundle)
    assert skipped == [] and [s.target for s in again.slides] == [s.target for s in b.slides]


@pytest.mark.parametrize("params", [{"trend": "99"}, {"trend": "1; drop"}, {"q": "x"}])
def test_trend_hostile_params_are_rejected(bundle, params) -> None:
    doc = {
        "format": bf.FORMAT,
        "version": bf.VERSION,
        "name": "",
        "slides": [
            {
                "page": "trends",
                "view": "trend_1_policies",
                "params": params,
                "title": "",
                "notes": "",
            }
        ],
    }
    with pytest.raises(bf.BriefingError) as err:
        bf.read_briefing(json.dumps(doc).encode(), bundle)
    assert err.value.code == "bad_param"


# --- compare: a chart per column, and the difference of the first two ----------------------------

GROUPED = {"regions": "EU,DACH,USA", "group": "DACH:DEU+AUT+CHE"}


def _counts(bundle, params):
    from components import compare as cmp
    from components.matrices import source_matrices

    sel = cmp.parse_selection(params.get("regions"), [params["group"]] if "group" in params else [])
    regions = [cmp.resolve(tok, sel.groups) for tok in sel.regions]
    mats = source_matrices(bundle.sector_continent, bundle.clusters)
    return [cmp.region_counts(r, bundle.clusters, mats) for r in regions]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", ["cmp_share_1", "cmp_lq_1", "cmp_policies_2", "cmp_difference"])
def test_compare_views_are_the_pages_figures(bundle, lang: str, view: str) -> None:
    from components import compare as cmp
    from components import compare_charts as cc

    out = bf.render(bf.make_slide("compare", view, GROUPED), bundle, lang)
    assert out.kind == "chart" and isinstance(out.fig, go.Figure) and out.fig.data
    counts = _counts(bundle, GROUPED)
    dach = counts[1]
    if view == "cmp_share_1":
        name = cmp.region_name(dach.region, lang)
        sub = t(f"compare.basis_n.{dach.basis}", lang, n=dach.total)
        expected = cc.build_share_chart(
            dach, name, sub, lang, x_max=cmp.common_share_max(counts), n_regions=3
        )
        assert out.fig.to_plotly_json() == expected.to_plotly_json()
    if view in ("cmp_share_1", "cmp_lq_1"):
        assert out.source == cc.basis_source([dach.basis], bundle.clusters, lang)
    if view == "cmp_policies_2":
        assert out.source == source_line(lang, ["table 6-2"])
    if view == "cmp_difference":
        assert out.source == cc.basis_source([counts[0].basis, dach.basis], bundle.clusters, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("key", ["share", "lq", "policies"])
def test_compare_rows_are_the_pages_figures(bundle, lang: str, key: str) -> None:
    from components import compare as cmp
    from components.compare_view import compare_view

    out = bf.render(bf.make_slide("compare", f"cmp_{key}", GROUPED), bundle, lang)
    assert out.kind == "chart" and out.fig.data
    sel = cmp.parse_selection(GROUPED["regions"], [GROUPED["group"]])
    page = compare_view(bundle, sel.regions, sel.groups, lang)
    attr = {"share": "share_fig", "lq": "lq_fig", "policies": "policy_fig"}[key]
    assert out.fig.to_plotly_json() == getattr(page, attr).to_plotly_json()
    expected = source_line(lang, ["table 6-2"]) if key == "policies" else page.basis_source
    assert out.source == expected


def test_compare_default_regions_and_missing_columns(bundle) -> None:
    assert bf.render(bf.make_slide("compare", "cmp_lq_0", {}), bundle, "en").kind == "chart"
    # Two regions by default: no third column.
    assert bf.render(bf.make_slide("compare", "cmp_share_2", {}), bundle, "en").kind == "missing"
    assert bf.renderer_for("compare", "cmp_share_12") is None
    assert bf.renderer_for("compare", "cmp_map_0") is None


def test_compare_slides_survive_a_briefing_file(bundle) -> None:
    b = bf.Briefing()
    for view in ("cmp_share_1", "cmp_policies_0", "cmp_difference"):
        b = bf.add(b, bf.make_slide("compare", view, GROUPED))
    again, skipped = bf.read_briefing(bf.to_json(b), bundle)
    assert skipped == [] and [s.target for s in again.slides] == [s.target for s in b.slides]


@pytest.mark.parametrize(
    "params",
    [
        {"regions": "EU"},
        {"regions": "EU,EU"},
        {"regions": "EU,AS,NA,SA,OC"},
        {"regions": "EU,<script>"},
        {"regions": "EU," + "x" * 2000},
        {"group": "DACH:DEU"},
        {"group": "DACH:DEU+XXX"},
        {"group": "EU:DEU+FRA"},
        {"group": "<b>:DEU+FRA"},
        {"regions": 3},
    ],
)
def test_compare_hostile_params_are_rejected(bundle, params) -> None:
    doc = {
        "format": bf.FORMAT,
        "version": bf.VERSION,
        "name": "",
        "slides": [
            {
                "page": "compare",
                "view": "cmp_difference",
                "params": params,
                "title": "",
                "notes": "",
            }
        ],
    }
    with pytest.raises(bf.BriefingError) as err:
        bf.read_briefing(json.dumps(doc).encode(), bundle)
    assert err.value.code == "bad_param"
