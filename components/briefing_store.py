"""The session's briefing and the "add to briefing" control under every chart (Streamlit glue).

The briefing itself is a frozen :class:`components.briefing.Briefing` kept in
``st.session_state``; the pure model, renderers and file format live in
``components.briefing``. ``app.py`` records which page is running (:func:`set_current_page`) so
a chart's control knows the page its permalink points to.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components import briefing as bf
from components.cached import get_bundle
from components.data import Bundle
from components.i18n import Lang, t
from components.memo import per_dataset

_BRIEFING = "_briefing"
_SNAPSHOTS = "_briefing_snapshots"  # uid -> (figure JSON, source line) of views without renderer
_PAGE = "_current_page"
_ADDED = "_briefing_added"  # slide number just added (a toast on the next run)
NOT_PARAMS = ("lang", "slide", "present", "deck")  # frame and present-page params, never a view's


def set_current_page(url_path: str) -> None:
    """Record the page this run shows (``app.py``, before the page runs)."""
    st.session_state[_PAGE] = url_path


def current_page() -> str | None:
    """The url_path of the page running now (None outside the router, e.g. unit tests)."""
    return st.session_state.get(_PAGE)


def get_briefing() -> bf.Briefing:
    """The session's briefing (empty at first)."""
    value = st.session_state.get(_BRIEFING)
    return value if isinstance(value, bf.Briefing) else bf.Briefing()


def set_briefing(briefing: bf.Briefing) -> None:
    """Replace the session's briefing (snapshots of removed slides are dropped)."""
    st.session_state[_BRIEFING] = briefing
    snaps = st.session_state.get(_SNAPSHOTS, {})
    keep = {s.uid for s in briefing.slides}
    st.session_state[_SNAPSHOTS] = {k: v for k, v in snaps.items() if k in keep}


def snapshot(uid: str) -> tuple[str, str] | None:
    """The kept figure JSON and source line of a slide whose view has no renderer."""
    return st.session_state.get(_SNAPSHOTS, {}).get(uid)


def _add(slide: bf.Slide, fig: Any, source: str) -> None:
    before = get_briefing()
    after = bf.add(before, slide)
    if after is before:
        return
    if bf.renderer_for(slide.page, slide.view) is None and fig is not None:
        snaps = dict(st.session_state.get(_SNAPSHOTS, {}))
        snaps[slide.uid] = (fig.to_json(), source)
        st.session_state[_SNAPSHOTS] = snaps
    set_briefing(after)
    st.session_state[_ADDED] = len(after.slides)


def _add_view(page: str, view: str, fig: Any, source: str) -> None:
    _add(view_slide(page, view), fig, source)


@per_dataset
def _view_params(
    bundle: Bundle, page: str, view: str, raw: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """The parameters a slide of ``view`` keeps from the URL's ``raw`` ones (per dataset: a
    value's validity can depend on the data)."""
    renderer = bf.renderer_for(page, view)
    params = bf.clean_params(renderer, dict(raw), bundle) if renderer else dict(raw)
    return tuple((k, v) for k, v in params.items() if v)


def view_slide(page: str, view: str) -> bf.Slide:
    """The slide for ``view`` of ``page`` as the URL sets it up now (known parameters only)."""
    raw = tuple((k, st.query_params.get(k)) for k in st.query_params.keys() if k not in NOT_PARAMS)
    return bf.make_slide(page, view, dict(_view_params(get_bundle(), page, view, raw)))


def briefing_button(
    view: str,
    lang: Lang,
    *,
    fig: Any = None,
    source: str = "",
    container: Any = st,
    key: str | None = None,
) -> None:
    """ "Add to briefing" for the chart ``view`` of the current page; once added, it says which
    slide it is. Outside the router (no current page) it draws nothing."""
    page = current_page()
    if page is None:
        return
    added = st.session_state.pop(_ADDED, None)
    if added is not None:
        st.toast(t("present.added_toast", lang, n=added), icon=":material/slideshow:")
    briefing = get_briefing()
    # The slide (URL parameters checked against the data) is only needed when this view may
    # already be in the briefing; "add" builds it when clicked, from the URL of that moment.
    listed = any(s.page == page and s.view == view for s in briefing.slides)
    number = bf.position(briefing, view_slide(page, view)) if listed else None
    key = key or f"brief_{view}"
    if number is not None:
        container.button(
            t("present.added", lang, n=number),
            key=key,
            disabled=True,
            icon=":material/check:",
            type="tertiary",
        )
        return
    full = len(briefing.slides) >= bf.MAX_SLIDES
    container.button(
        t("present.add", lang),
        key=key,
        on_click=_add_view,
        args=(page, view, fig, source),
        icon=":material/slideshow:",
        help=t("present.editor.full", lang, n=bf.MAX_SLIDES)
        if full
        else t("present.add_help", lang),
        disabled=full,
        type="tertiary",
    )
