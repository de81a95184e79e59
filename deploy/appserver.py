"""One app process on 127.0.0.1 (``serve.py``: ``streamlit run app.py`` with the first page made
ready while the server starts): start it, wait for its health check, stop it.

Shared by ``deploy/run_local.py`` (the replicas) and ``bench/`` (every served benchmark), so both
start the app with the same flags. Standard library only: ``deploy/`` works without ``bench/``.
Every process is stopped by its own PID (SIGTERM, then SIGKILL after a grace period).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
# What every local app process is started with, besides its address and port.
STREAMLIT_FLAGS = (
    "--server.headless",
    "true",
    "--browser.gatherUsageStats",
    "false",
    "--server.fileWatcherType",
    "none",
)

# glibc malloc settings for every app process started here (the Dockerfile's ENV and `make run`
# set the same). Streamlit runs each rerun on a new thread, glibc gives threads their own heap
# arenas (up to 8 per core) and each arena keeps what its reruns freed: over 1,000 map reruns the
# RSS grew 88-93 MB with the default and 35 MB with 2 arenas, with no more live Python objects
# and the same CPU per rerun (bench/README.md, "Memory"). A value already in the environment wins.
MALLOC_ENV = {"MALLOC_ARENA_MAX": "2"}


def free_port() -> int:
    """A TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, procs: Iterable[subprocess.Popen] = ()) -> None:
    """Wait until ``url`` answers 200; RuntimeError on timeout or if one of ``procs`` exits."""
    procs = list(procs)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"process {p.pid} ({p.args[0]}) exited with {p.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def stop_pid(proc: subprocess.Popen, grace: float = 15.0) -> None:
    """SIGTERM ``proc`` (by its PID), then SIGKILL if it is still running after ``grace`` s."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def streamlit_command(port: int, extra: Sequence[str] = ()) -> list[str]:
    """The command line of one app process on ``127.0.0.1:port`` (``serve.py``, the launcher
    every start of the app uses; its flags are ``streamlit run``'s)."""
    return [
        sys.executable,
        str(ROOT / "serve.py"),
        "--server.address",
        HOST,
        "--server.port",
        str(port),
        *STREAMLIT_FLAGS,
        *extra,
    ]


class AppProcess:
    """``with AppProcess(log=path) as app:`` → ``app.url``, ``app.pid``; stopped by PID on exit.

    ``data_dir`` sets ``DATA_DIR``; ``env`` is added to this process's environment (over
    :data:`MALLOC_ENV` and ``os.environ``); ``extra`` are more ``streamlit run`` flags.
    ``start(wait=False)`` returns at once (call :meth:`wait`), so several processes can start side
    by side. ``started`` is the ``time.perf_counter()`` just before the process was spawned.
    """

    def __init__(
        self,
        log: Path,
        *,
        port: int | None = None,
        data_dir: Path | None = None,
        extra: Sequence[str] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log, self.data_dir, self.extra, self.env = log, data_dir, list(extra), env or {}
        self.proc: subprocess.Popen | None = None
        self.started = 0.0

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    def start(self, wait: bool = True, timeout: float = 60.0) -> AppProcess:
        env = {**MALLOC_ENV, **os.environ, **self.env}
        if self.data_dir is not None:
            env["DATA_DIR"] = str(self.data_dir)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.started = time.perf_counter()
            self.proc = subprocess.Popen(
                streamlit_command(self.port, self.extra),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        if wait:
            self.wait(timeout)
        return self

    def wait(self, timeout: float = 60.0) -> None:
        """Block until ``/_stcore/health`` answers (stops the process and raises if it does not)."""
        assert self.proc is not None, "not started"
        try:
            wait_http(f"{self.url}/_stcore/health", timeout, [self.proc])
        except RuntimeError:
            self.stop()
            raise

    def stop(self, grace: float = 15.0) -> None:
        if self.proc is not None:
            stop_pid(self.proc, grace)

    def __enter__(self) -> AppProcess:
        return self.start()

    def __exit__(
        self, typ: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
