"""The one cached entry point pages use to read the dataset, and this session's own data.

``get_bundle()`` returns the report's dataset (``$DATA_DIR`` or ``data/``), or, while the reader
has uploaded a cluster file on the data page, that session's custom bundle. The custom data lives
in ``st.session_state`` only: the shipped files are never written and no other session sees it.
"""

from __future__ import annotations

import streamlit as st

from components.data import Bundle, default_data_dir, files_signature, load_bundle
from components.upload import CustomData

CUSTOM_KEY = "_custom_data"
_APPLIED_KEY = "_custom_bundle"  # (shipped bundle, custom data, the two combined)


# The last (folder, signature, bundle) of shipped_bundle(): st.cache_resource hashes its arguments
# on every call (about 0.3 ms, several calls per rerun); this skips that while nothing changed.
_last_load: tuple[str, tuple[tuple[str, int, int], ...], Bundle] | None = None
# What preload() loaded before the first script run (a launcher's start-up thread): handed to the
# first _load of the same folder and files, so every session gets that very object.
_preloaded: tuple[str, tuple[tuple[str, int, int], ...], Bundle] | None = None


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(data_dir: str, signature: tuple[tuple[str, int, int], ...]) -> Bundle:
    """``signature`` (every file's modification time and size) is part of the cache key only:
    an edited file is a new key, so changes are seen without a restart."""
    global _preloaded
    kept, _preloaded = _preloaded, None
    if kept is not None and kept[0] == data_dir and kept[1] == signature:
        return kept[2]
    return load_bundle(data_dir)


def preload() -> Bundle:
    """Load and validate the shipped dataset outside a script run (``load_bundle``: the same
    checks) and keep it for the first :func:`shipped_bundle` call of the same folder and files.
    For a launcher's start-up thread (``components.warmup.prestart``): no ``st.*`` is touched,
    so nothing warns about a missing script run. Returns the bundle (results derived from it
    are kept for the sessions: ``components.memo``)."""
    global _preloaded
    folder = str(default_data_dir())
    signature = files_signature(folder)
    bundle = load_bundle(folder)
    if files_signature(folder) == signature:  # not kept if a file changed meanwhile
        _preloaded = (folder, signature, bundle)
    return bundle


def shipped_bundle() -> Bundle:
    """The validated dataset from ``$DATA_DIR`` (or ``data/``), reloaded when a file changes.

    Every rerun and session gets the *same* object (``st.cache_resource``: no copy per call, and
    ``components.memo`` keys derived results on it). Nothing may change it in place: pandas'
    copy-on-write keeps derived frames apart, and a test runs every page and compares the shared
    bundle with a fresh load. Raises ``components.data.DataError`` with a clear message when a
    file is broken.
    """
    global _last_load
    folder = str(default_data_dir())
    signature = files_signature(folder)
    last = _last_load
    if last is not None and last[0] == folder and last[1] == signature:
        return last[2]  # what _load returned for this key, without st.cache's hashing per call
    bundle = _load(folder, signature)
    _last_load = (folder, signature, bundle)
    return bundle


def custom_data() -> CustomData | None:
    """This session's uploaded clusters, if the reader has chosen to use them."""
    value = st.session_state.get(CUSTOM_KEY)
    return value if isinstance(value, CustomData) else None


def use_custom(data: CustomData | None) -> None:
    """Make ``data`` this session's dataset (None: back to the report's data)."""
    if data is None:
        st.session_state.pop(CUSTOM_KEY, None)
    else:
        st.session_state[CUSTOM_KEY] = data


def get_bundle() -> Bundle:
    """The dataset every page shows: the session's custom bundle when one is active, else the
    shipped one (:func:`shipped_bundle`). The custom bundle is built once per upload and kept in
    the session, so it too is the same object on every rerun."""
    base = shipped_bundle()
    custom = custom_data()
    if custom is None:
        st.session_state.pop(_APPLIED_KEY, None)
        return base
    kept = st.session_state.get(_APPLIED_KEY)
    if isinstance(kept, tuple) and kept[0] is base and kept[1] is custom:
        return kept[2]
    bundle = custom.apply(base)
    st.session_state[_APPLIED_KEY] = (base, custom, bundle)
    return bundle
