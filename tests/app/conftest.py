"""AppTest tier: run the real router (``app.py``) on a given page, language and URL state."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PAGE = "pages/overview.py"


@pytest.fixture(autouse=True)
def _navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run pages through ``app.py``'s ``st.navigation`` on every rerun, as the server does.

    A server flips ``PagesManager.uses_pages_directory`` to False on the first ``st.navigation``
    call and keeps it; AppTest resets it before each run, so with a ``pages/`` folder its reruns
    would execute the page script alone, without the shared frame.
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def _make_app(page: str, lang: str = "zh", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if lang != "zh":
        at.query_params["lang"] = lang
    if page == DEFAULT_PAGE:
        at.query_params.update(params)
        return at.run()
    at.run()  # st.navigation registers the pages on the first run (on the default page)
    at.query_params.update(params)  # the default page dropped what it does not use
    at.switch_page(page)
    return at.run()


@pytest.fixture
def make_app() -> Callable[..., AppTest]:
    """``make_app("pages/map.py", lang="en", cluster="...")`` → an AppTest that has run once."""
    return _make_app
