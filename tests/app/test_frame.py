"""Every page runs in both languages; the shared frame keeps language and rejects bad params."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.i18n import catalogue, t
from components.registry import PAGES as REGISTRY
from components.svg_charts import as_image

ROOT = Path(__file__).resolve().parents[2]

# Every page of the registry app.py navigates.
PAGES = [spec.path for spec in REGISTRY]


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.title] + [e.value for e in at.subheader]
    parts += [e.value for e in at.header]
    parts += [e.value for e in at.info]
    parts += [m.label for m in at.metric]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_runs_clean(make_app, page: str, lang: str) -> None:
    at = make_app(page, lang=lang)
    assert not at.exception, at.exception
    text = _texts(at)
    keys = [k for k in catalogue() if "." in k]
    raw = [k for k in keys if k in text.split()]
    assert not raw, f"catalogue keys shown raw: {raw}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_title_and_headline(make_app, lang: str) -> None:
    from components import overview as ov
    from components.data import load_bundle

    at = make_app("pages/overview.py", lang=lang)
    assert at.title[0].value == t("app.title", lang)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("overview.metric_total", lang)] == "150"
    assert metrics[t("overview.metric_named", lang)] == "114"
    assert metrics[t("overview.metric_unnamed", lang)] == "36"
    # The coverage charts are drawn as SVG (no plotly.js for the first page), each in its keyed
    # container, shown as an image of the builder's escaped SVG; no markdown renders HTML.
    assert len(at.get("plotly_chart")) == 0
    assert not [m for m in at.markdown if m.proto.allow_html]
    bundle = load_bundle()
    shown = [h.proto.body for h in at.get("html") if "svg-chart" in h.proto.body]
    svgs = [ov.coverage_svg(bundle, by, lang) for by in ("continent", "sector")]
    assert shown == [as_image(svg) for svg in svgs]
    for svg in svgs:
        assert svg.startswith("<svg ") and 'role="img"' in svg
        assert t("overview.legend_named", lang) in svg
    notes = [ov.coverage_notes(bundle, by, lang) for by in ("continent", "sector")]
    assert notes == ["", ""]  # the report's own data: no bar passes its count


def test_overview_says_where_uploaded_data_names_more_than_the_report_counts(make_app) -> None:
    """Four more European consumer-goods clusters: the chart's text after those bars gives
    both numbers, and a note under each chart (above its source line) names the bar."""
    from components import overview as ov
    from components.cached import CUSTOM_KEY
    from components.data import load_bundle
    from components.safe import escape_md
    from tests.custom_data import more_european_consumer

    base = load_bundle()
    custom = more_european_consumer(base)
    at = make_app("pages/overview.py", lang="en")
    at.session_state[CUSTOM_KEY] = custom
    at.run()
    assert not at.exception
    bundle = custom.apply(base)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("overview.metric_named_data", "en")] == "118"
    assert t("overview.metric_named", "en") not in metrics
    shown = [ov.coverage_svg(bundle, by, "en") for by in ("continent", "sector")]
    images = [h.proto.body for h in at.get("html") if "svg-chart" in h.proto.body]
    assert images == [as_image(svg) for svg in shown]
    assert t("overview.total_beyond", "en", named=59, published=55) in shown[0]
    assert t("overview.total_beyond", "en", named=19, published=17) in shown[1]
    captions = [c.value for c in at.caption]
    for by, label in (("continent", "Europe"), ("sector", "Consumer goods")):
        note = ov.coverage_notes(bundle, by, "en")
        assert label in note
        i = captions.index(escape_md(note))
        assert captions[i + 1].startswith(t("source.prefix", "en"))  # its source line next


def test_language_switch_keeps_url_state(make_app) -> None:
    at = make_app("pages/overview.py")
    assert at.title[0].value == t("app.title", "zh")
    at.sidebar.segmented_control[0].set_value("en").run()
    assert not at.exception
    assert at.query_params.get("lang") in ("en", ["en"])
    assert t("overview.metric_total", "en") in [m.label for m in at.metric]


def test_unknown_and_malformed_params_are_noticed(make_app) -> None:
    at = make_app("pages/overview.py", lang="xx", bogus="<script>alert(1)</script>")
    assert not at.exception
    toasts = [x.value for x in at.toast]
    assert any("lang" in x for x in toasts)
    assert any("bogus" in x for x in toasts)
    assert "bogus" not in at.query_params
    # Falls back to the default language.
    assert at.title[0].value == t("app.title", "zh")


def _cluster_ids(at) -> list[str]:
    from components.map_view import is_cluster_layer

    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    (layer,) = [x for x in spec["layers"] if is_cluster_layer(x["id"])]
    return [p["cluster_id"] for p in layer["data"]]


def test_language_switch_keeps_other_view_state(make_app) -> None:
    at = make_app("pages/map.py", sector="nev", q="Shanghai")
    before = _cluster_ids(at)
    assert before and len(before) < 10
    at.sidebar.segmented_control[0].set_value("en").run()
    assert not at.exception
    assert at.query_params.get("lang") in ("en", ["en"])
    assert at.query_params.get("sector") in ("nev", ["nev"])
    assert at.query_params.get("q") in ("Shanghai", ["Shanghai"])
    assert _cluster_ids(at) == before
    assert at.title[0].value == t("map.title", "en")


def test_broken_data_folder_gives_a_clear_message(make_app, tmp_path, monkeypatch) -> None:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "clusters.csv").read_text(encoding="utf-8")
    (data / "clusters.csv").write_text(text.replace(",biomed,", ",bogus,", 1), encoding="utf-8")
    monkeypatch.setenv("DATA_DIR", str(data))
    for lang in ("zh", "en"):
        at = make_app("pages/overview.py", lang=lang)
        assert not at.exception
        message = at.error[0].value.replace("\\", "")  # shown literally: markdown-escaped
        assert "clusters.csv" in message and "sector" in message and "bogus" in message
        assert str(tmp_path) not in message  # never the server's folder
        assert message.startswith(t("app.data_error", lang, error="")[:6])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_export_svg_and_csv_of_the_data_shown(
    make_app, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    from streamlit.elements.widgets import button

    from components import display, export
    from components import overview as ov
    from components.data import load_bundle

    # The CSV bytes are built when the reader clicks (a callable handed to the download button):
    # keep what each button would deliver, its type and file name, and build it as a click would.
    handed: list[tuple[object, str, str]] = []
    marshall = button.marshall_file

    def spy(coordinates, data, proto, mimetype, file_name=None, **kwargs):  # noqa: ANN001, ANN003, ANN202
        handed.append((data, mimetype, file_name))
        return marshall(coordinates, data, proto, mimetype, file_name, **kwargs)

    monkeypatch.setattr(button, "marshall_file", spy)
    at = make_app("pages/overview.py", lang=lang)
    bundle = load_bundle()
    expected = []
    for by in ("continent", "sector"):
        stem = f"clusters_by_{by}_{lang}"
        table = ov.coverage_table(ov.coverage(bundle, by), by, lang)
        expected.append((export.csv_bytes(table), "text/csv", f"{stem}.csv"))
        # the image shown, as a file (plotly's PNG button went with plotly)
        svg = display.SVG_PROLOG + ov.coverage_svg(bundle, by, lang)
        expected.append((svg, "image/svg+xml", f"{stem}.svg"))
    got = [(data() if callable(data) else data, mime, name) for data, mime, name in handed]
    assert got == expected
    assert got[0][0].startswith(b"\xef\xbb\xbf")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [t("common.download_csv", lang), t("common.download_svg", lang)] * 2


@pytest.mark.parametrize("spec", REGISTRY, ids=[s.url_path for s in REGISTRY])
def test_pages_declare_the_url_params_they_bind(make_app, spec) -> None:  # noqa: ANN001
    """The registry's ``params`` (remembered per page, never an error elsewhere) are exactly
    what the page binds."""
    from components.registry import FRAME_PARAMS

    at = make_app(spec.path, lang="en")
    seen = set(at.session_state["_url_seen"]) - set(FRAME_PARAMS)
    assert seen == set(spec.params)


def _reopen(at, page: str, **params: str):  # noqa: ANN001, ANN202
    """Open ``page`` as the sidebar or Back does: the URL holds only what is given."""
    for name in list(at.query_params):
        del at.query_params[name]
    at.query_params.update({"lang": "en", **params})
    at.switch_page(page)
    return at.run()


def test_a_parameter_name_two_pages_share_does_not_leak(make_app) -> None:
    """``q`` and ``tab`` belong to the map and the policies page: each page reads its own."""
    at = make_app("pages/map.py", lang="en", q="Basel", tab="table")
    assert at.dataframe  # the map's table tab
    at = _reopen(at, "pages/policies.py")
    assert not at.exception
    assert at.text_input(key="url_q").value == ""
    assert not at.dataframe and "tab" not in at.query_params and "q" not in at.query_params
    at = _reopen(at, "pages/map.py")  # back: the map's own state again
    assert at.text_input(key="url_q").value == "Basel" and at.dataframe


def test_a_page_reopened_without_params_gets_its_state_back(make_app) -> None:
    at = make_app("pages/map.py", lang="en", continent="EU", sector="biomed", q="Basel")
    at = _reopen(at, "pages/heatmap.py")
    at.radio(key="url_measure").set_value("lq").run()
    at = _reopen(at, "pages/map.py")
    assert at.multiselect(key="url_continent").value == ["EU"]
    assert at.text_input(key="url_q").value == "Basel"
    assert at.query_params.get("sector") in ("biomed", ["biomed"])
    # Back from a drill-down link: the heatmap with the map's query; no notice about it.
    at = _reopen(at, "pages/heatmap.py", cluster="basel-health-valley")
    assert not at.exception and not at.toast
    assert at.radio(key="url_measure").value == "lq"
    assert "cluster" not in at.query_params
    # A link that sets the page's own parameters wins over the memory.
    at = _reopen(at, "pages/map.py", sector="nev")
    assert at.multiselect(key="url_sector").value == ["nev"]
    assert at.multiselect(key="url_continent").value == []
