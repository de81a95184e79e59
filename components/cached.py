"""The one cached entry point pages use to read the dataset."""

from __future__ import annotations

import streamlit as st

from components.data import Bundle, default_data_dir, load_bundle


@st.cache_data(show_spinner=False)
def _load(data_dir: str) -> Bundle:
    return load_bundle(data_dir)


def get_bundle() -> Bundle:
    """The validated dataset from ``$DATA_DIR`` (or ``data/``), loaded once per folder.

    ``st.cache_data`` hands each caller its own copy, so no session can alter what another sees.
    Raises ``components.data.DataError`` with a clear message when a file is broken.
    """
    return _load(str(default_data_dir()))
