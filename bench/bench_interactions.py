"""Benchmark: page reruns and widget interactions next to a bare page, in one process.

``python bench/bench_interactions.py [--pages compare,trends] [--repeat 7] [--profile DIR]``

For every registry page (through ``app.py``, as a server runs it) it reports the median wall and
CPU time of a plain rerun and of each interaction listed in ``INTERACTIONS`` (a filter change, a
search, a click, a pick), next to a bare one-line Streamlit page measured in the same run, and
the ratio page / bare. Interactions alternate between two states, so every measured rerun is a
real change (``first`` is the first change, before anything derived from it is kept). The
scripts are compiled once and shared across runs as on a server (``--compile-each-run``:
AppTest's default). ``--profile DIR`` also writes one cProfile file per measurement
(``DIR/<page>_<step>.prof``). Results go to ``bench/results/interactions.json`` (git-ignored;
``_meta`` holds the load average before and after). The plumbing is ``apptest_kit.py``; the
special measurements live in ``bench_frame.py`` (cold cases, compile share) and ``bench_map.py``
(first run, bytes per rerun, synthetic data). A benchmark: nothing asserts.
"""

from __future__ import annotations

import argparse
import cProfile
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import apptest_kit as kit  # noqa: E402
from bench.harness import save  # noqa: E402
from components.registry import PAGES  # noqa: E402
from components.vocab import CONTINENTS, SECTORS  # noqa: E402

BASEL, SILICON = "basel-health-valley", "silicon-valley"
HM_CELLS = ("consumer.EU", "nev.AS")
ALL_CELLS = [f"{s}.{c}" for s in SECTORS for c in CONTINENTS]

# page stem -> (URL params of the starting state, {step name: step}); a page not listed here
# gets its plain rerun only (the smoke test of a new registry entry).
INTERACTIONS: dict[str, tuple[dict[str, str], dict[str, kit.Step]]] = {
    "overview": ({"lang": "en"}, {}),  # no widgets of its own: the rerun is the interaction
    "map": (
        {"lang": "en"},
        {
            "filter_continent": kit.multi("url_continent", (["EU"], [])),
            "filter_sector": kit.multi("url_sector", (["biomed"], [])),
            "search": kit.text("url_q", ("Basel", "")),
            "pick_cluster": kit.select("map_pick", (BASEL, SILICON)),
            "cluster_link": kit.query("cluster", (BASEL, SILICON)),
            "zoom_in_out": kit.click(("map_zoom_in", "map_zoom_out")),
        },
    ),
    "heatmap": (
        {"lang": "en"},
        {
            "measure_radio": kit.radio("url_measure", ("lq", "count")),
            "source_radio": kit.radio("url_source", ("named", "published")),
            "cell_link": kit.query("cell", HM_CELLS),
            "cell_pick": kit.select("hm_cell_pick", HM_CELLS),
            "show_all": kit.toggle("url_hm_all"),
            "continent_filter": kit.multi("url_hm_continent", (["AS"], [])),
        },
    ),
    "policies": (
        {"lang": "en"},
        {
            "theme_filter": kit.multi("url_theme", (["green"], [])),
            "pick_policy": kit.select("pol_pick", ("usa-regional-innovation-clusters", None)),
            "region_button": kit.click(("pol_region_ch4-asia", "pol_region_ch4-europe")),
        },
    ),
    "trends": (
        {"lang": "en"},
        {
            "open_trend": kit.click(("trend_btn_3", "trend_btn_1")),
            "view_radio": kit.radio("url_view", ("recs", "trends")),
            "search": kit.text("url_q", ("chip", "")),
        },
    ),
    "compare": (
        {"lang": "en"},
        {
            "slot_change": kit.select("cmp_slot_1", ("AS", "NA")),
        },
    ),
    "present": (
        {"lang": "en"},
        {
            "next_slide": kit.click(("slide_next", "slide_prev")),
            "deck_radio": kit.radio("url_deck", ("briefing", "report")),
        },
    ),
    "data": (
        {"lang": "en"},
        {
            "table_radio": kit.radio("url_table", ("policies", "clusters")),
        },
    ),
}


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
    kit.setup(compile_each_run=args.compile_each_run)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    wanted = [s for s in args.pages.split(",") if s]
    load_before = kit.loadavg()
    results: dict[str, dict] = {"bare": kit.measure(kit.bare_app(), repeat=args.repeat)}
    with kit.frame_app() as frame:
        results["frame"] = kit.measure(frame, repeat=args.repeat)
    for spec in PAGES:
        stem = Path(spec.path).stem
        if wanted and stem not in wanted:
            continue
        params, steps = INTERACTIONS.get(stem, ({"lang": "en"}, {}))
        for name, step in {"rerun": None, **steps}.items():
            prof = cProfile.Profile() if args.profile else None
            at = kit.open_page(spec.path, params)
            results[f"{stem}.{name}"] = kit.measure(at, step, args.repeat, prof)
            if prof:
                prof.dump_stats(str(args.profile / f"{stem}_{name}.prof"))
    bare_ms = results["bare"]["wall_ms"] or 1.0
    for row in results.values():
        row["vs_bare"] = round(row["wall_ms"] / bare_ms, 1)
    results["_meta"] = {
        "repeat": args.repeat,
        "loadavg_before": load_before,
        "loadavg_after": kit.loadavg(),
    }
    save("interactions", results)
    return results


if __name__ == "__main__":
    for key, row in main().items():
        if key.startswith("_"):
            print(key, row)
            continue
        print(
            f"{key:28} wall {row['wall_ms']:7.1f} ms  cpu {row['cpu_ms']:7.1f} ms  "
            f"script {row['script_cpu_ms']:6.1f}  min {row['min_ms']:7.1f}  "
            f"first {row['first_ms']:7.1f}  x bare {row['vs_bare']}"
        )
