"""The compose topology without containers: N app processes behind Debian's HAProxy, on 127.0.0.1.

    .venv/bin/python deploy/run_local.py [--replicas 2] [--port 8600]     # Ctrl-C stops it all
    (or `make replicas`)

Needs ``haproxy`` on PATH (Debian/Ubuntu: ``sudo apt-get install -y haproxy``; tested with 2.6).
Each replica is ``serve.py`` (the launcher: ``streamlit run app.py``'s flags, the first page made
ready while the server starts) on its own free port; the proxy config is ``deploy/haproxy.cfg``
itself with two substitutions only (bind 127.0.0.1:PORT instead of :8080; one
``server replicaN 127.0.0.1:PORT`` line per process instead of the DNS ``server-template``),
so the stickiness, websocket and health-check settings tested here are the shipped ones. Logs
(one per replica, HAProxy's access log) go to ``--workdir`` (default: a new temporary folder).
Every process is started here and stopped by its PID.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from appserver import HOST, ROOT, AppProcess, free_port, stop_pid, wait_http  # noqa: E402

HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"


def local_config(
    template: str, port: int, replicas: list[tuple[str, int]], stats_socket: Path | None = None
) -> str:
    """``haproxy.cfg`` for this machine: bind ``127.0.0.1:port``, static servers, no resolvers;
    with ``stats_socket``, a read-only admin socket there (``show stat``: each server's open
    sessions, which ``bench/bench_replicas.py`` reads)."""
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
        if text == "global" and stats_socket is not None:
            out.append(line)
            out.append(f"    stats socket {stats_socket} mode 600 level user")
        elif text.startswith("bind "):
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
        self.apps: list[tuple[str, AppProcess]] = []
        self.proxy: subprocess.Popen | None = None
        self.proxy_log = self.workdir / "haproxy.log"
        self.config = self.workdir / "haproxy.cfg"
        self.stats_socket = self.workdir / "haproxy.sock"

    @property
    def replicas(self) -> list[tuple[str, int, int]]:
        return [(name, app.port, app.pid) for name, app in self.apps]

    def start(self) -> Topology:
        haproxy = shutil.which("haproxy")
        if haproxy is None:
            raise RuntimeError(
                "haproxy not found: install it with `sudo apt-get install -y haproxy`"
            )
        self.workdir.mkdir(parents=True, exist_ok=True)
        try:
            for i in range(1, self.n + 1):  # all start side by side, then each is waited for
                name = f"replica{i}"
                app = AppProcess(self.workdir / f"{name}.log", data_dir=self.data_dir)
                self.apps.append((name, app.start(wait=False)))
            for _, app in self.apps:
                app.wait()
            cfg = local_config(
                HAPROXY_CFG.read_text(encoding="utf-8"),
                self.port,
                [(name, app.port) for name, app in self.apps],
                self.stats_socket,
            )
            self.config.write_text(cfg, encoding="utf-8")
            subprocess.run([haproxy, "-c", "-q", "-f", str(self.config)], check=True)
            with self.proxy_log.open("wb") as log:
                self.proxy = subprocess.Popen(
                    [haproxy, "-db", "-f", str(self.config)], stdout=log, stderr=log
                )
            wait_http(f"{self.url}/_stcore/health", procs=[self.proxy])
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.proxy is not None:
            stop_pid(self.proxy, grace=5)
        for _, app in self.apps:
            app.stop()

    def server_sessions(self, backend: str = "app") -> dict[str, int]:
        """Each replica's open sessions as HAProxy counts them now (``show stat``'s ``scur``: a
        websocket is one while its tunnel is open; idle pooled connections are not)."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            sock.connect(str(self.stats_socket))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        lines = data.decode("utf-8", "replace").lstrip("# ").splitlines()
        rows = csv.DictReader(lines)
        names = {name for name, _, _ in self.replicas}
        return {
            r["svname"]: int(r["scur"] or 0)
            for r in rows
            if r.get("pxname") == backend and r.get("svname") in names
        }

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
            procs = [app.proc for _, app in t.apps] + [t.proxy]
            while all(p is not None and p.poll() is None for p in procs):
                time.sleep(1)
            print("a process exited; stopping the others", file=sys.stderr)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
