"""The one cached entry point pages use to read the dataset."""

from __future__ import annotations

import streamlit as st

from components import briefing as bf
from components import present as pr
from components.data import Bundle, default_data_dir, load_bundle
from components.i18n import Lang


@st.cache_data(show_spinner=False)
def _load(data_dir: str) -> Bundle:
    return load_bundle(data_dir)


def get_bundle() -> Bundle:
    """The validated dataset from ``$DATA_DIR`` (or ``data/``), loaded once per folder.

    ``st.cache_data`` hands each caller its own copy, so no session can alter what another sees.
    Raises ``components.data.DataError`` with a clear message when a file is broken.
    """
    return _load(str(default_data_dir()))


@st.cache_data(show_spinner=False, max_entries=8)
def _deck(data_dir: str, lang: Lang) -> list[pr.SlideView]:
    return [pr.freeze(v) for v in pr.default_deck(_load(data_dir), lang)]


def get_report_deck(lang: Lang) -> list[pr.SlideView]:
    """The default deck of the report's key findings in ``lang`` (figures as plotly JSON)."""
    return _deck(str(default_data_dir()), lang)


@st.cache_data(show_spinner=False, max_entries=256)
def _view(
    data_dir: str, page: str, view: str, params: tuple[tuple[str, str], ...], lang: Lang
) -> pr.SlideView:
    return pr.freeze(bf.render_view(page, view, dict(params), _load(data_dir), lang))


def get_slide_view(slide: bf.Slide, lang: Lang) -> pr.SlideView:
    """A briefing slide drawn from its view (cached per view and language), with its own title
    and notes."""
    base = _view(str(default_data_dir()), slide.page, slide.view, slide.params, lang)
    return bf.apply_slide(base, slide)
