"""A download a reader clicked while the page was rerunning still downloads.

The app's download buttons build their file when clicked (``st.download_button(data=callable)``:
reruns stay fast). Streamlit registers the callable under a new id on every run and, at the end of
a run, forgets the ids no session shows any more. A click sent by a button the browser still
showed from the run before (the page had just loaded and was rerunning for its viewport, or a
filter had just changed) names a forgotten id: the server answers "Failed to generate file for
download" and nothing downloads. Measured here, under load: 3 of 8 clicks on the present page's
HTML export right after it appeared failed so.

:func:`keep_replaced_downloads` keeps a forgotten callable for ``GRACE_S`` seconds, for such a
click only: it downloads the file of the button the reader clicked. A button Streamlit disables
(``remove_deferred``) is revoked at once, as before. Checked against Streamlit 1.67's
``runtime/media_file_manager.py``; ``tests/unit/test_downloads.py`` fails if that changes.
"""

from __future__ import annotations

import time
from typing import Any

from streamlit.runtime.media_file_manager import MediaFileManager

GRACE_S = 30.0
_KEPT = "_atlas_replaced_downloads"  # on the manager: file id -> (monotonic time forgotten, entry)


def _kept(manager: MediaFileManager) -> dict[str, tuple[float, Any]]:
    return manager.__dict__.setdefault(_KEPT, {})


def keep_replaced_downloads(grace_s: float = GRACE_S) -> None:
    """Patch Streamlit's media file manager (once per process): callables its end-of-run sweep
    forgets stay executable for ``grace_s`` seconds."""
    if getattr(MediaFileManager, "_atlas_grace_s", None) is not None:
        return
    sweep = MediaFileManager._remove_orphaned_deferred_callables
    execute = MediaFileManager.execute_deferred

    def _remove_orphaned_deferred_callables(self: MediaFileManager) -> None:
        # Called with the manager's lock held.
        before = dict(self._deferred_callables)
        sweep(self)
        now = time.monotonic()
        kept = _kept(self)
        for file_id, entry in before.items():
            if file_id not in self._deferred_callables:
                kept[file_id] = (now, entry)
        for file_id in [f for f, (at, _) in kept.items() if now - at > grace_s]:
            del kept[file_id]

    def execute_deferred(self: MediaFileManager, file_id: str) -> str:
        with self._lock:
            found = _kept(self).get(file_id)
            revived = (
                file_id not in self._deferred_callables
                and found is not None
                and time.monotonic() - found[0] <= grace_s
            )
            if revived:
                self._deferred_callables[file_id] = found[1]
        try:
            return execute(self, file_id)
        finally:
            if revived:
                with self._lock:
                    if self._deferred_callables.get(file_id) is found[1]:
                        del self._deferred_callables[file_id]

    MediaFileManager._remove_orphaned_deferred_callables = _remove_orphaned_deferred_callables
    MediaFileManager.execute_deferred = execute_deferred
    MediaFileManager._atlas_grace_s = grace_s
