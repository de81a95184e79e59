"""The size of the reader's screen and of the page's content column, measured in the browser.

A deck.gl map's first view is a fixed centre and zoom, so fitting every cluster needs the map's
size in pixels, which the server cannot know. :func:`viewport` mounts a tiny
``st.components.v2`` component (our own inline script, no network, no data) that reports the
width of the column it sits in and the window's size, and again (debounced) when they change;
the page reruns with the new size. The last size is kept for the session, so a page opened
again starts with it. Without a browser (AppTest) it returns ``None`` and pages use defaults.
"""

from __future__ import annotations

from typing import TypedDict

import streamlit as st

_STATE = "_viewport"

# Trusted constant: reads sizes only, sends numbers only, and only when they differ from what the
# server already has (``data``), so a page rerun does not loop.
_JS = """
export default function (component) {
  const { setStateValue, parentElement, data } = component;
  const host = parentElement.host || parentElement;
  const known = data || {};
  let timer = null;
  const measure = () => ({
    w: Math.round(host.getBoundingClientRect().width),
    vw: window.innerWidth,
    vh: window.innerHeight,
  });
  const report = () => {
    const now = measure();
    if (now.w < 50) return;  // not laid out yet (a hidden tab)
    const moved = ["w", "vw", "vh"].some((k) => Math.abs((known[k] || 0) - now[k]) > 8);
    if (moved) {
      known.w = now.w; known.vw = now.vw; known.vh = now.vh;
      setStateValue("size", now);
    }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(report, 300); };
  report();
  const observer = new ResizeObserver(later);
  observer.observe(host);
  window.addEventListener("resize", later);
  return () => { observer.disconnect(); window.removeEventListener("resize", later); };
}
"""

_probe = st.components.v2.component("cluster_atlas_viewport", js=_JS)


class Size(TypedDict):
    """``w``: the content column's width; ``vw``/``vh``: the browser window (CSS pixels)."""

    w: int
    vw: int
    vh: int


def _valid(value: object) -> Size | None:
    if not isinstance(value, dict):
        return None
    try:
        size = {k: int(value[k]) for k in ("w", "vw", "vh")}
    except (KeyError, TypeError, ValueError):
        return None
    if not all(100 <= v <= 20_000 for v in size.values()):
        return None
    return size  # type: ignore[return-value]


def viewport(key: str = "viewport") -> Size | None:
    """The measured sizes (``None`` until the browser has reported them once this session).

    Mount it at the top of the column whose width matters.
    """
    known = _valid(st.session_state.get(_STATE))
    result = _probe(key=key, data=known, on_size_change=lambda: None, height=0)
    fresh = _valid(getattr(result, "size", None)) if result is not None else None
    if fresh is not None:
        st.session_state[_STATE] = fresh
        return fresh
    return known


# Trusted constant: scrolls its own spot into view once per new ``data`` token (a selection made
# further up the page), so what the click opened appears where the reader is looking.
_SCROLL_JS = """
export default function (component) {
  const { parentElement, data } = component;
  const host = parentElement.host || parentElement;
  const token = String(data || "");
  window.__atlasScrolled = window.__atlasScrolled || {};
  if (!token || window.__atlasScrolled[host.className] === token) return;
  window.__atlasScrolled[host.className] = token;
  host.style.scrollMarginTop = "72px";  // clear of the app's fixed top bar
  setTimeout(() => host.scrollIntoView({ behavior: "smooth", block: "start" }), 150);
}
"""

_scroller = st.components.v2.component("cluster_atlas_scroll_here", js=_SCROLL_JS)


def scroll_here(token: str, key: str) -> None:
    """Scroll the page to this spot when ``token`` (e.g. the selected cell) is new."""
    _scroller(key=key, data=token, height=0)
