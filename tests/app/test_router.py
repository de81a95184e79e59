"""The ``pages/`` folder workaround (``components/router.py``): still needed, and still working.

AppTest, like a freshly started server, treats ``pages/`` as a legacy multipage folder on each
run, so a page is run bare unless the router workaround re-runs it through ``app.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from components import router
from components.i18n import t
from components.registry import PAGES, PageSpec

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _navigation_mode() -> None:
    """Override the tier's fixture: here the page must meet the legacy-folder behaviour."""


def _page_first(path: str = "pages/map.py", lang: str = "en") -> AppTest:
    """A session whose first run is the page ``path``, as a deep link to a fresh server gives."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()  # registers the pages (AppTest needs one run before switch_page)
    del at.session_state["_routed"]  # forget that run: the session starts on the page
    at.switch_page(path)
    return at.run()


def test_checked_streamlit_version() -> None:
    """On another Streamlit version, check the workaround again and update CHECKED_ON."""
    assert streamlit.__version__ == router.CHECKED_ON


def test_without_the_workaround_a_page_runs_bare(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(router, "require_router", lambda: None)
    at = _page_first()
    assert at.title[0].value == t("map.title", "en")  # the page ran ...
    assert len(at.sidebar.segmented_control) == 0  # ... without the frame's language switch


def test_with_the_workaround_a_page_runs_in_the_frame() -> None:
    at = _page_first()
    assert not at.exception
    assert len(at.sidebar.segmented_control) == 1  # the frame's language switch
    assert at.title[0].value in (t("map.title", "en"), t("map.title", "zh"))


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_every_page_reruns_through_the_router_when_run_bare(spec: PageSpec) -> None:
    """Each page calls ``current_lang()`` (and so ``require_router``) before drawing: a deep
    link as a fresh server's first request gets the frame on every page. (The browser tier
    checks the same on real fresh servers for two pages: ``test_pages_browser.py``.)"""
    at = _page_first(spec.path)
    assert not at.exception, at.exception
    assert len(at.sidebar.segmented_control) == 1, spec.path  # the frame's language switch
    assert at.session_state["_routed"]
