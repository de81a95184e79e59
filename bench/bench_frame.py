"""What the overview and heatmap pay cold, and what AppTest spends compiling, next to a bare page.

``python bench/bench_frame.py [--repeat 15] [--only NAME ...] [--profile NAME]`` prints the
median AppTest run (ms) of the cases ``bench_interactions.py`` does not cover, each next to its
warm counterpart and a one-line page measured in the same process (the machine is shared:
ratios travel better than milliseconds):

* ``overview_cold``, ``hm_measure_cold``: the same rerun / measure change with every per-dataset
  result dropped first (what the first reader of a view pays after a start or a data change);
* ``hm_cell_new``: every step a heatmap cell not selected before in this process;
* ``compile_ms``: what AppTest spends compiling ``app.py`` and the page scripts on each run (a
  server keeps the bytecode; here the scripts are compiled once, as on a server).

The warm reruns and every interaction of every page are ``bench_interactions.py``'s.
``--profile NAME`` prints a cProfile of that case, taken inside the script thread.
Results go to ``bench/results/frame.json``. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import apptest_kit as kit  # noqa: E402
from bench.bench_interactions import ALL_CELLS, INTERACTIONS  # noqa: E402
from components import memo  # noqa: E402

REPEAT = 15
HEATMAP = "pages/heatmap.py"
OVERVIEW = "pages/overview.py"
Case = tuple[Callable[[], object], kit.Step | None]  # (an app factory, the step before a run)


def _drop_kept(step: kit.Step | None = None) -> kit.Step:
    """``step`` with every per-dataset result dropped first (the cold path)."""

    def run(at: object, i: int) -> None:
        memo.clear()
        if step is not None:
            step(at, i)  # type: ignore[arg-type]

    return run


def cases(lang: str) -> dict[str, Case]:
    """name → (an app factory, the step set before each timed rerun)."""

    def page(path: str) -> Callable[[], object]:
        return lambda: kit.open_page(path, {"lang": lang})

    measure = INTERACTIONS["heatmap"][1]["measure_radio"]
    return {
        "bare": (kit.bare_app, None),
        "overview": (page(OVERVIEW), None),
        "overview_cold": (page(OVERVIEW), _drop_kept()),
        "hm_measure": (page(HEATMAP), measure),
        "hm_measure_cold": (page(HEATMAP), _drop_kept(measure)),
        "hm_cell_new": (page(HEATMAP), kit.cycle("cell", ALL_CELLS)),
    }


def compile_ms() -> dict[str, float]:
    """What AppTest spends compiling the scripts of one run (the server compiles them once)."""
    out = {}
    for name in ("app.py", OVERVIEW, HEATMAP):
        text = (kit.ROOT / name).read_text(encoding="utf-8")
        times = []
        for _ in range(20):
            start = time.perf_counter()
            compile(text, name, "exec")
            times.append((time.perf_counter() - start) * 1000)
        out[name] = round(statistics.median(times), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--only", nargs="*", help="case names (default: all)")
    parser.add_argument("--profile", help="print a cProfile of this case")
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args()
    kit.setup()
    table = cases(args.lang)
    unknown = set(args.only or ()) | ({args.profile} if args.profile else set())
    unknown -= set(table)
    if unknown:
        sys.exit(
            f"unknown case(s) {sorted(unknown)}; cases: {', '.join(table)} "
            "(warm reruns and interactions: bench_interactions.py)"
        )
    if args.profile:
        make, step = table[args.profile]
        prof = cProfile.Profile(time.thread_time)  # CPU time: waits on a loaded machine left out
        kit.measure(make(), step, args.repeat, prof)  # type: ignore[arg-type]
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.top)
        return
    names = args.only or list(table)
    if "bare" not in names:
        names = ["bare", *names]
    results: dict[str, object] = {"lang": args.lang, "repeat": args.repeat}
    results["loadavg"] = kit.loadavg()
    rows = {}
    for name in names:
        make, step = table[name]
        rows[name] = kit.measure(make(), step, args.repeat)  # type: ignore[arg-type]
    bare, bare_cpu = rows["bare"]["wall_ms"] or 1.0, rows["bare"]["script_cpu_ms"] or 0.1
    for name, r in rows.items():
        results[name] = {
            "median_ms": r["wall_ms"],
            "min_ms": r["min_ms"],
            "ratio_to_bare": round(r["wall_ms"] / bare, 1),
            "cpu_median_ms": r["script_cpu_ms"],
            "cpu_ratio_to_bare": round(r["script_cpu_ms"] / bare_cpu, 1),
        }
    results["compile_ms"] = compile_ms()
    out = kit.ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "frame.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    for name in names:
        r = results[name]  # type: ignore[assignment]
        print(
            f"{name:16} wall {r['median_ms']:7.1f} ms (min {r['min_ms']:6.1f}, "  # type: ignore[index]
            f"x{r['ratio_to_bare']})  script cpu {r['cpu_median_ms']:6.1f} ms "  # type: ignore[index]
            f"(x{r['cpu_ratio_to_bare']})"  # type: ignore[index]
        )
    print("compile_ms", results["compile_ms"], "loadavg", results["loadavg"])


if __name__ == "__main__":
    main()
