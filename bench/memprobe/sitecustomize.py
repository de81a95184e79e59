"""Memory probe for a benchmark server (bench only; never on the app's own path).

``bench_concurrency.py --probe`` puts this folder first on the server's ``PYTHONPATH``, so Python
imports it at start-up. With ``BENCH_MEMPROBE=<file.jsonl>`` set, each SIGUSR1 appends one JSON
line to that file: RSS; ``gc.collect()`` then RSS; glibc ``malloc_trim(0)`` then RSS (what the
allocator gave back: memory Python had already freed but the process still held); the heap
arenas' in-use and free bytes (``mallinfo2``); pymalloc's arenas; the number of live objects
of the commonest types; the size of every ``st.cache_data`` cache; the live Streamlit sessions;
pyarrow's memory pool.
With ``BENCH_TRACEMALLOC=<frames>`` it also traces Python allocations from start-up and writes a
snapshot per probe next to the JSONL file (``<file>.<n>.tracemalloc``) to compare later.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import sys
import time
from collections import Counter

_OUT = os.environ.get("BENCH_MEMPROBE")
_FRAMES = int(os.environ.get("BENCH_TRACEMALLOC", "0") or 0)


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(ln.split()[1]) for ln in fh if ln.startswith("VmRSS:"))


def _mallinfo(libc: ctypes.CDLL) -> dict[str, int]:
    libc.mallinfo2.restype = _MallInfo2
    mi = libc.mallinfo2()
    # arena: bytes obtained with sbrk + mmapped heaps; uordblks: in use; fordblks: free in them;
    # hblkhd: large blocks mmapped on their own (returned to the OS when freed).
    return {k: getattr(mi, k) // 1024 for k in ("arena", "uordblks", "fordblks", "hblkhd")}


def _pymalloc() -> dict[str, int]:
    """pymalloc's arenas, from ``sys._debugmallocstats()`` (it writes to the C stderr, fd 2)."""
    import re
    import tempfile

    with tempfile.TemporaryFile("w+") as tmp:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(tmp.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        text = tmp.read()
    out: dict[str, int] = {}
    for key, pattern in (
        ("arenas_allocated_current", r"# arenas allocated current\s*=\s*([\d,]+)"),
        ("arenas_highwater", r"# arenas highwater mark\s*=\s*([\d,]+)"),
        ("allocated_blocks_kb", r"# bytes in allocated blocks\s*=\s*([\d,]+)"),
        ("available_blocks_kb", r"# bytes in available blocks\s*=\s*([\d,]+)"),
        ("total_kb", r"Total\s*=\s*([\d,]+)"),
    ):
        m = re.search(pattern, text)
        if m:
            value = int(m.group(1).replace(",", ""))
            out[key] = value // 1024 if key.endswith("_kb") else value
    return out


def _streamlit_state() -> dict[str, object]:
    out: dict[str, object] = {}
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.caching.cache_data_api import get_data_cache_stats_provider

        stats = get_data_cache_stats_provider().get_stats()
        per: Counter[str] = Counter()
        entries: Counter[str] = Counter()
        for family in stats.values():
            for s in family:
                per[s.cache_name] += s.byte_length
                entries[s.cache_name] += 1
        out["cache_data_kb"] = {k: v // 1024 for k, v in per.items()}
        out["cache_data_entries"] = dict(entries)
        if Runtime.exists():
            mgr = Runtime.instance()._session_mgr
            out["sessions_active"] = len(mgr.list_active_sessions())
            out["sessions_all"] = len(mgr.list_sessions())
    except Exception as exc:  # noqa: BLE001 - a probe must never break the server
        out["error"] = repr(exc)
    return out


_count = 0


def _probe(*_: object) -> None:
    global _count
    _count += 1
    libc = ctypes.CDLL("libc.so.6")
    rec: dict[str, object] = {"n": _count, "t": time.time(), "rss_kb": _rss_kb()}
    gc.collect()
    rec["rss_after_gc_kb"] = _rss_kb()
    rec["mallinfo_kb"] = _mallinfo(libc)
    rec["pymalloc"] = _pymalloc()
    libc.malloc_trim(0)
    rec["rss_after_trim_kb"] = _rss_kb()
    rec["mallinfo_after_trim_kb"] = _mallinfo(libc)
    rec["objects"] = len(gc.get_objects())
    rec["top_types"] = Counter(type(o).__name__ for o in gc.get_objects()).most_common(15)
    rec.update(_streamlit_state())
    if "pyarrow" in sys.modules:
        pool = sys.modules["pyarrow"].default_memory_pool()
        rec["pyarrow_kb"] = {
            "backend": pool.backend_name,
            "allocated": pool.bytes_allocated() // 1024,
            "max": pool.max_memory() // 1024 if pool.max_memory() else None,
        }
    if _FRAMES:
        import tracemalloc

        snap = tracemalloc.take_snapshot()
        path = f"{_OUT}.{_count}.tracemalloc"
        snap.dump(path)
        rec["tracemalloc_kb"] = tracemalloc.get_traced_memory()[0] // 1024
        rec["snapshot"] = path
    with open(_OUT, "a", encoding="utf-8") as fh:  # type: ignore[arg-type]
        fh.write(json.dumps(rec) + "\n")


if _OUT:
    if _FRAMES:
        import tracemalloc

        tracemalloc.start(_FRAMES)
    signal.signal(signal.SIGUSR1, _probe)
