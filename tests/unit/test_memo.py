"""The per-dataset memo and the frozen figures and maps the pages keep."""

from __future__ import annotations

import dataclasses
import gc
import json
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pydeck as pdk
import pytest

from components import memo as mm
from components.charts import FrozenDeck, FrozenFigure, frozen, is_frozen
from components.data import load_bundle
from components.upload import CustomData

BUNDLE = load_bundle()


@pytest.fixture(autouse=True)
def _fresh() -> None:
    mm.clear()


def _counting() -> tuple[list[int], object]:
    loads: list[int] = []

    def load() -> object:
        loads.append(1)
        return BUNDLE

    return loads, load


def n_policies(bundle: object, lang: str) -> dict:
    """A pure function of the bundle (a fresh dict per call)."""
    return {"n": len(bundle.policies), "lang": lang}  # type: ignore[attr-defined]


def test_a_kept_result_is_the_same_object_and_the_bundle_loads_only_on_a_miss() -> None:
    loads, load = _counting()
    first = mm.Memo(("data", 1), load)(n_policies, "en")
    again = mm.Memo(("data", 1), load)(n_policies, "en")  # another run, same dataset
    assert again is first and first == {"n": len(BUNDLE.policies), "lang": "en"}
    assert len(loads) == 1
    other_lang = mm.Memo(("data", 1), load)(n_policies, "zh")
    assert other_lang["lang"] == "zh" and len(loads) == 2


def test_another_dataset_is_another_key() -> None:
    loads, load = _counting()
    a = mm.Memo(("data", 1), load)(n_policies, "en")
    b = mm.Memo(("data", 2), load)(n_policies, "en")  # a file changed, or an upload
    assert a is not b and len(loads) == 2


def test_derived_values_are_passed_but_not_keyed() -> None:
    def total(bundle: object, k: int, *, extra: int) -> int:
        return k + extra

    memo = mm.Memo(("data", 1), lambda: BUNDLE)
    assert memo(total, 1, extra=10) == 11
    assert memo(total, 1, extra=99) == 11  # kept under (total, 1): extra follows from the args


def test_plain_functions_and_functions_of_the_same_name_do_not_collide() -> None:
    memo = mm.Memo(("data", 1), lambda: BUNDLE)
    assert memo.plain(str.upper, "abc") == "ABC"

    def make(value: int):  # two functions with one qualname in one file
        def f(bundle: object) -> int:
            return value

        return f

    assert memo(make(1)) == 1
    assert memo(make(2)) == 1  # same file, line and name: the caller must pass what differs


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mm, "MAX_ENTRIES", 3)
    memo = mm.Memo(("data", 1), lambda: BUNDLE)
    for k in range(10):
        memo(n_policies, str(k))
    assert len(mm._CACHE) == 3


def test_fingerprint_follows_the_uploaded_content() -> None:
    def custom(clusters: object, name: str = "mine.csv") -> CustomData:
        return CustomData(name, "add", clusters, BUNDLE.organizations, 1, 0)  # type: ignore[arg-type]

    base = mm.fingerprint(custom(BUNDLE.clusters))
    assert base == mm.fingerprint(custom(BUNDLE.clusters.copy()))
    edited = BUNDLE.clusters.copy()
    edited.loc[0, "name_en"] = "Another name"
    assert mm.fingerprint(custom(edited)) != base
    assert mm.fingerprint(custom(BUNDLE.clusters.iloc[1:])) != base
    assert mm.fingerprint(custom(BUNDLE.clusters, "other.csv")) != base
    mode = dataclasses.replace(custom(BUNDLE.clusters), mode="replace")
    assert mm.fingerprint(mode) != base


