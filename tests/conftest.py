"""All three tiers: the order tests are handed to the pytest-xdist workers.

``make test`` runs two workers with ``--dist worksteal``: each takes half of the list, and a
worker that runs out steals the second half of what the other has left. The browser tier is
most of the time and its modules differ tenfold, so the longest modules go first and the
unit and AppTest tiers (a second or less a test) last: the two workers then end within a short
test of each other instead of one running the last long module alone. Order inside a module
is kept (module fixtures, readable logs). Without xdist the order changes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent

# Browser modules, longest first (``pytest tests/browser --durations=0``, two workers, summed
# per module). A module not listed runs after these, before the app and unit tiers.
SLOW_FIRST = (
    "test_meeting_browser.py",  # 480 s (session 12, two workers, load 4-10)
    "test_hardening_browser.py",  # 440 s
    "test_present_browser.py",  # 250 s
    "test_pages_browser.py",  # 275 s: every page in both languages with axe; two fresh servers
    "test_map_browser.py",  # 215 s
    "test_compare_browser.py",  # 205 s
    "test_a11y_browser.py",  # 130 s
    "test_policies_browser.py",  # 125 s
    "test_trends_browser.py",  # 95 s
    "test_heatmap_browser.py",  # 35 s
)
TIERS = ("browser", "app", "unit")


def _rank(item: pytest.Item) -> tuple[int, int]:
    path = Path(str(item.fspath))
    try:
        tier = TIERS.index(path.relative_to(HERE).parts[0])
    except (ValueError, IndexError):
        tier = len(TIERS)
    if tier == 0:
        return tier, SLOW_FIRST.index(path.name) if path.name in SLOW_FIRST else len(SLOW_FIRST)
    return tier, 0


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest browser modules first, then the app and unit tiers (a stable sort)."""
    items.sort(key=_rank)
