"""Heatmaps page through AppTest: URL state drives measure, source, cell and country filter."""

from __future__ import annotations

import json

import pytest

from components.captions import cluster_list_source
from components.data import load_bundle
from components.i18n import LANGS, continent_name, country_name, sector_name, t
from components.matrices import cell_clusters

PAGE = "pages/heatmap.py"


def _spec(at, i: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def _z(at) -> list:
    return _spec(at)["data"][0]["z"]


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.subheader]
    parts += [e.value for e in at.header]
    return "\n".join(str(p) for p in parts)


def _links(at) -> list:
    return list(at.get("page_link"))


def _param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def _toasts(at) -> str:
    return "\n".join(str(x.proto.body) for x in at.toast).replace("\\", "")  # markdown-escaped


@pytest.mark.parametrize("lang", LANGS)
def test_page_runs_in_both_languages(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t("heatmap.title", lang)
    assert len(at.get("plotly_chart")) == 2
    main = _spec(at)["data"][0]
    assert main["x"] == [continent_name(c, lang) for c in ("NA", "EU", "AS", "OC", "SA")]
    text = _texts(at)
    assert t("heatmap.explain.count", lang) in text
    assert t("heatmap.cell.prompt", lang) in text
    assert len(at.get("download_button")) == 2


def test_switching_measure_and_source_changes_the_figure(make_app) -> None:
    at = make_app(PAGE, lang="en")
    z_count = _z(at)
    assert sum(v for row in z_count for v in row) == 150
    at.radio(key="url_measure").set_value("share_continent").run()
    assert not at.exception
    z_share = _z(at)
    assert z_share != z_count
    assert all(abs(sum(col) - 1) < 1e-6 for col in zip(*z_share, strict=True))
    assert _param(at, "measure") == "share_continent"
    at.radio(key="url_source").set_value("named").run()
    assert _z(at) != z_share
    named = cluster_list_source(load_bundle().clusters, "en")
    assert t("source.computed_from", "en", what=named) in _texts(at)
    assert "1–104" in named and "table 2-10" in named
    at.radio(key="url_source").set_value("difference").run()
    assert sum(v for row in _z(at) for v in row) == 36
    assert at.radio(key="url_measure").disabled
    assert t("heatmap.explain.difference", "en") in _texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_url_sets_measure_and_source(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, measure="lq", source="named")
    assert not at.exception
    assert at.radio(key="url_measure").value == "lq"
    assert at.radio(key="url_source").value == "named"
    title = _spec(at)["layout"]["title"]
    assert t("heatmap.measure.lq", lang) in title["text"]
    assert t("heatmap.source.named_n", lang, n=114) in title["subtitle"]["text"]
    assert t("heatmap.explain.lq", lang) in _texts(at)


@pytest.mark.parametrize("lang", LANGS)
def test_cell_param_lists_the_named_clusters(make_app, lang: str) -> None:
    at = make_app(PAGE, lang=lang, cell="consumer.EU")
    assert not at.exception
    members = cell_clusters(load_bundle().clusters, "consumer", "EU")
    links = _links(at)
    assert len(links) == len(members) == 9
    queries = {link.proto.query_string for link in links}
    for cid in members["cluster_id"]:
        assert f"cluster={cid}&lang={lang}" in queries
    assert all(link.proto.page == "map" for link in links)
    heading = t(
        "heatmap.cell.heading",
        lang,
        sector=sector_name("consumer", lang),
        continent=continent_name("EU", lang),
    )
    assert heading in _texts(at)
    assert _param(at, "cell") == "consumer.EU"
    shapes = _spec(at)["layout"]["shapes"]
    assert any(s["type"] == "rect" for s in shapes)


def test_cell_with_unnamed_clusters_says_how_many(make_app) -> None:
    at = make_app(PAGE, lang="en", cell="electronics.AS", source="difference")
    assert not at.exception
    text = _texts(at)
    assert t("heatmap.cell.unnamed", "en", n=10) in text
    assert t("heatmap.cell.counts", "en", published=16, named=6, unnamed=10) in text
    assert len(_links(at)) == 6


def test_empty_cell_says_so(make_app) -> None:
    at = make_app(PAGE, lang="zh", cell="nev.OC")
    assert not at.exception
    assert t("heatmap.cell.none", "zh") in _texts(at)
    assert not _links(at)


def test_clear_selection(make_app) -> None:
    at = make_app(PAGE, lang="en", cell="consumer.EU")
    at.button(key="hm_clear").click().run()
    assert not at.exception
    assert not _links(at)
    assert _param(at, "cell") is None
    assert t("heatmap.cell.prompt", "en") in _texts(at)


def test_a_rerun_carrying_the_old_url_does_not_undo_a_new_cell(make_app) -> None:
    """A rerun the browser asks for before our last URL write reached it (a widget event right
    after a click, on a loaded server) carries the old ``?cell=``: the new cell stays."""
    at = make_app(PAGE, lang="en", cell="consumer.EU")
    at.selectbox(key="hm_cell_pick").set_value("nev.NA").run()
    assert _param(at, "cell") == "nev.NA"
    at.query_params["cell"] = "consumer.EU"  # the browser's copy from before the write
    at.run()
    assert not at.exception
    assert _param(at, "cell") == "nev.NA"
    heading = t(
        "heatmap.cell.heading",
        "en",
        sector=sector_name("nev", "en"),
        continent=continent_name("NA", "en"),
    )
    assert heading in _texts(at)


def test_continent_filter_narrows_the_country_heatmap(make_app) -> None:
    at = make_app(PAGE, lang="en", hm_continent="AS")
    assert not at.exception
    clusters = load_bundle().clusters
    asian = set(clusters.loc[clusters["continent"] == "AS", "country"])
    y = _spec(at, 1)["data"][0]["y"]
    assert set(y) == {country_name(c, "en") for c in asian}
    at.multiselect(key="url_hm_continent").set_value(["OC", "SA"]).run()
    y = _spec(at, 1)["data"][0]["y"]
    assert "New Zealand" in y and "Brazil" in y and "South Korea" not in y
    assert _param(at, "hm_continent") == "OC,SA"


def test_bad_params_are_noticed_not_raised(make_app) -> None:
    at = make_app(
        PAGE,
        lang="en",
        cell="consumer.XX",
        measure="median",
        source="rumour",
        hm_continent="AS,ZZ",
    )
    assert not at.exception
    toasts = _toasts(at)
    for bad in ("cell=consumer.XX", "measure=median", "source=rumour", "hm_continent=ZZ"):
        assert bad in toasts
    assert at.radio(key="url_measure").value == "count"
    assert at.radio(key="url_source").value == "published"
    assert not _links(at)
    assert _param(at, "cell") is None
    assert sum(v for row in _z(at) for v in row) == 150


@pytest.mark.parametrize("raw", ["", ".", "consumer.", "<b>x</b>.EU", "nev.AS.AS"])
def test_malformed_cell_never_raises(make_app, raw: str) -> None:
    at = make_app(PAGE, lang="zh", cell=raw)
    assert not at.exception
    assert not _links(at)
