"""The house layout: built once as a dict, applied to built figures exactly as update_layout
would, and frozen figures shown from a spec serialised once."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from components.charts import (
    FONT_FAMILY,
    apply_layout,
    freeze,
    frozen_spec,
    house_layout,
    merge,
)


def _reference(fig: go.Figure, title: str | None, height: int | None) -> go.Figure:
    """The house layout as plotly's own update_layout applies it."""
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": 16, "color": "#1f2933"},
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 20}} if title else None,
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 15}},
    )
    if height:
        fig.update_layout(height=height)
    return fig


def _figure() -> go.Figure:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    # Settings made before the house layout: merged (kept where the house sets nothing).
    fig.update_layout(
        title={"text": "old", "subtitle": {"text": "sub"}},
        hoverlabel={"bgcolor": "#eeeeee"},
        font={"size": 11},
        legend={"orientation": "h"},
    )
    return fig


@pytest.mark.parametrize(("title", "height"), [("A title", 300), (None, 420), (None, None)])
def test_apply_layout_equals_update_layout(title: str | None, height: int | None) -> None:
    expected = _reference(_figure(), title, height).to_dict()
    assert apply_layout(_figure(), title=title, height=height).to_dict() == expected


def test_house_layout_at_construction_is_the_applied_layout() -> None:
    built = go.Figure(go.Bar(x=[1], y=[1]), layout=house_layout(title="T", height=200))
    applied = apply_layout(go.Figure(go.Bar(x=[1], y=[1])), title="T", height=200)
    assert built.to_dict() == applied.to_dict()


def test_house_layout_merges_extra_settings() -> None:
    layout = house_layout(title="T", margin={"t": 99}, bargap=0.3)
    assert layout["title"]["text"] == "T" and layout["title"]["font"]["size"] == 20
    assert layout["margin"] == {"l": 10, "r": 10, "t": 99, "b": 10}
    assert layout["bargap"] == 0.3
    merged = merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}, "d": 4})
    assert merged == {"a": {"b": 1, "c": 3}, "d": 4}


def test_frozen_figure_is_shown_from_its_spec() -> None:
    fig = go.Figure(go.Bar(x=["a"], y=[1]), layout=house_layout(title="T"))
    assert frozen_spec(fig) is None
    assert frozen_spec(freeze(fig)) == fig.to_dict()

    def page() -> None:
        import plotly.graph_objects as go
        import streamlit as st

        from components.charts import freeze

        fig = go.Figure(go.Bar(x=["a"], y=[1]), layout={"title": {"text": "T"}})
        st.plotly_chart(fig, key="plain")
        st.plotly_chart(freeze(go.Figure(fig)), key="frozen")

    at = AppTest.from_function(page).run()
    plain, frozen = (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    assert frozen == plain
