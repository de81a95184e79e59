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
    """One page: its script, URL path, icon, navigation section and the URL parameters it owns.

    ``params``: the query parameters the page's widgets read and write (``tests/app`` checks the
    list against what the page binds). The frame remembers them per session when the reader
    leaves the page and puts them back when the page is reopened without any of them; a
    parameter another page owns is dropped without a notice (Back keeps the last page's query).
    """

    path: str
    url_path: str
    icon: str
    section: str
    params: tuple[str, ...] = ()

    @property
    def title_key(self) -> str:
        """The catalogue key of the page title: ``nav.<url_path>``."""
        return f"nav.{self.url_path}"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "overview", ":material/dashboard:", "explore"),
    PageSpec(
        "pages/map.py",
        "map",
        ":material/public:",
        "explore",
        params=("continent", "country", "sector", "q", "cluster", "zoom", "tab"),
    ),
    PageSpec(
        "pages/heatmap.py",
        "heatmap",
        ":material/grid_on:",
        "explore",
        params=("source", "measure", "cell", "hm_continent", "hm_all"),
    ),
    PageSpec(
        "pages/compare.py",
        "compare",
        ":material/compare_arrows:",
        "explore",
        params=("regions", "group"),
    ),
    PageSpec(
        "pages/policies.py",
        "policies",
        ":material/timeline:",
        "report",
        params=("jurisdiction", "theme", "period", "q", "policy", "tab"),
    ),
    PageSpec(
        "pages/trends.py",
        "trends",
        ":material/trending_up:",
        "report",
        params=("trend", "view", "q"),
    ),
    PageSpec(
        "pages/present.py",
        "present",
        ":material/slideshow:",
        "present",
        params=("deck", "slide", "present"),
    ),
    PageSpec(
        "pages/data.py", "data", ":material/dataset:", "data", params=("table", "upload_mode")
    ),
)
DEFAULT_PAGE: PageSpec = PAGES[0]  # served at "/"
PRESENT_PAGE: PageSpec = next(p for p in PAGES if p.url_path == "present")  # presenter mode
FRAME_PARAMS: tuple[str, ...] = ("lang",)  # read by app.py on every page


def by_url_path(url_path: str) -> PageSpec:
    """The page served at ``/<url_path>`` (``""``: the default page)."""
    for spec in PAGES:
        if spec.url_path == url_path:
            return spec
    if url_path == "":
        return DEFAULT_PAGE
    raise KeyError(url_path)


def known_params() -> set[str]:
    """Every query parameter some page (or the frame) owns."""
    return {*FRAME_PARAMS, *(p for spec in PAGES for p in spec.params)}


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
