"""Replicas: many sessions through HAProxy to two app processes; each must stay on its replica.

    python bench/bench_replicas.py [--sessions 40] [--quick]

Starts ``deploy/run_local.py``'s topology (2 × ``serve.py``, the launcher that runs
``streamlit run app.py`` with the same flags, + Debian's HAProxy with the shipped
``deploy/haproxy.cfg``, all on 127.0.0.1). Each session does what Streamlit's
browser client does: ``GET /`` through the proxy (which answers with a ``SERVERID`` cookie),
then opens ``/_stcore/stream`` with that cookie and reruns the map page (first load + a filter
change). When all sessions are connected, the established TCP connections on each replica's port
are counted (the lowest count over a few seconds: HAProxy keeps the GETs' connections idle for reuse
a moment). Then each session closes its websocket and reconnects with the cookie and its
Streamlit session id (as the browser does after a network blip) and reruns once more.

Evidence per session, from three independent places:
* the proxy: the ``X-Replica`` response header (``%s`` = server name) on the GET, the websocket
  upgrade and the reconnect; HAProxy's access log (``option httplog``) for the same requests,
  matched by a ``bench_session=N`` query parameter;
* the app: the reconnect resumes the same Streamlit session id, which only the process that
  holds that session can do (another replica would start a new session);
* HAProxy: each replica's open sessions (``show stat``, scur) while every session is held open;
* the kernel: ESTABLISHED connections per replica port meanwhile (these also count the idle
  connections HAProxy keeps for reuse after the page requests).
Control: the same reconnect without the cookie is balanced round-robin; sessions landing on the
other replica lose their state, which is what stickiness prevents.
Writes ``bench/results/replicas.json``; never fails on timing, only reports.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import re
import sys
import time
import urllib.request
from argparse import Namespace
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

sys.path.insert(0, str(harness.ROOT / "deploy"))
from run_local import Topology  # noqa: E402

PAGE = "map"
SESSIONS, QUICK_SESSIONS = 40, 10
_LOG_LINE = re.compile(  # option httplog: server, status, cookie flags (3rd char: V = valid)
    r" web app/(?P<server>\S+) \S+ (?P<status>\d+) \S+ \S+ \S+ (?P<flags>\S{4}) .*"
    r"\"GET (?P<path>\S+)\?bench_session=(?P<n>\d+)"
)


def _ws_load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ws_load", harness.ws_load_path())
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


POOL_WAIT_S = 8.0  # longer than HAProxy keeps an idle server connection here (~5 s seen)


def _established(port: int) -> int:
    """ESTABLISHED TCP connections whose local port is ``port`` (the replica's side)."""
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as fh:
                next(fh)
                for line in fh:
                    fields = line.split()
                    if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                        n += 1
        except OSError:
            continue
    return n


async def _session(
    i: int,
    url: str,
    wl: ModuleType,
    stats: object,
    connected: asyncio.Barrier,
    counted: asyncio.Event,
    out: dict,
) -> None:
    """One emulated browser session; fills ``out[i]``."""
    import websockets

    a = Namespace(
        url=url,
        page=PAGE,
        query="lang=en",
        vary=list(harness.MAP_VARY),
        no_cache=False,
        timeout=180.0,
        verbose=False,
        expect="",
    )
    rec: dict = {"session_ids": []}
    out[i] = rec

    class Session(wl.Session):  # type: ignore[name-defined,misc]
        def on_message(self, m: object, data: bytes, typ: str | None) -> None:
            if typ == "new_session":
                rec["session_ids"].append(m.new_session.initialize.session_id)  # type: ignore[attr-defined]
            super().on_message(m, data, typ)

    def get() -> tuple[str | None, str | None]:
        req = urllib.request.Request(f"{url}/?bench_session={i}")
        with urllib.request.urlopen(req, timeout=30) as resp:
            resp.read()
            cookie = resp.headers.get("Set-Cookie", "")
            m = re.search(r"SERVERID=([^;]+)", cookie)
            return resp.headers.get("X-Replica"), m.group(1) if m else None

    sess = Session(i, a, stats)
    ws_uri = url.replace("http://", "ws://") + f"/_stcore/stream?bench_session={i}"

    async def connect(cookie: str | None, resume: str | None) -> object:
        protocols = ["streamlit", "PLACEHOLDER_AUTH_TOKEN", *([resume] if resume else [])]
        headers = {"Cookie": f"SERVERID={cookie}"} if cookie else {}
        return await websockets.connect(
            ws_uri,
            subprotocols=protocols,
            additional_headers=headers,
            max_size=None,
            open_timeout=60,
            ping_interval=None,
        )

    try:
        rec["get_replica"], cookie = await asyncio.to_thread(get)
        rec["cookie"] = cookie
        ws = await connect(cookie, None)
        rec["ws_replica"] = ws.response.headers.get("X-Replica")
        t = time.perf_counter()
        ok = await sess.rerun(ws, 0) and await sess.rerun(ws, 1)
        rec["rerun_s"] = time.perf_counter() - t
        rec["first_ok"] = ok
    except Exception as e:  # noqa: BLE001 (report, never crash the bench)
        rec["error"] = repr(e)
        ws = None
    await connected.wait()  # every session is connected now
    await counted.wait()  # the main task has counted connections per replica
    try:
        if ws is not None:
            await ws.close()
        sid = rec["session_ids"][-1] if rec["session_ids"] else None
        ws = await connect(rec.get("cookie"), sid)  # reconnect, as the browser does
        rec["reconnect_replica"] = ws.response.headers.get("X-Replica")
        rec["reconnect_ok"] = await sess.rerun(ws, 2)
        rec["resumed"] = bool(sid) and rec["session_ids"][-1] == sid
        await ws.close()
        sid = rec["session_ids"][-1]
        ws = await connect(None, sid)  # control: the same reconnect without the cookie
        rec["control_replica"] = ws.response.headers.get("X-Replica")
        rec["control_ok"] = await sess.rerun(ws, 3)
        rec["control_resumed"] = rec["session_ids"][-1] == sid
        await ws.close()
    except Exception as e:  # noqa: BLE001
        rec["error"] = repr(e)


async def _drive(
    url: str, n: int, ports: dict[str, int], sessions_now: Callable[[], dict[str, int]]
) -> tuple[dict, dict, dict, object]:
    wl = _ws_load()
    stats = wl.Stats()
    connected, counted = asyncio.Barrier(n + 1), asyncio.Event()
    out: dict = {}
    tasks = [
        asyncio.create_task(_session(i, url, wl, stats, connected, counted, out)) for i in range(n)
    ]
    await connected.wait()
    await asyncio.sleep(0.5)
    # The GET / of each session leaves an idle HTTP connection in HAProxy's server pool for a few
    # seconds (connection reuse), also ESTABLISHED on the replica's port: the websockets are what
    # stays, so the count is the lowest seen while every session is held open (up to POOL_WAIT_S).
    conns = {name: _established(port) for name, port in ports.items()}
    held = sessions_now()  # HAProxy's own count of open sessions per replica, all held open
    deadline = time.monotonic() + POOL_WAIT_S
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = {name: _established(port) for name, port in ports.items()}
        conns = {name: min(conns[name], now[name]) for name in conns}
    counted.set()
    await asyncio.gather(*tasks)
    return out, conns, held, stats


def _log_servers(log: Path) -> dict[int, dict[str, list[str]]]:
    """Per bench_session, in order: ``server status cookie-flag`` HAProxy logged for ``/`` and
    for each websocket (a tunnel is logged when it closes)."""
    found: dict[int, dict[str, list[str]]] = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        m = _LOG_LINE.search(line)
        if m:
            kind = "ws" if m["path"].endswith("/_stcore/stream") else "get"
            entry = f"{m['server']} {m['status']} {m['flags'][2]}"
            found.setdefault(int(m["n"]), {"get": [], "ws": []})[kind].append(entry)
    return found


def run(sessions: int) -> dict:
    """Start the topology, drive ``sessions`` sessions through it, summarise, stop it."""
    workdir = harness.RESULTS / "replicas"
    with Topology(2, workdir=workdir) as topo:
        ports = {name: port for name, port, _ in topo.replicas}
        t0 = time.perf_counter()
        recs, conns, held, stats = asyncio.run(
            _drive(topo.url, sessions, ports, topo.server_sessions)
        )
        wall = time.perf_counter() - t0
        rss = {name: round(harness.rss_kb(pid) / 1024, 1) for name, _, pid in topo.replicas}
    time.sleep(0.5)  # HAProxy flushes its log lines as tunnels close
    logged = _log_servers(topo.proxy_log)
    sticky = 0
    for i, r in recs.items():
        seen = {r.get("get_replica"), r.get("ws_replica"), r.get("reconnect_replica")}
        log = logged.get(i, {"get": [], "ws": []})
        cookied = log["ws"][:2]  # the first two websockets carried the cookie
        seen |= {e.split()[0] for e in log["get"] + cookied}
        r["log"] = log
        r["upgrades_valid_cookie"] = len(cookied) == 2 and all(
            e.split()[1:] == ["101", "V"] for e in cookied
        )
        r["stayed"] = len(seen) == 1 and None not in seen
        sticky += r["stayed"]
    by_replica = Counter(r.get("get_replica") for r in recs.values())
    control_moved = [
        r for r in recs.values() if r.get("control_replica") not in (None, r.get("get_replica"))
    ]
    log_text = topo.proxy_log.read_text(encoding="utf-8", errors="replace")
    session_errors = [r["error"] for r in recs.values() if "error" in r]
    result = {
        "sessions": sessions,
        "replicas": list(ports),
        "sessions_per_replica": dict(by_replica),
        "both_replicas_serve": all(by_replica.get(name, 0) > 0 for name in ports),
        "stayed_on_replica": sticky,
        "switched_replica": sessions - sticky,
        "resumed_after_reconnect": sum(bool(r.get("resumed")) for r in recs.values()),
        "logged_sessions": len(logged),
        "upgrades_101_with_valid_cookie": sum(
            bool(r.get("upgrades_valid_cookie")) for r in recs.values()
        ),
        "established_per_replica_port": conns,
        "haproxy_sessions_per_replica": held,
        "control_without_cookie": {
            "moved_to_other_replica": len(control_moved),
            "moved_and_resumed": sum(bool(r.get("control_resumed")) for r in control_moved),
            "stayed_and_resumed": sum(
                bool(r.get("control_resumed"))
                for r in recs.values()
                if r.get("control_replica") == r.get("get_replica")
            ),
        },
        "errors": dict(stats.errors),  # type: ignore[attr-defined]
        "session_errors": len(session_errors),
        "session_error_samples": sorted({e[:160] for e in session_errors})[:3],
        "proxy_503": sum(" 503 " in ln and "bench_session" in ln for ln in log_text.splitlines()),
        "health_check_down_events": log_text.count(" is DOWN, reason") // 2,  # printed twice
        "first_two_reruns_s": harness.stats(
            (r["rerun_s"] for r in recs.values() if "rerun_s" in r), ndigits=2
        ),
        "replica_rss_mb_at_end": rss,
        "wall_s": round(wall, 1),
        "haproxy": "deploy/haproxy.cfg (bind and server lines replaced by deploy/run_local.py)",
    }
    print(f"replicas: {result}", flush=True)
    result["per_session"] = {str(i): recs[i] for i in sorted(recs)}
    harness.save("replicas", result)
    return result


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sessions", type=int)
    p.add_argument("--quick", action="store_true", help=f"{QUICK_SESSIONS} sessions")
    a = p.parse_args()
    run(a.sessions or (QUICK_SESSIONS if a.quick else SESSIONS))


if __name__ == "__main__":
    main()
