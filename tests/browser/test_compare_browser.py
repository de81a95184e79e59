"""Compare page in a real browser: 2 and 4 regions, 1280 and 1920 px wide, both languages.

Every section is one row of paired columns (a container keyed ``cmp_row_<section>``); the test
measures the columns' bounding boxes: in each row the columns start at the same height, each
column keeps its x position and width from row to row. The share, LQ and policy rows are one
figure each, a panel per region: the figure spans the columns and each panel sits inside its
region's column (panels of one figure are level by construction)."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from PIL import Image

from components.i18n import t

TWO = {}  # the default pair: Europe, Asia
FOUR = {"regions": "EU,AS,DACH,USA", "group": "DACH:DEU+AUT+CHE"}
ROWS = ("select", "head", "clusters", "industries", "map")
FIGURE_ROWS = ("share", "lq", "policies")
TOL = 2.0  # px


def _boxes(page, row: str) -> list[dict]:  # noqa: ANN001
    cols = page.locator(f'.st-key-cmp_row_{row} [data-testid="stColumn"]')
    return [cols.nth(i).bounding_box() for i in range(cols.count())]


def _first_child_tops(page, row: str) -> list[float]:  # noqa: ANN001
    """The top of the first visible element of each column of ``row``."""
    return page.evaluate(
        """(row) => [...document.querySelectorAll(
                `.st-key-cmp_row_${row} [data-testid="stColumn"]`)].map(col => {
            const el = col.querySelector('[data-testid="stElementContainer"]');
            return el ? el.getBoundingClientRect().top + window.scrollY : null;
        })""",
        row,
    )


def _chart_boxes(page, row: str) -> list[dict]:  # noqa: ANN001
    charts = page.locator(f".st-key-cmp_row_{row} .js-plotly-plot")
    return [charts.nth(i).bounding_box() for i in range(0, charts.count())]


def _panel_boxes(page, row: str) -> list[dict]:  # noqa: ANN001
    """The plot area of each panel (plotly's subplot drag rectangles), left to right."""
    rects = page.locator(f".st-key-cmp_row_{row} .js-plotly-plot .draglayer .nsewdrag")
    return sorted((rects.nth(i).bounding_box() for i in range(rects.count())), key=lambda b: b["x"])


def _scroll_through(page) -> None:  # noqa: ANN001
    """Scroll through once so every chart and map has drawn at its final size."""
    height = page.evaluate("document.body.scrollHeight")
    for _ in range(0, int(height) + 1000, 800):
        page.mouse.wheel(0, 800)
        page.wait_for_timeout(100)


def _open(page, base_url, wait_idle, width: int, lang: str, params: dict) -> None:  # noqa: ANN001
    """Open the page and wait for every chart and map (generous timeouts: the machine is shared
    and four maps and a dozen charts take a while to draw under load)."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{base_url}/compare?{urlencode({'lang': lang, **params})}")
    wait_idle(page, timeout_ms=180_000)
    page.wait_for_selector(".js-plotly-plot .bars path", timeout=120_000)
    _scroll_through(page)
    page.wait_for_function(_MAPS_LOADED_JS, timeout=60_000)
    wait_idle(page)


MAP_IMG = ".st-key-cmp_row_map img.svg-chart"  # components.svg_map, shown as an image
_MAPS_LOADED_JS = f"""() => {{
  const maps = [...document.querySelectorAll('{MAP_IMG}')];
  return maps.length > 0 && maps.every(m => m.complete && m.naturalWidth > 0);
}}"""
MAP_HEIGHT = 260  # components.compare_view.MAP_HEIGHT


def _white_share(png: bytes, x: int) -> float:
    """The share of pure white pixels in column ``x`` of a screenshot (the page's background)."""
    with Image.open(io.BytesIO(png)) as im:
        rgb = im.convert("RGB")
        col = [rgb.getpixel((x, y)) for y in range(rgb.height)]
    return sum(p == (255, 255, 255) for p in col) / len(col)


def _check_maps(page, columns: list[dict]) -> None:  # noqa: ANN001
    """Each map fills its column at its height, drawn to its edges: a column wider or narrower
    than the frame the map was drawn for shows more land and sea, not an empty margin."""
    maps = page.locator(MAP_IMG)
    assert maps.count() == len(columns)
    for i, col in enumerate(columns):
        img = maps.nth(i)
        box = img.bounding_box()
        assert abs(box["x"] - col["x"]) <= TOL and abs(box["width"] - col["width"]) <= TOL
        assert abs(box["height"] - MAP_HEIGHT) <= TOL
        png = img.screenshot()
        for x in (1, int(box["width"]) - 2):
            assert _white_share(png, x) < 0.5, f"map {i}: an empty margin at x={x}"


# Every plotly figure is drawn at its container's width (after the window is resized, each
# redraws at its column's new width).
_FIGURES_FIT_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].every(p => {
  const svg = p.querySelector('.main-svg');
  return svg && Math.abs(svg.getBoundingClientRect().width - p.getBoundingClientRect().width) < 2;
})"""


def _resize(page, wait_idle, width: int) -> None:  # noqa: ANN001
    """The same page at another window width (the compare page has no size probe: no rerun,
    the columns reflow and every chart and map redraws at its column's new width)."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    page.wait_for_function(_FIGURES_FIT_JS, timeout=30_000)
    _scroll_through(page)
    page.wait_for_function(_FIGURES_FIT_JS, timeout=30_000)
    wait_idle(page)


def _check_columns(page, lang: str, width: int, case: str, n: int, screenshot) -> None:  # noqa: ANN001
    """Every section's columns aligned, the figure rows' panels inside their columns; the
    screenshot compare_<case>_<lang>_<width>."""
    assert page.locator('[data-testid="stException"]').count() == 0
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert t("compare.title", lang) in main
    assert "compare." not in main, "a catalogue key is shown raw"

    reference = _boxes(page, "head")
    assert len(reference) == n
    for row in ROWS:
        boxes = _boxes(page, row)
        assert len(boxes) == n, f"{row}: {len(boxes)} columns"
        for box, ref in zip(boxes, reference, strict=True):
            assert abs(box["x"] - ref["x"]) <= TOL, f"{row}: column moved sideways"
            assert abs(box["width"] - ref["width"]) <= TOL, f"{row}: column width differs"
        tops = [b["y"] for b in boxes]
        assert max(tops) - min(tops) <= TOL, f"{row}: columns start at {tops}"
        firsts = [y for y in _first_child_tops(page, row) if y is not None]
        assert len(firsts) == n and max(firsts) - min(firsts) <= TOL, f"{row}: {firsts}"
    # Columns sit side by side, left to right, without overlapping.
    for left, right in zip(reference, reference[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"] + TOL

    left, right = reference[0]["x"], reference[-1]["x"] + reference[-1]["width"]
    for row in FIGURE_ROWS:
        charts = _chart_boxes(page, row)
        assert len(charts) == 1, f"{row}: {len(charts)} charts"
        chart = charts[0]
        assert abs(chart["x"] - left) <= TOL and abs(chart["x"] + chart["width"] - right) <= TOL
        panels = _panel_boxes(page, row)
        assert len(panels) == n, f"{row}: {len(panels)} panels"
        for panel, col in zip(panels, reference, strict=True):
            # inside its region's column, level with the others, not squeezed
            assert col["x"] - TOL <= panel["x"], f"{row}: a panel left of its column"
            assert panel["x"] + panel["width"] <= col["x"] + col["width"] + TOL, row
            assert panel["width"] > 0.6 * col["width"], f"{row}: a panel is squeezed"
        assert max(p["y"] for p in panels) - min(p["y"] for p in panels) <= TOL, row

    _check_maps(page, _boxes(page, "map"))
    # The comparison table as text: every region's heading, markdown characters shown literally.
    table = page.locator('[data-testid="stTable"]')
    assert table.count() == 1
    text = table.inner_text()
    assert "\\" not in text and t("compare.table.section", lang) in text
    assert t("compare.table.named", lang) in text
    screenshot(page, f"compare_{case}_{lang}_{width}")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("case", "params", "n"), [("two", TWO, 2), ("four", FOUR, 4)])
def test_columns_align_across_sections(
    page, base_url, wait_idle, screenshot, lang: str, case: str, params: dict, n: int
) -> None:
    """At 1920 px wide, then on the same page load at 1280 (the columns reflow: no rerun)."""
    _open(page, base_url, wait_idle, 1920, lang, params)
    _check_columns(page, lang, 1920, case, n, screenshot)
    _resize(page, wait_idle, 1280)
    _check_columns(page, lang, 1280, case, n, screenshot)


def test_malformed_group_notice_is_literal_and_short(page, open_app, wait_idle) -> None:
    hostile = "[click](https://evil.example)www.evil.example:DEU+FRA" + "x" * 80
    open_app(page, "compare", lang="en", group=hostile)
    notice = page.locator('[data-testid="stAlertContentWarning"]').first
    notice.wait_for(timeout=60_000)
    text = notice.inner_text()
    assert "[click](https://evil.example)www.evil.e…" in text  # as typed, shortened
    assert "xxxxxxxxxx" not in text
    assert notice.locator("a").count() == 0  # nothing turned into a link
    assert "group=" not in page.url  # the rejected definition left the URL


def test_add_a_similar_country_keeps_the_others(page, open_app, wait_idle) -> None:
    open_app(page, "compare", lang="en", regions="EU,AS")
    page.wait_for_selector(".js-plotly-plot .bars path", timeout=30_000)
    wait_idle(page)
    button = page.locator(".st-key-cmp_similar_USA button")
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_url("**regions=EU%2CAS%2CUSA**", timeout=20_000)
    wait_idle(page)
    assert len(_boxes(page, "head")) == 3
