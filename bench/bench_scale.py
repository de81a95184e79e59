"""Scale: SYNTHETIC data folders of 1k, 10k and 100k clusters through the app's own code.

    python bench/bench_scale.py [--sizes 1000 10000 100000] [--quick]

Per size (folders from ``make_synthetic.py``, ``DATA_DIR`` pointing at them):
* ``load_bundle``: read + validate, repeated, median/min/max;
* AppTest (the real router ``app.py``, as ``bench_pages.py`` drives it): the map, heatmap (and
  compare, once a ``pages/compare.py`` exists) pages, first run then same-state reruns. Each page
  runs in a child process with a time limit; a run over ``SLOW_S`` stops further reruns, and the
  result records that;
* served: ``serve.py`` and ``ws_load.py`` with 1 session changing filters on ``/map``
  and ``/heatmap``: latency from BackMsg to script_finished and bytes sent over the websocket per
  rerun (Streamlit's browser-side message cache emulated; static files and HTTP not counted).
Writes ``bench/results/scale.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from make_synthetic import ROWS_ENV, make_folder  # noqa: E402

SIZES = (1000, 10000, 100000)
QUICK_SIZES = (1000, 10000)
SLOW_S = 60.0  # a single AppTest run slower than this ends that page's reruns
CHILD_LIMIT_S = 300.0  # hard limit per page and size (the child is stopped by PID)
SCALE_MAP_VARY = (  # the last step shows every point again (its cached deck has aged out)
    "@url_continent=Europe",
    "@url_sector=Electronics",
    "@url_q=SYNTHETIC 0000",  # ids 000001-000099 at every size
    "@url_continent=&@url_sector=&@url_q=",
)
PAGES: dict[str, dict[str, object]] = {  # url path -> script, start query, filter changes
    "map": {
        "script": "pages/map.py",
        "query": "lang=en",
        "vary": SCALE_MAP_VARY,
        # at 100k one all-points rerun takes minutes on 2 busy cores: first load (all points,
        # the same bytes as the "clear" step at 1k/10k) and one narrowing filter only
        "vary_big": ("@url_sector=Electronics",),
    },
    "heatmap": {
        "script": "pages/heatmap.py",
        "query": "lang=en&source=named",  # the named source draws from the cluster list
        "vary": harness.HEATMAP_VARY,
    },
    "compare": {"script": "pages/compare.py", "query": "lang=en", "vary": ()},
}


def present_pages() -> dict[str, dict[str, object]]:
    """The benchmarked pages that exist in this checkout."""
    return {k: v for k, v in PAGES.items() if (harness.ROOT / str(v["script"])).is_file()}


def time_load(folder: Path, repeat: int) -> dict:
    """Median/min/max ms of ``load_bundle(folder)`` over ``repeat`` calls."""
    from components.data import load_bundle

    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        bundle = load_bundle(folder)
        times.append((time.perf_counter() - t) * 1000)
    return {**harness.stats(times), "rows": len(bundle.clusters)}


def apptest_child(script: str, query: str, reruns: int) -> dict:
    """In this (child) process: AppTest through ``app.py`` on ``script``; times in ms."""
    from apptest_kit import routed
    from streamlit.testing.v1 import AppTest

    routed()  # keep st.navigation mode, as a server does
    at = AppTest.from_file(str(harness.ROOT / "app.py"), default_timeout=CHILD_LIMIT_S)
    for key, _, value in (p.partition("=") for p in query.split("&") if p):
        at.query_params[key] = value
    t = time.perf_counter()
    at.run()  # the default page; st.navigation registers the pages
    default_ms = (time.perf_counter() - t) * 1000
    at.switch_page(script)
    t, c = time.perf_counter(), time.process_time()
    at.run()
    first_ms = (time.perf_counter() - t) * 1000
    out: dict = {
        "default_page_ms": round(default_ms, 1),
        "first_ms": round(first_ms, 1),
        "first_cpu_ms": round((time.process_time() - c) * 1000, 1),
    }
    if at.exception:
        out["exception"] = [e.value for e in at.exception][:3]
        return out
    times: list[float] = []
    cpu: list[float] = []  # CPU time of this process (all threads): steadier on a busy machine
    if first_ms > SLOW_S * 1000:
        out["skipped_reruns"] = f"first run took {first_ms / 1000:.0f} s > {SLOW_S:.0f} s"
    for _ in range(reruns if "skipped_reruns" not in out else 0):
        t, c = time.perf_counter(), time.process_time()
        at.run()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        if times[-1] > SLOW_S * 1000:
            out["skipped_reruns"] = f"a rerun took {times[-1] / 1000:.0f} s > {SLOW_S:.0f} s"
            break
    out["rerun_ms"] = harness.stats(times)
    out["rerun_cpu_ms"] = harness.stats(cpu)
    return out


def apptest(folder: Path, page: str, reruns: int) -> dict:
    """Run :func:`apptest_child` in a child process with ``DATA_DIR=folder`` and a time limit."""
    spec = PAGES[page]
    cmd = [sys.executable, __file__, "--child", str(spec["script"]), str(spec["query"])]
    cmd.append(str(reruns))
    env = {**os.environ, "DATA_DIR": str(folder), **ROWS_ENV}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        stdout, _ = proc.communicate(timeout=CHILD_LIMIT_S)
    except subprocess.TimeoutExpired:
        harness.stop_pid(proc, grace=5)
        return {"timed_out": f"stopped after {CHILD_LIMIT_S:.0f} s"}
    lines = stdout.decode().strip().splitlines()
    if proc.returncode != 0 or not lines:
        return {"error": f"child exited with {proc.returncode}"}
    return json.loads(lines[-1])


def served(folder: Path, pages: dict[str, dict[str, object]], big: bool = False) -> dict:
    """Latency and websocket bytes per rerun, 1 session per page, on a served app.

    Step 0 is the first load; then one step per filter change of the page's ``vary`` list
    (``vary_big`` when ``big`` and the page has one).
    """
    out: dict = {}
    with harness.AppServer(folder, name=f"scale-{folder.name}", env=ROWS_ENV) as srv:
        for page, spec in pages.items():
            key = "vary_big" if big and "vary_big" in spec else "vary"
            vary = list(spec[key])  # type: ignore[call-overload]
            steps = 1 + max(len(vary), 1)
            r = harness.ws_load(
                srv.url,
                sessions=1,
                steps=steps,
                page=page,
                query=str(spec["query"]),
                vary=vary,
                pid=srv.pid,
                timeout=240,
            )
            first = [x for x in r["per_rerun"] if x[1] == 0]
            later = [x for x in r["per_rerun"] if x[1] > 0]
            out[page] = {
                "steps": steps,
                "first_load_ms": first[0][2] if first else None,
                "first_load_bytes": first[0][3] if first else None,
                "rerun_ms": harness.stats(x[2] for x in later),
                "rerun_bytes": harness.stats((x[3] for x in later), ndigits=0),
                "per_step": [
                    {
                        "change": "first load"
                        if x[1] == 0
                        else vary[(x[1] - 1) % len(vary)]
                        if vary
                        else "same state",
                        "ms": x[2],
                        "bytes": x[3],
                    }
                    for x in r["per_rerun"]
                ],
                "errors": r["errors"],
                "server_cpu_ms_per_rerun": round(r["server"]["cpu_s"] * 1000 / steps, 1),
                "server_rss_mb": round(r["server"].get("rss_kb_loaded", 0) / 1024, 1),
            }
    return out


def run(sizes: tuple[int, ...], quick: bool = False) -> dict:
    """The whole scale benchmark; also saved to ``bench/results/scale.json``."""
    pages = present_pages()
    result: dict = {
        "synthetic": True,
        "sizes": list(sizes),
        "pages": list(pages),
        "missing_pages": [p for p in PAGES if p not in pages],
        "by_size": {},
    }
    for n in sizes:
        t0 = time.perf_counter()
        folder = make_folder(n)
        big = n >= 100_000
        entry: dict = {"load_bundle_ms": time_load(folder, 3 if big or quick else 5)}
        entry["apptest"] = {p: apptest(folder, p, 1 if big else (2 if quick else 5)) for p in pages}
        entry["served"] = served(folder, pages, big)
        entry["wall_s"] = round(time.perf_counter() - t0, 1)
        result["by_size"][str(n)] = entry
        print(f"scale {n}: {json.dumps(entry)}", flush=True)
    harness.save("scale", result)
    return result


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.path.insert(0, str(harness.ROOT))
        script, query, reruns = sys.argv[2], sys.argv[3], int(sys.argv[4])
        print(json.dumps(apptest_child(script, query, reruns)))
        return
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", nargs="+", type=int)
    p.add_argument("--quick", action="store_true", help="1k and 10k only, fewer repeats")
    a = p.parse_args()
    sys.path.insert(0, str(harness.ROOT))
    run(tuple(a.sizes or (QUICK_SIZES if a.quick else SIZES)), a.quick)


if __name__ == "__main__":
    main()
