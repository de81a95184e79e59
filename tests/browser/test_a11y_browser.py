"""Accessibility audit with axe-core (vendored, tests/browser/vendor) on every page and on the
views with a profile or a cell open, both languages; keyboard focus; click-to-profile time.

Rules: WCAG 2.0/2.1 A and AA plus axe's best practices (heading order among them). Zero
violations. One exclusion, only if the navigation is grouped into sections: Streamlit (1.67)
nests a section's items in a ``<div>`` inside the ``<ul>``, which the ``list``/``listitem`` rules
reject; with one section the app shows a flat list and nothing is excluded. And one node for one
minor rule: Streamlit's file-uploader dropzone (the data page's upload) is a
``<section role="presentation" aria-label=...>``; axe's ``presentation-role-conflict`` rejects
an aria-label on a presentational element. That markup is Streamlit's own (1.67); every other
rule still runs on it, and any other node failing that rule still fails the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.i18n import t
from components.registry import PAGES
from tests.browser.conftest import click_deck, deck_view

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

_RUN = """async ({tags, grouped}) => {
  const options = {runOnly: {type: 'tag', values: tags}};
  const context = grouped
    ? {exclude: [['[data-testid="stSidebarNavItems"]']]}
    : document;
  const result = await axe.run(context, options);
  const streamlitDropzone = (n) => {
    const el = document.querySelector(n.target[0]);
    return el && el.closest('[data-testid="stFileUploaderDropzone"]');
  };
  for (const v of result.violations) {
    if (v.id === 'presentation-role-conflict') {
      v.nodes = v.nodes.filter(n => !streamlitDropzone(n));
    }
  }
  return result.violations.filter(v => v.nodes.length).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: '
      + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)),
  }));
}"""

VIEWS = [(spec.url_path, {}) for spec in PAGES] + [
    ("map", {"cluster": "basel-health-valley"}),
    ("map", {"cluster": "hubei-wuhan-xiangyang-shiyan-suizhou-automotive"}),  # table 2-10 row
    ("heatmap", {"measure": "lq", "cell": "consumer.EU"}),
]


def _audit(page) -> list[dict]:  # noqa: ANN001
    page.add_script_tag(path=str(AXE))
    grouped = page.locator('[data-testid="stNavSectionHeader"]').count() > 0
    return page.evaluate(_RUN, {"tags": TAGS, "grouped": grouped})


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("path", "params"), VIEWS, ids=[f"{p}-{'-'.join(q.values()) or 'plain'}" for p, q in VIEWS]
)
def test_no_axe_violations(page, open_app, path: str, params: dict, lang: str) -> None:
    open_app(page, path, lang=lang, **params)
    violations = _audit(page)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)


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
