"""Results derived from a dataset, computed once per dataset instead of once per rerun.

``components.cached`` hands every rerun the *same* :class:`~components.data.Bundle` object while
the data files are unchanged (and each session with uploaded data its own, also kept). Keyed on
that object, a function decorated with :func:`per_dataset` runs once per dataset and arguments;
when the dataset is replaced (a file edited, an upload) its entries go with it.

Results are shared between reruns and sessions. DataFrames and Series are handed out as shallow
copies: under pandas' copy-on-write, changing one (a new column, a cell) copies the data and
leaves the shared result alone. Other results (tuples, numbers, frozen dataclasses) must be
immutable; dicts are copied one level deep.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

import pandas as pd

P = ParamSpec("P")
T = TypeVar("T")

ENTRIES = 512  # per dataset; the map keeps one per filter combination, so a bound is needed
_tables: dict[int, OrderedDict[Hashable, Any]] = {}
_lock = threading.Lock()


def _handout(value: T) -> T:
    """What a caller gets: shared data, but its own frame objects (see the module docstring)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {k: _handout(v) for k, v in value.items()}  # type: ignore[return-value]
    return value


def _table(dataset: object) -> OrderedDict[Hashable, Any]:
    key = id(dataset)
    table = _tables.get(key)
    if table is None:
        table = _tables[key] = OrderedDict()
        weakref.finalize(dataset, _tables.pop, key, None)  # the dataset gone: its entries too
    return table


def per_dataset(fn: Callable[P, T]) -> Callable[P, T]:
    """Decorate ``fn(dataset, *args, **kwargs)``: computed once per dataset object and hashable
    arguments, at most :data:`ENTRIES` results per dataset (least recently used dropped)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        dataset, rest = args[0], args[1:]
        key = (name, rest, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:  # an unhashable argument (a list): computed, not kept
            return fn(*args, **kwargs)
        with _lock:
            table = _table(dataset)
            if key in table:
                table.move_to_end(key)
                return _handout(table[key])
        value = fn(*args, **kwargs)
        with _lock:
            table[key] = value
            while len(table) > ENTRIES:
                table.popitem(last=False)
        return _handout(value)

    wrapper.uncached = fn  # type: ignore[attr-defined]
    return wrapper


def cached_results(dataset: object) -> int:
    """How many results are kept for ``dataset`` (for tests and benchmarks)."""
    with _lock:
        return len(_tables.get(id(dataset), ()))
