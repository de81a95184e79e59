"""Small Streamlit widgets whose values live in the URL (``st.query_params``).

Each ``url_*`` widget reads its initial value from the query string the first time it is drawn in
a session, then writes every change back, leaving defaults out of the URL so a copied link carries
only what differs. A malformed value is dropped with a small notice, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from components import urlstate
from components.i18n import DEFAULT_LANG, LANGS, Lang, t

_SEEN = "_url_seen"  # names bound during the current run
_LANG_KEY = "url_lang"


def begin_run() -> None:
    """Reset the per-run record of bound URL parameters (called by ``app.py`` each run)."""
    st.session_state[_SEEN] = set()


def _seen(name: str) -> None:
    st.session_state.setdefault(_SEEN, set()).add(name)


def _notice(name: str, raw: str) -> None:
    lang = current_lang()
    st.toast(t("app.bad_param", lang, name=name, value=raw[:40]), icon="⚠️")


def _init(name: str, parsed: urlstate.Parsed) -> str:
    key = f"url_{name}"
    _seen(name)
    if key not in st.session_state:
        st.session_state[key] = parsed.value
        for raw in parsed.rejected:
            _notice(name, raw)
    return key


def sync(name: str, value: object, default: object) -> None:
    """Write ``value`` to the URL, or remove ``name`` when it equals ``default``."""
    _seen(name)
    if urlstate.is_default(value, default):
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = urlstate.encode(value)


def drop_unbound_params() -> None:
    """Remove query parameters no widget of this run claimed, with a notice for each."""
    seen = st.session_state.get(_SEEN, set())
    for name in list(st.query_params.keys()):
        if name not in seen:
            _notice(name, st.query_params.get(name) or "")
            del st.query_params[name]


def require_router() -> None:
    """Re-run through ``app.py`` when Streamlit ran a page script bare.

    A freshly started server sees the ``pages/`` folder and, until some session has called
    ``st.navigation``, runs a deep link such as ``/map`` as a legacy multipage script: no router,
    no language switch. ``app.py`` marks every routed run (``begin_run``); a run without the mark
    switches the process to ``st.navigation`` mode, as its first call would, and re-runs.
    """
    if _SEEN in st.session_state:
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def current_lang() -> Lang:
    """The language of this session (URL ``?lang=`` first, then the switch, default 中文).

    Every page calls this first, so it also makes sure the page runs inside the router.
    """
    require_router()
    value = st.session_state.get(_LANG_KEY)
    return value if value in LANGS else DEFAULT_LANG


def language_switch() -> Lang:
    """The sidebar language switch, bound to ``?lang=zh|en``."""
    parsed = urlstate.parse_choice(st.query_params.get("lang"), LANGS, DEFAULT_LANG)
    key = _init("lang", parsed)
    st.sidebar.segmented_control(
        t("app.language", current_lang()),
        options=list(LANGS),
        format_func=lambda v: {"zh": "中文", "en": "English"}[v],
        key=key,
        selection_mode="single",
    )
    if st.session_state.get(key) not in LANGS:  # a click on the selected option clears it
        st.session_state[key] = DEFAULT_LANG
    lang = current_lang()
    sync("lang", lang, DEFAULT_LANG)
    return lang


def url_selectbox(
    name: str,
    label: str,
    options: Sequence[str],
    default: str,
    format_func: Callable[[str], str] = str,
    container: Any = st,
    **kwargs: Any,
) -> str:
    """A selectbox over codes, bound to ``?name=code``."""
    key = _init(name, urlstate.parse_choice(st.query_params.get(name), options, default))
    value = container.selectbox(label, options, format_func=format_func, key=key, **kwargs)
    sync(name, value, default)
    return value


def url_radio(
    name: str,
    label: str,
    options: Sequence[str],
    default: str,
    format_func: Callable[[str], str] = str,
    container: Any = st,
    **kwargs: Any,
) -> str:
    """A horizontal radio over codes, bound to ``?name=code``."""
    key = _init(name, urlstate.parse_choice(st.query_params.get(name), options, default))
    value = container.radio(
        label, options, format_func=format_func, key=key, horizontal=True, **kwargs
    )
    sync(name, value, default)
    return value


def url_multiselect(
    name: str,
    label: str,
    options: Sequence[str],
    format_func: Callable[[str], str] = str,
    container: Any = st,
    **kwargs: Any,
) -> tuple[str, ...]:
    """A multiselect over codes, bound to ``?name=a,b``; empty means no filter."""
    key = _init(name, urlstate.parse_multi(st.query_params.get(name), options))
    if not isinstance(st.session_state[key], list):
        st.session_state[key] = list(st.session_state[key])
    # Keep only options that still exist (another filter may have narrowed them).
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    value = tuple(
        container.multiselect(label, list(options), format_func=format_func, key=key, **kwargs)
    )
    sync(name, value, ())
    return value


def url_text_input(name: str, label: str, container: Any = st, **kwargs: Any) -> str:
    """A text input bound to ``?name=text`` (control characters dropped, length capped)."""
    key = _init(name, urlstate.parse_text(st.query_params.get(name)))
    value = container.text_input(label, key=key, max_chars=urlstate.MAX_TEXT, **kwargs)
    sync(name, value, "")
    return value


def url_slug(name: str, valid: Sequence[str]) -> str | None:
    """A non-widget id kept in the URL (e.g. the selected cluster); unknown ids are noticed."""
    parsed = urlstate.parse_slug(st.query_params.get(name), valid)
    _seen(name)
    for raw in parsed.rejected:
        _notice(name, raw)
        del st.query_params[name]
    return parsed.value  # type: ignore[return-value]


def show_fig(
    fig: Any,
    *,
    key: str,
    filename: str,
    source: str,
    on_select: str = "ignore",
    selection_mode: str | Sequence[str] = "points",
) -> Any:
    """Show a plotly figure the house way (toolbar config, PNG name) followed by its source line."""
    from components.charts import plotly_config

    event = st.plotly_chart(
        fig,
        key=key,
        on_select=on_select,  # type: ignore[arg-type]
        selection_mode=selection_mode,  # type: ignore[arg-type]
        config=plotly_config(filename),
        width="stretch",
    )
    st.caption(source)
    return event
