"""Benchmark: page reruns and widget interactions next to a bare page, in one process.

``python bench/bench_interactions.py [--pages compare,trends] [--repeat 7] [--profile DIR]``

For every page (through ``app.py``, as a server runs it) it reports the median wall and CPU time
of a plain rerun and of each interaction listed in ``INTERACTIONS`` (a filter change, a click),
next to a bare one-line Streamlit page measured in the same run, and the ratio page / bare.
Interactions alternate between two states, so every measured rerun is a real change
(``first`` is the first change, before anything derived from it is kept). The scripts are
compiled once and shared across runs as on a server (``--compile-each-run``: AppTest's default).
``--profile DIR`` also writes one cProfile file per measurement (``DIR/<page>_<step>.prof``).
Results go to ``bench/results/interactions.json`` (git-ignored). A benchmark: nothing asserts.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import (  # noqa: E402
    AppTest,  # noqa: E402
    app_test,
    local_script_runner,
)

from bench.bench_pages import _routed  # noqa: E402
from bench.harness import save  # noqa: E402
from components import registry  # noqa: E402
from components.registry import PAGES  # noqa: E402

BARE = "import streamlit as st\nst.write('bare')\n"
Step = Callable[[AppTest, int], None]  # (app, i): set the i-th state before the rerun


def _by_key(at: AppTest, kind: str, key: str):  # noqa: ANN202
    return next(w for w in at.get(kind) if getattr(w, "key", None) == key)


def _radio(key: str, values: tuple[str, str]) -> Step:
    return lambda at, i: _by_key(at, "radio", key).set_value(values[i % 2])


def _select(key: str, values: tuple[object, object]) -> Step:
    return lambda at, i: _by_key(at, "selectbox", key).set_value(values[i % 2])


def _multi(key: str, values: tuple[list, list]) -> Step:
    return lambda at, i: _by_key(at, "multiselect", key).set_value(values[i % 2])


def _text(key: str, values: tuple[str, str]) -> Step:
    return lambda at, i: _by_key(at, "text_input", key).set_value(values[i % 2])


def _click(keys: tuple[str, str]) -> Step:
    return lambda at, i: _by_key(at, "button", keys[i % 2]).click()


# page stem -> (URL params of the starting state, {step name: step})
INTERACTIONS: dict[str, tuple[dict[str, str], dict[str, Step]]] = {
    "policies": (
        {"lang": "en"},
        {
            "theme_filter": _multi("url_theme", (["green"], [])),
            "pick_policy": _select("pol_pick", ("usa-regional-innovation-clusters", None)),
            "region_button": _click(("pol_region_ch4-asia", "pol_region_ch4-europe")),
        },
    ),
    "trends": (
        {"lang": "en"},
        {
            "open_trend": _click(("trend_btn_3", "trend_btn_1")),
            "view_radio": _radio("url_view", ("recs", "trends")),
            "search": _text("url_q", ("chip", "")),
        },
    ),
    "compare": (
        {"lang": "en"},
        {
            "slot_change": _select("cmp_slot_1", ("AS", "NA")),
        },
    ),
    "present": (
        {"lang": "en"},
        {
            "next_slide": _click(("slide_next", "slide_prev")),
            "deck_radio": _radio("url_deck", ("briefing", "report")),
        },
    ),
    "data": (
        {"lang": "en"},
        {
            "table_radio": _radio("url_table", ("policies", "clusters")),
        },
    ),
}


_PROFILER: list[cProfile.Profile] = []  # the profiler of the measurement under way, if any


def _compile_once() -> None:
    """Share one script cache across runs, as a server does (AppTest compiles app.py and the
    page, with Streamlit's magic AST pass, on every run: a cost no served rerun pays)."""
    shared = ScriptCache()
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment]
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment]


def _profiled() -> None:
    """Profile the script thread (AppTest runs the script on its own thread)."""
    original = script_runner.ScriptRunner._run_script

    def run(self: script_runner.ScriptRunner, *args: object, **kwargs: object) -> None:
        if not _PROFILER:
            return original(self, *args, **kwargs)
        _PROFILER[0].enable()
        try:
            return original(self, *args, **kwargs)
        finally:
            _PROFILER[0].disable()

    script_runner.ScriptRunner._run_script = run  # type: ignore[method-assign]


def _measure(at: AppTest, step: Step | None, repeat: int, prof: Path | None) -> dict[str, float]:
    walls, cpus = [], []
    profiler = cProfile.Profile() if prof else None
    if profiler:
        _PROFILER[:] = [profiler]
    for i in range(repeat):
        if step is not None:
            step(at, i)
        w0, c0 = time.perf_counter(), time.process_time()
        at.run()
        walls.append((time.perf_counter() - w0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
        assert not at.exception, at.exception
    if profiler and prof:
        _PROFILER.clear()
        profiler.dump_stats(str(prof))
    return {
        "wall_ms": round(statistics.median(walls), 1),
        "cpu_ms": round(statistics.median(cpus), 1),
        "min_ms": round(min(walls), 1),
        "first_ms": round(walls[0], 1),  # the first change to a state: nothing kept yet
    }


def _frame(repeat: int) -> dict[str, float]:
    """``app.py`` with ``bench/bare_page.py`` in the default page's place: the shared frame."""
    saved = registry.PAGES, registry.DEFAULT_PAGE
    bare = dataclasses.replace(registry.DEFAULT_PAGE, path="bench/bare_page.py")
    registry.PAGES = (bare, *registry.PAGES[1:])
    registry.DEFAULT_PAGE = bare
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception, at.exception
        return _measure(at, None, repeat, None)
    finally:
        registry.PAGES, registry.DEFAULT_PAGE = saved


def _app(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    at.query_params.update(params)
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", default="", help="comma-separated page stems (default: all)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile files here")
    parser.add_argument(
        "--compile-each-run",
        action="store_true",
        help="keep AppTest's default of compiling the scripts on every run (a server does not)",
    )
    args = parser.parse_args(argv)
    _routed()
    if not args.compile_each_run:
        _compile_once()
    if args.profile:
        _profiled()
        args.profile.mkdir(parents=True, exist_ok=True)
    wanted = [s for s in args.pages.split(",") if s]
    bare = AppTest.from_string(BARE)
    bare.run()
    results: dict[str, dict] = {"bare": _measure(bare, None, args.repeat, None)}
    results["frame"] = _frame(args.repeat)
    for spec in PAGES:
        stem = Path(spec.path).stem
        if wanted and stem not in wanted:
            continue
        params, steps = INTERACTIONS.get(stem, ({"lang": "en"}, {}))

        def prof(name: str, stem: str = stem) -> Path | None:
            return args.profile / f"{stem}_{name}.prof" if args.profile else None

        at = _app(spec.path, params)
        results[f"{stem}.rerun"] = _measure(at, None, args.repeat, prof("rerun"))
        for name, step in steps.items():
            at = _app(spec.path, params)
            results[f"{stem}.{name}"] = _measure(at, step, args.repeat, prof(name))
    bare_ms = results["bare"]["wall_ms"] or 1.0
    for row in results.values():
        row["vs_bare"] = round(row["wall_ms"] / bare_ms, 1)
    save("interactions", results)
    return results


if __name__ == "__main__":
    for key, row in main().items():
        print(
            f"{key:28} wall {row['wall_ms']:7.1f} ms  cpu {row['cpu_ms']:7.1f} ms  "
            f"min {row['min_ms']:7.1f}  first {row['first_ms']:7.1f}  x bare {row['vs_bare']}"
        )
