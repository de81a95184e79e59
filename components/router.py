"""Make sure every page runs inside the router (``app.py``), even on a freshly started server.

Why: the project keeps its page scripts in a folder named ``pages/`` (the required layout).
Streamlit (checked on 1.67.0) treats such a folder as a legacy multipage app until the first
``st.navigation`` call of the process sets ``PagesManager.uses_pages_directory = False``. So the
first request a new server gets, if it is a deep link such as ``/map``, runs ``pages/map.py``
bare: no language switch, no navigation, no shared frame.

How: ``app.py`` calls :func:`mark_routed` on every run. A page calls :func:`require_router`
(through ``widgets.current_lang``) first; a run without the mark switches the process to
navigation mode, as the first ``st.navigation`` call would, and re-runs through ``app.py``.
``tests/app/test_router.py`` fails if the workaround stops being needed or stops working.

The default page: Streamlit serves ``st.Page(..., default=True)`` at ``/`` only; its own
``url_path`` then answers "Page not found". :func:`default_alias` is a hidden page at that path
which switches to the default page, so the documented ``/overview`` opens the overview too.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

CHECKED_ON = "1.67.0"  # the Streamlit version this workaround was verified on
_ROUTED = "_routed"
_NAV = "_nav_pages"  # {lang: (navigation argument, {script path: st.Page})}, per session
_LINKS = "_nav_links"  # this run's {script path: st.Page}, for page_target


def mark_routed() -> None:
    """Record that this session's runs go through ``app.py`` (called by the router each run)."""
    st.session_state[_ROUTED] = True


def default_alias(default: st.Page, url_path: str, title: str) -> st.Page:
    """A hidden page at ``/<url_path>`` that opens ``default`` (served at ``/``), URL state kept."""

    def _open_default() -> None:
        st.switch_page(default, query_params=st.query_params.to_dict())

    return st.Page(_open_default, title=title, url_path=url_path, visibility="hidden")


NavPages = tuple[object, dict[str, st.Page]]


def navigation_pages(lang: str, build: Callable[[], NavPages]) -> NavPages:
    """This session's ``st.Page`` objects for ``lang``: built by ``build`` once, then reused.

    ``st.Page(path)`` resolves its script on disk (``Path.resolve`` + ``is_file``) every time it
    is built; the router needs the same pages on every run. Kept per session (not per process):
    ``st.navigation`` marks the page it returns as runnable, which concurrent sessions must not
    share. ``build`` returns what ``st.navigation`` takes and ``{script path: page}``; the latter
    is what :func:`page_target` hands to ``st.page_link`` during this run."""
    cache = st.session_state.get(_NAV)
    if cache is None:
        cache = st.session_state[_NAV] = {}
    if lang not in cache:
        cache[lang] = build()
    st.session_state[_LINKS] = cache[lang][1]
    return cache[lang]


def page_target(path: str) -> st.Page | str:
    """What ``st.page_link`` should get for the page script ``path``: the router's ``st.Page``
    (the link then skips resolving the path on disk, ~0.1 ms a link) or, outside the router
    (a page run bare in a test), the path itself."""
    return st.session_state.get(_LINKS, {}).get(path, path)


def require_router() -> None:
    """Re-run through ``app.py`` when Streamlit ran a page script bare (see module docstring)."""
    if st.session_state.get(_ROUTED):
        return
    PagesManager.uses_pages_directory = False
    st.rerun()
