"""Small Streamlit widgets whose values live in the URL (``st.query_params``).

Each ``url_*`` widget reads its initial value from the query string the first time it is drawn in
a session, then writes every change back, leaving defaults out of the URL so a copied link carries
only what differs. A malformed value is dropped with a small notice, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import router, urlstate
from components.filters import Filters, country_options
from components.i18n import DEFAULT_LANG, LANGS, Lang, continent_name, country_name, sector_name, t
from components.notices import notice_message
from components.vocab import CONTINENTS, SECTORS

_SEEN = "_url_seen"  # names bound during the current run
_NOTICES = "_url_notices"  # (name, raw value) ignored during the current run
_LANG_KEY = "url_lang"
_LANG_LAST = "_lang_last"  # the language before a click that cleared the switch


def begin_run() -> None:
    """Mark the run as routed and reset its record of bound URL parameters (``app.py``)."""
    router.mark_routed()
    st.session_state[_SEEN] = set()
    st.session_state[_NOTICES] = []


def _seen(name: str) -> None:
    st.session_state.setdefault(_SEEN, set()).add(name)


def _notice(name: str, raw: str) -> None:
    """Remember an ignored parameter; :func:`flush_notices` shows them all in one toast."""
    st.session_state.setdefault(_NOTICES, []).append((name, raw))


def flush_notices() -> None:
    """One toast for every parameter ignored in this run: literal, shortened, listed once."""
    items = st.session_state.get(_NOTICES) or []
    st.session_state[_NOTICES] = []
    message = notice_message(items, current_lang())
    if message:
        st.toast(message, icon="⚠️")


def _init(name: str, parsed: urlstate.Parsed) -> str:
    """The widget key for ``name``: set from the URL the first time, then re-sent every run.

    Re-sending (setting the key to its own value before the widget is drawn) makes Streamlit send
    the value to the browser on every run. Without it, the browser can show the widget's default
    instead of the URL's value when a quick rerun (the map's size probe, a fast click) overtakes
    the first run, and (1.67 keeps a radio's value in the browser as its *label*) a radio shows
    nothing chosen after the language switch changes its labels: read with the last run's labels,
    the value is sent again under the new ones.
    """
    key = f"url_{name}"
    _seen(name)
    if key not in st.session_state:
        st.session_state[key] = parsed.value
        for raw in parsed.rejected:
            _notice(name, raw)
    else:
        st.session_state[key] = st.session_state[key]
    return key


def sync(name: str, value: object, default: object) -> None:
    """Write ``value`` to the URL, or remove ``name`` when it equals ``default``."""
    _seen(name)
    if urlstate.is_default(value, default):
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = urlstate.encode(value)


def drop_unbound_params(known: Collection[str] = ()) -> None:
    """Remove query parameters no widget of this run claimed: with a notice, unless ``known``
    (another page's parameter, left in the URL by Back or a link, is not an error)."""
    seen = st.session_state.get(_SEEN, set())
    for name in list(st.query_params.keys()):
        if name not in seen:
            if name not in known:
                _notice(name, st.query_params.get(name) or "")
            del st.query_params[name]
    flush_notices()


_MEMORY = "_page_memory"  # {url_path: {param: raw value}}: each page's URL state when last left
_PAGE_LAST = "_page_last"  # the page of the previous run


_VISIT = "_visit_"  # session keys that live for one visit of a page (cleared on entering a page)


def rejected_link_value(
    name: str, raw: str | None, valid: Callable[[str], bool], chosen: object
) -> str | None:
    """The value of ``?name=`` that this visit's link carried and ``valid`` rejects, kept over the
    reruns that follow at once (the map's size probe) until something is ``chosen`` or the page
    is left, so the page's warning about it does not vanish before it is read."""
    key = f"{_VISIT}{name}_rejected"
    if raw and not valid(raw):
        st.session_state[key] = raw
    elif chosen is not None:
        st.session_state.pop(key, None)
    return st.session_state.get(key)


def restore_page_state(page: str, owned: Sequence[str]) -> None:
    """Reopening ``page`` without any of its ``owned`` parameters (the sidebar, Back) brings back
    the URL state it had when last shown in this session. Call before the page runs."""
    entering = st.session_state.get(_PAGE_LAST) != page
    st.session_state[_PAGE_LAST] = page
    if entering:  # what lived for the last visit of a page goes
        for key in [k for k in st.session_state if str(k).startswith(_VISIT)]:
            del st.session_state[key]
        # A parameter name two pages share (``q``, ``tab``): the widget reads this page's URL,
        # not the value the other page left in the session.
        for name in owned:
            st.session_state.pop(f"url_{name}", None)
    if not entering or any(name in st.query_params for name in owned):
        return
    for name, raw in st.session_state.get(_MEMORY, {}).get(page, {}).items():
        st.query_params[name] = raw
        st.session_state.pop(f"url_{name}", None)  # a widget state left over re-reads the URL


def remember_page_state(page: str, owned: Sequence[str]) -> None:
    """Keep ``page``'s ``owned`` parameters as they are after its run (see restore)."""
    memory = st.session_state.setdefault(_MEMORY, {})
    memory[page] = {name: st.query_params[name] for name in owned if name in st.query_params}


def current_lang() -> Lang:
    """The language of this session (URL ``?lang=`` first, then the switch, default 中文).

    Every page calls this first, so it also makes sure the page runs inside the router.
    """
    router.require_router()
    value = st.session_state.get(_LANG_KEY)
    return value if value in LANGS else DEFAULT_LANG


def _keep_lang() -> None:
    """A click on the selected language clears the switch: keep the language it had."""
    if st.session_state.get(_LANG_KEY) not in LANGS:
        st.session_state[_LANG_KEY] = st.session_state.get(_LANG_LAST, DEFAULT_LANG)


def language_switch(*, hidden: bool = False) -> Lang:
    """The sidebar language switch, bound to ``?lang=zh|en``.

    ``hidden``: no switch (presenter mode draws no sidebar); the URL alone sets the language and
    the page offers its own control (:func:`set_lang`).
    """
    parsed = urlstate.parse_choice(st.query_params.get("lang"), LANGS, DEFAULT_LANG)
    if hidden:
        _seen("lang")
        if "lang" in st.query_params or st.session_state.get(_LANG_KEY) not in LANGS:
            st.session_state[_LANG_KEY] = parsed.value
            for raw in parsed.rejected:
                _notice("lang", raw)
        lang = current_lang()
        st.session_state[_LANG_LAST] = lang
        sync("lang", lang, DEFAULT_LANG)
        return lang
    key = _init("lang", parsed)
    if st.session_state.get(key) not in LANGS:
        st.session_state[key] = st.session_state.get(_LANG_LAST, DEFAULT_LANG)
    st.sidebar.segmented_control(
        t("app.language", st.session_state[key]),
        options=list(LANGS),
        format_func=lambda v: {"zh": "中文", "en": "English"}[v],
        key=key,
        selection_mode="single",
        on_change=_keep_lang,
    )
    lang = current_lang()
    st.session_state[_LANG_LAST] = lang
    sync("lang", lang, DEFAULT_LANG)
    return lang


def set_lang(lang: str) -> None:
    """Switch the language from a control outside the sidebar (a widget callback)."""
    if lang in LANGS:
        st.session_state[_LANG_KEY] = lang
        st.session_state[_LANG_LAST] = lang
        sync("lang", lang, DEFAULT_LANG)


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


def url_tabs(
    name: str,
    options: Sequence[str],
    default: str,
    format_func: Callable[[str], str] = str,
    container: Any = st,
) -> tuple[str, Sequence[Any]]:
    """Tabs over codes, bound to ``?name=code``: ``(open code, tab containers)``. Only the open
    tab's content needs drawing (``st.tabs(on_change="rerun")``: a switch reruns the page).

    Streamlit keeps the open tab by its label; labels change with the language, so the tabs'
    key carries the labels (a switch of language starts new tabs, opened at the code kept here).
    """
    key = _init(name, urlstate.parse_choice(st.query_params.get(name), options, default))
    labels = [format_func(o) for o in options]
    tabs_key = f"{key}_tabs_{'|'.join(labels)}"

    def opened() -> None:
        label = st.session_state.get(tabs_key)
        if label in labels:
            st.session_state[key] = options[labels.index(label)]

    tabs = container.tabs(
        labels,
        default=labels[options.index(st.session_state[key])],
        key=tabs_key,
        on_change=opened,
    )
    sync(name, st.session_state[key], default)
    return st.session_state[key], tabs


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


def url_toggle(name: str, label: str, container: Any = st, **kwargs: Any) -> bool:
    """A toggle bound to ``?name=1`` (off: left out of the URL)."""
    raw = st.query_params.get(name)
    rejected = () if raw in (None, "", "0", "1") else (raw,)
    key = _init(name, urlstate.Parsed(raw == "1", rejected))
    value = bool(container.toggle(label, key=key, **kwargs))
    sync(name, "1" if value else "", "")
    return value


def url_text_input(name: str, label: str, container: Any = st, **kwargs: Any) -> str:
    """A text input bound to ``?name=text`` (control characters dropped, length capped)."""
    key = _init(name, urlstate.parse_text(st.query_params.get(name)))
    value = container.text_input(label, key=key, max_chars=urlstate.MAX_TEXT, **kwargs)
    sync(name, value, "")
    return value


def url_int(name: str, lo: int, hi: int, default: int = 0) -> int:
    """A whole number kept in ``?name=`` (no widget: buttons change it with :func:`set_int`)."""
    _seen(name)
    parsed = urlstate.parse_int(st.query_params.get(name), lo, hi, default)
    for raw in parsed.rejected:
        _notice(name, raw)
    sync(name, parsed.value, default)
    return parsed.value  # type: ignore[return-value]


def set_int(name: str, value: int, default: int = 0) -> None:
    """Set :func:`url_int`'s number (a button callback)."""
    sync(name, value, default)


def url_slug(name: str, valid: Sequence[str]) -> str | None:
    """A non-widget id kept in the URL (e.g. the selected cluster); unknown ids are noticed."""
    parsed = urlstate.parse_slug(st.query_params.get(name), valid)
    _seen(name)
    for raw in parsed.rejected:
        _notice(name, raw)
        del st.query_params[name]
    return parsed.value  # type: ignore[return-value]


def url_click(
    name: str,
    chart_key: str,
    valid: Callable[[str], bool],
    picked: Callable[[object], Sequence[str]],
    variant: str = "",
) -> tuple[str | None, str]:
    """The item selected by clicking a chart, kept in ``?name=``; returns ``(value, key)``.

    Draw the chart with the returned ``key``. ``picked`` reads the chart's selection event (from
    ``st.session_state[key]``) into item ids; ``valid`` says whether an id (from a click or the
    URL) exists. A shared link, a drill-down link or Back sets the value through the URL; a
    new click sets it; :func:`set_click` (a list, a close button) sets it from elsewhere. Rules
    in :func:`components.urlstate.next_click`. A different ``variant`` gives the chart a fresh
    key (the browser mounts it anew), keeping the selected value.
    """
    _seen(name)
    state_key, gen_key = f"_click_{chart_key}", f"_click_gen_{chart_key}"
    key = f"{chart_key}_{st.session_state.get(gen_key, 0)}{variant}"
    state = st.session_state.get(state_key, urlstate.Click())
    visit_key = f"{_VISIT}click_{chart_key}"
    url_leads = visit_key not in st.session_state or history_navigation()
    st.session_state[visit_key] = True
    state, rejected = urlstate.next_click(
        state,
        st.query_params.get(name),
        picked(st.session_state.get(key)),
        valid,
        url_leads=url_leads,
    )
    for raw in rejected:
        _notice(name, raw)
    st.session_state[state_key] = state
    sync(name, state.value or "", "")
    return state.value, key


def history_navigation() -> bool:
    """Whether this run was asked for by the browser's Back or Forward button."""
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def set_click(chart_key: str, value: str | None) -> None:
    """Select ``value`` (None clears) for the chart ``chart_key`` from outside the chart.

    Use as a widget callback. The chart gets a fresh key, so a click on the item it showed as
    selected before counts again.
    """
    state_key, gen_key = f"_click_{chart_key}", f"_click_gen_{chart_key}"
    old = st.session_state.get(state_key, urlstate.Click())
    st.session_state[state_key] = urlstate.Click(value=value, url=old.url, seen=())
    st.session_state[gen_key] = st.session_state.get(gen_key, 0) + 1


def filter_bar(
    clusters: object,
    lang: Lang,
    *,
    search: bool = True,
    container: Any = st,
) -> Filters:
    """Continent, country, sector and search filters over ``clusters``, bound to the URL
    (``?continent=EU&country=DEU&sector=biomed&q=Basel``); returns the frozen ``Filters``."""
    cols = container.columns([1, 1, 1, 1.4] if search else [1, 1, 1])
    present = set(clusters["continent"])  # type: ignore[index]
    continents = url_multiselect(
        "continent",
        t("filter.continent", lang),
        [c for c in CONTINENTS if c in present],
        format_func=lambda c: continent_name(c, lang),
        container=cols[0],
        placeholder=t("filter.all", lang),
    )
    countries = url_multiselect(
        "country",
        t("filter.country", lang),
        country_options(clusters, continents, lang),  # type: ignore[arg-type]
        format_func=lambda c: country_name(c, lang),
        container=cols[1],
        placeholder=t("filter.all", lang),
    )
    sectors = url_multiselect(
        "sector",
        t("filter.sector", lang),
        list(SECTORS),
        format_func=lambda s: sector_name(s, lang),
        container=cols[2],
        placeholder=t("filter.all", lang),
    )
    query = ""
    if search:
        query = url_text_input(
            "q",
            t("filter.search", lang),
            container=cols[3],
            placeholder=t("filter.search_placeholder", lang),
            help=t("filter.search_help", lang),
        )
    return Filters(continents, countries, sectors, query)
