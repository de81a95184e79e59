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

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _navigation_mode() -> None:
    """Override the tier's fixture: here the page must meet the legacy-folder behaviour."""


def _map_page_first(lang: str = "en") -> AppTest:
    """A session whose first run is the map page, as a deep link to a fresh server gives."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()  # registers the pages (AppTest needs one run before switch_page)
    del at.session_state["_routed"]  # forget that run: the session starts on the page
    at.switch_page("pages/map.py")
    return at.run()


def test_checked_streamlit_version() -> None:
    """On another Streamlit version, check the workaround again and update CHECKED_ON."""
    assert streamlit.__version__ == router.CHECKED_ON


def test_without_the_workaround_a_page_runs_bare(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(router, "require_router", lambda: None)
    at = _map_page_first()
    assert at.title[0].value == t("map.title", "en")  # the page ran ...
    assert len(at.sidebar.segmented_control) == 0  # ... without the frame's language switch


def test_with_the_workaround_a_page_runs_in_the_frame() -> None:
    at = _map_page_first()
    assert not at.exception
    assert len(at.sidebar.segmented_control) == 1  # the frame's language switch
    assert at.title[0].value in (t("map.title", "en"), t("map.title", "zh"))
