"""One way to show a chart: the figure, its source line, PNG export named after it and a CSV of
exactly the data shown. Every chart page calls :func:`show_fig`; nothing else owns
``st.plotly_chart``'s configuration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from components.charts import plotly_config
from components.export import csv_bytes, file_stem, xlsx_bytes
from components.i18n import Lang, t


def download_csv(
    table: pd.DataFrame,
    name: str,
    lang: Lang,
    *,
    key: str,
    container: Any = st,
    label: str | None = None,
) -> None:
    """A CSV download button for ``table`` (UTF-8 with BOM), file ``<name>_<lang>.csv``."""
    container.download_button(
        label or t("common.download_csv", lang),
        data=csv_bytes(table),
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
) -> Any:
    """Draw ``fig`` with the house toolbar (PNG ``<name>_<lang>.png``), its source line below and,
    when ``table`` is given, a CSV download of exactly that table. Returns the selection event."""
    event = st.plotly_chart(
        fig,
        key=key,
        on_select=on_select,  # type: ignore[arg-type]
        selection_mode=selection_mode,  # type: ignore[arg-type]
        config=plotly_config(file_stem(name, lang)),
        width="stretch",
    )
    st.caption(source)
    if table is not None:
        download_csv(table, name, lang, key=f"{key}_csv")
    return event
