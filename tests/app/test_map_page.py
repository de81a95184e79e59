"""The map page through AppTest: URL state, filters, search, profile, table, bad input."""

from __future__ import annotations

import json

import pytest

from components import map_view as mv
from components.cached import get_bundle
from components.i18n import t
from components.matrices import reconciliation
from components.safe import escape_md

MAP = "pages/map.py"
BASEL = "basel-health-valley"


def _layer(at, layer_id: str) -> list[dict]:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    (layer,) = [x for x in spec["layers"] if mv.is_cluster_layer(x["id"], layer_id)]
    return layer["data"]


def _points(at) -> list[dict]:
    return _layer(at, mv.LAYER_CLUSTERS)


def _html(at) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def _param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.fixture(scope="module")
def bundle():
    return get_bundle()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_shows_every_named_cluster(make_app, bundle, lang: str) -> None:
    at = make_app(MAP, lang=lang)
    assert not at.exception
    points = _points(at)
    assert len(points) == len(bundle.clusters)
    assert {p["cluster_id"] for p in points} == set(bundle.clusters["cluster_id"])
    total = len(bundle.clusters)
    assert t("map.count", lang, shown=total, total=total) in _texts(at)
    assert _layer(at, mv.LAYER_SELECTED) == []
    assert t("map.click_hint", lang) in _texts(at)
    deck = at.get("deck_gl_json_chart")[0].proto
    assert json.loads(deck.json)["mapStyle"] == "__MAP_STYLE__"  # no basemap, no tiles
    assert "http" not in deck.json


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_honesty_note_and_source_are_computed(make_app, bundle, lang: str) -> None:
    at = make_app(MAP, lang=lang)
    captions = "\n".join(c.value for c in at.caption)
    rec = reconciliation(bundle)
    notes = mv.unnamed_notes(rec, lang)
    assert notes, "the dataset names every cluster? then the note is not needed"
    for note in notes:
        assert escape_md(note) in captions
    # The numbers in the notes are the dataset's: the total of unnamed clusters appears.
    total = int(rec.loc[rec["unnamed"] > 0, "unnamed"].sum())
    assert f"{total} " in " ".join(notes)
    assert t("source.prefix", lang) in captions and "Natural Earth" in captions


def test_url_filters_change_the_deck(make_app, bundle) -> None:
    at = make_app(MAP, lang="en", sector="biomed", continent="EU")
    assert not at.exception
    points = _points(at)
    clusters = bundle.clusters.set_index("cluster_id")
    expected = bundle.clusters.query("sector == 'biomed' and continent == 'EU'")
    assert {p["cluster_id"] for p in points} == set(expected["cluster_id"])
    assert all(clusters.loc[p["cluster_id"], "sector"] == "biomed" for p in points)
    colour = mv.sector_rgba("biomed")
    assert all(colour in (p["color"], p["line"]) for p in points)  # hollow: country only
    shown = len(expected)
    assert t("map.count", "en", shown=shown, total=len(bundle.clusters)) in _texts(at)


def test_widget_filters_change_the_deck_and_url(make_app, bundle) -> None:
    at = make_app(MAP)
    at.multiselect(key="url_sector").set_value(["nev"]).run()
    assert not at.exception
    ids = {p["cluster_id"] for p in _points(at)}
    assert ids == set(bundle.clusters.query("sector == 'nev'")["cluster_id"])
    assert _param(at, "sector") == "nev"
    at.multiselect(key="url_country").set_value(["DEU"]).run()
    ids = {p["cluster_id"] for p in _points(at)}
    assert ids == set(bundle.clusters.query("sector == 'nev' and country == 'DEU'")["cluster_id"])
    assert _param(at, "country") == "DEU"
    # The initial view follows the filtered clusters: Germany is well zoomed in.
    view = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    assert view["zoom"] > 3 and 45 < view["latitude"] < 56


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_basel_narrows_to_it(make_app, lang: str) -> None:
    at = make_app(MAP, lang=lang)
    at.text_input(key="url_q").input("  Basel ").run()
    assert not at.exception
    assert [p["cluster_id"] for p in _points(at)] == [BASEL]
    assert _param(at, "q") == "  Basel "
    view = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    assert view["latitude"] == pytest.approx(47.56, abs=0.01)
    assert view["longitude"] == pytest.approx(7.59, abs=0.01)


