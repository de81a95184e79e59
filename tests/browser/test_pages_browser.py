"""Every page loads in both languages in a real browser, offline, with charts visible and no
accessibility violations (axe-core, ``axe_audit.py``)."""

from __future__ import annotations

import pytest

from components import warmup
from components.i18n import t
from components.registry import DEFAULT_PAGE
from components.registry import PAGES as REGISTRY
from tests.browser.axe_audit import assert_no_violations
from tests.browser.conftest import current_page_title, not_found_dialog

# The default page (overview) is served at "/"; the others at their url_path.
PAGES = ["" if spec == DEFAULT_PAGE else spec.url_path for spec in REGISTRY]
TITLES = dict(zip(PAGES, (spec.title_key for spec in REGISTRY), strict=True))
# Deep links as a fresh server's first request, on real servers (one each): the map (size probe,
# deck) and the presenter. That every page reruns through the router when Streamlit runs it bare
# is checked for all pages in ``tests/app/test_router.py``.
DEEP_LINKS = ["map", "present"]


# A chart the server draws as SVG (components/svg_charts.py), shown as an image (``as_image``).
SVG_CHART = '[data-testid="stMain"] img.svg-chart'

# Per SVG chart on screen: whether the image is drawn, its box and alt text; and its SVG (decoded
# from the image) laid out at the image's size and place: its bars' boxes and every text's box,
# kind (label, value, total, tick, legend, axis-title) and font size on screen (px).
_SVG_GEOMETRY_JS = """(sel) => [...document.querySelectorAll(sel)].map((img) => {
  const box = (el) => { const r = el.getBoundingClientRect();
                        return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const at = box(img);
  const text = new TextDecoder().decode(
    Uint8Array.from(atob(img.src.split(',')[1]), (c) => c.charCodeAt(0)));
  const holder = document.createElement('div');
  holder.style.cssText = `position:fixed;left:${at.x}px;top:${at.y}px;width:${at.w}px;`
    + 'visibility:hidden;pointer-events:none';
  const svg = document.importNode(
    new DOMParser().parseFromString(text, 'image/svg+xml').documentElement, true);
  holder.appendChild(svg);
  document.body.appendChild(holder);
  const scale = svg.getScreenCTM().a;
  const out = {
    drawn: img.complete && img.naturalWidth > 0, box: at, label: img.alt,
    inner: box(svg),
    bars: [...svg.querySelectorAll('rect.bar')].map(box),
    texts: [...svg.querySelectorAll('text')].map((t) => ({
      text: t.textContent, kind: t.getAttribute('class'),
      px: parseFloat(t.getAttribute('font-size')) * scale,
      ...box(t)})),
  };
  holder.remove();
  return out;
})"""


def _overlaps(a: dict, b: dict) -> bool:
    """Two text boxes overlap (each trimmed by 15 % of its height: the line gap of the font)."""
    ay, ah, by, bh = a["y"] + a["h"] * 0.15, a["h"] * 0.7, b["y"] + b["h"] * 0.15, b["h"] * 0.7
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and ay < by + bh and by < ay + ah


