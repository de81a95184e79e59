"""The map page's server-side cost: reruns and interactions next to a bare page, bytes per rerun.

    python bench/bench_map.py [--repeat 15] [--profile N]

AppTest through ``app.py`` (``st.navigation`` kept, as ``bench_pages.py`` does), in one process:

* a bare one-line page's rerun (the floor Streamlit itself costs on this machine);
* the map page's same-state rerun, with and without an open profile;
* each interaction (a filter change, a search, picking a cluster, the zoom buttons, closing the
  profile), timed as the rerun it causes, alternating between two states so every run changes;
* the size of what a rerun hands to the browser: the deck's JSON and every element's protobuf.

Wall time and this process's CPU time (all threads) are both reported: the machines here are shared,
CPU time is the steadier of the two. ``--profile N`` prints the top N functions of a cProfile taken
inside the script thread over the same-state reruns. Results: ``bench/results/map.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "bench"))

from bench_pages import _routed  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

MAP = "pages/map.py"
BASEL = "basel-health-valley"


def _use_data(folder: str) -> None:
    """Point the app at ``folder``; lift the loader's row cap (synthetic 100k files) in this
    benchmark process only."""
    import os

    from components import data

    os.environ["DATA_DIR"] = str(Path(folder).resolve())
    defaults = list(data.parse_csv.__defaults__ or ())
    data.parse_csv.__defaults__ = (*defaults[:-1], 10**7)


def _csv_once() -> None:
    """``components.display`` encodes each table object's CSV once (keyed on the object)."""
    import weakref

    from components import display

    kept: dict[int, tuple[weakref.ref, bytes]] = {}
    encode = display.csv_bytes

    def once(table):  # noqa: ANN001, ANN202
        hit = kept.get(id(table))
        if hit is not None and hit[0]() is table:
            return hit[1]
        data = encode(table)
        kept[id(table)] = (weakref.ref(table), data)
        return data

    display.csv_bytes = once


def _timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return {
        "wall_ms": round(statistics.median(wall), 1),
        "cpu_ms": round(statistics.median(cpu), 1),
        "min_wall_ms": round(min(wall), 1),
    }


def _map_app(lang: str = "en", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.query_params.update(params)
    at.switch_page(MAP)
    at.run()
    assert not at.exception, at.exception
    return at


def _sizes(at: AppTest) -> dict[str, int]:
    decks = at.get("deck_gl_json_chart")
    deck = len(decks[0].proto.json.encode()) if decks else 0
    total = 0
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ByteSize"):
            total += proto.ByteSize()
    return {"deck_json_bytes": deck, "elements_bytes": total}


def _walk(node: object):  # noqa: ANN202
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield child
            yield from _walk(child)


def _alternate(at: AppTest, a: Callable[[AppTest], object], b: Callable[[AppTest], object]):  # noqa: ANN202
    state = {"n": 0}

    def step() -> None:
        (a if state["n"] % 2 == 0 else b)(at)
        at.run()
        state["n"] += 1
        assert not at.exception, at.exception

    return step


def main() -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeat", type=int, default=15)
    p.add_argument("--profile", type=int, default=0)
    p.add_argument("--lang", default="en")
    p.add_argument("--data", help="a data folder (DATA_DIR), e.g. a SYNTHETIC one")
    p.add_argument(
        "--csv-once",
        action="store_true",
        help="encode a kept table's CSV once (as a per-table CSV cache in display.py would)",
    )
    p.add_argument("--quick", action="store_true", help="same-state reruns and one filter only")
    a = p.parse_args()
    if a.data:
        _use_data(a.data)
    if a.csv_once:
        _csv_once()
    _routed()
    out: dict[str, object] = {}

    bare = AppTest.from_string("import streamlit as st\nst.write('bare')", default_timeout=60)
    bare.run()
    out["bare"] = _timed(bare.run, a.repeat)

    t, c = time.perf_counter(), time.process_time()
    at = _map_app(a.lang)
    out["first_run"] = {
        "wall_ms": round((time.perf_counter() - t) * 1000, 1),
        "cpu_ms": round((time.process_time() - c) * 1000, 1),
    }
    at.run()
    out["map_rerun"] = _timed(at.run, a.repeat)
    out["map_sizes"] = _sizes(at)
    out["bare_again"] = _timed(bare.run, a.repeat)

    if a.profile:
        from streamlit.runtime.scriptrunner import script_runner

        prof = cProfile.Profile()
        original = script_runner.ScriptRunner._run_script

        def run_script(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            prof.enable()
            try:
                return original(self, *args, **kwargs)
            finally:
                prof.disable()

        script_runner.ScriptRunner._run_script = run_script  # type: ignore[method-assign]
        for _ in range(a.repeat):
            at.run()
        script_runner.ScriptRunner._run_script = original  # type: ignore[method-assign]
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(a.profile)
        print(buf.getvalue())
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(a.profile)
        print(buf.getvalue())

    import pandas as pd

    from components.data import default_data_dir

    first, second = pd.read_csv(default_data_dir() / "clusters.csv", nrows=2)["cluster_id"]
    if not a.data:
        first, second = BASEL, "silicon-valley"
    opened = _map_app(a.lang, cluster=first)
    opened.run()
    out["map_rerun_profile_open"] = _timed(opened.run, a.repeat)
    out["map_sizes_profile_open"] = _sizes(opened)

    steps: dict[str, tuple[Callable[[AppTest], object], Callable[[AppTest], object]]] = {
        "filter_sector": (
            lambda x: x.multiselect(key="url_sector").set_value(["biomed"]),
            lambda x: x.multiselect(key="url_sector").set_value([]),
        ),
        "search": (
            lambda x: x.text_input(key="url_q").input("Basel"),
            lambda x: x.text_input(key="url_q").input(""),
        ),
        "pick_cluster": (
            lambda x: x.selectbox(key="map_pick").set_value(first),
            lambda x: x.selectbox(key="map_pick").set_value(second),
        ),
        "zoom_in_out": (
            lambda x: x.button(key="map_zoom_in").click(),
            lambda x: x.button(key="map_zoom_out").click(),
        ),
    }
    if a.quick:
        steps = {"filter_sector": steps["filter_sector"]}
    for name, (do, undo) in steps.items():
        at = _map_app(a.lang)
        out[name] = _timed(_alternate(at, do, undo), a.repeat)
    ratio = out["map_rerun"]["cpu_ms"] / max(out["bare"]["cpu_ms"], 0.1)  # type: ignore[index]
    out["map_vs_bare_cpu"] = round(ratio, 1)
    res = ROOT / "bench" / "results"
    res.mkdir(exist_ok=True)
    name = f"map_{Path(a.data).name}" if a.data else "map"
    (res / f"{name}.json").write_text(json.dumps(out, indent=2), encoding="utf-8")
    return out


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key:26} {value}")
