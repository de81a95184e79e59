"""The briefing model, its renderers and the strict reading of briefing files."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from components import briefing as bf
from components.data import load_bundle
from components.i18n import LANGS
from components.registry import PAGES


@pytest.fixture(scope="module")
def bundle():
    return load_bundle("data")


SAMPLE_PARAMS = {
    ("overview", "ov_continent"): {},
    ("overview", "ov_sector"): {},
    ("heatmap", "hm_main_chart"): {"source": "named", "measure": "lq", "cell": "biomed.EU"},
    ("heatmap", "hm_country_chart"): {"hm_continent": "EU,AS"},
    ("map", "map_deck"): {
        "continent": "EU",
        "sector": "biomed",
        "q": "Basel",
        "cluster": "basel-health-valley",
    },
    ("policies", "pol_timeline"): {
        "jurisdiction": "USA,DEU",
        "theme": "cluster",
        "period": "2005-2021",
        "policy": "eu-cluster-memorandum",
    },
    ("policies", "pol_theme_chart"): {"jurisdiction": "USA"},
    ("compare", "cmp_difference"): {"regions": "EU,DACH", "group": "DACH:DEU+AUT+CHE"},
    ("compare", "cmp_share"): {"regions": "EU,DACH", "group": "DACH:DEU+AUT+CHE"},
    ("compare", "cmp_lq"): {"regions": "EU,AS,USA"},
    ("compare", "cmp_policies"): {"regions": "AS,DEU"},
}


def _briefing() -> bf.Briefing:
    b = bf.Briefing(name="Board briefing")
    for (page, view), params in SAMPLE_PARAMS.items():
        b = bf.add(b, bf.make_slide(page, view, params))
    return b


def test_every_renderer_is_on_a_registered_page_and_has_a_sample() -> None:
    pages = {p.url_path for p in PAGES}
    assert {page for page, _ in bf.RENDERERS} <= pages
    assert set(SAMPLE_PARAMS) == set(bf.RENDERERS)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("target", sorted(SAMPLE_PARAMS))
def test_every_renderer_draws_its_view(bundle, lang: str, target: tuple[str, str]) -> None:
    slide = bf.make_slide(*target, SAMPLE_PARAMS[target])
    view = bf.render(slide, bundle, lang)
    assert view.kind == "chart" and isinstance(view.fig, go.Figure) and view.fig.data
    assert view.title and view.source
    assert view.link == (target[0], SAMPLE_PARAMS[target])
    # Offline: no plotly geo trace (it would fetch topojson from a CDN).
    assert all(tr.type in ("scatter", "bar", "heatmap") for tr in view.fig.data)


def test_map_slide_follows_its_filters(bundle) -> None:
    view = bf.render(bf.make_slide("map", "map_deck", {"continent": "OC"}), bundle, "en")
    n = int((bundle.clusters["continent"] == "OC").sum())
    points = sum(len(tr.x) for tr in view.fig.data if tr.name != "land")
    assert points == n and f"{n} of {len(bundle.clusters)}" in view.title


def test_slide_title_and_notes_override(bundle) -> None:
    slide = bf.make_slide("overview", "ov_sector", {})
    b = bf.edit(bf.add(bf.Briefing(), slide), slide.uid, title="  Mine\x07 ", notes="a\nb\x00")
    view = bf.render(b.slides[0], bundle, "zh")
    assert view.title == "Mine" and view.notes == "a\nb"


def test_add_remove_move_rename() -> None:
    b = _briefing()
    assert len(b.slides) == len(SAMPLE_PARAMS)
    again = bf.add(b, bf.make_slide("overview", "ov_continent", {}))
    assert again is b  # the same view is one slide
    first, second = b.slides[0], b.slides[1]
    assert bf.position(b, second) == 2
    moved = bf.move(b, second.uid, -1)
    assert [s.uid for s in moved.slides[:2]] == [second.uid, first.uid]
    assert bf.move(moved, second.uid, -5).slides[0].uid == second.uid  # clamped
    removed = bf.remove(moved, first.uid)
    assert first.uid not in {s.uid for s in removed.slides}
    assert len(removed.slides) == len(b.slides) - 1
    assert bf.rename(b, "x" * 500).name == "x" * bf.MAX_NAME


def test_the_briefing_holds_at_most_max_slides() -> None:
    b = bf.Briefing()
    for i in range(bf.MAX_SLIDES + 3):
        b = bf.add(b, bf.make_slide("map", "map_deck", {"q": f"q{i}"}))
    assert len(b.slides) == bf.MAX_SLIDES


def test_params_are_sorted_and_cleaned(bundle) -> None:
    a = bf.make_slide("map", "map_deck", {"sector": "nev", "continent": "AS"})
    b = bf.make_slide("map", "map_deck", {"continent": "AS", "sector": "nev"})
    assert a.target == b.target
    r = bf.renderer_for("heatmap", "hm_main_chart")
    cleaned = bf.clean_params(r, {"measure": "lq", "source": "bogus", "other": "1"}, bundle)
    assert cleaned == {"measure": "lq"}


def test_file_round_trip(bundle) -> None:
    b = bf.edit(_briefing(), _briefing().slides[0].uid, title="x")
    b = bf.edit(b, b.slides[1].uid, title="标题 <b>粗体</b>", notes="第一行\n第二行")
    loaded = bf.from_json(bf.to_json(b), bundle)
    assert loaded.name == b.name
    assert [s.target for s in loaded.slides] == [s.target for s in b.slides]
    assert [(s.title, s.notes) for s in loaded.slides] == [(s.title, s.notes) for s in b.slides]


def _doc(**changes) -> dict:
    doc = json.loads(bf.to_json(_briefing()))
    doc.update(changes)
    return doc


def _slide_doc(**changes) -> dict:
    item = {"page": "map", "view": "map_deck", "params": {}, "title": "", "notes": ""}
    item.update(changes)
    return item


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"x" * (bf.MAX_FILE_BYTES + 1), "too_big"),
        (b"\xff\xfe not utf-8", "not_json"),
        (b"{not json", "not_json"),
        (b"[" * 50_000 + b"]" * 50_000, "not_json"),
        (b"[]", "not_briefing"),
        (json.dumps(_doc(format="other")).encode(), "not_briefing"),
        (json.dumps(_doc(version=2)).encode(), "not_briefing"),
        (json.dumps(_doc(version=True)).encode(), "not_briefing"),
        (json.dumps({**_doc(), "extra": 1}).encode(), "not_briefing"),
        (json.dumps(_doc(slides={})).encode(), "not_briefing"),
        (json.dumps(_doc(name=["x"])).encode(), "bad_text"),
        (json.dumps(_doc(slides=[_slide_doc()] * (bf.MAX_SLIDES + 1))).encode(), "too_many"),
        (json.dumps(_doc(slides=["map"])).encode(), "bad_slide"),
        (json.dumps(_doc(slides=[{**_slide_doc(), "fig": {}}])).encode(), "bad_slide"),
        (json.dumps(_doc(slides=[_slide_doc(page="admin")])).encode(), "bad_view"),
        (json.dumps(_doc(slides=[_slide_doc(view="other")])).encode(), "bad_view"),
        (json.dumps(_doc(slides=[_slide_doc(params=[])])).encode(), "bad_slide"),
        (json.dumps(_doc(slides=[_slide_doc(params={"evil": "1"})])).encode(), "bad_param"),
        (
            json.dumps(_doc(slides=[_slide_doc(params={"cluster": "no-such"})])).encode(),
            "bad_param",
        ),
        (json.dumps(_doc(slides=[_slide_doc(params={"sector": "nev,xx"})])).encode(), "bad_param"),
        (json.dumps(_doc(slides=[_slide_doc(params={"q": 5})])).encode(), "bad_param"),
        (json.dumps(_doc(slides=[_slide_doc(params={"q": "a\x00"})])).encode(), "bad_param"),
        (json.dumps(_doc(slides=[_slide_doc(title="a\x1bb")])).encode(), "bad_text"),
        (json.dumps(_doc(slides=[_slide_doc(title="t" * 201)])).encode(), "bad_text"),
        (json.dumps(_doc(slides=[_slide_doc(notes=None)])).encode(), "bad_text"),
    ],
)
def test_hostile_files_are_rejected_with_a_reason(bundle, data: bytes, code: str) -> None:
    with pytest.raises(bf.BriefingError) as err:
        bf.from_json(data, bundle)
    assert err.value.code == code
    for lang in LANGS:
        assert err.value.message(lang)


def test_deeply_nested_json_is_rejected_without_crashing(bundle) -> None:
    deep = b'{"format":' + b"[" * 20_000 + b"]" * 20_000 + b"}"
    with pytest.raises(bf.BriefingError):
        bf.from_json(deep, bundle)


def test_hostile_titles_stay_plain_text(bundle) -> None:
    title = "<script>alert(1)</script> [x](javascript:alert(1)) $$x$$"
    doc = _doc(slides=[_slide_doc(title=title)])
    loaded = bf.from_json(json.dumps(doc).encode(), bundle)
    assert loaded.slides[0].title == title  # kept literally; every view escapes it


def test_unregistered_views_render_as_missing_or_from_a_snapshot(bundle) -> None:
    slide = bf.make_slide("policies", "pol_chart", {"x": "1"})
    view = bf.render(slide, bundle, "en")
    assert view.kind == "missing" and view.link == ("policies", {"x": "1"})
    fig = go.Figure(go.Bar(x=[1], y=[2]))
    snap = bf.snapshot_view(slide, fig.to_json(), "Source: y", "en")
    assert snap.kind == "chart" and snap.fig["data"][0]["type"] == "bar"


def test_figure_id_follows_the_view_or_the_snapshot() -> None:
    a = bf.make_slide("heatmap", "hm_main_chart", {"measure": "lq"})
    b = bf.make_slide("heatmap", "hm_main_chart", {"measure": "lq"})
    assert a.uid != b.uid and bf.figure_id(a, "en") == bf.figure_id(b, "en")  # one view
    assert bf.figure_id(a, "en") != bf.figure_id(a, "zh")
    assert bf.figure_id(a, "en") != bf.figure_id(
        bf.make_slide("heatmap", "hm_main_chart", {}), "en"
    )
    snap = bf.make_slide("policies", "pol_chart", {"x": "1"})  # no renderer: its own figure
    assert bf.figure_id(snap, "en") == bf.figure_id(snap, "zh") == ("snapshot", snap.uid)
    other = bf.make_slide("policies", "pol_chart", {"x": "1"})
    assert bf.figure_id(other, "en") != bf.figure_id(snap, "en")


def test_describe_filters() -> None:
    f = bf.Filters(continents=("EU",), sectors=("nev",), query="Basel")
    assert (
        bf.describe_filters(f, "en") == "Europe · New-energy & connected vehicles · search “Basel”"
    )
    assert bf.describe_filters(bf.Filters(), "zh") == ""


def test_slides_of_unknown_views_are_left_out_not_the_whole_briefing(bundle) -> None:
    doc = _doc()
    doc["slides"].insert(1, _slide_doc(page="policies", view="pol_chart", params={"a": "1"}))
    data = json.dumps(doc).encode()
    briefing, skipped = bf.read_briefing(data, bundle)
    assert skipped == [(2, "policies/pol_chart")]
    assert len(briefing.slides) == len(SAMPLE_PARAMS)
    with pytest.raises(bf.BriefingError) as err:  # the strict reader names it
        bf.from_json(data, bundle)
    assert err.value.code == "bad_view" and err.value.info["n"] == 2
    # Still well-formed, or the file is rejected.
    doc["slides"][1]["title"] = "\x00"
    with pytest.raises(bf.BriefingError):
        bf.read_briefing(json.dumps(doc).encode(), bundle)