def _check_overview(page, lang: str) -> None:  # noqa: ANN001
    """The headline numbers, and the two coverage charts drawn as SVG by the server and shown as
    images: no plotly on the page, the images drawn; their drawing, laid out at their size, has
    the bars visible, every text legible (>= 12 px at 1440 px wide), inside its chart and none
    over another (values inside a bar sit on that bar, by design)."""
    from components.i18n import t

    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "150" in text and "114" in text and "36" in text
    assert t("app.title", lang) in text
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{SVG_CHART}')]"
        ".filter(i => i.complete && i.naturalWidth > 0).length === 2",
        timeout=20_000,
    )
    charts = page.evaluate(_SVG_GEOMETRY_JS, SVG_CHART)
    assert len(charts) == 2
    # No plotly chart anywhere; deck.gl, plotly.js and the data grid are fetched only by the
    # idle-time script after the page (components/warmup.py), once each, in turn, from the URLs
    # the bundle itself imports them by.
    assert page.locator(".js-plotly-plot").count() == 0
    found = warmup.chart_chunks()
    assert found is not None
    chunks = found[1]
    page.wait_for_function(
        "(names) => window.__atlasChartCode && names.every(n => n in window.__atlasChartCode"
        " && performance.getEntriesByType('resource').some(e => e.name.endsWith('/' + n)))",
        arg=list(chunks),
        timeout=60_000,
    )
    started, entries = page.evaluate(
        "(names) => [window.__atlasChartCode, names.map(n => performance"
        ".getEntriesByType('resource').filter(e => e.name.endsWith('/static/js/' + n))"
        ".map(e => e.startTime))]",
        list(chunks),
    )
    for name, fetched in zip(chunks, entries, strict=True):
        assert len(fetched) == 1, (name, fetched)
        assert fetched[0] >= started[name], f"{name} fetched before the idle-time import"
    assert [started[c] for c in chunks] == sorted(started[c] for c in chunks)  # in turn
    assert page.locator(".js-plotly-plot").count() == 0
    for chart, by in zip(charts, ("continent", "sector"), strict=True):
        assert chart["label"].startswith(t(f"overview.by_{by}", lang))
        box = chart["box"]
        assert chart["drawn"] and box["w"] > 400 and box["h"] > 200
        # the decoded drawing, laid out at the image's width, is the image's size
        assert abs(chart["inner"]["w"] - box["w"]) < 1 and abs(chart["inner"]["h"] - box["h"]) < 2
        assert chart["bars"] and all(b["w"] > 1 and b["h"] > 20 for b in chart["bars"])
        texts = chart["texts"]
        shown = {x["text"] for x in texts}
        assert {t("overview.legend_named", lang), t("common.clusters", lang)} <= shown
        for x in texts:
            assert x["px"] >= 12, x
            assert box["x"] - 1 <= x["x"] and x["x"] + x["w"] <= box["x"] + box["w"] + 1, x
        outside = [x for x in texts if x["kind"] != "value"]
        for i, a in enumerate(outside):
            for b in outside[i + 1 :]:
                assert not _overlaps(a, b), (a, b)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_loads_without_exception(page, open_app, screenshot, path: str, lang: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    open_app(page, path, lang=lang)
    assert page.locator('[data-testid="stException"]').count() == 0
    # Its URL opens that page (not Streamlit's "Page not found"), marked in the navigation.
    assert not not_found_dialog(page), f"/{path} shows 'Page not found'"
    assert current_page_title(page, lang) == t(TITLES[path], lang)
    assert page.locator('[data-testid="stMain"]').is_visible()
    selector = f".js-plotly-plot, #deckgl-overlay, canvas, {SVG_CHART}"
    # The chart libraries load lazily after the script run: on a cold, busy server a page's
    # plotly bundle can take a while to parse (the overview's charts are SVG drawn by the server).
    page.wait_for_selector(selector, timeout=60_000)
    charts = page.locator(selector)
    assert charts.count() > 0, "no chart or map rendered"
    assert charts.first.is_visible()
    if not path:  # the overview, the first page a reader sees
        _check_overview(page, lang)
        assert not errors, errors  # the chart code's import included
    screenshot(page, f"page_{path or 'overview'}_{lang}")
    assert_no_violations(page)  # after the screenshot: the audit adds a script to the page


def test_language_survives_page_switch(page, open_app, wait_idle) -> None:
    open_app(page, "", lang="en")
    page.get_by_role("link", name="Sector heatmaps").first.click()
    page.wait_for_url("**/heatmap**")
    wait_idle(page)
    assert "lang=en" in page.url


def test_language_switch_updates_url(page, open_app, wait_idle) -> None:
    open_app(page, "")
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    wait_idle(page)
    assert "lang=en" in page.url
    assert "Clusters counted" in page.locator('[data-testid="stMain"]').inner_text()


@pytest.mark.parametrize("path", DEEP_LINKS)
def test_deep_link_on_a_fresh_server_goes_through_the_router(
    page, app_server, wait_idle, path: str
) -> None:
    """The first request a new server gets may be a shared deep link: it must get the full frame."""
    with app_server(name=f"server-fresh-{path}") as url:
        page.goto(f"{url}/{path}?lang=en")
        page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("English", exact=True).wait_for(timeout=30_000)
        wait_idle(page)
        assert "Overview" in sidebar.inner_text()  # the router's page titles, in English
        assert f"/{path}" in page.url and "lang=en" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