def test_a_frozen_figure_serialises_as_the_figure_did() -> None:
    fig = go.Figure(go.Bar(x=[1, 2, 3], y=[3, 1, 2], name="a"))
    fig.update_layout(title="t", height=300)
    expected = pio.to_json(fig, validate=False)
    assert frozen(fig) is fig and isinstance(fig, FrozenFigure)
    assert pio.to_json(fig, validate=False) == expected
    assert pio.to_json(fig, validate=False) == expected  # the kept dict survives a draw
    assert fig.to_dict() is fig.to_dict()
    assert json.loads(fig.to_json())["layout"]["height"] == 300


def test_a_frozen_deck_serialises_once() -> None:
    deck = pdk.Deck(
        layers=[pdk.Layer("ScatterplotLayer", data=[{"x": 1, "y": 2}], get_position=["x", "y"])],
        map_provider=None,
    )
    expected = deck.to_json()
    assert frozen(deck) is deck and isinstance(deck, FrozenDeck)
    assert deck.to_json() == expected and deck.to_json() is deck.to_json()


# --- @per_dataset: keyed on the bundle object ---------------------------------------------------
@dataclass(frozen=True)
class _Data:
    frame: pd.DataFrame


def test_computed_once_per_dataset_and_arguments() -> None:
    calls: list[tuple[int, str]] = []

    @mm.per_dataset
    def count(data: _Data, word: str) -> int:
        calls.append((id(data), word))
        return len(data.frame) + len(word)

    one, two = _Data(pd.DataFrame({"a": [1, 2]})), _Data(pd.DataFrame({"a": [1]}))
    assert count(one, "x") == 3 and count(one, "x") == 3
    assert count(one, "yy") == 4
    assert count(two, "x") == 2
    assert len(calls) == 3
    assert mm.cached_results(one) == 2


def test_a_changed_frame_leaves_the_shared_result_alone() -> None:
    @mm.per_dataset
    def table(data: _Data) -> pd.DataFrame:
        return data.frame.assign(b=data.frame["a"] * 2)

    data = _Data(pd.DataFrame({"a": [1, 2]}))
    first = table(data)
    first["b"] = 0
    first["c"] = 1
    again = table(data)
    assert list(again.columns) == ["a", "b"] and again["b"].tolist() == [2, 4]


def test_unhashable_arguments_are_computed_not_kept() -> None:
    @mm.per_dataset
    def total(data: _Data, values: list[int]) -> int:
        return sum(values)

    data = _Data(pd.DataFrame())
    assert total(data, [1, 2]) == 3
    assert mm.cached_results(data) == 0


def test_entries_are_bounded_and_go_with_their_dataset() -> None:
    @mm.per_dataset
    def echo(data: _Data, n: int) -> int:
        return n

    data = _Data(pd.DataFrame())
    for n in range(mm.MAX_ENTRIES + 10):
        echo(data, n)
    assert mm.cached_results(data) == mm.MAX_ENTRIES
    probe = _Data(pd.DataFrame())
    echo(probe, 1)
    assert mm.cached_results(probe) == 1
    del data, probe
    gc.collect()
    assert not [k for k in mm._CACHE if k[0][0] == "bundle"]


def test_the_apps_own_deck_is_frozen_too() -> None:
    """``map_view.build_deck`` returns the app's ``Deck`` (not pydeck's): freezing it keeps its
    JSON (the compare page's maps were serialised on every rerun before)."""
    from components import map_view as mv

    points = pd.DataFrame(
        {"cluster_id": ["a"], "x": [8.0], "y": [47.0], "sector": ["biomed"], "name_en": ["A"]}
    )
    deck = mv.build_deck(points, mv.COUNTRIES_URL, "en", rows=[])
    expected = deck.to_json()
    assert frozen(deck) is deck and is_frozen(deck) and isinstance(deck, mv.Deck)
    assert deck.to_json() == expected and deck.to_json() is deck.to_json()
    other = frozen(mv.build_deck(points, mv.COUNTRIES_URL, "en", rows=[]))
    assert type(other) is type(deck)  # one frozen class per deck class
