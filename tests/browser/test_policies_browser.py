"""Policy timeline in a real browser: no two texts of the timeline overlap at 1280 and 1920 px in
either language (checked on the rendered SVG), and a real click on a marker opens its details."""

from __future__ import annotations

import pytest

from components import policies as pc
from components import policy_charts as charts
from components.data import load_bundle
from components.i18n import t
from tests.browser.conftest import ARTIFACTS

WIDTHS = (1280, 1920)

# Every text the timeline draws: marker labels, lane titles, period and "no year" labels, the
# title, year ticks and the legend. Boxes are the rendered SVG boxes in page pixels.
TEXT_BOXES_JS = """() => {
  const plot = document.querySelector('.js-plotly-plot');
  const fig = plot.getBoundingClientRect();
  const kinds = {'.textpoint text': 'label', '.annotation-text': 'note', '.gtitle': 'title',
                 '.xtick text': 'tick', '.legendtext': 'legend', '.legendtitletext': 'legend'};
  const out = [];
  for (const [sel, kind] of Object.entries(kinds)) {
    for (const el of plot.querySelectorAll(sel)) {
      const text = (el.textContent || '').trim();
      if (!text) continue;
      const r = el.getBoundingClientRect();
      out.push({kind, text, l: r.left, t: r.top, r: r.right, b: r.bottom});
    }
  }
  return {boxes: out, fig: {l: fig.left, t: fig.top, r: fig.right, b: fig.bottom}};
}"""

POINT_JS = """(pid) => {
  const gd = document.querySelector('.js-plotly-plot');
  const traces = gd.querySelectorAll('.scatterlayer .trace');
  for (let i = 0; i < gd.data.length; i++) {
    const j = (gd.data[i].customdata || []).indexOf(pid);
    if (j >= 0 && gd.data[i].showlegend !== false) {
      const r = traces[i].querySelectorAll('.points .point')[j].getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];
    }
  }
  return null;
}"""

RING_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  return gd.data.filter(d => d.showlegend === false).flatMap(d => d.customdata);
}"""


def _overlaps(a: dict, b: dict, tol: float = 0.5) -> bool:
    return (
        a["l"] < b["r"] - tol
        and b["l"] < a["r"] - tol
        and a["t"] < b["b"] - tol
        and (b["t"] < a["b"] - tol)
    )


def _open(page, open_app, width: int, **params: str) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": width, "height": 1000})
    open_app(page, "policies", **params)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30_000)
    # Let plotly settle its text after the last resize: the same text boxes twice, 0.3 s apart.
    last = None
    for _ in range(40):
        boxes = page.evaluate(TEXT_BOXES_JS)
        if boxes == last:
            return
        last = boxes
        page.wait_for_timeout(300)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", ["all", "usa_chn"])
def test_timeline_texts_never_overlap(
    page, open_app, screenshot, lang: str, width: int, view: str
) -> None:
    params = {"lang": lang} | ({"jurisdiction": "USA,CHN"} if view == "usa_chn" else {})
    _open(page, open_app, width, **params)
    assert page.locator('[data-testid="stException"]').count() == 0
    found = page.evaluate(TEXT_BOXES_JS)
    boxes, fig = found["boxes"], found["fig"]
    chart = page.locator(".js-plotly-plot").first
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / f"policies_timeline_{view}_{lang}_{width}.png"))
    if view == "all":
        screenshot(page, f"policies_{lang}_{width}")

    # Exactly the labels the layout computed are drawn.
    bundle = load_bundle()
    policies = bundle.policies
    lanes = ("USA", "CHN") if view == "usa_chn" else pc.lanes(policies)
    shown = pc.filter_policies(policies, pc.PolicyFilters(jurisdictions=tuple(lanes)))
    layout = charts.timeline_layout(policies, shown, lanes, lang)
    labels = [b for b in boxes if b["kind"] == "label"]
    assert len(labels) == int((layout.points["label"] != "").sum()) > 0
    if view == "usa_chn":
        assert len(labels) == len(shown), "with two lanes every name is on the chart"

    clashes = [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if _overlaps(a, b)
    ]
    assert not clashes, f"overlapping texts at {width}px ({lang}): {clashes[:5]}"
    outside = [b["text"] for b in boxes if b["l"] < fig["l"] - 1 or b["r"] > fig["r"] + 1]
    assert not outside, f"texts cut off at the chart's edge: {outside[:5]}"
    heights = {round(b["b"] - b["t"]) for b in labels}
    assert max(heights) <= pc.ROW_PX, "a label is taller than a row"


def _click_marker(page, pid: str) -> None:  # noqa: ANN001
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    xy = page.evaluate(POINT_JS, pid)
    assert xy, f"no marker for {pid}"
    page.mouse.move(*xy)
    page.wait_for_timeout(300)
    page.mouse.click(*xy)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_click_on_a_marker_opens_its_details(
    page, open_app, wait_idle, wait_text, screenshot, lang
) -> None:
    _open(page, open_app, 1280, lang=lang)
    main = page.locator('[data-testid="stMain"]')
    assert t("policies.click_hint", lang) in main.inner_text()
    policies = load_bundle().policies.set_index("policy_id")

    _click_marker(page, "usa-rjia")
    page.wait_for_url("**policy=usa-rjia**", timeout=20_000)
    wait_idle(page)
    row = policies.loc["usa-rjia"]
    text = wait_text(page, row["name_zh"], row["name_en"])
    assert t("policies.year.public", lang, year=2012) in text
    assert t("policies.detail.region", lang) in text
    assert page.evaluate(RING_JS) == ["usa-rjia"]
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, f"policies_click_{lang}")

    # A click on another marker moves the details (an undated one, in the "no year" column).
    _click_marker(page, "eu-ipcei")
    page.wait_for_url("**policy=eu-ipcei**", timeout=20_000)
    wait_idle(page)
    text = wait_text(page, policies.loc["eu-ipcei", "name_en"])
    assert t("policies.year.none", lang) in text
    assert page.evaluate(RING_JS) == ["eu-ipcei"]

    if lang != "en":  # once is enough (the same code in both languages)
        return
    # The table tab is drawn when it is opened (a rerun): its data grid appears, the open policy
    # stays in the URL, and the timeline is there again on the first tab.
    page.get_by_role("tab", name=t("policies.tab_table", lang)).click()
    page.locator('[data-testid="stDataFrame"]').wait_for(timeout=20_000)
    wait_idle(page)
    assert "policy=eu-ipcei" in page.url and "tab=table" in page.url  # a link to the table
    page.get_by_role("tab", name=t("policies.tab_chart", lang)).click()
    page.locator(".js-plotly-plot .scatterlayer .point").first.wait_for(timeout=20_000)
    assert page.locator('[data-testid="stException"]').count() == 0
