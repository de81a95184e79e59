"""Accessibility: axe-core (``tests/browser/axe_audit.py``) on the views with a profile or a
cell open, both languages (every page's plain view is audited by ``test_pages_browser.py`` on
the page it has loaded anyway); keyboard focus; click-to-profile time.
"""

from __future__ import annotations

import pytest

from components.i18n import t
from tests.browser.axe_audit import assert_no_violations
from tests.browser.conftest import click_deck, deck_view

VIEWS = [
    ("map", {"cluster": "basel-health-valley"}),
    ("map", {"cluster": "hubei-wuhan-xiangyang-shiyan-suizhou-automotive"}),  # table 2-10 row
    ("heatmap", {"measure": "lq", "cell": "consumer.EU"}),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("path", "params"), VIEWS, ids=[f"{p}-{'-'.join(q.values()) or 'plain'}" for p, q in VIEWS]
)
def test_no_axe_violations(page, open_app, path: str, params: dict, lang: str) -> None:
    open_app(page, path, lang=lang, **params)
    assert_no_violations(page)


def test_keyboard_focus_is_visible(page, open_app) -> None:
    """Tab to a control: it gets a solid 3 px outline, not a faint glow."""
    open_app(page, "heatmap", lang="en")
    page.get_by_role("radio", name=t("heatmap.measure.lq", "en"), exact=True).focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {w: s.outlineWidth, st: s.outlineStyle, c: s.outlineColor}; }"""
    )
    assert style["st"] == "solid" and style["w"] == "3px", style


def test_click_to_profile_time(page, open_app, wait_idle) -> None:
    """Records (prints) how long a map click takes to show the profile; no assertion on time."""
    open_app(page, "map", lang="en", q="Basel")
    canvas = page.locator("#deckgl-overlay").first
    canvas.wait_for(state="visible", timeout=30_000)
    canvas.scroll_into_view_if_needed()
    deck_view(page)  # the view glides to the fitted view
    box = canvas.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    novartis = page.get_by_text("Novartis").first
    elapsed = click_deck(page, x, y, novartis.is_visible)
    print(f"\nclick-to-profile: {elapsed:.2f} s")
    wait_idle(page)
    assert "cluster=basel-health-valley" in page.url
