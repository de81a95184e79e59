"""The map page's special measurements: first run, bytes per rerun, synthetic data.

    python bench/bench_map.py [--repeat 15] [--profile N] [--data DIR] [--csv-once] [--quick]

AppTest through ``app.py`` (``st.navigation`` kept; the plumbing is ``apptest_kit.py``), in one
process:

* a bare one-line page's rerun (the floor Streamlit itself costs on this machine), before and
  after the map's, to see the machine's drift;
* the map page's first run and its same-state rerun, with and without an open profile (with
  ``--quick``: without only);
* the size of what a rerun hands to the browser: the deck's JSON and every element's protobuf;
* ``--data DIR``: all of it on another data folder (e.g. a SYNTHETIC one, row cap lifted).

The map's interactions (filters, search, picking a cluster, zoom) are ``bench_interactions.py``'s.
Wall time and this process's CPU time (all threads) are both reported: the machines here are shared,
CPU time is the steadier of the two. ``--profile N`` prints the top N functions of a cProfile taken
inside the script thread over the same-state reruns. Results: ``bench/results/map.json``
(``map_<folder>.json`` with ``--data``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench import apptest_kit as kit  # noqa: E402
from bench.bench_interactions import BASEL  # noqa: E402

MAP = "pages/map.py"


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


def _timed(at: AppTest, repeat: int, profiler: cProfile.Profile | None = None) -> dict:
    """Same-state reruns of ``at``: median wall and CPU ms (the kit's measurement)."""
    row = kit.measure(at, None, repeat, profiler)
    return {"wall_ms": row["wall_ms"], "cpu_ms": row["cpu_ms"], "min_wall_ms": row["min_ms"]}


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


def _print_profile(prof: cProfile.Profile, top: int) -> None:
    for order in ("cumulative", "tottime"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats(order).print_stats(top)
        print(buf.getvalue())


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
    p.add_argument("--quick", action="store_true", help="same-state reruns and sizes only")
    a = p.parse_args()
    if a.data:
        _use_data(a.data)
    if a.csv_once:
        _csv_once()
    kit.setup()
    out: dict[str, object] = {"loadavg": kit.loadavg()}

    bare = kit.bare_app()
    out["bare"] = _timed(bare, a.repeat)

    t, c = time.perf_counter(), time.process_time()
    at = kit.open_page(MAP, {"lang": a.lang}, timeout=120)
    out["first_run"] = {
        "wall_ms": round((time.perf_counter() - t) * 1000, 1),
        "cpu_ms": round((time.process_time() - c) * 1000, 1),
    }
    at.run()
    out["map_rerun"] = _timed(at, a.repeat)
    out["map_sizes"] = _sizes(at)
    out["bare_again"] = _timed(bare, a.repeat)

    if a.profile:
        prof = cProfile.Profile()
        _timed(at, a.repeat, prof)
        _print_profile(prof, a.profile)

    if not a.quick:
        first = BASEL
        if a.data:
            import pandas as pd

            from components.data import default_data_dir

            first = pd.read_csv(default_data_dir() / "clusters.csv", nrows=1)["cluster_id"][0]
        opened = kit.open_page(MAP, {"lang": a.lang, "cluster": first}, timeout=120)
        opened.run()
        out["map_rerun_profile_open"] = _timed(opened, a.repeat)
        out["map_sizes_profile_open"] = _sizes(opened)
    ratio = out["map_rerun"]["cpu_ms"] / max(out["bare"]["cpu_ms"], 0.1)  # type: ignore[index]
    out["map_vs_bare_cpu"] = round(ratio, 1)
    res = kit.ROOT / "bench" / "results"
    res.mkdir(exist_ok=True)
    name = f"map_{Path(a.data).name}" if a.data else "map"
    (res / f"{name}.json").write_text(json.dumps(out, indent=2), encoding="utf-8")
    return out


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key:26} {value}")
