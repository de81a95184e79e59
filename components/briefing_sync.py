"""Keep the briefing in the browser (``localStorage``), so a reload does not lose it.

A Streamlit session ends when the page reloads; the briefing the reader built would go with it.
An ``st.components.v2`` component (JavaScript in the app's page, no iframe) saves the briefing
file's JSON to ``localStorage`` after every run. While a new session has no briefing and has not
answered (``fresh``), it keeps the stored one and sends it back, again after a while should no
answer come (a few times per page load). What comes back is read like an uploaded file
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
SETTLED = "_briefing_sync_settled"  # this session has had a briefing, or has read the browser's
MAX_ASKS = 4  # times a page load sends the kept briefing back while the session has none
RETRY_MS = 4000  # ... waiting this long for an answer between two

_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || typeof data.save !== 'string') return;
  let stored = null;
  try { stored = window.localStorage.getItem(data.key); } catch (e) { return; }
  const sync = window.__clusterAtlasBriefing
    || (window.__clusterAtlasBriefing = { asks: 0, timer: 0, fresh: false });
  sync.fresh = data.fresh;
  if (data.fresh && stored && stored !== data.save) {
    // A new session with no briefing yet: send the kept one back, and keep it meanwhile. Should
    // no answer come (the run that carried it was lost), ask again: a few times at most.
    const ask = () => {
      sync.timer = 0;
      if (!sync.fresh || sync.asks >= data.asks) return;
      sync.asks += 1;
      setTriggerValue('restore', stored);
      sync.timer = window.setTimeout(ask, data.retryMs);
    };
    if (!sync.timer) ask();
    return;
  }
  window.clearTimeout(sync.timer);
  sync.timer = 0;
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
    if not isinstance(raw, str) or not raw:
        return
    already = get_briefing().slides or st.session_state.get(SETTLED)
    st.session_state[SETTLED] = True  # answered: the browser stops asking
    if already:
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


def payload() -> dict[str, object]:
    """What the browser's side is told after a run: where to keep the briefing, the briefing's
    file (JSON), and whether the session is still ``fresh`` (no briefing yet, none answered)."""
    briefing = get_briefing()
    if briefing.slides:
        st.session_state[SETTLED] = True  # emptied later by the reader: kept empty
    return {
        "key": STORAGE_KEY,
        "save": bf.to_json(briefing).decode("utf-8"),
        "fresh": not st.session_state.get(SETTLED),
        "asks": MAX_ASKS,
        "retryMs": RETRY_MS,
    }


def mount() -> None:
    """After the page: hand the briefing to the browser to keep (:func:`payload`)."""
    _component(key=KEY, data=payload(), on_restore_change=lambda: None, height=0)
