"""Every page loads in both languages in a real browser, offline, with charts visible and no
accessibility violations (axe-core, ``axe_audit.py``)."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_loads_without_exception(page, open_app, screenshot, path: str, lang: str) -> None:
    open_app(page, path, lang=lang)
    assert page.locator('[data-testid="stException"]').count() == 0
    # Its URL opens that page (not Streamlit's "Page not found"), marked in the navigation.
    assert not not_found_dialog(page), f"/{path} shows 'Page not found'"
    assert current_page_title(page, lang) == t(TITLES[path], lang)
    assert page.locator('[data-testid="stMain"]').is_visible()
    selector = ".js-plotly-plot, #deckgl-overlay, canvas"
    # The chart libraries load lazily after the script run: on a cold, busy server the first
    # page's plotly bundle can take a while to parse.
    page.wait_for_selector(selector, timeout=60_000)
    charts = page.locator(selector)
    assert charts.count() > 0, "no chart or map rendered"
    assert charts.first.is_visible()
    screenshot(page, f"page_{path or 'overview'}_{lang}")
    assert_no_violations(page)  # after the screenshot: the audit adds a script to the page


def test_overview_shows_cjk_and_headline(page, open_app, screenshot) -> None:
    open_app(page, "")
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "150" in text and "114" in text and "36" in text
    assert "全球先进制造业集群" in text
    # Both coverage bar charts have drawn their bars.
    page.wait_for_selector(".js-plotly-plot .bars path", timeout=20_000)
    assert page.locator(".js-plotly-plot").count() == 2


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
