"""The compare page's choice of regions: kept in the URL, in session state, and changed by the
page's controls (callbacks). The grammar and its validation are in ``components.compare``.

The URL wins when it differs from what this page last wrote (a shared link, a link from another
page, Back); a URL without ``regions`` and ``group`` keeps the remembered choice (the page was
reopened from the sidebar). Every change is written back in canonical form, defaults left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from components import compare as cmp
from components.widgets import sync

REGIONS_PARAM, GROUP_PARAM = "regions", "group"
_STATE = "cmp_state"
_WRITTEN = "cmp_written"
_PROBLEMS = "cmp_problems"
GROUP_PROBLEM = "cmp_group_problem"
ADD_KEY = "cmp_add"
GROUP_NAME_KEY = "cmp_group_name"
GROUP_MEMBERS_KEY = "cmp_group_members"
GROUP_FORM_KEY = "cmp_group_form"  # the form's expander (open or closed)
MAX_KNOWN_GROUPS = 12  # groups remembered in a session as choices (the URL carries the used ones)


@dataclass(frozen=True)
class CompareState:
    """The regions shown (canonical tokens, column order) and the groups known in this session."""

    regions: tuple[str, ...]
    groups: tuple[cmp.Group, ...] = ()


def slot_key(i: int) -> str:
    """The session key of the selectbox of column ``i``."""
    return f"cmp_slot_{i}"


def _url() -> tuple[str | None, str | None]:
    raw_regions = st.query_params.get(REGIONS_PARAM)
    raw_groups = st.query_params.get_all(GROUP_PARAM)
    return raw_regions, (";".join(raw_groups) if raw_groups else None)


def _merge(url_groups: tuple[cmp.Group, ...], known: tuple[cmp.Group, ...]) -> tuple:
    names = {g.name.casefold() for g in url_groups}
    kept = [g for g in known if g.name.casefold() not in names]
    return (*url_groups, *kept)[:MAX_KNOWN_GROUPS]  # the URL's come first (at most MAX_GROUPS)


def load() -> CompareState:
    """The current choice: from the URL when it came from outside, else the remembered one."""
    have: CompareState | None = st.session_state.get(_STATE)
    url = _url()
    if have is None or (url != st.session_state.get(_WRITTEN) and url != (None, None)):
        raw_groups = st.query_params.get_all(GROUP_PARAM)
        sel = cmp.parse_selection(url[0], raw_groups)
        known = have.groups if have else ()
        have = CompareState(sel.regions, _merge(sel.groups, known))
        st.session_state[_STATE] = have
        st.session_state[_PROBLEMS] = sel.problems
    for i, token in enumerate(have.regions):
        st.session_state[slot_key(i)] = token  # the selectboxes show the state
    return have


def problems() -> tuple[cmp.Problem, ...]:
    """What the URL held that was rejected (shown until the reader changes the choice)."""
    return st.session_state.get(_PROBLEMS, ())


def save(state: CompareState) -> None:
    """Write the canonical URL (``regions`` unless default, ``group`` for the groups in use)."""
    regions = cmp.encode_regions(state.regions)
    groups = cmp.encode_groups(state.groups, state.regions)
    sync(REGIONS_PARAM, regions, cmp.encode_regions(cmp.DEFAULT_REGIONS))
    sync(GROUP_PARAM, groups, "")
    st.session_state[_WRITTEN] = (
        None if state.regions == cmp.DEFAULT_REGIONS else regions,
        groups or None,
    )


def _state() -> CompareState:
    return st.session_state[_STATE]


def _set(regions: tuple[str, ...], groups: tuple[cmp.Group, ...] | None = None) -> None:
    old = _state()
    st.session_state[_STATE] = replace(
        old, regions=regions, groups=old.groups if groups is None else groups
    )
    st.session_state[_PROBLEMS] = ()


# --- callbacks of the controls -------------------------------------------------------------------


def on_slot(i: int) -> None:
    """Column ``i``'s selectbox changed: swap in the new region, keep the others."""
    token = st.session_state.get(slot_key(i))
    if token:
        _set(cmp.with_region(_state().regions, i, token))


def on_remove(i: int) -> None:
    """Drop column ``i`` (never below two columns)."""
    _set(cmp.removed(_state().regions, i))


def on_add() -> None:
    """The "add a region" selectbox picked one: append it."""
    token = st.session_state.get(ADD_KEY)
    st.session_state[ADD_KEY] = None
    if token:
        _set(cmp.added(_state().regions, token))


def add(token: str) -> None:
    """Append ``token`` (a button callback, e.g. a similar country)."""
    _set(cmp.added(_state().regions, token))


def on_define_group() -> None:
    """Validate the group form with the URL's grammar; define the group and show it if there
    is room. A rejected definition is kept for the page to explain."""
    name = str(st.session_state.get(GROUP_NAME_KEY) or "")
    members = list(st.session_state.get(GROUP_MEMBERS_KEY) or [])
    state = _state()
    in_use = [g.name for g in state.groups if g.name in state.regions]
    parsed = cmp.parse_group(f"{name}:{'+'.join(members)}", in_use)
    if isinstance(parsed, cmp.Problem):
        st.session_state[GROUP_PROBLEM] = replace(parsed, text=name)
        return
    st.session_state[GROUP_PROBLEM] = None
    st.session_state[GROUP_NAME_KEY] = ""
    st.session_state[GROUP_MEMBERS_KEY] = []
    others = tuple(g for g in state.groups if g.name.casefold() != parsed.name.casefold())
    regions = cmp.added(state.regions, parsed.name)
    _set(regions, _cap((*others, parsed), regions))


def _cap(groups: tuple[cmp.Group, ...], regions: tuple[str, ...]) -> tuple[cmp.Group, ...]:
    """At most ``MAX_KNOWN_GROUPS`` groups: the oldest unused ones go first."""
    out = list(groups)
    while len(out) > MAX_KNOWN_GROUPS:
        unused = [g for g in out if g.name not in regions]
        out.remove(unused[0])
    return tuple(out)
