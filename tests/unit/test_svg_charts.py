"""The SVG bar charts (components/svg_charts.py) and the overview's coverage drawings."""

from __future__ import annotations

import html
import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from components import overview as ov
from components.data import load_bundle
from components.i18n import continent_name, sector_name, t
from components.safe import escape_svg
from components.svg_charts import Series, Svg, nice_step, stacked_bars_svg, text_width
from tests.custom_data import more_european_consumer

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


def _boxes(root: ET.Element) -> list[tuple[str, float, float, float, float]]:
    """Every text's box as the builder estimates it: ``(text, x0, y0, x1, y1)``."""
    out = []
    for el in root.iter(f"{{{NS['s']}}}text"):
        text, size = el.text or "", float(el.get("font-size"))
        x, y, w = float(el.get("x")), float(el.get("y")), text_width(el.text or "", size)
        shift = {"start": 0.0, "middle": w / 2, "end": w}[el.get("text-anchor")]
        out.append((text, x - shift, y - size / 2, x - shift + w, y + size / 2))
    return out


def _assert_all_shown_and_apart(root: ET.Element, values: list[list[int]]) -> None:
    """Each category's non-zero values (``values[i]``: its parts, left to right) drawn as texts
    on its row, in order, inside or after the bar (a lone part equal to the total: the total);
    no two texts meet and none passes the drawing's edges."""
    width = float(root.get("viewBox").split()[2])
    boxes = _boxes(root)
    for i, (a, b) in enumerate(itertools.combinations(boxes, 2)):
        meet = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
        assert not meet, f"{a[0]!r} meets {b[0]!r} ({i})"
    for text, x0, _, x1, _ in boxes:
        assert 0 <= x0 and x1 <= width, f"{text!r} cut at the edge ({x0:.1f}-{x1:.1f})"
    rows: dict[float, list[tuple[float, str, str]]] = {}
    for el in root.iter(f"{{{NS['s']}}}text"):
        if el.get("class") in ("value", "total"):
            rows.setdefault(float(el.get("y")), []).append(
                (float(el.get("x")), el.get("class"), el.text)
            )
    assert len(rows) == len(values)
    for (_, row), parts in zip(sorted(rows.items()), values, strict=True):
        shown = [text for _, kind, text in sorted(row) if kind == "value"]
        total = [text for _, kind, text in row if kind == "total"]
        wanted = [str(v) for v in parts if v]
        if len(wanted) == 1 and not shown:
            assert total == wanted  # the lone part's number is the total after the bar
        else:
            assert shown == wanted


def test_values_too_narrow_for_their_part_are_drawn_after_the_bar() -> None:
    values = [[100, 0], [1, 1], [40, 3]]
    root = _tree(
        _simple(
            labels=[["a"], ["b"], ["c"]],
            series=[Series("A", (100, 1, 40), "#000"), Series("B", (0, 1, 3), "#ccc")],
            totals=[100, 2, 43],
        )
    )
    _assert_all_shown_and_apart(root, values)
    pills = [r for r in root.iter(f"{{{NS['s']}}}rect") if r.get("class") == "pill"]
    # row b: both 1s (a hundredth of the axis), row c: the 3, each on a tag of its part's colour
    assert [p.get("fill") for p in pills] == ["#000", "#ccc", "#ccc"]
    tips = [el.text for el in root.iter(f"{{{NS['s']}}}title")]
    assert tips.count("A 1") == 2 and tips.count("B 1") == 2  # bar and tag


def test_long_totals_stay_inside_the_drawing() -> None:
    root = _tree(
        _simple(
            series=[Series("A", (59, 5), "#000"), Series("B", (0, 2), "#ccc")],
            totals=[55, 7],
            total_labels=["59 named · report 55", "7"],
        )
    )
    _assert_all_shown_and_apart(root, [[59, 0], [5, 2]])
    totals = [el.text for el in root.iter(f"{{{NS['s']}}}text") if el.get("class") == "total"]
    assert totals == ["59 named · report 55", "7"]
    with pytest.raises(ValueError):
        _simple(total_labels=["1"])


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
    bars = [
        float(r.get("width"))
        for r in root.iter("{http://www.w3.org/2000/svg}rect")
        if r.get("class") == "bar"
    ]
    named, unnamed = (list(tr.x) for tr in fig.data[:2])
    values = [v for pair in zip(named, unnamed, strict=True) for v in pair if v]
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


