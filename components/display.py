"""One way to show a chart: the figure, its source line, PNG export named after it, a CSV of
exactly the data shown and "add to briefing". Every chart page calls :func:`show_fig`; nothing
else owns ``st.plotly_chart``'s configuration."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from components.briefing_store import briefing_button
from components.charts import plotly_config
from components.export import csv_bytes, file_stem, xlsx_bytes
from components.i18n import Lang, t
from components.safe import escape_md
from components.svg_charts import Svg, as_image


def download_csv(
    table: pd.DataFrame,
    name: str,
    lang: Lang,
    *,
    key: str,
    container: Any = st,
    label: str | None = None,
) -> None:
    """A CSV download button for ``table`` (UTF-8 with BOM), file ``<name>_<lang>.csv``.

    The bytes are encoded when the reader clicks, not on every rerun."""
    container.download_button(
        label or t("common.download_csv", lang),
        data=lambda: csv_bytes(table),  # built when clicked: keeps reruns fast
        file_name=f"{file_stem(name, lang)}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=key,
        on_click="ignore",
    )


def download_xlsx(
    table: pd.DataFrame,
    name: str,
    lang: Lang,
    *,
    key: str,
    label: str | None = None,
    container: Any = st,
) -> None:
    """An XLSX download button for ``table`` (text never stored as a formula), ``<name>_<lang>``."""
    container.download_button(
        label or t("data.tables.download_xlsx", lang),
        data=lambda: xlsx_bytes(table, sheet=name),  # built when clicked: keeps reruns fast
        file_name=f"{file_stem(name, lang)}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        key=key,
        on_click="ignore",
    )


def show_fig(
    fig: Any,
    *,
    key: str,
    name: str,
    source: str,
    lang: Lang,
    table: pd.DataFrame | None = None,
    on_select: str = "ignore",
    selection_mode: str | Sequence[str] = "points",
    view: str | None = None,
    briefing: bool = True,
    note: str | None = None,
) -> Any:
    """Draw ``fig`` with the house toolbar (PNG ``<name>_<lang>.png``), its source line below,
    when ``table`` is given a CSV download of exactly that table, and "add to briefing".

    ``view`` names the chart for the briefing (default: ``key`` without the ``_<n>`` suffix that
    ``url_click`` appends); a renderer registered under that name in ``components.briefing``
    redraws the slide from the URL's parameters. ``briefing=False`` leaves the control out.
    ``note``: a line shown after the source in the same caption (not part of the slide).
    Returns the selection event."""
    event = st.plotly_chart(
        fig,
        key=key,
        on_select=on_select,  # type: ignore[arg-type]
        selection_mode=selection_mode,  # type: ignore[arg-type]
        config=plotly_config(file_stem(name, lang)),
        width="stretch",
    )
    st.caption(source if note is None else f"{source}\n\n{note}")
    # The buttons share a row; a lone "add to briefing" needs none (one element less).
    row = (
        st.container(horizontal=True, gap="small", vertical_alignment="center")
        if table is not None
        else st
    )
    if table is not None:
        download_csv(table, name, lang, key=f"{key}_csv", container=row)
    if briefing:
        view_id = view or _GENERATION.sub("", key)
        briefing_button(view_id, lang, fig=fig, source=source, container=row, key=f"{key}_brief")
    return event


_GENERATION = re.compile(r"_[0-9]+$")
_CSS_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def wrapping_links(key: str) -> Any:
    """A container (``st.container(key=key)``) in which page links wrap a long label onto more
    lines: Streamlit draws a link's label on one line and cuts it at the column's edge ("… · Ge").
    Styled through the container's own ``st-key-<key>`` class, not Streamlit's test ids."""
    if not _CSS_KEY.fullmatch(key):
        raise ValueError(f"not a CSS-safe key: {key!r}")
    box = st.container(key=key)
    # A style-only st.html takes no space on the page. A wrapped label's lines sit closer
    # together than the links do; a one-line link is as tall as before.
    box.html(
        f"<style>.st-key-{key} a span{{white-space:normal;overflow-wrap:anywhere}}"
        f".st-key-{key} a p{{line-height:1.4}}"
        f".st-key-{key} a{{min-height:1.75rem;padding-top:.15rem;padding-bottom:.15rem}}</style>"
    )
    return box


SVG_PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n'


def show_svg(
    svg: Svg,
    *,
    key: str,
    name: str,
    source: str,
    lang: Lang,
    table: pd.DataFrame | None = None,
    fig: Any = None,
    view: str | None = None,
    briefing: bool = True,
    note: str = "",
) -> None:
    """Draw a chart made by ``components.svg_charts`` (no chart code for the browser to load)
    with the same furniture as :func:`show_fig`: ``note`` (plain text, optional) and its source
    line below, a CSV download of exactly ``table`` when given, an SVG download of the image
    (``<name>_<lang>.svg``, in place of plotly's PNG button) and "add to briefing" (``fig``: the
    plotly figure the briefing draws; ``view`` as in :func:`show_fig`). The chart sits in a
    container keyed ``key``."""
    if not isinstance(svg, Svg):  # only the builders' output, every text in it escaped
        raise TypeError("show_svg draws components.svg_charts output only")
    with st.container(key=key):
        st.html(as_image(svg))  # an <img>: drawn natively, no script (st.html strips inline SVG)
    if note:
        st.caption(escape_md(note))
    st.caption(source)
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    if table is not None:
        download_csv(table, name, lang, key=f"{key}_csv", container=row)
    row.download_button(
        t("common.download_svg", lang),
        data=SVG_PROLOG + svg,
        file_name=f"{file_stem(name, lang)}.svg",
        mime="image/svg+xml",
        icon=":material/image:",
        key=f"{key}_svg",
        on_click="ignore",
    )
    if briefing:
        view_id = view or _GENERATION.sub("", key)
        briefing_button(view_id, lang, fig=fig, source=source, container=row, key=f"{key}_brief")
