"""AppTest plumbing shared by the in-process benchmarks (interactions, frame, map).

One place for: AppTest kept in ``st.navigation`` mode (:func:`routed`), the scripts compiled
once as on a server (:func:`compile_once`), an app opened on a page with URL params
(:func:`open_page`), the bare one-line page and the shared frame (:func:`bare_app`,
:func:`frame_app`), the steps that change a widget or the URL between reruns, and the median
wall / CPU measurement (:func:`measure`), with the script thread's CPU time and an optional
cProfile of the script thread (:data:`SCRIPT`). Nothing here asserts a time.
"""

from __future__ import annotations

import cProfile
import dataclasses
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.runtime.pages_manager import PagesManager  # noqa: E402
from streamlit.runtime.scriptrunner import script_runner  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest, app_test, local_script_runner  # noqa: E402

BARE = "import streamlit as st\nst.write('bare')\n"
BARE_PAGE = "bench/bare_page.py"  # run through app.py: the shared frame alone
Step = Callable[[AppTest, int], object]  # (app, i): set the i-th state before the rerun


def routed() -> None:
    """Keep AppTest in st.navigation mode on reruns, as a running server is (see tests/app)."""
    original = PagesManager.__init__
    if getattr(original, "_bench_routed", False):
        return

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init._bench_routed = True  # type: ignore[attr-defined]
    PagesManager.__init__ = init  # type: ignore[method-assign]


def compile_once() -> None:
    """Share one script cache across runs, as a server does (AppTest compiles app.py and the
    page, with Streamlit's magic AST pass, on every run: a cost no served rerun pays)."""
    shared = ScriptCache()
    local_script_runner.ScriptCache = lambda: shared  # type: ignore[assignment]
    app_test.ScriptCache = lambda: shared  # type: ignore[assignment]


class ScriptThread:
    """Wraps ``ScriptRunner._run_script`` once: the CPU time of the script thread's last run
    (what a rerun costs the server, apart from AppTest's bookkeeping) and, while ``profiler``
    is set, a cProfile of the script thread (AppTest runs the script on its own thread)."""

    def __init__(self) -> None:
        self.last_cpu_ms = 0.0
        self.profiler: cProfile.Profile | None = None
        self._installed = False

    def install(self) -> None:
        if self._installed:
            return
        original = script_runner.ScriptRunner._run_script
        clock = self

        def run_script(runner, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
            prof = clock.profiler
            start = time.thread_time()
            if prof:
                prof.enable()
            try:
                return original(runner, *args, **kwargs)
            finally:
                if prof:
                    prof.disable()
                clock.last_cpu_ms = (time.thread_time() - start) * 1000

        script_runner.ScriptRunner._run_script = run_script  # type: ignore[method-assign]
        self._installed = True

    @contextmanager
    def profiling(self, profiler: cProfile.Profile | None) -> Iterator[None]:
        """Profile the script thread's runs inside the block (``None``: no profile)."""
        self.install()
        self.profiler = profiler
        try:
            yield
        finally:
            self.profiler = None


SCRIPT = ScriptThread()


def setup(*, compile_each_run: bool = False) -> None:
    """What every in-process benchmark does first: routed mode, the script clock, and (unless
    ``compile_each_run``, AppTest's default) one compile of each script."""
    routed()
    SCRIPT.install()
    if not compile_each_run:
        compile_once()


def checked(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def open_page(page: str, params: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """``app.py`` run once, then switched to ``page`` with ``params`` in the URL, and run."""
    params = {"lang": "en", **(params or {})}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.query_params.update(params)
    at.run()
    at.query_params.update(params)
    at.switch_page(page)
    return checked(at.run())


def bare_app() -> AppTest:
    """A one-line Streamlit script, run once: the floor Streamlit itself costs."""
    return checked(AppTest.from_string(BARE, default_timeout=60).run())


@contextmanager
def frame_app(lang: str = "en") -> Iterator[AppTest]:
    """``app.py`` with ``bench/bare_page.py`` in the default page's place (the shared frame),
    run once; the registry is restored when the block ends (measure inside it)."""
    from components import registry

    saved = registry.PAGES, registry.DEFAULT_PAGE
    bare = dataclasses.replace(registry.DEFAULT_PAGE, path=BARE_PAGE)
    registry.PAGES = (bare, *registry.PAGES[1:])
    registry.DEFAULT_PAGE = bare
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        yield checked(at.run())
    finally:
        registry.PAGES, registry.DEFAULT_PAGE = saved


def measure(
    at: AppTest,
    step: Step | None = None,
    repeat: int = 7,
    profiler: cProfile.Profile | None = None,
) -> dict[str, float]:
    """Median wall / CPU ms of ``repeat`` reruns of ``at``, ``step(at, i)`` before the i-th.

    ``cpu_ms`` is this process's CPU time (all threads), ``script_cpu_ms`` the script thread's;
    ``first_ms`` the first run (the first change to a state: nothing derived from it kept yet).
    """
    walls, cpus, script = [], [], []
    with SCRIPT.profiling(profiler):
        for i in range(repeat):
            if step is not None:
                step(at, i)
            w0, c0 = time.perf_counter(), time.process_time()
            at.run()
            walls.append((time.perf_counter() - w0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
            script.append(SCRIPT.last_cpu_ms)
            checked(at)
    return {
        "wall_ms": round(statistics.median(walls), 1),
        "cpu_ms": round(statistics.median(cpus), 1),
        "script_cpu_ms": round(statistics.median(script), 1),
        "min_ms": round(min(walls), 1),
        "first_ms": round(walls[0], 1),
    }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- steps: each alternates between two states, so every measured rerun is a real change -----


def by_key(at: AppTest, kind: str, key: str):  # noqa: ANN201
    """The ``kind`` widget (``radio``, ``selectbox``, …) with this key."""
    return next(w for w in at.get(kind) if getattr(w, "key", None) == key)


def widget(kind: str, key: str, values: tuple[object, object]) -> Step:
    """Set the ``kind`` widget ``key`` to ``values[i % 2]``."""
    return lambda at, i: by_key(at, kind, key).set_value(values[i % 2])


def radio(key: str, values: tuple[str, str]) -> Step:
    return widget("radio", key, values)


def select(key: str, values: tuple[object, object]) -> Step:
    return widget("selectbox", key, values)


def multi(key: str, values: tuple[list, list]) -> Step:
    return widget("multiselect", key, values)


def text(key: str, values: tuple[str, str]) -> Step:
    return widget("text_input", key, values)


def toggle(key: str, values: tuple[bool, bool] = (True, False)) -> Step:
    return widget("toggle", key, values)


def click(keys: tuple[str, str]) -> Step:
    """Click button ``keys[i % 2]`` (e.g. next / previous)."""
    return lambda at, i: by_key(at, "button", keys[i % 2]).click()


def query(name: str, values: tuple[str, str]) -> Step:
    """Set ``?name=`` to ``values[i % 2]``: what a chart click does to the page (a selection
    event cannot be sent through AppTest; the URL path runs the same code after it)."""

    def step(at: AppTest, i: int) -> None:
        at.query_params[name] = values[i % 2]

    return step


def cycle(name: str, values: list[str]) -> Step:
    """Set ``?name=`` to a value not used before in this process (until ``values`` run out)."""

    def step(at: AppTest, i: int) -> None:
        at.query_params[name] = values[i % len(values)]

    return step