@pytest.fixture(scope="module")
def uploaded(bundle):  # noqa: ANN001, ANN201
    return more_european_consumer(bundle).apply(bundle)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("by", ["continent", "sector"])
@pytest.mark.parametrize("data", ["shipped", "upload"])
def test_coverage_svg_shows_every_value_and_no_text_meets_another(
    bundle, uploaded, data: str, by: str, lang: str
) -> None:
    """The drawing is one viewBox scaled to its column: the same at 1280 and 1920 px."""
    b = bundle if data == "shipped" else uploaded
    cov = ov.coverage(b, by)
    root = _tree(ov.coverage_svg(b, by, lang))
    values = [[int(n), int(u)] for n, u in zip(cov["named"], cov["unnamed"], strict=True)]
    _assert_all_shown_and_apart(root, values)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_named_beyond_the_report_count_is_said_everywhere(uploaded, lang: str) -> None:
    cases = {"continent": ("EU", 59, 55), "sector": ("consumer", 19, 17)}
    for by, (code, named, published) in cases.items():
        cov = ov.coverage(uploaded, by)
        namer = continent_name if by == "continent" else sector_name
        row = cov.set_index(by).loc[code]
        assert (row["named"], row["published"]) == (named, published)
        root = _tree(ov.coverage_svg(uploaded, by, lang))
        both = t("overview.total_beyond", lang, named=named, published=published)
        totals = [el.text for el in root.iter(f"{{{NS['s']}}}text") if el.get("class") == "total"]
        assert both in totals
        assert totals == ov.total_texts(cov, lang)
        # only that bar's text differs from the bare count
        assert sum(x != str(p) for x, p in zip(totals, cov["published"], strict=True)) == 1
        item = t(
            "overview.chart_item_beyond",
            lang,
            label=namer(code, lang),
            published=published,
            named=named,
            unnamed=int(row["unnamed"]),
        )
        assert item in root.get("aria-label")
        # the note under the chart names the bar and both numbers
        note = ov.coverage_notes(uploaded, by, lang)
        assert t(
            "overview.beyond_item", lang, label=namer(code, lang), named=named,
            published=published,
        ) in note  # fmt: skip
        # the briefing's slide (plotly) prints the same texts after its bars
        fig = ov.build_coverage_bar(cov, by, lang)
        table = ov.coverage_csv(uploaded, by, lang)
        assert [x.strip() for x in fig.data[2].text] == totals
        assert fig.data[2].cliponaxis is False
        assert fig.layout.xaxis.range[1] >= (named + int(row["unnamed"])) * ov.BEYOND_HEADROOM
        # the CSV has both numbers in their columns
        csv_row = table.set_index(t(f"common.{by}", lang)).loc[namer(code, lang)]
        assert csv_row[t("overview.col.published", lang)] == published
        assert csv_row[t("overview.legend_named", lang)] == named


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reports_own_data_never_passes_its_count(bundle, lang: str) -> None:
    for by in ("continent", "sector"):
        cov = ov.coverage(bundle, by)
        assert not ov.beyond_report(cov).any()
        assert ov.coverage_notes(bundle, by, lang) == ""
        assert ov.total_texts(cov, lang) == [str(p) for p in cov["published"]]
        label = _tree(ov.coverage_svg(bundle, by, lang)).get("aria-label")
        namer = continent_name if by == "continent" else sector_name
        for code, p, n, u in cov[[by, "published", "named", "unnamed"]].itertuples(index=False):
            plain = dict(label=namer(code, lang), published=p, named=n, unnamed=u)
            assert t("overview.chart_item", lang, **plain) in label
            assert t("overview.chart_item_beyond", lang, **plain) not in label
        fig = ov.build_coverage_bar(cov, by, lang)
        assert fig.layout.xaxis.range[1] == pytest.approx(cov["published"].max() * 1.15)
