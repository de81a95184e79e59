"""The one CSV encoder, file names, and the page registry."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from components.export import csv_bytes, file_stem, neutralize_formula
from components.i18n import LANGS, catalogue
from components.registry import DEFAULT_PAGE, PAGES, SECTIONS, by_path, sections

ROOT = Path(__file__).resolve().parents[2]


def test_csv_is_utf8_with_bom_and_round_trips() -> None:
    frame = pd.DataFrame({"名称": ["巴塞尔", "Basel"], "n": [1, -2], "x": [0.5, -1.25]})
    raw = csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == ["名称,n,x", "巴塞尔,1,0.5", "Basel,-2,-1.25"]


def test_csv_neutralises_formulas_in_text_only() -> None:
    frame = pd.DataFrame(
        {"name": ['=HYPERLINK("http://x","y")', "+1", "-a", "@SUM(A1)", "ok"], "n": [-1] * 5}
    )
    lines = csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert lines[2:6] == ["'+1,-1", "'-a,-1", "'@SUM(A1),-1", "ok,-1"]
    assert neutralize_formula(-3) == -3


def test_file_stem() -> None:
    assert file_stem("heatmap", "named", "lq", "en") == "heatmap_named_lq_en"
    assert file_stem("集群_筛选结果", "zh") == "集群_筛选结果_zh"
    assert file_stem("a/b\\c..", "") == "a-b-c.."
    assert file_stem("") == "export"


def test_registry_matches_the_pages_folder() -> None:
    scripts = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert {p.path for p in PAGES} == scripts, "every script in pages/ is registered, and no more"
    assert len({p.url_path for p in PAGES}) == len(PAGES)
    assert DEFAULT_PAGE.url_path == "overview"
    assert by_path("pages/map.py").url_path == "map"
    for spec in PAGES:
        assert spec.section in SECTIONS
        assert set(catalogue()[spec.title_key]) == set(LANGS)
    for section in sections():
        assert set(catalogue()[f"nav.section.{section}"]) == set(LANGS)
    flat = [p for group in sections().values() for p in group]
    assert sorted(p.path for p in flat) == sorted(p.path for p in PAGES)
