"""The one list of pages. ``app.py`` builds the navigation from it; the AppTest and browser tiers
and the benchmarks iterate over it, so a page added here is smoke-tested in both languages,
deep-linked on a fresh server and benchmarked without touching a test.

Add a page: a script in ``pages/``, an entry here, a strings file in ``components/strings/``
(``nav.<url_path>`` for its title) and a ``components/`` module for its logic.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS: tuple[str, ...] = ("explore", "report", "present", "data")  # nav.section.<name>


@dataclass(frozen=True)
class PageSpec:
    """One page: its script, URL path, catalogue key of its title, icon and navigation section."""

    path: str
    url_path: str
    icon: str
    section: str

    @property
    def title_key(self) -> str:
        """The catalogue key of the page title: ``nav.<url_path>``."""
        return f"nav.{self.url_path}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "overview", ":material/dashboard:", "explore"),
    PageSpec("pages/map.py", "map", ":material/public:", "explore"),
    PageSpec("pages/heatmap.py", "heatmap", ":material/grid_on:", "explore"),
    PageSpec("pages/compare.py", "compare", ":material/compare_arrows:", "explore"),
    PageSpec("pages/policies.py", "policies", ":material/timeline:", "report"),
    PageSpec("pages/trends.py", "trends", ":material/trending_up:", "report"),
    PageSpec("pages/present.py", "present", ":material/slideshow:", "present"),
    PageSpec("pages/data.py", "data", ":material/dataset:", "data"),
)
DEFAULT_PAGE: PageSpec = PAGES[0]  # served at "/"
PRESENT_PAGE: PageSpec = next(p for p in PAGES if p.url_path == "present")  # presenter mode


def by_path(path: str) -> PageSpec:
    """The page whose script is ``path`` (``"pages/map.py"``)."""
    for spec in PAGES:
        if spec.path == path:
            return spec
    raise KeyError(path)


def sections() -> dict[str, list[PageSpec]]:
    """The pages by navigation section, in ``SECTIONS`` order, empty sections left out."""
    grouped = {s: [p for p in PAGES if p.section == s] for s in SECTIONS}
    return {s: pages for s, pages in grouped.items() if pages}
