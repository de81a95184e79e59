"""Source lines and escaping."""

from __future__ import annotations

import pytest

from components.captions import cluster_list_source, cluster_sources, ranges, source_line
from components.safe import escape_html, escape_md
from components.sources import cite


@pytest.mark.parametrize(
    ("ref", "zh", "en"),
    [
        ("table 2-10", "报告表 2-10", "report table 2-10"),
        ("figure 2-1", "报告图 2-1", "report figure 2-1"),
        ("annex row 78", "报告附表第 78 行", "report annex, row 78"),
        ("ch6.3", "报告第6章第3节", "report chapter 6, section 3"),
        ("ch7", "报告第7章", "report chapter 7"),
        ("preface", "报告前言", "report preface"),
    ],
)
def test_cite(ref: str, zh: str, en: str) -> None:
    assert cite(ref, "zh") == zh
    assert cite(ref, "en") == en


def test_source_line_names_report_and_computation() -> None:
    line = source_line("en", ["figure 2-1"], "the cluster list")
    assert line.startswith("Source: report figure 2-1; computed from the cluster list")
    assert "Trends Report 2023" in line
    zh = source_line("zh", ["figure 2-1", "table 2-10"])
    assert zh.startswith("来源：报告图 2-1；报告表 2-10")


def test_escape_md_neutralises_markup() -> None:
    hostile = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> **b** $x$"
    out = escape_md(hostile)
    for ch in "[]()<>*$":
        assert f"\\{ch}" in out
    assert escape_md(None) == ""


def test_escape_html() -> None:
    assert escape_html('<b a="1">') == "&lt;b a=&quot;1&quot;&gt;"


def test_ranges() -> None:
    assert ranges([3, 1, 2, 7, 9, 10, 2]) == "1–3, 7, 9–10"
    assert ranges([]) == ""
    assert ranges([5]) == "5"


def test_cluster_sources_are_read_from_the_data() -> None:
    import pandas as pd

    from components.data import load_bundle

    clusters = load_bundle().clusters
    assert cluster_sources(clusters, "zh") == "报告附表第 1–104 行；报告表 2-10"
    assert cluster_sources(clusters, "en") == "report annex rows 1–104; report table 2-10"
    assert cluster_list_source(clusters, "en") == (
        "the named clusters (report annex rows 1–104; report table 2-10)"
    )
    # Another edition: its own rows.
    other = pd.DataFrame({"annex_no": [1, 2, 5], "source_ref": ["annex row 1"] * 3})
    other["annex_no"] = other["annex_no"].astype("Int64")
    assert cluster_sources(other, "en") == "report annex rows 1–2, 5"
