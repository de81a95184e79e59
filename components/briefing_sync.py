"""Keep the briefing in the browser (``localStorage``), so a reload does not lose it.

A Streamlit session ends when the page reloads; the briefing the reader built would go with it.
An ``st.components.v2`` component (JavaScript in the app's page, no iframe) saves the briefing
file's JSON to ``localStorage`` after every run, and once per page load, when the new session's
briefing is still empty, sends the stored one back. What comes back is read like an uploaded file
(:func:`components.briefing.from_json`): strictly, and dropped if it does not pass.
"""

from __future__ import annotations

import streamlit as st

from components import briefing as bf
from components.briefing_store import get_briefing, set_briefing
from components.cached import get_bundle
from components.i18n import Lang, t
from components.safe import escape_md

KEY = "briefing_sync"
NOTE_KEY = "_briefing_restored_note"  # presenter mode: what restore() says, under the slide
STORAGE_KEY = "cluster-atlas-briefing-v1"

_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || typeof data.save !== 'string') return;
  let stored = null;
  try { stored = window.localStorage.getItem(data.key); } catch (e) { return; }
  if (!window.__clusterAtlasBriefingAsked) {
    window.__clusterAtlasBriefingAsked = true;
    if (data.empty && stored && stored !== data.save) {
      setTriggerValue('restore', stored);
      return;
    }
  }
  try {
    if (stored !== data.save) window.localStorage.setItem(data.key, data.save);
  } catch (e) { /* storage full or disabled: the file download still works */ }
}
"""

_component = st.components.v2.component("cluster_atlas_briefing_sync", js=_JS)


def restore(lang: Lang, *, inline: bool = False) -> None:
    """Before the page runs: take the briefing the browser sent back, if it is valid and the
    session has none yet, and say so: in a toast, or with ``inline`` (presenter mode, where a
    toast would sit over the slide's headline) kept for :func:`restored_note`."""
    result = st.session_state.get(KEY)
    raw = result.get("restore") if hasattr(result, "get") else None
    if not isinstance(raw, str) or not raw or get_briefing().slides:
        return
    try:
        loaded, skipped = bf.read_briefing(raw.encode("utf-8"), get_bundle())
    except bf.BriefingError:
        return
    set_briefing(loaded)
    views = tuple(view for _, view in skipped)
    if inline:
        st.session_state[NOTE_KEY] = {"n": len(loaded.slides), "views": views, "slide": None}
        return
    if loaded.slides:
        st.toast(t("present.restored", lang, n=len(loaded.slides)), icon=":material/history:")
    if views:
        st.toast(_skipped(views, lang), icon="⚠️")


def _skipped(views: tuple[str, ...], lang: Lang) -> str:
    """The slides left out of a restored briefing (their views escaped: they come from the
    browser's copy)."""
    return t("present.skipped", lang, n=len(views), views=escape_md(", ".join(views)))


def restored_note(slide: int | None, lang: Lang) -> str | None:
    """What :func:`restore` kept to say in presenter mode (markdown, with its icon), while slide
    ``slide`` (the one shown when it was first asked for) is on screen; None once the presenter
    has turned the slide or left presenter mode (``slide`` None)."""
    note = st.session_state.get(NOTE_KEY)
    if not note:
        return None
    if note["slide"] is None and slide is not None:
        note["slide"] = slide
    if slide is None or note["slide"] != slide:
        del st.session_state[NOTE_KEY]
        return None
    parts = [t("present.restored", lang, n=note["n"])] if note["n"] else []
    if note["views"]:
        parts.append(_skipped(note["views"], lang))
    icon = ":material/warning:" if note["views"] else ":material/history:"
    return f"{icon} {' '.join(parts)}" if parts else None


def mount() -> None:
    """After the page: hand the briefing to the browser to keep."""
    briefing = get_briefing()
    _component(
        key=KEY,
        data={
            "key": STORAGE_KEY,
            "save": bf.to_json(briefing).decode("utf-8"),
            "empty": not briefing.slides,
        },
        on_restore_change=lambda: None,
        height=0,
    )
