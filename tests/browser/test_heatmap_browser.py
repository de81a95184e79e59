"""Heatmaps page in a real browser: both charts draw, a click on a cell lists its clusters.
A deep link to a cell (its section on screen, its links not cut) is checked at 1280 and 1920 on
the page loads of ``test_meeting_browser.py::test_screens_at_meeting_viewports``."""

from __future__ import annotations

import pytest

from components.data import load_bundle
from components.i18n import t
from components.matrices import cell_clusters
from components.vocab import CONTINENTS, SECTORS

MAIN_COLS = len(CONTINENTS) + 1  # + totals column
MAIN_ROWS = len(SECTORS) + 1  # + totals row


def _click_cell(page, sector: str, continent: str) -> None:  # noqa: ANN001
    """Click the centre of a cell of the main heatmap (the first chart on the page)."""
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    assert box, "the main heatmap has no plot area"
    col, row = CONTINENTS.index(continent), SECTORS.index(sector)
    x = box["x"] + (col + 0.5) * box["width"] / MAIN_COLS
    y = box["y"] + (row + 0.5) * box["height"] / MAIN_ROWS
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def _main_text(page) -> str:  # noqa: ANN001
    return page.locator('[data-testid="stMain"]').inner_text()


def _open_heatmap(page, open_app, **params: str) -> None:  # noqa: ANN001
    """Open the heatmaps page directly (a deep link, as a shared URL would)."""
    open_app(page, "heatmap", **params)


@pytest.mark.parametrize(
    ("lang", "sector", "continent"),
    [("zh", "consumer", "EU"), ("en", "electronics", "AS")],
)
def test_heatmaps_render_and_cell_click_lists_clusters(
    page, open_app, wait_idle, wait_text, screenshot, lang: str, sector: str, continent: str
) -> None:
    _open_heatmap(page, open_app, lang=lang)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=20_000)
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == 2, "expected the main and the country heatmap"
    for i in range(2):
        charts.nth(i).scroll_into_view_if_needed()
        assert charts.nth(i).locator("svg.main-svg").first.is_visible()
    assert t("heatmap.cell.prompt", lang) in _main_text(page)

    _click_cell(page, sector, continent)
    page.wait_for_url(f"**cell={sector}.{continent}**", timeout=20_000)
    wait_idle(page)

    members = cell_clusters(load_bundle().clusters, sector, continent)
    names = members["name_zh" if lang == "zh" else "name_en"].tolist()
    assert names, "the test cell should hold named clusters"
    text = wait_text(page, *names)
    links = page.locator('[data-testid="stPageLink"] a')
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert any(f"cluster={members['cluster_id'].iloc[0]}" in h for h in hrefs)
    if sector == "electronics" and continent == "AS":
        assert t("heatmap.cell.unnamed", lang, n=10) in text
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, f"heatmap_{lang}")

    # A second click moves the selection to another cell.
    _click_cell(page, "nev", "NA")
    page.wait_for_url("**cell=nev.NA**", timeout=20_000)
    wait_idle(page)
    others = cell_clusters(load_bundle().clusters, "nev", "NA")
    assert len(others), "the second test cell should hold named clusters"
    wait_text(page, *others["name_zh" if lang == "zh" else "name_en"])


def test_measure_switch_redraws_with_a_diverging_scale(page, open_app, wait_idle) -> None:
    _open_heatmap(page, open_app, lang="en", measure="lq", source="named")
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=20_000)
    text = _main_text(page)
    assert t("heatmap.explain.lq", "en") in text
    legend = page.locator(".js-plotly-plot").first.locator(".colorbar").text_content() or ""
    assert "≥4" in legend and "1" in legend


_MARGINS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => {
  const drawn = gd._fullLayout._size, asked = gd.layout.margin;
  return {drawn: [drawn.l, drawn.r].map(Math.round), asked: [asked.l, asked.r]};
})"""


@pytest.mark.parametrize(
    ("lang", "params"),
    [("zh", {}), ("en", {"measure": "lq"}), ("en", {"source": "difference"})],
)
def test_heatmaps_are_drawn_in_the_margins_they_ask_for(
    page, open_app, wait_idle, lang: str, params: dict[str, str]
) -> None:
    """Plotly widens a margin that does not hold the row labels or the colour bar by drawing the
    whole figure again: the margins the builders set hold them (one draw, nothing cut)."""
    _open_heatmap(page, open_app, lang=lang, **params)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=20_000)
    wait_idle(page)
    charts = page.evaluate(_MARGINS_JS)
    assert len(charts) == 2
    for chart in charts:
        assert chart["drawn"] == chart["asked"], chart


_ROW_LABEL_GAPS_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const grid = gd.querySelector('.nsewdrag').getBoundingClientRect();
  const gaps = [];
  for (const text of gd.querySelectorAll('.yaxislayer-above .ytick text')) {
    const lines = text.querySelectorAll('tspan.line');
    for (const line of (lines.length ? lines : [text])) {
      // where the last visible character ends (trailing blanks take room but draw nothing)
      const last = line.textContent.trimEnd().length - 1;
      const end = line.getEndPositionOfChar(last);
      const onScreen = new DOMPoint(end.x, end.y).matrixTransform(line.getScreenCTM());
      gaps.push([line.textContent, Math.round(grid.left - onScreen.x)]);
    }
  }
  return gaps;
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_line_of_a_row_label_keeps_its_gap_to_the_grid(page, open_app, lang: str) -> None:
    """A two-line row label ("Biomedicine &" over "medical devices") ends every line as far from
    the grid as a one-line label: a tick suffix padded only the last line, and the first line
    touched the grid on a slide."""
    _open_heatmap(page, open_app, lang=lang)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=20_000)
    gaps = page.evaluate(_ROW_LABEL_GAPS_JS)
    assert len(gaps) > len(SECTORS) + 1  # some labels take two lines
    widths = {gap for _, gap in gaps}
    assert min(widths) >= 6, gaps
    assert max(widths) - min(widths) <= 3, gaps
