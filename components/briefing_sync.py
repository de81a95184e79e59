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

KEY = "briefing_sync"
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


def restore(lang: Lang) -> None:
    """Before the page runs: take the briefing the browser sent back, if it is valid and the
    session has none yet."""
    result = st.session_state.get(KEY)
    raw = result.get("restore") if hasattr(result, "get") else None
    if not isinstance(raw, str) or not raw or get_briefing().slides:
        return
    try:
        loaded, skipped = bf.read_briefing(raw.encode("utf-8"), get_bundle())
    except bf.BriefingError:
        return
    set_briefing(loaded)
    if loaded.slides:
        st.toast(t("present.restored", lang, n=len(loaded.slides)), icon=":material/history:")
    if skipped:
        views = ", ".join(view for _, view in skipped)
        st.toast(t("present.skipped", lang, n=len(skipped), views=views), icon="⚠️")


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
