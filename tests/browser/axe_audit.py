"""axe-core (vendored in tests/browser/vendor) run on the page a test has open.

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


def audit(page) -> list[dict]:  # noqa: ANN001
    page.add_script_tag(path=str(AXE))
    grouped = page.locator('[data-testid="stNavSectionHeader"]').count() > 0
    return page.evaluate(_RUN, {"tags": TAGS, "grouped": grouped})


def assert_no_violations(page) -> None:  # noqa: ANN001
    """Fail with axe's findings (rule, impact, the first nodes) if the open page has any."""
    violations = audit(page)
    assert not violations, json.dumps(violations, ensure_ascii=False, indent=1)
