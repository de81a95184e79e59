"""The data page and this session's own data, through the real router (AppTest)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from components.cached import CUSTOM_KEY
from components.data import load_bundle
from components.i18n import t
from components.map_view import is_cluster_layer
from components.registry import PAGES
from components.upload import merge, read_upload, validate_clusters

ROOT = Path(__file__).resolve().parents[2]


def _custom(mode: str = "add"):  # noqa: ANN202
    """Custom data: three shipped clusters under new ids, one named with markup."""
    bundle = load_bundle()
    rows = bundle.clusters.iloc[[10, 40, 90]].copy()
    rows["cluster_id"] = ["own-a", "own-b", "own-c"]
    rows["annex_no"] = None
    rows["source_ref"] = "table 2-10"
    rows["derived_fields"] = ""
    rows.loc[rows.index[0], "name_en"] = "[Own](https://evil.example) www.evil.example"
    data = rows.to_csv(index=False).encode("utf-8")
    report = validate_clusters(read_upload(data, "own.csv"), bundle, mode, "own.csv")
    custom = merge(report, bundle, mode)
    assert custom is not None
    return custom


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_page_shows_schema_sources_and_downloads(make_app, lang: str) -> None:
    at = make_app("pages/data.py", lang=lang)
    assert not at.exception
    assert at.title[0].value == t("data.title", lang)
    frames = at.dataframe
    assert len(frames) >= 3  # sources, the table, its schema
    downloads = at.get("download_button")
    assert len(downloads) >= 5  # coverage CSV, table CSV + XLSX, template CSV + XLSX
    assert len(at.get("plotly_chart")) == 1


def test_data_page_switches_table(make_app) -> None:
    at = make_app("pages/data.py", lang="en", table="policies")
    assert not at.exception
    assert at.radio(key="url_table").value == "policies"
    assert t("data.tables.rows", "en", n=len(load_bundle().policies)) in [
        c.value for c in at.caption
    ]


@pytest.mark.parametrize("spec", PAGES, ids=[s.url_path for s in PAGES])
def test_every_page_uses_the_session_data_and_shows_the_banner(make_app, spec) -> None:  # noqa: ANN001
    at = make_app(spec.path, lang="en")
    at.session_state[CUSTOM_KEY] = _custom()
    at.run()
    assert not at.exception
    banners = [w.value for w in at.warning]
    assert any(t("data.banner", "en", file="own\\.csv", n=len(load_bundle().clusters) + 3,
                 mode=t("data.banner.add", "en")) == b for b in banners), banners  # fmt: skip
    assert at.button(key="custom_reset").label == t("data.banner.reset", "en")
    if spec.url_path == "map":
        spec_json = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
        ids = {p["cluster_id"] for layer in spec_json["layers"] if is_cluster_layer(layer["id"])
               for p in layer["data"]}  # fmt: skip
        assert {"own-a", "own-b", "own-c"} <= ids
    at.button(key="custom_reset").click().run()  # back to the report's data
    assert not at.exception
    assert CUSTOM_KEY not in at.session_state
    assert not any("own" in w.value for w in at.warning)


def test_replace_mode_drops_organisations_of_missing_clusters(make_app) -> None:
    at = make_app("pages/map.py", lang="en")
    at.session_state[CUSTOM_KEY] = _custom("replace")
    at.run()
    assert not at.exception
    assert any(t("map.count", "en", shown=3, total=3) in m.value for m in at.markdown)


def test_header_only_cluster_files_and_a_search(make_app, tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("geo"))
    for name in ("clusters.csv", "organizations.csv"):
        path = data / name
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    monkeypatch.setenv("DATA_DIR", str(data))
    load_bundle(data)  # valid: an empty list is a list
    for spec in PAGES:
        at = make_app(spec.path, lang="en", q="x")
        assert not at.exception, (spec.path, at.exception)
