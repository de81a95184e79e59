"""The SVG bar charts (components/svg_charts.py) and the overview's coverage drawings."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest

from components import overview as ov
from components.data import load_bundle
from components.i18n import continent_name, sector_name, t
from components.safe import escape_svg
from components.svg_charts import Series, Svg, nice_step, stacked_bars_svg, text_width

NS = {"s": "http://www.w3.org/2000/svg"}
HOSTILE = '</text><script>alert(1)</script><a href="javascript:x">*$x$* [l](http://e.vil) :red[r]'


@pytest.fixture(scope="module")
def bundle():  # noqa: ANN201
    return load_bundle()


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML: also a valid .svg file


def _texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter("{http://www.w3.org/2000/svg}text")]


def _simple(**kw: object) -> Svg:
    args: dict = {
        "labels": [["Alpha"], ["Beta", "two"]],
        "series": [Series("A", (3, 0), "#0B5394"), Series("B", (2, 7), "#C9D3DD", "#1f2933")],
        "totals": [5, 8],
        "title": "T",
        "desc": "D",
        "summary": "S",
        "axis_title": "X",
    }
    args.update(kw)
    return stacked_bars_svg(**args)


def test_escape_svg_shows_everything_literally_and_nothing_as_markup() -> None:
    out = escape_svg(HOSTILE)
    assert html.unescape(out) == HOSTILE  # the same text once parsed
    assert not re.search(r"[<>\"'*$\[\]():]", out)  # nothing HTML or markdown reads
    assert "&#60;" in out and "&#42;" in out
    assert escape_svg("a\nb\x00c") == "a b c"  # one line
    assert escape_svg("电子信息") == "电子信息"


def test_bars_numbers_labels_and_structure() -> None:
    svg = _simple()
    assert isinstance(svg, Svg) and svg.startswith("<svg ") and svg.endswith("</svg>")
    first, *rest = svg.split("\n")
    assert first.endswith(">") and "<title>" not in first  # the opening tag alone on line 1
    assert all(line.strip() for line in rest)  # no blank line: markdown keeps it one HTML block
    root = _tree(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "S"
    assert root.get("width") == "100%" and root.get("viewBox", "").startswith("0 0 ")
    assert root.find("s:title", NS).text == "T" and root.find("s:desc", NS).text == "D"
    texts = _texts(root)
    assert {"Alpha", "Beta", "two", "A", "B", "X"} <= set(texts)
    # in-bar values and totals; a zero part draws nothing
    bars = [
        r
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.find("s:title", NS) is not None
    ]
    assert len(bars) == 3
    widths = [float(r.get("width")) for r in bars]
    # 3 and 2 in row 1, 7 in row 2: widths proportional to the values
    assert widths[0] / widths[1] == pytest.approx(3 / 2, rel=0.02)
    assert widths[2] / widths[0] == pytest.approx(7 / 3, rel=0.02)
    values = [
        (el.text, el.get("class"))
        for el in root.iter("{http://www.w3.org/2000/svg}text")
        if el.get("class") in ("value", "total")
    ]
    # the parts' values centred inside them, each row's total after its bar
    assert values == [
        ("3", "value"),
        ("2", "value"),
        ("5", "total"),
        ("7", "value"),
        ("8", "total"),
    ]
    assert "0" in texts  # the axis starts at 0


def test_axis_ticks_fit_and_step_is_nice() -> None:
    assert [nice_step(x) for x in (5, 12, 40.25, 63.25, 601)] == [1, 2, 10, 20, 200]
    root = _tree(_simple(series=[Series("A", (35, 0), "#000")], totals=[35, 1]))
    width = float(root.get("viewBox").split()[2])
    ticks = [
        el for el in root.iter("{http://www.w3.org/2000/svg}text") if el.get("class") == "tick"
    ]
    assert [el.text for el in ticks] == ["0", "10", "20", "30", "40"]
    for el in ticks:  # no tick label cut by the edge
        assert float(el.get("x")) + text_width(el.text, 15) / 2 <= width


def test_values_too_narrow_for_their_part_are_left_out_but_kept_in_the_tooltip() -> None:
    root = _tree(
        _simple(
            series=[Series("A", (100, 1), "#000"), Series("B", (0, 1), "#ccc")], totals=[100, 2]
        )
    )
    texts = _texts(root)
    assert "1" not in texts  # a 1 in a bar a hundredth of the axis would not fit
    tips = [el.text for el in root.iter("{http://www.w3.org/2000/svg}title")]
    assert "A 1" in tips and "B 1" in tips


def test_every_text_is_escaped() -> None:
    svg = _simple(
        labels=[[HOSTILE], ["ok"]],
        series=[Series(HOSTILE, (1, 2), "#000")],
        title=HOSTILE,
        desc=HOSTILE,
        summary=HOSTILE,
        axis_title=HOSTILE,
        hover=[[HOSTILE, HOSTILE]],
    )
    assert "<script" not in svg and "<a " not in svg and "javascript:" not in svg
    assert "*" not in svg and "$" not in svg and "[" not in svg
    root = _tree(svg)  # still well-formed, the hostile text shown as text
    assert root.get("aria-label") == HOSTILE
    assert _texts(root).count(HOSTILE) >= 3  # category, legend, axis title
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert tags == {"svg", "title", "desc", "rect", "text", "line"}  # no element from the text


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        _simple(totals=[1])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("by", ["continent", "sector"])
def test_coverage_svg_states_the_report_numbers(bundle, by: str, lang: str) -> None:
    cov = ov.coverage(bundle, by)
    svg = ov.coverage_svg(bundle, by, lang)
    root = _tree(svg)
    namer = continent_name if by == "continent" else sector_name
    names = [namer(code, lang) for code in cov[by]]
    assert root.find("s:title", NS).text == t(f"overview.by_{by}", lang)
    assert root.find("s:desc", NS).text == t(f"overview.chart_desc.{by}", lang)
    label = root.get("aria-label")
    for name, p, n, u in zip(names, cov["published"], cov["named"], cov["unnamed"], strict=True):
        item = t("overview.chart_item", lang, label=name, published=p, named=n, unnamed=u)
        assert item in label
    texts = "".join(_texts(root))  # category labels may be drawn on two lines
    for name in names:
        assert name.replace(" ", "") in texts.replace(" ", "")
    for key in ("overview.legend_named", "overview.legend_unnamed", "common.clusters"):
        assert t(key, lang) in _texts(root)
    for total in cov["published"]:
        assert str(total) in _texts(root)
    tips = [el.text for el in root.iter("{http://www.w3.org/2000/svg}title")][1:]
    named = t("overview.legend_named", lang)
    expected = {
        t("overview.chart_hover", lang, label=name, series=named, n=int(v))
        for name, v in zip(names, cov["named"], strict=True)
        if v
    }
    assert expected <= set(tips)


def test_coverage_svg_numbers_match_the_plotly_figure(bundle) -> None:
    fig = ov.build_coverage_bar(ov.coverage(bundle, "continent"), "continent", "en")
    root = _tree(ov.coverage_svg(bundle, "continent", "en"))
    drawn = [float(r.get("width")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    named, unnamed = (list(tr.x) for tr in fig.data[:2])
    values = [v for pair in zip(named, unnamed, strict=True) for v in pair if v]
    bars = drawn[2:]  # after the two legend swatches
    assert len(bars) == len(values)
    for w, v in zip(bars, values, strict=True):
        assert w / bars[0] == pytest.approx(v / values[0], rel=0.02)


def test_the_languages_differ_and_no_raw_keys(bundle) -> None:
    zh, en = (ov.coverage_svg(bundle, "sector", lang) for lang in ("zh", "en"))
    assert zh != en
    for svg in (zh, en):
        assert "overview." not in html.unescape(svg) and "common." not in html.unescape(svg)


def test_as_image_is_one_img_of_exactly_the_svg_with_its_summary_as_alt() -> None:
    import base64
    from html.parser import HTMLParser

    from components.svg_charts import IMAGE_CLASS, as_image

    svg = _simple(summary=HOSTILE, labels=[[HOSTILE], ["ok"]])
    shown = as_image(svg)
    found: list[tuple[str, dict]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            found.append((tag, dict(attrs)))

    Tags().feed(shown)
    assert [tag for tag, _ in found] == ["img"]  # nothing from the text became a tag
    attrs = found[0][1]
    assert attrs["class"] == IMAGE_CLASS
    assert attrs["alt"] == HOSTILE  # the summary, shown literally
    assert "<" not in shown.split("src=")[0].split("alt=")[1]
    prefix = "data:image/svg+xml;base64,"
    assert attrs["src"].startswith(prefix)
    assert base64.b64decode(attrs["src"][len(prefix) :]).decode("utf-8") == svg
    assert "max-width:680px" in attrs["style"]
