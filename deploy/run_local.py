"""The compose topology without containers: N app processes behind Debian's HAProxy, on 127.0.0.1.

    .venv/bin/python deploy/run_local.py [--replicas 2] [--port 8600]     # Ctrl-C stops it all
    (or `make replicas`)

Needs ``haproxy`` on PATH (Debian/Ubuntu: ``sudo apt-get install -y haproxy``; tested with 2.6).
Each replica is ``streamlit run app.py`` on its own free port; the proxy config is
``deploy/haproxy.cfg`` itself with two substitutions only (bind 127.0.0.1:PORT instead of :8080;
one ``server replicaN 127.0.0.1:PORT`` line per process instead of the DNS ``server-template``),
so the stickiness, websocket and health-check settings tested here are the shipped ones. Logs
(one per replica, HAProxy's access log) go to ``--workdir`` (default: a new temporary folder).
Every process is started here and stopped by its PID.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def local_config(template: str, port: int, replicas: list[tuple[str, int]]) -> str:
    """``haproxy.cfg`` for this machine: bind ``127.0.0.1:port``, static servers, no resolvers."""
    out: list[str] = []
    binds = templates = 0
    skipping = False
    for line in template.splitlines():
        text = line.strip()
        if skipping:  # the `resolvers docker` section ends at the next blank line
            skipping = text != ""
            continue
        if text.startswith("resolvers "):
            skipping = True
            continue
        if text.startswith("bind "):
            binds += 1
            out.append(f"    bind {HOST}:{port}")
        elif text.startswith("server-template "):
            templates += 1
            out.extend(f"    server {name} {HOST}:{p}" for name, p in replicas)
        else:
            out.append(line)
    if binds != 1 or templates != 1:
        raise ValueError("haproxy.cfg must have exactly one `bind` and one `server-template` line")
    return "\n".join(out) + "\n"


def _wait_ok(url: str, procs: list[subprocess.Popen], timeout: float = 60.0) -> None:
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
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _stop(proc: subprocess.Popen, grace: float = 15.0) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


class Topology:
    """``with Topology(2) as t:`` → ``t.url`` (the proxy), ``t.replicas`` [(name, port, pid)]."""

    def __init__(
        self,
        replicas: int = 2,
        port: int | None = None,
        workdir: Path | None = None,
        data_dir: Path | None = None,
    ) -> None:
        self.n, self.port = replicas, port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="cluster-atlas-replicas-"))
        self.data_dir = data_dir
        self.apps: list[tuple[str, int, subprocess.Popen]] = []
        self.proxy: subprocess.Popen | None = None
        self.proxy_log = self.workdir / "haproxy.log"
        self.config = self.workdir / "haproxy.cfg"

    @property
    def replicas(self) -> list[tuple[str, int, int]]:
        return [(name, port, proc.pid) for name, port, proc in self.apps]

    def _start_app(self, name: str, port: int) -> subprocess.Popen:
        env = {**os.environ, **({"DATA_DIR": str(self.data_dir)} if self.data_dir else {})}
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py")]
        cmd += ["--server.address", HOST, "--server.port", str(port), "--server.headless", "true"]
        cmd += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        with (self.workdir / f"{name}.log").open("wb") as log:
            return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)

    def start(self) -> Topology:
        haproxy = shutil.which("haproxy")
        if haproxy is None:
            raise RuntimeError(
                "haproxy not found: install it with `sudo apt-get install -y haproxy`"
            )
        self.workdir.mkdir(parents=True, exist_ok=True)
        try:
            for i in range(1, self.n + 1):
                name, port = f"replica{i}", free_port()
                self.apps.append((name, port, self._start_app(name, port)))
            for _, port, proc in self.apps:
                _wait_ok(f"http://{HOST}:{port}/_stcore/health", [proc])
            cfg = local_config(
                HAPROXY_CFG.read_text(encoding="utf-8"),
                self.port,
                [(name, port) for name, port, _ in self.apps],
            )
            self.config.write_text(cfg, encoding="utf-8")
            subprocess.run([haproxy, "-c", "-q", "-f", str(self.config)], check=True)
            with self.proxy_log.open("wb") as log:
                self.proxy = subprocess.Popen(
                    [haproxy, "-db", "-f", str(self.config)], stdout=log, stderr=log
                )
            _wait_ok(f"{self.url}/_stcore/health", [self.proxy])
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.proxy is not None:
            _stop(self.proxy, grace=5)
        for _, _, proc in self.apps:
            _stop(proc)

    def __enter__(self) -> Topology:
        return self.start()

    def __exit__(
        self, typ: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument("--port", type=int, default=8600, help="the proxy's port on 127.0.0.1")
    p.add_argument("--workdir", type=Path, help="config and logs (default: a new temp folder)")
    a = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the children on SIGTERM too
    with Topology(a.replicas, a.port, a.workdir) as t:
        print(f"proxy   {t.url}  (haproxy pid {t.proxy.pid if t.proxy else '?'})")
        for name, port, pid in t.replicas:
            print(f"{name:8} http://{HOST}:{port}  (pid {pid})")
        print(f"config and logs in {t.workdir}; Ctrl-C stops everything", flush=True)
        try:
            while all(proc.poll() is None for _, _, proc in t.apps) and t.proxy.poll() is None:
                time.sleep(1)
            print("a process exited; stopping the others", file=sys.stderr)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
