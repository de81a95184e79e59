"""Reruns and interactions of the overview and heatmap pages next to a bare page, in one process.

``python bench/bench_frame.py`` prints the median AppTest run (ms) of a one-line page, of the
overview and heatmap reruns, and of each heatmap interaction, with the ratio to the bare page
(the machine is shared: ratios travel better than milliseconds). ``--profile NAME`` prints a
cProfile of that case, taken inside the script thread. AppTest compiles ``app.py`` and the page
script on every run (a server keeps the bytecode); ``compile_ms`` says how much of a run that is.
Results go to ``bench/results/frame.json``. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.bench_pages import _routed  # noqa: E402
from components import memo  # noqa: E402
from components.vocab import CONTINENTS, SECTORS  # noqa: E402

REPEAT = 15
HEATMAP = "pages/heatmap.py"
OVERVIEW = "pages/overview.py"


def _app(page: str, lang: str = "en", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    if page != OVERVIEW:
        at.query_params.update(params)
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def _timed(step: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _alternate(at: AppTest, act: Callable[[AppTest, int], AppTest]) -> Callable[[], object]:
    """A step that performs ``act`` with an alternating index (a real change every time)."""
    state = {"i": 0}

    def step() -> object:
        state["i"] += 1
        out = act(at, state["i"])
        assert not out.exception, out.exception
        return out

    return step


def cases(lang: str) -> dict[str, Callable[[], Callable[[], object]]]:
    """name → a factory of a zero-argument step (set up once, then timed)."""

    def bare() -> Callable[[], object]:
        path = Path(tempfile.mkdtemp()) / "bare.py"
        path.write_text('import streamlit as st\nst.write("hello")\n', encoding="utf-8")
        at = AppTest.from_file(str(path), default_timeout=60)
        at.run()
        return at.run

    def rerun(page: str, **params: str) -> Callable[[], Callable[[], object]]:
        return lambda: _app(page, lang, **params).run

    def radio(key: str, values: tuple[str, str]) -> Callable[[], Callable[[], object]]:
        return lambda: _alternate(
            _app(HEATMAP, lang),
            lambda at, i: at.radio(key=key).set_value(values[i % 2]).run(),
        )

    def cell_link() -> Callable[[], object]:
        # What a click does to the page: a new cell selected (the click's selection event
        # cannot be sent through AppTest; the URL path runs the same code after the event).
        cells = ("consumer.EU", "nev.AS")
        at = _app(HEATMAP, lang)

        def act(at: AppTest, i: int) -> AppTest:
            at.query_params["cell"] = cells[i % 2]
            return at.run()

        return _alternate(at, act)

    def cell_pick() -> Callable[[], object]:
        cells = ("consumer.EU", "nev.AS")
        return _alternate(
            _app(HEATMAP, lang),
            lambda at, i: at.selectbox(key="hm_cell_pick").set_value(cells[i % 2]).run(),
        )

    def cold(make: Callable[[], Callable[[], object]]) -> Callable[[], Callable[[], object]]:
        """The same step with every per-dataset result dropped first: the first reader of a
        view after a start (or a data change) pays this once."""

        def factory() -> Callable[[], object]:
            step = make()

            def run() -> object:
                with memo._lock:
                    memo._tables.clear()
                return step()

            return run

        return factory

    def cell_cycle() -> Callable[[], object]:
        # Every step a cell not selected before in this process (until all 30 are used).
        cells = [f"{s}.{c}" for s in SECTORS for c in CONTINENTS]
        at = _app(HEATMAP, lang)

        def act(at: AppTest, i: int) -> AppTest:
            at.query_params["cell"] = cells[i % len(cells)]
            return at.run()

        return _alternate(at, act)

    def show_all() -> Callable[[], object]:
        return _alternate(
            _app(HEATMAP, lang),
            lambda at, i: at.toggle(key="url_hm_all").set_value(i % 2 == 1).run(),
        )

    def continent() -> Callable[[], object]:
        values = (["AS"], [])
        return _alternate(
            _app(HEATMAP, lang),
            lambda at, i: at.multiselect(key="url_hm_continent").set_value(values[i % 2]).run(),
        )

    return {
        "bare": bare,
        "overview": rerun(OVERVIEW),
        "heatmap": rerun(HEATMAP),
        "heatmap_cell": rerun(HEATMAP, cell="consumer.EU"),
        "hm_measure": radio("url_measure", ("lq", "count")),
        "hm_source": radio("url_source", ("named", "published")),
        "hm_cell_click": cell_link,
        "hm_cell_pick": cell_pick,
        "hm_show_all": show_all,
        "hm_continent": continent,
        "hm_cell_new": cell_cycle,
        "hm_measure_cold": cold(radio("url_measure", ("lq", "count"))),
        "overview_cold": cold(rerun(OVERVIEW)),
    }


class ScriptClock:
    """CPU time of the script thread per run (``_run_script``): what a rerun costs the server,
    apart from the load other processes put on the machine, and AppTest's own bookkeeping."""

    def __init__(self) -> None:
        self.last = 0.0
        self._original = script_runner.ScriptRunner._run_script
        clock = self

        def run_script(runner, rerun_data):  # noqa: ANN001, ANN202
            start = time.thread_time()
            try:
                return clock._original(runner, rerun_data)
            finally:
                clock.last = (time.thread_time() - start) * 1000

        script_runner.ScriptRunner._run_script = run_script  # type: ignore[method-assign]


