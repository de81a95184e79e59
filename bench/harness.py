"""Shared plumbing of the benchmarks: serve the app, drive it over its websocket, summarise.

Nothing here asserts a time: benchmarks report, they never fail on a slow machine. Servers are
started on 127.0.0.1 only and stopped by their own PID.
"""

from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Starting and stopping the app is deploy/'s (deploy/appserver.py), shared with run_local.py.
sys.path.insert(0, str(ROOT / "deploy"))

from appserver import (  # noqa: E402, F401
    HOST,
    MALLOC_ENV,
    STREAMLIT_FLAGS,
    AppProcess,
    free_port,
    stop_pid,
    wait_http,
)

RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "logs"
# ws_load.py ships in the workplace next to the repository (../shared/tools); WS_LOAD overrides.
WS_LOAD_DEFAULT = ROOT.parent / "shared" / "tools" / "ws_load.py"
_VERBOSE_LINE = re.compile(r"^s(?P<s>\d+) step(?P<step>\d+) (?P<ms>[\d.]+)ms (?P<bytes>\d+)B ")


def ws_load_path() -> Path:
    """Where ``ws_load.py`` is; exits with a clear message if it is missing."""
    path = Path(os.environ.get("WS_LOAD", WS_LOAD_DEFAULT))
    if not path.is_file():
        sys.exit(
            f"ws_load.py not found at {path}. It is the workplace's websocket load client "
            "(shared/tools/ws_load.py beside the repository); set WS_LOAD=/path/to/ws_load.py."
        )
    return path


def stats(values: Iterable[float], ndigits: int = 1) -> dict[str, float | int | None]:
    """``{"n", "median", "min", "max"}`` of ``values`` (None when empty)."""
    xs = [float(v) for v in values]
    if not xs:
        return {"n": 0, "median": None, "min": None, "max": None}
    return {
        "n": len(xs),
        "median": round(statistics.median(xs), ndigits),
        "min": round(min(xs), ndigits),
        "max": round(max(xs), ndigits),
    }


def rss_kb(pid: int) -> int:
    """Resident set size of ``pid`` in kB (from /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class RssSampler:
    """Sample the RSS of ``pid`` every ``every`` seconds on a thread (a context manager)."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, int]] = []  # (seconds since start, kB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._t0 = time.perf_counter()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append((time.perf_counter() - self._t0, rss_kb(self.pid)))
            except OSError:
                return
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def machine() -> dict[str, object]:
    """Cores, memory, OS, CPU model and the versions that matter for these numbers."""
    import pandas
    import plotly
    import pydeck
    import streamlit

    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), ""
            )
    except OSError:
        pass
    mem_kb = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            mem_kb = int(next(ln for ln in fh if ln.startswith("MemTotal:")).split()[1])
    except (OSError, StopIteration):
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(mem_kb / 1024**2, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "pandas": pandas.__version__,
        "plotly": plotly.__version__,
        "pydeck": pydeck.__version__,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def save(name: str, data: object) -> Path:
    """Write ``bench/results/<name>.json`` and return its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


class AppServer(AppProcess):
    """``deploy/appserver.AppProcess`` with its log in ``bench/results/logs/<name>-<port>.log``."""

    def __init__(
        self,
        data_dir: Path | None = None,
        port: int | None = None,
        name: str = "app",
        extra: Sequence[str] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        port = port or free_port()
        super().__init__(
            LOGS / f"{name}-{port}.log", port=port, data_dir=data_dir, extra=extra, env=env
        )
        self.name = name


def ws_load(
    url: str,
    *,
    sessions: int,
    steps: int,
    page: str,
    query: str = "lang=en",
    vary: Sequence[str] = (),
    pid: int | None = None,
    timeout: float = 120.0,
    ramp: float = 0.0,
    no_cache: bool = False,
) -> dict:
    """Run ``ws_load.py`` once; its JSON summary plus ``per_rerun`` [(session, step, ms, bytes)]."""
    cmd = [
        sys.executable,
        str(ws_load_path()),
        "--url",
        url,
        "--sessions",
        str(sessions),
        "--steps",
        str(steps),
        "--page",
        page,
        "--query",
        query,
        "--timeout",
        str(timeout),
        "--ramp",
        str(ramp),
        "--verbose",
    ]
    if vary:
        cmd += ["--vary", "|".join(vary)]
    if pid:
        cmd += ["--pid", str(pid)]
    if no_cache:
        cmd.append("--no-cache")
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"ws_load.py failed ({out.returncode}): {out.stderr[-2000:]}")
    lines = out.stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("{"))
    summary = json.loads("\n".join(lines[start:]))
    summary["per_rerun"] = [
        (int(m["s"]), int(m["step"]), float(m["ms"]), int(m["bytes"]))
        for m in map(_VERBOSE_LINE.match, lines[:start])
        if m
    ]
    return summary


# Filter changes a session makes, as ws_load.py --vary items (widget keys are the pages' url_*).
MAP_VARY: tuple[str, ...] = (
    "@url_continent=Europe",
    "@url_sector=Electronics",
    "@url_q=Basel",
    "@url_continent=&@url_sector=&@url_q=",
)
HEATMAP_VARY: tuple[str, ...] = (
    "@url_measure=Share of continent",
    "@url_source=Named",
    "@url_measure=Location",
    "@url_hm_continent=Europe",
    "@url_source=Published&@url_measure=Count&@url_hm_continent=",
)
