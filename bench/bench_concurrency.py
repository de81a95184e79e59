"""Concurrency and memory of one served app process (the shipped data, page ``/map``).

    python bench/bench_concurrency.py [--quick] [--only concurrency|memory]

* concurrency: a fresh server per level; 20 and 50 sessions connect at once and each makes 10
  reruns (first load, then filter changes: continent, sector, search, clear) through
  ``ws_load.py``. Latency is BackMsg sent → script_finished received (the result rendered server
  side and delivered); errors are exceptions, timeouts, disconnects and unknown widgets; server
  RSS before, with all sessions connected, at peak and after they close.
* memory: 1,000 reruns (10 sessions × 100 steps) on one server, RSS sampled every 2 s. The
  baseline is taken after a warm-up (caches filled); the server runs with
  ``server.disconnectedSessionTTL`` = 5 s so that "after close" means the sessions are gone
  (Streamlit keeps a closed session 120 s by default). Target: growth ≤ 50 MB.
Writes ``bench/results/concurrency.json`` and ``bench/results/memory.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

LEVELS = (20, 50)
STEPS = 10
QUICK_LEVELS, QUICK_STEPS = (5, 10), 4
MEMORY = (10, 100)  # sessions, steps: 1,000 reruns
QUICK_MEMORY = (5, 20)
SESSION_TTL_S = 5
PAGE = "map"


def _latency(per_rerun: list, later_only: bool = False) -> dict:
    ms = sorted(x[2] for x in per_rerun if not later_only or x[1] > 0)
    if not ms:
        return {"n": 0}

    def q(p: float) -> float:
        return ms[min(len(ms) - 1, max(0, int(-(-p * len(ms) // 1)) - 1))]

    return {**harness.stats(ms), "p50": q(0.5), "p95": q(0.95)}


def concurrency(levels: tuple[int, ...], steps: int) -> dict:
    """One fresh server per level; ``ws_load.py`` with that many simultaneous sessions."""
    out: dict = {"page": PAGE, "steps": steps, "vary": list(harness.MAP_VARY), "levels": {}}
    for n in levels:
        with harness.AppServer(name=f"concurrency-{n}") as srv:
            r = harness.ws_load(
                srv.url, sessions=n, steps=steps, page=PAGE, vary=harness.MAP_VARY, pid=srv.pid
            )
        s = r["server"]
        out["levels"][str(n)] = {
            "sessions": n,
            "reruns_ok": r["reruns_ok"],
            "reruns_planned": r["reruns_planned"],
            "latency_ms": _latency(r["per_rerun"]),
            "rerun_ms": _latency(r["per_rerun"], later_only=True),
            "first_load_ms": r["first_load_ms"],
            "errors": r["errors"],
            "error_total": r["error_total"],
            "error_samples": r["error_samples"],
            "wall_s": r["wall_s"],
            "reruns_per_s": r["reruns_per_s"],
            "bytes_per_rerun_mean": r["bytes_per_rerun_mean"],
            "rss_mb": {
                k: round(s[f"rss_kb_{k}"] / 1024, 1)
                for k in ("before", "loaded", "peak", "after_close")
            },
            "server_cpu_s": s["cpu_s"],
            "server_cpu_ms_per_rerun": round(s["cpu_s"] * 1000 / max(1, r["reruns_ok"]), 1),
        }
        print(f"concurrency {n}: {out['levels'][str(n)]}", flush=True)
    harness.save("concurrency", out)
    return out


def _probe(srv: harness.AppServer) -> None:
    """One short session: touches the session store, which drops expired sessions."""
    harness.ws_load(srv.url, sessions=1, steps=1, page=PAGE)


PROBE_DIR = Path(__file__).resolve().parent / "memprobe"


def _probe_env(path: Path, trace_frames: int) -> dict[str, str]:
    """Server environment that loads ``bench/memprobe/sitecustomize.py`` (SIGUSR1 → ``path``)."""
    path.unlink(missing_ok=True)
    for old in path.parent.glob(f"{path.name}.*.tracemalloc"):
        old.unlink()
    pythonpath = os.pathsep.join(p for p in (str(PROBE_DIR), os.environ.get("PYTHONPATH")) if p)
    env = {"PYTHONPATH": pythonpath, "BENCH_MEMPROBE": str(path)}
    if trace_frames:
        env["BENCH_TRACEMALLOC"] = str(trace_frames)
    return env


def _ask_probe(pid: int, path: Path, label: str, timeout: float = 120.0) -> dict:
    """SIGUSR1 the server; wait for the probe's new JSON line and return it, labelled."""
    before = len(path.read_text().splitlines()) if path.is_file() else 0
    os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines() if path.is_file() else []
        if len(lines) > before:
            return {"label": label, **json.loads(lines[-1])}
        time.sleep(0.2)
    raise RuntimeError(f"memory probe gave no answer within {timeout:.0f} s")


def _trace_diff(before: str, after: str, top: int = 12) -> dict:
    """What Python allocated between two tracemalloc snapshots and still holds: total, by line."""
    import tracemalloc

    old, new = tracemalloc.Snapshot.load(before), tracemalloc.Snapshot.load(after)
    diff = new.compare_to(old, "lineno")
    kb = lambda b: round(b / 1024, 1)  # noqa: E731
    return {
        "total_kb_before": kb(sum(s.size for s in old.statistics("filename"))),
        "total_kb_after": kb(sum(s.size for s in new.statistics("filename"))),
        "top_lines": [
            {"where": str(d.traceback[0]), "kb": kb(d.size_diff), "count": d.count_diff}
            for d in sorted(diff, key=lambda d: -abs(d.size_diff))[:top]
        ],
    }