def test_search_from_url_matches_organisations(make_app) -> None:
    at = make_app(MAP, q="罗氏")
    assert [p["cluster_id"] for p in _points(at)] == [BASEL]
    at = make_app(MAP, q="no such cluster anywhere")
    assert _points(at) == []
    assert t("map.none", "zh") in _texts(at)
    assert not at.exception


@pytest.mark.parametrize(
    ("lang", "names"),
    [("zh", ["诺华", "罗氏", "巴塞尔健康谷生命科学中心"]), ("en", ["Novartis", "Roche"])],
)
def test_cluster_link_opens_profile(make_app, lang: str, names: list[str]) -> None:
    at = make_app(MAP, lang=lang, cluster=BASEL)
    assert not at.exception
    html = _html(at)
    for name in names:
        assert name in html
    assert "Basel Health Valley Life Sciences Centre" in html and "巴塞尔健康谷生命科学中心" in html
    assert t("map.role.lead_enterprise", lang) in html
    assert t("map.profile.policies", lang) in html
    assert ("报告附表第 78 行" if lang == "zh" else "report annex, row 78") in html
    # The place in the reader's language (a cell of its own: the names contain it too).
    place = {"zh": "巴塞尔", "en": "Basel"}
    assert f">{place[lang]}</td>" in html
    assert f">{place['en' if lang == 'zh' else 'zh']}</td>" not in html
    ring = _layer(at, mv.LAYER_SELECTED)
    assert len(ring) == 1 and ring[0]["y"] == pytest.approx(47.56, abs=0.01)
    assert at.selectbox(key="map_pick").value == BASEL
    assert _param(at, "cluster") == BASEL
    near = [b for b in at.button if b.key and b.key.startswith("map_near_")]
    assert len(near) == 5


def test_profile_navigation_pick_nearby_close(make_app) -> None:
    at = make_app(MAP, lang="en")
    at.selectbox(key="map_pick").set_value(BASEL).run()
    assert not at.exception
    assert _param(at, "cluster") == BASEL and "Novartis" in _html(at)
    near = [b for b in at.button if b.key and b.key.startswith("map_near_")]
    target = near[0].key.removeprefix("map_near_")
    near[0].click().run()
    assert _param(at, "cluster") == target
    assert at.selectbox(key="map_pick").value == target
    at.button(key="map_close").click().run()
    assert not at.exception
    assert _param(at, "cluster") is None
    assert "Novartis" not in _html(at) and _layer(at, mv.LAYER_SELECTED) == []


def test_profile_outside_filters_still_opens(make_app) -> None:
    at = make_app(MAP, lang="en", cluster=BASEL, sector="nev")
    assert not at.exception
    assert "Novartis" in _html(at)
    assert t("map.outside_filter", "en") in _texts(at)


@pytest.mark.parametrize("bad", ["<script>alert(1)</script>", "no-such-cluster", "BASEL"])
def test_bad_cluster_param_is_noticed(make_app, bad: str) -> None:
    at = make_app(MAP, cluster=bad)
    assert not at.exception
    assert any("cluster" in x.value for x in at.toast)
    assert at.warning and "<script>" not in at.warning[0].value
    assert _param(at, "cluster") is None
    assert t("map.click_hint", "zh") in _texts(at)
    assert "<script>" not in _html(at)


