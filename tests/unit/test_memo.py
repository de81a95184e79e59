"""components.memo: computed once per dataset object and arguments; shared frames stay intact."""

from __future__ import annotations

import gc
from dataclasses import dataclass

import pandas as pd

from components import memo


@dataclass(frozen=True)
class _Data:
    frame: pd.DataFrame


def test_computed_once_per_dataset_and_arguments() -> None:
    calls: list[tuple[int, str]] = []

    @memo.per_dataset
    def count(data: _Data, word: str) -> int:
        calls.append((id(data), word))
        return len(data.frame) + len(word)

    one, two = _Data(pd.DataFrame({"a": [1, 2]})), _Data(pd.DataFrame({"a": [1]}))
    assert count(one, "x") == 3 and count(one, "x") == 3
    assert count(one, "yy") == 4
    assert count(two, "x") == 2
    assert len(calls) == 3
    assert memo.cached_results(one) == 2


def test_a_changed_frame_leaves_the_shared_result_alone() -> None:
    @memo.per_dataset
    def table(data: _Data) -> pd.DataFrame:
        return data.frame.assign(b=data.frame["a"] * 2)

    data = _Data(pd.DataFrame({"a": [1, 2]}))
    first = table(data)
    first["b"] = 0
    first["c"] = 1
    again = table(data)
    assert list(again.columns) == ["a", "b"] and again["b"].tolist() == [2, 4]


def test_unhashable_arguments_are_computed_not_kept() -> None:
    @memo.per_dataset
    def total(data: _Data, values: list[int]) -> int:
        return sum(values)

    data = _Data(pd.DataFrame())
    assert total(data, [1, 2]) == 3
    assert memo.cached_results(data) == 0


def test_entries_are_bounded_and_go_with_their_dataset() -> None:
    @memo.per_dataset
    def echo(data: _Data, n: int) -> int:
        return n

    data = _Data(pd.DataFrame())
    for n in range(memo.ENTRIES + 10):
        echo(data, n)
    assert memo.cached_results(data) == memo.ENTRIES
    key = id(data)
    del data
    gc.collect()
    assert key not in memo._tables
