"""The trends page in chromium: two trends in both languages at 1280 and 1920 px (screenshots in
tests/artifacts/), and a search result click that lands on its trend."""

from __future__ import annotations

import re

import pytest

from components import trends as tr
from components.data import load_bundle
from components.i18n import catalogue, t

BUNDLE = load_bundle()
MAIN = '[data-testid="stMain"]'


def _check_page(page, lang: str) -> str:  # noqa: ANN001
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator(MAIN).inner_text()
    raw = [k for k in catalogue() if k.startswith("trends.") and k in text]
    assert not raw, f"catalogue keys shown raw: {raw}"
    assert t("source.prefix", lang).strip() in text
    return text


@pytest.mark.parametrize("trend", [2, 7])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_trends_in_both_languages(page, open_app, screenshot, trend: int, lang: str) -> None:
    view = tr.trend_view(BUNDLE, trend, lang)
    for width in (1280, 1920):
        page.set_viewport_size({"width": width, "height": 1000})
        open_app(page, "trends", lang=lang, trend=str(trend))
        text = _check_page(page, lang)
        assert f"{trend}. {view.title}" in text
        assert view.summary in text
        if view.missing:
            assert view.notice(lang) in text
        selected = page.locator(f'.st-key-trend_btn_{trend} [data-testid="stBaseButton-primary"]')
        assert selected.count() == 1
        charts = page.locator(f"{MAIN} .js-plotly-plot")
        assert charts.count() >= 1
        page.wait_for_selector(f"{MAIN} .js-plotly-plot .main-svg", timeout=20_000)
        assert charts.first.is_visible()
        screenshot(page, f"trends_{trend}_{lang}_{width}")


@pytest.mark.parametrize(
    ("lang", "query", "trend"), [("zh", "灯塔工厂", 6), ("en", "nearshoring", 3)]
)
def test_search_result_click_lands_on_its_trend(
    page, open_app, wait_idle, screenshot, lang: str, query: str, trend: int
) -> None:
    open_app(page, "trends", lang=lang, q=query)
    _check_page(page, lang)
    hits = tr.search(tr.search_docs(BUNDLE), query)[0]
    i = next(i for i, hit in enumerate(hits) if hit.doc.trend_no == trend)
    screenshot(page, f"trends_search_{lang}")
    page.locator(f".st-key-hit_{i} button").click()
    wait_idle(page)
    assert re.search(rf"[?&]trend={trend}(&|$)", page.url), page.url
    title = tr.trend_view(BUNDLE, trend, lang).title
    heading = page.locator(f"{MAIN} h2").first  # the open trend is the section under the title
    assert heading.inner_text().strip() == f"{trend}. {title}"
    selected = page.locator(f'.st-key-trend_btn_{trend} [data-testid="stBaseButton-primary"]')
    assert selected.count() == 1
    _check_page(page, lang)


def test_a_cluster_link_opens_its_map_profile(page, open_app, wait_idle) -> None:
    open_app(page, "trends", lang="en", trend="7")
    first = tr.select_clusters(BUNDLE, tr.CLUSTER_RULES[7]).iloc[0]
    link = page.locator(MAIN).get_by_role("link", name=re.compile(re.escape(first["name_en"])))
    link.first.click()
    page.wait_for_url("**/map?**", timeout=30_000)
    wait_idle(page)
    assert f"cluster={first['cluster_id']}" in page.url and "lang=en" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    assert first["name_en"] in page.locator(MAIN).inner_text()
