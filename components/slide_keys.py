"""Keyboard for slides: arrow keys, Page Up/Down (what presentation clickers send), Home/End,
and F for the browser's full screen.

Streamlit has no key events, ``st.html`` drops scripts, and ``components.v1.html`` runs in an
iframe that only hears keys while it has the focus. An ``st.components.v2`` component runs its
JavaScript in the app's own page (no iframe): it listens on ``document`` and sends each key as a
trigger value, so the keys work wherever the focus is, except in a text field. It also reports the
window's size (a state value), so a slide's chart can fill the screen. One listener per page,
whatever the number of reruns: the handler is kept on ``window`` and re-pointed at the latest
mount.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

_JS = """
export default function (component) {
  const { setTriggerValue, setStateValue, data } = component;
  const g = window.__clusterAtlasSlides || (window.__clusterAtlasSlides = {});
  const token = {};
  g.owner = token;
  g.send = setTriggerValue;
  g.pageKeys = !!(data && data.pageKeys);
  const report = () => {
    const w = Math.round(window.innerWidth), h = Math.round(window.innerHeight);
    const r = g.reported;
    if (!r || Math.abs(r[0] - w) > 40 || Math.abs(r[1] - h) > 40) {
      g.reported = [w, h];
      setStateValue('viewport', [w, h]);
    }
  };
  g.reported = undefined;
  report();
  if (!g.bound) {
    g.bound = true;
    window.addEventListener('resize', () => { if (g.report) g.report(); });
    document.addEventListener('keydown', (e) => {
      if (!g.send || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
      const el = e.target;
      const tag = el && el.tagName ? el.tagName.toLowerCase() : '';
      if (tag === 'input' || tag === 'textarea' || tag === 'select' ||
          (el && el.isContentEditable)) return;
      let move = null;
      if (e.key === 'ArrowRight') move = 'next';
      else if (e.key === 'ArrowLeft') move = 'prev';
      else if (g.pageKeys && e.key === 'PageDown') move = 'next';
      else if (g.pageKeys && e.key === 'PageUp') move = 'prev';
      else if (g.pageKeys && e.key === 'Home') move = 'first';
      else if (g.pageKeys && e.key === 'End') move = 'last';
      else if (e.key === 'f' || e.key === 'F') {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (document.documentElement.requestFullscreen) {
          document.documentElement.requestFullscreen().catch(() => {});
        }
        return;
      }
      if (move) { e.preventDefault(); g.send('key', move); }
    });
  }
  g.report = report;
  return () => { if (g.owner === token) { g.send = null; g.report = null; } };
}
"""

_component = st.components.v2.component("cluster_atlas_slide_keys", js=_JS)


@dataclass(frozen=True)
class Keys:
    """What the keyboard component reported this run."""

    move: str | None  # next, prev, first, last, or None
    viewport: tuple[int, int] | None  # the window's inner width and height in CSS px, once known


def read_keys(key: str = "slide_keys") -> Keys:
    """What the listener mounted under ``key`` reported for this run (read before the slide is
    drawn; the listener itself is mounted last, by :func:`mount_keys`, so the page starts with
    the slide, not with an empty element)."""
    result = st.session_state.get(key)
    get = getattr(result, "get", None)
    move = get("key") if get else None
    return Keys(
        move=move if move in ("next", "prev", "first", "last") else None,
        viewport=_viewport(get("viewport") if get else None),
    )


def mount_keys(*, page_keys: bool, key: str = "slide_keys") -> None:
    """Mount the listener; ``page_keys`` also binds Page Up/Down and Home/End (presenter mode,
    where the page does not scroll)."""
    _component(
        key=key,
        data={"pageKeys": page_keys},
        default={"viewport": None},
        on_key_change=lambda: None,
        on_viewport_change=lambda: None,
        height=0,
    )


def _viewport(value: object) -> tuple[int, int] | None:
    """A plausible ``[width, height]`` from the browser, else None."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    if not all(isinstance(v, int | float) and 200 <= v <= 10_000 for v in value):
        return None
    return int(value[0]), int(value[1])
