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


@st.cache_data(show_spinner=False, max_entries=4)
def _load(data_dir: str, signature: tuple[tuple[str, int, int], ...]) -> Bundle:
    """``signature`` (every file's modification time and size) is part of the cache key only:
    an edited file is a new key, so changes are seen without a restart."""
    del signature
    return load_bundle(data_dir)


def shipped_bundle() -> Bundle:
    """The validated dataset from ``$DATA_DIR`` (or ``data/``), reloaded when a file changes.

    ``st.cache_data`` hands each caller its own copy, so no session can alter what another sees.
    Raises ``components.data.DataError`` with a clear message when a file is broken.
    """
    folder = default_data_dir()
    return _load(str(folder), files_signature(folder))


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
    shipped one (:func:`shipped_bundle`)."""
    base = shipped_bundle()
    custom = custom_data()
    return base if custom is None else custom.apply(base)