def memory(
    sessions: int,
    steps: int,
    probe: bool = False,
    trace_frames: int = 0,
    env: dict[str, str] | None = None,
    name: str = "memory",
) -> dict:
    """RSS over ``sessions × steps`` reruns and after the sessions close and expire.

    ``probe``: the server loads ``bench/memprobe`` and is asked at the baseline, after the last
    rerun and after expiry for RSS before/after ``gc`` and ``malloc_trim``, heap statistics, cache
    sizes and sessions (and a tracemalloc snapshot when ``trace_frames``). ``env``: extra server
    environment (e.g. ``MALLOC_ARENA_MAX``). Results go to ``results/<name>.json``.
    """
    extra = ["--server.disconnectedSessionTTL", str(SESSION_TTL_S)]
    mb = lambda kb: round(kb / 1024, 1)  # noqa: E731
    probe_file = harness.RESULTS / f"{name}-probe.jsonl"
    env = {**(env or {}), **(_probe_env(probe_file, trace_frames) if probe else {})}
    probes: list[dict] = []
    with harness.AppServer(name=name, extra=extra, env=env) as srv:
        start = harness.rss_kb(srv.pid)
        harness.ws_load(srv.url, sessions=2, steps=5, page=PAGE, vary=harness.MAP_VARY)
        time.sleep(SESSION_TTL_S + 2)
        _probe(srv)
        time.sleep(2)
        baseline = harness.rss_kb(srv.pid)
        if probe:
            probes.append(_ask_probe(srv.pid, probe_file, "baseline"))
            baseline_trimmed = harness.rss_kb(srv.pid)
        with harness.RssSampler(srv.pid, every=2.0) as sampler:
            r = harness.ws_load(
                srv.url,
                sessions=sessions,
                steps=steps,
                page=PAGE,
                vary=harness.MAP_VARY,
                pid=srv.pid,
                timeout=300,
            )
        after_close = harness.rss_kb(srv.pid)
        time.sleep(SESSION_TTL_S + 2)
        _probe(srv)
        time.sleep(3)
        expired = harness.rss_kb(srv.pid)
        if probe:
            probes.append(_ask_probe(srv.pid, probe_file, "expired"))
    timeline = sampler.samples[:: max(1, len(sampler.samples) // 12)] + sampler.samples[-1:]
    out = {
        "page": PAGE,
        "sessions": sessions,
        "steps": steps,
        "reruns_ok": r["reruns_ok"],
        "reruns_planned": r["reruns_planned"],
        "errors": r["errors"],
        "latency_ms": _latency(r["per_rerun"]),
        "wall_s": r["wall_s"],
        "server_cpu_ms_per_rerun": round(r["server"]["cpu_s"] * 1000 / max(1, r["reruns_ok"]), 1),
        "rss_mb": {
            "server_start": mb(start),
            "baseline_after_warmup": mb(baseline),
            "peak": mb(max(kb for _, kb in sampler.samples)),
            "all_connected_after_last_rerun": mb(r["server"]["rss_kb_loaded"]),
            "after_close": mb(after_close),
            "after_sessions_expired": mb(expired),
        },
        "growth_mb": {
            "loaded_minus_baseline": mb(r["server"]["rss_kb_loaded"] - baseline),
            "final_minus_baseline": mb(expired - baseline),
        },
        "target_growth_mb": 50,
        "timeline_s_mb": [(round(t, 1), mb(kb)) for t, kb in timeline],
        "session_ttl_s": SESSION_TTL_S,
        "server_env": {
            k: v
            for k, v in {**harness.MALLOC_ENV, **os.environ, **env}.items()
            if k.startswith("MALLOC")
        },
    }
    if probe:
        out["probe"] = probes
        if trace_frames:
            out["tracemalloc_diff"] = _trace_diff(probes[0]["snapshot"], probes[-1]["snapshot"])
        out["growth_mb"]["after_gc_and_malloc_trim"] = mb(
            probes[-1]["rss_after_trim_kb"] - probes[0]["rss_after_trim_kb"]
        )
        out["rss_mb"]["baseline_after_trim"] = mb(baseline_trimmed)
    print(f"memory: {json.dumps(out)[:3000]}", flush=True)
    harness.save(name, out)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="5/10 sessions × 4 steps; 100 reruns")
    p.add_argument("--only", choices=["concurrency", "memory"])
    p.add_argument(
        "--probe", action="store_true", help="memory: ask bench/memprobe (gc, malloc_trim, caches)"
    )
    p.add_argument("--tracemalloc", type=int, default=0, metavar="FRAMES", help="with --probe")
    p.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="memory: extra server environment (e.g. MALLOC_ARENA_MAX=2); repeatable",
    )
    p.add_argument("--name", default="memory", help="memory: results/<name>.json")
    a = p.parse_args()
    if a.only != "memory":
        concurrency(QUICK_LEVELS if a.quick else LEVELS, QUICK_STEPS if a.quick else STEPS)
    if a.only != "concurrency":
        env = dict(item.split("=", 1) for item in a.env)
        memory(
            *(QUICK_MEMORY if a.quick else MEMORY),
            probe=a.probe or bool(a.tracemalloc),
            trace_frames=a.tracemalloc,
            env=env,
            name=a.name,
        )


if __name__ == "__main__":
    main()
