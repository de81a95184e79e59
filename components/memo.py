"""Derived frames and built figures, computed once per dataset and shared between reruns and
sessions, in one bounded store.

Two ways in, one store:

- ``@per_dataset`` on a component function ``fn(bundle, *args)``: kept under the bundle
  *object*. ``components.cached`` hands every rerun the same object while the data files are
  unchanged (and a session with uploaded data its own kept object), so this is "once per
  dataset"; when the object goes (a file edited, an upload replaced), its entries go with it.
- A page asks ``memo = dataset_memo()`` once per run, then ``memo(fn, *args)`` for
  ``fn(bundle, *args)``: kept under the dataset's identity (the data folder's files, their
  modification times and sizes, plus a fingerprint of this session's uploaded clusters), the
  function and its arguments. The bundle is loaded only on a miss.

Either way another session on the same data, or the same session after a widget change, gets the
kept result back, so ``fn`` must be pure (``args`` hashable) and results are never mutated by
their users (figures are drawn, frames only read). DataFrames and Series are handed out as
shallow copies: under pandas' copy-on-write a changed copy (a new column, a cell) copies its data
and leaves the kept one alone. A least-recently-used bound (``MAX_ENTRIES``) keeps memory flat.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from components.data import Bundle, default_data_dir, files_signature
from components.upload import CustomData

P = ParamSpec("P")
T = TypeVar("T")
MAX_ENTRIES = 128  # views and frozen figures (compare views are the largest): bounded
_FINGERPRINT = "_memo_custom_fingerprint"  # (the CustomData object, its fingerprint)
_CACHE: OrderedDict[Hashable, Any] = OrderedDict()
_LOCK = threading.RLock()  # re-entrant: a finalizer may run while it is held
_MISSING = object()


def _handout(value: T) -> T:
    """What a caller gets: the kept data, in its own frame object (see the module docstring)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)  # type: ignore[return-value]
    return value


def _lookup(key: Hashable) -> Any:
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    return _MISSING


def _keep(key: Hashable, value: Any) -> None:
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > MAX_ENTRIES:
            _CACHE.popitem(last=False)


# --- keyed on the bundle object -------------------------------------------------------------------
_WATCHED: set[int] = set()  # ids of bundles whose end is watched (their entries dropped then)


def _forget(ident: int) -> None:
    with _LOCK:
        _WATCHED.discard(ident)
        for key in [k for k in _CACHE if k[0] == ("bundle", ident)]:
            del _CACHE[key]


def _owner(dataset: object) -> tuple[str, int]:
    ident = id(dataset)
    with _LOCK:
        if ident not in _WATCHED:
            _WATCHED.add(ident)
            weakref.finalize(dataset, _forget, ident)
    return ("bundle", ident)


def per_dataset(fn: Callable[P, T]) -> Callable[P, T]:
    """Decorate ``fn(dataset, *args, **kwargs)``: computed once per dataset object and hashable
    arguments (an unhashable argument: computed, not kept)."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        key = (_owner(args[0]), name, args[1:], tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:
            return fn(*args, **kwargs)
        value = _lookup(key)
        if value is _MISSING:
            value = fn(*args, **kwargs)
            _keep(key, value)
        return _handout(value)

    return wrapper


def cached_results(dataset: object) -> int:
    """How many results are kept for the bundle object ``dataset`` (tests and benchmarks)."""
    owner = ("bundle", id(dataset))
    with _LOCK:
        return sum(1 for k in _CACHE if k[0] == owner)


# --- keyed on the dataset's identity (pages) -----------------------------------------------------
def fingerprint(custom: CustomData) -> str:
    """A digest of an uploaded dataset's content (rows, values, file name and mode)."""
    digest = hashlib.sha256(f"{custom.file_name}\0{custom.mode}".encode())
    for frame in (custom.clusters, custom.organizations):
        digest.update(",".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def dataset_token() -> tuple:
    """The identity of the dataset this session sees (shipped files, or its own upload)."""
    from components.cached import custom_data  # imported late: a cycle through matrices

    folder = default_data_dir()
    token: tuple = ("files", str(folder), files_signature(folder))
    custom = custom_data()
    if custom is None:
        return token
    kept = st.session_state.get(_FINGERPRINT)
    if kept is None or kept[0] is not custom:  # fingerprint each upload once per session
        kept = (custom, fingerprint(custom))
        st.session_state[_FINGERPRINT] = kept
    return (*token, kept[1])


class Memo:
    """``memo(fn, *args)`` → ``fn(bundle, *args)``, kept per dataset (see the module doc)."""

    def __init__(self, token: Hashable, load: Callable[[], Bundle]) -> None:
        self.token = token
        self._load = load
        self._bundle: Bundle | None = None

    @property
    def bundle(self) -> Bundle:
        """The dataset (loaded on first use)."""
        if self._bundle is None:
            self._bundle = self._load()
        return self._bundle

    def __call__(self, fn: Callable[..., T], *args: Hashable, **derived: Any) -> T:
        """``fn(bundle, *args, **derived)``, kept under ``args``. ``derived`` passes values
        that ``args`` determine (e.g. a kept intermediate result): they are not part of the key."""
        return self._get(fn, args, derived, with_bundle=True)

    def plain(self, fn: Callable[..., T], *args: Hashable, **derived: Any) -> T:
        """``fn(*args, **derived)`` (no bundle), kept under ``args`` for this dataset."""
        return self._get(fn, args, derived, with_bundle=False)

    def _get(self, fn: Callable[..., T], args: tuple, derived: dict, *, with_bundle: bool) -> T:
        code = getattr(fn, "__code__", None)  # page functions share the module "__main__"
        where = code.co_filename if code is not None else getattr(fn, "__module__", None)
        key = (self.token, where, fn.__qualname__, with_bundle, args)
        value = _lookup(key)
        if value is _MISSING:
            value = fn(self.bundle, *args, **derived) if with_bundle else fn(*args, **derived)
            _keep(key, value)
        return _handout(value)


def dataset_memo() -> Memo:
    """The memo of the dataset this run shows (call once per run, at the top of a page)."""
    from components.cached import get_bundle

    return Memo(dataset_token(), get_bundle)


def report_memo() -> Memo:
    """The memo of the report's own dataset, whatever this session has uploaded (the report's
    key findings do not change with an uploaded cluster file)."""
    from components.cached import shipped_bundle

    folder = default_data_dir()
    return Memo(("files", str(folder), files_signature(folder)), shipped_bundle)


def clear() -> None:
    """Forget every kept result (tests)."""
    with _LOCK:
        _CACHE.clear()
