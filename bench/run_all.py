"""Run every benchmark and write ``bench/RESULTS.md`` (``make bench``; ``make bench-quick``).

    python bench/run_all.py [--quick] [--set-baseline] [--only pages scale ...] [--out FILE]

Runs, each in its own process (one failing does not stop the others; logs in
``bench/results/logs/``): ``bench_pages.py``, ``bench_coldstart.py``, ``bench_scale.py``,
``bench_concurrency.py`` (concurrency, then memory) and ``bench_replicas.py``. Then it writes a
Markdown report: the machine and versions, and one table per benchmark with median and min–max,
the target where the issue sets one, and two columns: **before** (the numbers stored in
``bench/baseline.json``) and **after** (this run). ``--set-baseline`` stores this run as the new
"before" instead. ``--quick`` (smaller sizes, fewer sessions and steps; a few minutes) writes
``bench/results/RESULTS-quick.md`` unless ``--out`` says otherwise, and never touches the
baseline. Nothing here fails on a slow machine: numbers are reported, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

BENCH = harness.ROOT / "bench"
BASELINE = BENCH / "baseline.json"
STEPS: dict[str, list[str]] = {  # name -> script and its arguments (full run)
    "pages": ["bench_pages.py"],
    "interactions": ["bench_interactions.py"],
    "coldstart": ["bench_coldstart.py"],
    "scale": ["bench_scale.py"],
    "concurrency": ["bench_concurrency.py"],
    "replicas": ["bench_replicas.py"],
}
RESULT_FILES = {
    "pages": ["pages"],
    "interactions": ["interactions"],
    "coldstart": ["coldstart"],
    "scale": ["scale"],
    "concurrency": ["concurrency", "memory"],
    "replicas": ["replicas"],
}

Value = dict | float | int | str | None
Row = tuple[str, str, str, Value, str]  # key, label, unit, value, target


def _run_step(name: str, quick: bool) -> dict:
    cmd = [sys.executable, str(BENCH / STEPS[name][0]), *STEPS[name][1:]]
    if quick and name not in ("pages", "interactions"):
        cmd.append("--quick")
    harness.LOGS.mkdir(parents=True, exist_ok=True)
    log = harness.LOGS / f"{name}.out"
    t0, load0 = time.perf_counter(), os.getloadavg()[0]
    with log.open("wb") as fh:
        rc = subprocess.run(cmd, cwd=harness.ROOT, stdout=fh, stderr=subprocess.STDOUT).returncode
    wall, load1 = round(time.perf_counter() - t0, 1), os.getloadavg()[0]
    print(f"{name:12} exit {rc}  {wall:7.1f} s  (log: {log.relative_to(harness.ROOT)})", flush=True)
    return {"exit": rc, "wall_s": wall, "loadavg_1min": [round(load0, 2), round(load1, 2)]}


def _load(name: str) -> dict | None:
    path = harness.RESULTS / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


# --- the rows of each table ------------------------------------------------------------------


def _mb(x: float | None) -> float | None:
    return None if x is None else round(x / 1e6, 2)


def _stat_mb(s: dict) -> dict:
    return {k: (_mb(v) if k != "n" else v) for k, v in s.items()}


def rows_pages(r: dict) -> list[Row]:
    out: list[Row] = [("pages.load", "load_bundle (shipped data)", "ms", r["load_bundle_ms"], "")]
    for page in ("overview", "map", "heatmap", "compare"):
        if f"{page}_rerun_ms" in r:
            out.append(
                (f"pages.{page}", f"{page} rerun (AppTest)", "ms", r[f"{page}_rerun_ms"], "")
            )
    return out


RERUN_TARGET_MS = 25  # issue 15, target 1: every page's rerun and each interaction


def rows_interactions(r: dict) -> list[Row]:
    out: list[Row] = []
    for key, row in r.items():
        if key.startswith("_"):  # _meta: repeat, load average
            continue
        what = {"bare": "bare one-line page", "frame": "app.py with a one-line page"}.get(key, key)
        target = "" if key in ("bare", "frame") else f"≤ {RERUN_TARGET_MS}"
        out.append(
            (
                f"int.{key}",
                f"{what}, wall time (× {row['vs_bare']} the bare page)",
                "ms",
                row["wall_ms"],
                target,
            )
        )
        out.append((f"int.{key}.cpu", f"{what}, CPU time", "ms", row["cpu_ms"], ""))
    return out


def rows_coldstart(r: dict) -> list[Row]:
    first = r["first_page"]
    out: list[Row] = [
        ("cold.health", "process start → /_stcore/health answers", "s", r["health_s"], ""),
        ("cold.health_cpu", "server CPU time until health", "s", r["health_server_cpu_s"], ""),
        ("cold.js", "process start → page HTML + JS loaded", "s", r["html_and_js_loaded_s"], ""),
        ("cold.title", "process start → first page's title shown", "s", r["first_title_s"], ""),
        (
            "cold.first",
            f"process start → first page ({first}) rendered, charts visible",
            "s",
            r["first_page_s"],
            f"≤ {r['targets_s']['first_page']:g}",
        ),
    ]
    if "bare_page" in r:  # the floor: Streamlit with a one-line page, same sitting
        b = r["bare_page"]
        out += [
            ("cold.bare_health", "bare Streamlit page: process start → health", "s",
             b["health_s"], ""),
            ("cold.bare_js", "bare Streamlit page: process start → HTML + JS loaded", "s",
             b["html_and_js_loaded_s"], ""),
            ("cold.bare", "bare Streamlit page: process start → its one line shown", "s",
             b["shown_s"], ""),
            ("cold.ratio", "first page rendered ÷ bare page shown (run by run)", "×",
             r["first_page_over_bare"], ""),
        ]  # fmt: skip
    out.append(
        (
            "cold.first_cpu",
            "server CPU time until the first page is rendered",
            "s",
            r["first_page_server_cpu_s"],
            "",
        )
    )
    other = f"≤ {r['targets_s']['other_page_first_visit']:g}"
    for page, v in r["first_visit_s"].items():
        out.append((f"cold.{page}", f"first visit: {page} (click → rendered)", "s", v, other))
    out += [
        ("cold.slowest", "slowest first visit of another page", "s", r["slowest_other_page_s"], ""),
        ("cold.external", "requests leaving localhost (aborted)", "", r["external_requests"], "0"),
    ]
    return out


def rows_scale(r: dict) -> list[Row]:
    out: list[Row] = []
    for n, e in r["by_size"].items():
        k = f"scale.{n}"
        size = f"{int(n) // 1000}k"
        out.append((f"{k}.load", f"{size}: load_bundle", "ms", e["load_bundle_ms"], ""))
        for page, a in e["apptest"].items():
            if "rerun_ms" in a:
                note = f" ({a['skipped_reruns']})" if "skipped_reruns" in a else ""
                out.append(
                    (
                        f"{k}.{page}.first",
                        f"{size}: {page} first run (AppTest)",
                        "ms",
                        a["first_ms"],
                        "",
                    )
                )
                target = "≤ 1000" if page == "map" and n == "100000" else ""
                value: Value = a["rerun_ms"] if a["rerun_ms"]["n"] else "skipped" + note
                out.append(
                    (
                        f"{k}.{page}.rerun",
                        f"{size}: {page} rerun (AppTest){note if a['rerun_ms']['n'] else ''}",
                        "ms",
                        value,
                        target,
                    )
                )
                cpu_ms = a.get("rerun_cpu_ms") if a["rerun_ms"]["n"] else a.get("first_cpu_ms")
                which = "rerun" if a["rerun_ms"]["n"] else "first run"
                if cpu_ms is not None:
                    label = f"{size}: {page} {which}, CPU time (AppTest)"
                    out.append((f"{k}.{page}.cpu", label, "ms", cpu_ms, ""))
            else:
                problem = a.get("timed_out") or a.get("error") or a.get("exception")
                out.append((f"{k}.{page}.rerun", f"{size}: {page} (AppTest)", "", str(problem), ""))
        for page, s in e["served"].items():
            big = page == "map" and n == "100000"
            out += [
                (
                    f"{k}.{page}.ws_first_ms",
                    f"{size}: {page} first load (served)",
                    "ms",
                    s["first_load_ms"],
                    "",
                ),
                (
                    f"{k}.{page}.ws_first_mb",
                    f"{size}: {page} first load, sent",
                    "MB",
                    _mb(s["first_load_bytes"]),
                    "≤ 5" if big else "",
                ),
                (
                    f"{k}.{page}.ws_rerun_ms",
                    f"{size}: {page} filter change (served)",
                    "ms",
                    s["rerun_ms"],
                    "≤ 1000" if big else "",
                ),
                (
                    f"{k}.{page}.ws_rerun_mb",
                    f"{size}: {page} filter change, sent",
                    "MB",
                    _stat_mb(s["rerun_bytes"]),
                    "≤ 5" if big else "",
                ),
            ]
            if "server_cpu_ms_per_rerun" in s:
                label = f"{size}: {page} server CPU per rerun (served, mean)"
                out.append((f"{k}.{page}.ws_cpu", label, "ms", s["server_cpu_ms_per_rerun"], ""))
            if s["errors"]:
                out.append((f"{k}.{page}.errors", f"{size}: {page} errors", "", s["errors"], "0"))
    return out


def rows_concurrency(r: dict) -> list[Row]:
    out: list[Row] = []
    for n, e in r["levels"].items():
        k = f"conc.{n}"
        lat = e["latency_ms"]
        out += [
            (f"{k}.p50", f"{n} sessions: latency p50", "ms", lat.get("p50"), ""),
            (f"{k}.p95", f"{n} sessions: latency p95", "ms", lat.get("p95"), ""),
            (f"{k}.lat", f"{n} sessions: latency", "ms", lat, ""),
            (f"{k}.errors", f"{n} sessions: errors", "", e["error_total"], "0"),
            (
                f"{k}.ok",
                f"{n} sessions: reruns completed",
                "",
                e["reruns_ok"],
                str(e["reruns_planned"]),
            ),
            (f"{k}.rps", f"{n} sessions: throughput", "reruns/s", e["reruns_per_s"], ""),
            (
                f"{k}.cpu",
                f"{n} sessions: server CPU per rerun (mean)",
                "ms",
                e.get("server_cpu_ms_per_rerun"),
                "",
            ),
            (
                f"{k}.rss_loaded",
                f"{n} sessions: server RSS, all connected",
                "MB",
                e["rss_mb"]["loaded"],
                "",
            ),
            (f"{k}.rss_peak", f"{n} sessions: server RSS, peak", "MB", e["rss_mb"]["peak"], ""),
            (
                f"{k}.rss_close",
                f"{n} sessions: server RSS, after close",
                "MB",
                e["rss_mb"]["after_close"],
                "",
            ),
        ]
    return out


def _malloc(env: dict | None) -> str:
    if env is None:
        return "not recorded"
    return ", ".join(f"`{k}={v}`" for k, v in sorted(env.items())) or "glibc defaults"


def rows_memory(r: dict) -> list[Row]:
    rss, growth = r["rss_mb"], r["growth_mb"]
    return [
        ("mem.env", "server malloc settings", "", _malloc(r.get("server_env")), ""),
        ("mem.reruns", "reruns completed", "", r["reruns_ok"], str(r["reruns_planned"])),
        ("mem.errors", "errors", "", sum(r["errors"].values()), "0"),
        ("mem.lat", "latency", "ms", r["latency_ms"], ""),
        ("mem.cpu", "server CPU per rerun (mean)", "ms", r.get("server_cpu_ms_per_rerun"), ""),
        ("mem.start", "RSS at server start", "MB", rss["server_start"], ""),
        ("mem.base", "RSS baseline (after warm-up)", "MB", rss["baseline_after_warmup"], ""),
        ("mem.peak", "RSS peak during the run", "MB", rss["peak"], ""),
        ("mem.loaded", "RSS after the last rerun", "MB", rss["all_connected_after_last_rerun"], ""),
        ("mem.close", "RSS after sessions closed", "MB", rss["after_close"], ""),
        ("mem.expired", "RSS after sessions expired", "MB", rss["after_sessions_expired"], ""),
        ("mem.growth", "growth: expired − baseline", "MB", growth["final_minus_baseline"], "≤ 50"),
    ]


def _rep_errors(r: dict) -> int:
    errors = r["session_errors"]
    return sum(r["errors"].values()) + (errors if isinstance(errors, int) else len(errors))


def rows_replicas(r: dict) -> list[Row]:
    c = r["control_without_cookie"]
    per = ", ".join(f"{k} {v}" for k, v in sorted(r["sessions_per_replica"].items()))
    conns = ", ".join(f"{k} {v}" for k, v in sorted(r["established_per_replica_port"].items()))
    held = ", ".join(
        f"{k} {v}" for k, v in sorted(r.get("haproxy_sessions_per_replica", {}).items())
    )
    return [
        ("rep.sessions", "sessions through HAProxy", "", r["sessions"], ""),
        ("rep.per", "sessions per replica (X-Replica)", "", per, "both > 0"),
        (
            "rep.held",
            "open sessions per replica while all are held (HAProxy's show stat, scur)",
            "",
            held or "—",
            f"= {per}",
        ),
        # the kernel's count also has the idle connections HAProxy keeps for reuse after GET /
        ("rep.conns", "ESTABLISHED connections per replica port (/proc/net/tcp)", "", conns, ""),
        (
            "rep.stayed",
            "sessions that stayed on their replica",
            "",
            r["stayed_on_replica"],
            str(r["sessions"]),
        ),
        ("rep.switched", "sessions that switched replica", "", r["switched_replica"], "0"),
        (
            "rep.valid",
            "websocket upgrades (101) with a valid SERVERID cookie (HAProxy log)",
            "",
            r["upgrades_101_with_valid_cookie"],
            str(r["sessions"]),
        ),
        (
            "rep.resumed",
            "reconnects that resumed the same Streamlit session",
            "",
            r["resumed_after_reconnect"],
            str(r["sessions"]),
        ),
        (
            "rep.control",
            "control, no cookie: moved to the other replica / of those resumed",
            "",
            f"{c['moved_to_other_replica']} / {c['moved_and_resumed']}",
            "… / 0",
        ),
        ("rep.errors", "errors (protocol + sessions)", "", _rep_errors(r), "0"),
        ("rep.503", "requests answered 503 by the proxy", "", r.get("proxy_503"), "0"),
        (
            "rep.down",
            "replicas marked DOWN by health checks",
            "",
            r.get("health_check_down_events"),
            "0",
        ),
        (
            "rep.lat",
            "first load + one filter change, per session",
            "s",
            r["first_two_reruns_s"],
            "",
        ),
    ]


TABLES: list[tuple[str, str, str, Callable[[dict], list[Row]], str]] = [
    (
        "pages",
        "pages",
        "Page reruns (bench_pages.py, shipped data, AppTest)",
        rows_pages,
        "Medians over 7 runs; bench_pages.py reports medians only.",
    ),
    (
        "interactions",
        "interactions",
        "Reruns and interactions per page (bench_interactions.py, shipped data, AppTest)",
        rows_interactions,
        "Median of 7 per row, next to a bare page in the same process; scripts compiled once, as "
        "on a server. Interactions: a filter change or click, alternating between two states.",
    ),
    (
        "coldstart",
        "coldstart",
        "Cold start in headless chromium (bench_coldstart.py, shipped data)",
        rows_coldstart,
        "{runs} run(s), language `{lang}`; each a fresh server and browser context. Rendered = "
        "idle for 1 s with the title shown and every visible chart drawn (the time is the start "
        "of that second). Other pages: a click on their sidebar link, in the same session.",
    ),
    (
        "scale",
        "scale",
        "Scale: SYNTHETIC cluster files (bench_scale.py)",
        rows_scale,
        'AppTest drives `app.py` in-process; "served" is `streamlit run` + ws_load.py, 1 session: '
        "first load, then one rerun per filter change (continent, sector, search, clear). Sent = "
        "websocket bytes of that rerun with the browser's message cache emulated.",
    ),
    (
        "concurrency",
        "concurrency",
        "Concurrency: one server, page /map, shipped data (bench_concurrency.py)",
        rows_concurrency,
        "All sessions connect at once; each makes {steps} reruns (first load + filter changes). "
        "Latency: BackMsg sent → script_finished received, over every rerun of every session.",
    ),
    (
        "concurrency",
        "memory",
        "Memory: {reruns_planned} reruns on one server (bench_concurrency.py)",
        rows_memory,
        "{sessions} sessions × {steps} steps on /map; baseline after a warm-up; sessions expire "
        "{session_ttl_s} s after closing (server.disconnectedSessionTTL for this run only).",
    ),
    (
        "replicas",
        "replicas",
        "Replicas: 2 app processes behind HAProxy (bench_replicas.py)",
        rows_replicas,
        "deploy/run_local.py topology on 127.0.0.1; each session GETs / (cookie), opens the "
        "websocket with it, reruns, then reconnects with cookie and session id.",
    ),
]


# --- rendering --------------------------------------------------------------------------------


def fmt(v: Value) -> str:
    """``median (min–max)`` for a stats dict, the value itself otherwise."""
    if v is None or v == "":
        return "—"
    if isinstance(v, dict) and "median" in v:
        if v.get("median") is None:
            return "—"
        if v.get("n", 0) <= 1 or v["min"] == v["max"]:
            return fmt(v["median"])
        return f"{fmt(v['median'])} ({fmt(v['min'])}–{fmt(v['max'])})"
    if isinstance(v, dict):
        return ", ".join(f"{k}: {x}" for k, x in v.items()) or "0"
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:g}"
    return str(v)


def _machine_md(info: dict) -> list[str]:
    m = info["machine"]
    return [
        "| | |",
        "|---|---|",
        f"| date | {info['date']} |",
        f"| mode | {info['mode']} |",
        f"| commit | `{info['commit']}` |",
        f"| CPU | {m['cpus']} cores, {m['cpu_model']} (shared with other developers) |",
        f"| memory | {m['memory_gb']} GB |",
        f"| OS | {m['os']} |",
        f"| load average at start | {' / '.join(str(x) for x in m['loadavg'])} |",
        f"| Python | {m['python']} |",
        f"| Streamlit / pandas / plotly / pydeck | {m['streamlit']} / {m['pandas']} / "
        f"{m['plotly']} / {m['pydeck']} |",
        f"| HAProxy | {info['haproxy']} |",
        f"| wall time | {info['wall_s']:.0f} s ({', '.join(info['steps'])}) |",
        "| 1-min load average, start → end of each step | "
        + "; ".join(
            f"{k} {v['loadavg_1min'][0]} → {v['loadavg_1min'][1]}"
            for k, v in info["step_status"].items()
            if "loadavg_1min" in v
        )
        + " |",
    ]


def met(value: Value, target: str) -> str:
    """``yes``/``no`` when ``target`` is one this report can check, else ``""``."""
    v = value.get("median") if isinstance(value, dict) and "median" in value else value
    if isinstance(v, dict):  # an error breakdown: {} means none
        v = sum(x for x in v.values() if isinstance(x, int | float))
    number = isinstance(v, int | float) and not isinstance(v, bool)
    if target.startswith("≤ "):
        if isinstance(v, str) and v.startswith("skipped"):
            return "no"  # skipped because a single run exceeded 60 s
        return ("yes" if v <= float(target[2:]) else "no") if number else ""
    if target.isdigit():
        return ("yes" if v == int(target) else "no") if number else ""
    if target == "both > 0" and isinstance(v, str):
        counts = [int(part.split()[-1]) for part in v.split(",")]
        return "yes" if len(counts) >= 2 and all(c > 0 for c in counts) else "no"
    if target.startswith("= "):
        return "yes" if str(v) == target[2:] else "no"
    if target == "… / 0" and isinstance(v, str):
        return "yes" if v.split("/")[-1].strip() == "0" else "no"
    return ""


def _targets_md(results: dict) -> list[str]:
    lines = ["| benchmark | metric | this run | target | met |", "|---|---|---|---|---|"]
    for _, name, _, fn, _ in TABLES:
        if results.get(name) is None:
            continue
        for _, label, unit, value, target in fn(results[name]):
            if target:
                shown = fmt(value) + (f" {unit}" if unit and not isinstance(value, str) else "")
                lines.append(f"| {name} | {label} | {shown} | {target} | {met(value, target)} |")
    return lines


def render(info: dict, results: dict, before: dict, before_info: dict | None) -> str:
    """The Markdown report."""
    b_label = (
        f"before ({before_info['date'][:10]}, `{before_info['commit']}`)"
        if before_info
        else "before"
    )
    after_label = "after (this run)" if not info["is_baseline"] else "after"
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`bench/run_all.py`); how each number is measured: "
        "[`bench/README.md`](README.md). Benchmarks, not tests: nothing here fails CI. "
        "Cells are *median (min–max)* where a benchmark repeats, else the single value. Scale "
        "data is **synthetic** (`bench/make_synthetic.py`), never shipped.",
        "",
        "**before** = the numbers stored in `bench/baseline.json` (`--set-baseline`); **after** = "
        "the latest `make bench` after a change. "
        + (
            "This file was written by the baseline run: the after column is empty until the next "
            "run."
            if info["is_baseline"]
            else ""
        ),
        "",
        "## Machine",
        "",
        *_machine_md(info),
        "",
        "## Against the targets (this run)",
        "",
        "Targets from the issue (cold start: first page ≤ 3 s from process start, first visit of "
        "each other page ≤ 1 s; map at 100k: rerun ≤ 1 s, ≤ 5 MB sent; 0 errors; memory growth "
        "≤ 50 MB) and from the replica check (every session stays on one replica).",
        "",
        *_targets_md(results),
    ]
    for step, name, title, fn, note in TABLES:
        data = results.get(name)
        if data is not None:
            title, note = title.format_map(data), note.format_map(data)
        lines += ["", f"## {title}", "", note, ""]
        if data is None:
            status = info["step_status"].get(step, {})
            lines.append(
                f"Not run or failed (exit {status.get('exit', '—')}; see "
                f"`bench/results/logs/{step}.out`)."
            )
            continue
        lines += [
            f"| metric | unit | {b_label} | {after_label} | target |",
            "|---|---|---|---|---|",
        ]
        for key, label, unit, value, target in fn(data):
            old = before.get(key)
            if info["is_baseline"]:
                cells = (fmt(value), "")
            else:
                cells = (fmt(old) if key in before else "—", fmt(value))
            lines.append(f"| {label} | {unit} | {cells[0]} | {cells[1]} | {target} |")
    return "\n".join(lines) + "\n"


def flat(results: dict) -> dict[str, Value]:
    """``{row key: value}`` of every table (what the baseline stores)."""
    out: dict[str, Value] = {}
    for _, name, _, fn, _ in TABLES:
        if results.get(name) is not None:
            out.update({key: value for key, _, _, value, _ in fn(results[name])})
    return out


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=harness.ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git(
        "status",
        "--porcelain",
        "--untracked-files=no",
        "--",
        ".",
        ":!bench/RESULTS.md",
        ":!bench/baseline.json",
    )
    return sha + ("+dirty" if dirty else "")


def _haproxy() -> str:
    exe = shutil.which("haproxy")
    if exe is None:
        return "not installed (replica bench skipped)"
    out = subprocess.run([exe, "-v"], capture_output=True, text=True, check=False).stdout
    return out.splitlines()[0].split(" - ")[0] if out else "unknown"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="smaller runs, a few minutes")
    p.add_argument("--set-baseline", action="store_true", help="store this run as 'before'")
    p.add_argument("--only", nargs="+", choices=list(STEPS), help="run only these steps")
    p.add_argument("--out", type=Path, help="report path (default: bench/RESULTS.md)")
    a = p.parse_args()
    harness.ws_load_path()  # fail early with a clear message if the client is missing
    steps = a.only or list(STEPS)
    info: dict = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick (--quick)" if a.quick else "full",
        "commit": _commit(),
        "machine": harness.machine(),
        "haproxy": _haproxy(),
        "steps": steps,
        "step_status": {},
        "is_baseline": bool(a.set_baseline and not a.quick),
    }
    t0 = time.perf_counter()
    for name in list(STEPS):
        for result in RESULT_FILES[name]:  # stale results of a step must not be reported
            if name in steps:
                (harness.RESULTS / f"{result}.json").unlink(missing_ok=True)
    for name in steps:
        if name == "replicas" and shutil.which("haproxy") is None:
            print("replicas     skipped: haproxy not installed (sudo apt-get install -y haproxy)")
            info["step_status"][name] = {"exit": "skipped"}
            continue
        info["step_status"][name] = _run_step(name, a.quick)
    info["wall_s"] = time.perf_counter() - t0
    results = {r: _load(r) for name in steps for r in RESULT_FILES[name]}
    base = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.is_file() else {}
    if info["is_baseline"]:
        base = {"info": {k: info[k] for k in ("date", "commit", "mode")}, "values": flat(results)}
        BASELINE.write_text(json.dumps(base, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    out = (
        a.out or (harness.RESULTS / "RESULTS-quick.md" if a.quick else BENCH / "RESULTS.md")
    ).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    text = render(info, results, base.get("values", {}), base.get("info"))
    out.write_text(text, encoding="utf-8")
    shown = out.relative_to(harness.ROOT) if out.is_relative_to(harness.ROOT) else out
    harness.save("run_all", {**info, "out": str(shown)})
    print(f"wrote {shown} in {info['wall_s']:.0f} s")


if __name__ == "__main__":
    main()