def test_bad_filter_params_are_noticed(make_app, bundle) -> None:
    at = make_app(MAP, lang="en", sector="biomed,<img src=x>", continent="XX", q="a\x00b")
    assert not at.exception
    toasts = " ".join(x.value for x in at.toast)
    assert "sector" in toasts and "continent" in toasts
    assert _param(at, "sector") == "biomed" and _param(at, "continent") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_matches_map_and_downloads(make_app, bundle, lang: str) -> None:
    at = make_app(MAP, lang=lang, sector="biomed")
    assert not at.exception
    # The table is built only when its tab is open (no data grid sent with the map).
    assert not at.dataframe and not at.get("download_button")
    at = make_app(MAP, lang=lang, sector="biomed", tab="table")  # a link to the table
    assert not at.exception
    frame = at.dataframe[0].value
    assert len(frame) == len(_points(at))
    assert t("map.col.name_zh", lang) in frame.columns
    assert t("map.col.lead_industry", lang) in frame.columns
    assert set(frame[t("map.col.sector", lang)]) == {t("sector.biomed", lang)}
    # The place column in the reader's language: place_zh in Chinese ("慕尼黑，巴伐利亚州").
    shown = bundle.clusters.set_index("cluster_id").loc[frame[t("map.col.cluster_id", lang)]]
    assert frame[t("map.col.place", lang)].tolist() == shown[f"place_{lang}"].tolist()
    assert {"zh": "慕尼黑，巴伐利亚州", "en": "Munich, Bavaria"}[lang] in set(
        frame[t("map.col.place", lang)]
    )
    assert at.get("download_button"), "no CSV download"


def test_the_open_tab_survives_the_language_switch(make_app) -> None:
    """Streamlit keeps the open tab by its label; the labels change with the language."""
    at = make_app(MAP, lang="zh", tab="table")
    assert at.dataframe and t("map.col.sector", "zh") in at.dataframe[0].value.columns
    at.sidebar.segmented_control[0].set_value("en").run()
    assert not at.exception
    assert at.dataframe and t("map.col.sector", "en") in at.dataframe[0].value.columns
    assert _param(at, "tab") == "table" and _param(at, "lang") == "en"
    assert [tab.label for tab in at.tabs] == [t("map.tab_map", "en"), t("map.tab_table", "en")]


def test_unknown_tab_in_a_link_opens_the_map_with_a_notice(make_app) -> None:
    at = make_app(MAP, lang="en", tab="<b>graph</b>")
    assert not at.exception
    assert not at.dataframe and at.get("deck_gl_json_chart")
    toasts = " ".join(x.value for x in at.toast)
    assert "tab=" in toasts and escape_md("<b>graph</b>") in toasts  # named literally
    assert _param(at, "tab") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_many_clusters_are_grouped_and_the_page_says_so(
    make_app, bundle, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setattr(mv, "GROUP_LIMIT", 30)  # the report's data, as if it were large
    at = make_app(MAP, lang=lang)
    assert not at.exception
    total = len(bundle.clusters)
    infos = " ".join(i.value for i in at.info)
    assert t("map.grouped", lang, shown=total, limit=30) in infos
    assert _points(at) == []  # no single dots: counted groups instead
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    (groups,) = [x for x in spec["layers"] if x["id"].startswith(mv.LAYER_GROUPS)]
    counts = [int("".join(ch for ch in g["tt_name"] if ch.isdigit())) for g in groups["data"]]
    assert sum(counts) == total and len(counts) < total
    assert all(g["tt_where"] == t("map.group_hint", lang) for g in groups["data"])
    assert at.selectbox(key="map_pick").options == []  # too many to list
    assert t("map.pick_grouped", lang, limit=30) in _texts(at)
    # Narrowed below the limit, single clusters are back.
    at.multiselect(key="url_sector").set_value(["nev"]).run()
    nev = set(bundle.clusters.query("sector == 'nev'")["cluster_id"])
    assert len(nev) <= 30 and {p["cluster_id"] for p in _points(at)} == nev
    assert t("map.grouped", lang, shown=len(nev), limit=30) not in " ".join(
        i.value for i in at.info
    )


def test_same_spot_list_is_short(make_app) -> None:
    at = make_app(MAP, lang="en", cluster=BASEL)  # the whole world: Europe's dots overlap
    same = [b for b in at.button if b.key and b.key.startswith("map_same_")]
    assert 0 < len(same) <= 6
    assert "more are drawn on this spot" in _texts(at)
