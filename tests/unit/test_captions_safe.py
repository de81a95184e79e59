"""Source lines and escaping."""

from __future__ import annotations

import pytest

from components.captions import cite, source_line
from components.safe import escape_html, escape_md


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