def compile_ms() -> dict[str, float]:
    """What AppTest spends compiling the scripts of one run (the server compiles them once)."""
    out = {}
    for name in ("app.py", OVERVIEW, HEATMAP):
        text = (ROOT / name).read_text(encoding="utf-8")
        out[name] = round(
            statistics.median(_timed(lambda text=text, name=name: compile(text, name, "exec"), 20)),
            2,
        )
    return out


def profile(step: Callable[[], object], repeat: int, top: int) -> None:
    """cProfile of ``step`` inside the script thread (where the page runs)."""
    prof = cProfile.Profile(time.thread_time)  # CPU time: waits on a loaded machine left out
    original = script_runner.ScriptRunner._run_script

    def run_script(self, rerun_data):  # noqa: ANN001, ANN202
        prof.enable()
        try:
            return original(self, rerun_data)
        finally:
            prof.disable()

    script_runner.ScriptRunner._run_script = run_script  # type: ignore[method-assign]
    try:
        for _ in range(repeat):
            step()
    finally:
        script_runner.ScriptRunner._run_script = original  # type: ignore[method-assign]
    pstats.Stats(prof).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--only", nargs="*", help="case names (default: all)")
    parser.add_argument("--profile", help="print a cProfile of this case")
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args()
    _routed()
    table = cases(args.lang)
    if args.profile:
        step = table[args.profile]()
        step()
        profile(step, args.repeat, args.top)
        return
    results: dict[str, object] = {"lang": args.lang, "repeat": args.repeat}
    names = args.only or list(table)
    if "bare" not in names:
        names = ["bare", *names]
    clock = ScriptClock()
    steps = {name: table[name]() for name in names}
    for step in steps.values():
        step()  # warm: first runs fill caches
    # Interleave the cases so the load of the shared machine falls on all of them alike.
    # Wall time of the whole AppTest run, and the script thread's CPU time (the server's share),
    # which a loaded machine inflates far less.
    times: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(args.repeat):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            times[name].append((time.perf_counter() - start) * 1000)
            cpu[name].append(clock.last)
    bare, bare_cpu = statistics.median(times["bare"]), statistics.median(cpu["bare"])
    for name in names:
        med, med_cpu = statistics.median(times[name]), statistics.median(cpu[name])
        results[name] = {
            "median_ms": round(med, 1),
            "min_ms": round(min(times[name]), 1),
            "ratio_to_bare": round(med / bare, 1),
            "cpu_median_ms": round(med_cpu, 1),
            "cpu_ratio_to_bare": round(med_cpu / bare_cpu, 1),
        }
    results["compile_ms"] = compile_ms()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "frame.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    for name in names:
        r = results[name]
        print(  # type: ignore[index]
            f"{name:16} wall {r['median_ms']:7.1f} ms (min {r['min_ms']:6.1f}, "
            f"x{r['ratio_to_bare']})  script cpu {r['cpu_median_ms']:6.1f} ms "
            f"(x{r['cpu_ratio_to_bare']})"
        )
    print("compile_ms", results["compile_ms"])


if __name__ == "__main__":
    main()
