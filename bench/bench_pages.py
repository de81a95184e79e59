"""Benchmarks: dataset load and page reruns, as medians over repeated runs.

Run with ``make bench`` (or ``.venv/bin/python bench/bench_pages.py``). Machines here are shared
and noisy, so it reports medians and the ratio of a rerun to a cold load rather than asserting
times; results are written to ``bench/results/pages.json`` (git-ignored).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.apptest_kit import routed  # noqa: E402
from components.data import load_bundle  # noqa: E402
from components.registry import PAGES as REGISTRY  # noqa: E402

PAGES = [spec.path for spec in REGISTRY]
REPEAT = 7


def _median_ms(fn, repeat: int = REPEAT) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main() -> dict:
    routed()
    results: dict[str, object] = {"load_bundle_ms": _median_ms(lambda: load_bundle())}
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        if page != PAGES[0]:
            at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
        results[f"{Path(page).stem}_rerun_ms"] = _median_ms(at.run)
    load = results["load_bundle_ms"]
    for page in PAGES:
        key = f"{Path(page).stem}_rerun_ms"
        results[f"{Path(page).stem}_rerun_vs_load"] = round(results[key] / load, 2)  # type: ignore[operator]
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "pages.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return results


if __name__ == "__main__":
    for key, value in main().items():
        print(f"{key:32} {value}")
