"""Shared look of every plotly chart: fonts, palette, layout and toolbar config. No ``st.*``."""

from __future__ import annotations

import plotly.graph_objects as go

# Fonts installed with Debian's fonts-noto-cjk; the others are common fall-backs on desktops.
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "Helvetica Neue", Arial, sans-serif'
)
BASE_FONT_SIZE = 16

# Okabe–Ito colour-blind-safe palette, one colour per sector (yellow left out: unreadable on white).
SECTOR_COLORS: dict[str, str] = {
    "electronics": "#0072B2",
    "equipment": "#E69F00",
    "biomed": "#CC79A7",
    "materials": "#009E73",
    "consumer": "#D55E00",
    "nev": "#56B4E9",
}


def hex_to_rgb(color: str) -> list[int]:
    """``"#0072B2"`` → ``[0, 114, 178]``."""
    color = color.lstrip("#")
    return [int(color[i : i + 2], 16) for i in (0, 2, 4)]


def apply_layout(
    fig: go.Figure, *, title: str | None = None, height: int | None = None
) -> go.Figure:
    """Apply the house layout (projector-readable fonts, calm margins) and return ``fig``."""
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": "#1f2933"},
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}} if title else None,
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 15}},
    )
    if height:
        fig.update_layout(height=height)
    return fig


def plotly_config(filename: str) -> dict:
    """Toolbar config: PNG download at 2× named after the chart, no plotly logo, no network."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }
