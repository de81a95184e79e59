"""Derived frames and built figures, computed once per dataset and shared (no copy on a hit).

A page asks ``memo = dataset_memo()`` once per run, then ``memo(fn, *args)`` for
``fn(bundle, *args)``: the result is kept under the dataset's identity (the data folder's files,
their modification times and sizes, plus a fingerprint of this session's uploaded clusters, if
any), the function and its arguments. Another session on the same data, or the same session
after a widget change, gets the very same object back, so:

- ``fn`` must be pure (its result depends on the bundle and ``args`` only; ``args`` hashable);
- the result must never be mutated by its users (figures are drawn, frames only read).

The bundle itself is loaded only on a miss. A bounded LRU (``MAX_ENTRIES``) keeps memory flat.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from components.cached import custom_data, get_bundle, shipped_bundle
from components.data import Bundle, default_data_dir, files_signature
from components.upload import CustomData

T = TypeVar("T")
MAX_ENTRIES = 64  # a compare view with its maps is ~1 MB, a policy timeline ~70 kB: bounded
_FINGERPRINT = "_memo_custom_fingerprint"  # (the CustomData object, its fingerprint)
_CACHE: OrderedDict[Hashable, Any] = OrderedDict()
_LOCK = threading.Lock()


def fingerprint(custom: CustomData) -> str:
    """A digest of an uploaded dataset's content (rows, values, file name and mode)."""
    digest = hashlib.sha256(f"{custom.file_name}\0{custom.mode}".encode())
    for frame in (custom.clusters, custom.organizations):
        digest.update(",".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def dataset_token() -> tuple:
    """The identity of the dataset this session sees (shipped files, or its own upload)."""
    folder = default_data_dir()
    token: tuple = (str(folder), files_signature(folder))
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
        with _LOCK:
            if key in _CACHE:
                _CACHE.move_to_end(key)
                return _CACHE[key]
        value = fn(self.bundle, *args, **derived) if with_bundle else fn(*args, **derived)
        with _LOCK:
            _CACHE[key] = value
            while len(_CACHE) > MAX_ENTRIES:
                _CACHE.popitem(last=False)
        return value


def dataset_memo() -> Memo:
    """The memo of the dataset this run shows (call once per run, at the top of a page)."""
    return Memo(dataset_token(), get_bundle)


def report_memo() -> Memo:
    """The memo of the report's own dataset, whatever this session has uploaded (the report's
    key findings do not change with an uploaded cluster file)."""
    folder = default_data_dir()
    return Memo((str(folder), files_signature(folder)), shipped_bundle)


def clear() -> None:
    """Forget every kept result (tests)."""
    with _LOCK:
        _CACHE.clear()
