"""Start-up work moved off the reader's path: the app's modules, data and first page made ready
while the server starts (:func:`start_prestart`, run by the launcher ``serve.py``), Python's
collector spared the imported modules, the other pages' modules and results made ready after the
first page. Streamlit glue; imports nothing heavy at the top (``app.py`` imports it before its own
imports).

No plotly chart preloads the chart code any more: until session 11 a hidden 10-pixel plotly chart
made the browser fetch and evaluate plotly.js (4.7 MB) during the first page. The overview now
draws its charts as SVG; sent before the page, that chart delayed the first page on 2 cores, and
sent after it, it kept the browser busy (the run's status still showing) while it was evaluated
(``bench/bench_coldstart.py``, session 11). Instead a small constant script
(:func:`load_chart_code_when_idle`) imports Streamlit's own plotly chunk once the browser is idle
after the first page, so the first plotly page finds it evaluated."""

from __future__ import annotations

import ast
import functools
import gc
import importlib
import json
import logging
import re
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit import runtime

from components.i18n import DEFAULT_LANG, LANGS, Lang

if TYPE_CHECKING:  # imported by app.py before pandas: nothing heavy at the top
    from components.data import Bundle
    from components.memo import Memo

_frozen = False
_lock = threading.Lock()
log = logging.getLogger(__name__)


def freeze_imported() -> None:
    """Once per process, after the app's imports: move every object alive now (modules, their
    functions, classes and constants: about 150,000 with pandas, plotly and Streamlit) to the
    collector's permanent generation. Streamlit runs a full collection after every script run;
    without this each one walks all of them again (tens of ms of CPU per run, more on the first).
    Objects frozen here are still freed by reference counting; only cycles among them are not
    looked for, and module-level objects live as long as the process anyway."""
    global _frozen
    if _frozen:
        return
    with _lock:
        if not _frozen:
            gc.freeze()
            _frozen = True


# Python lets a thread that wants the interpreter wait up to the switch interval (5 ms) while
# another computes. The server's thread serves the browser's files and messages in many short
# steps, each waiting again behind a warming thread that imports or computes: about 60 scripts at
# the first visit took seconds longer (bench/bench_coldstart.py). While a warming thread runs the
# interval is shorter, so the server gets the interpreter back within a fraction of a millisecond.
WARMING_SWITCH_S = 0.0005
_yielding = 0  # warming threads running now
_switch_lock = threading.Lock()


@contextmanager
def yielding() -> Iterator[None]:
    """While the block runs (in a background thread), switch threads every
    :data:`WARMING_SWITCH_S` instead of Python's 5 ms; the interval Python had comes back when the
    last such block ends."""
    global _yielding, _switch_before
    with _switch_lock:
        if _yielding == 0:
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(WARMING_SWITCH_S, _switch_before))
        _yielding += 1
    try:
        yield
    finally:
        with _lock:
            _yielding -= 1
            if _yielding == 0:
                sys.setswitchinterval(_switch_before)


_switch_before = sys.getswitchinterval()


# --- before the first page: what a launcher starts beside the server -----------------------------
ROOT = Path(__file__).resolve().parents[1]
SERVER_WAIT_S = 10.0  # the longest prestart waits for the server to listen before it starts anyway
PRESTART_WAIT_S = 30.0  # the longest a first script run waits for the prestart
_prestart_done = threading.Event()
_prestart_thread: threading.Thread | None = None


def prestart(langs: Sequence[Lang] = LANGS) -> None:
    """What the first script run would do first: import the modules of ``app.py`` and of the
    default page (pandas, plotly, pydeck, the components), load and validate the shipped data
    (:func:`components.cached.preload`) and compute the default page's kept results in each of
    ``langs``. Nothing is shown and no ``st.*`` call is made; the first run then finds it all
    done."""
    from components.registry import DEFAULT_PAGE

    page_icon_ready()  # first: the first run needs it before it waits for the rest
    for path in (ROOT / "app.py", ROOT / DEFAULT_PAGE.path):
        for name in page_modules(path):
            importlib.import_module(name)
    from components import cached
    from components import overview as ov

    bundle = cached.preload()
    for lang in langs:
        ov.warm(bundle, lang)
    streamlit_first_run()


def streamlit_first_run() -> None:
    """Streamlit's own once-per-process work that the first script run would otherwise do (0.6-1
    s of it on 2 busy cores, profiled in session 12): compile its emoji pattern (the language
    switch's "中文" is checked for a leading emoji), import the image library (the page icon) and
    make its check for an interactive interpreter (a walk of the whole call stack) from here."""
    from streamlit import delta_generator, string_util

    string_util.extract_leading_emoji("中文")
    page_icon_ready()
    if runtime.exists():  # otherwise the check would warn "run it with streamlit run"
        check = getattr(delta_generator, "_maybe_print_use_warning", None)
        if check is not None:
            check()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic collector off while the block runs (as it was after). Imports allocate
    hundreds of thousands of objects that all stay alive; the collector ran about 400 times
    during the prestart's imports, walking them again and again: the prestart took 0.57-0.69 s of
    CPU without it, 0.77-1.07 s with it (session 13, 4 runs each). What the imports left as
    unreachable cycles (about 2,000 objects) is not collected: app.py's :func:`freeze_imported`
    keeps it with the modules."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def page_icon_ready() -> None:
    """Import the image library and its file-format plugins: ``st.set_page_config`` opens the
    page icon with it, and ``app.py`` calls that first, before :func:`await_prestart`. Done in
    the first run it cost 0.1-0.2 s there (session 13's profile of a served first run: the
    plugins' imports, competing with the prestart's own)."""
    import PIL.Image

    PIL.Image.preinit()


def _server_listening() -> bool:
    return runtime.exists() and runtime.get_instance().state != runtime.RuntimeState.INITIAL


def start_prestart(wait_for_server: bool = True, resume_gc: bool = False) -> threading.Thread:
    """Run :func:`prestart` on a daemon thread (once per process; the launcher calls it before it
    hands over to Streamlit's CLI). With ``wait_for_server`` it begins when the server listens (or
    after :data:`SERVER_WAIT_S`): Python runs one thread at a time, so started at once it would
    only delay the health check and the browser's download of the app's code, the time it is
    meant to fill. The prestart runs with Python's cyclic collector off (see
    :func:`collector_paused`); with ``resume_gc`` (the launcher turned it off before Streamlit
    started) it is turned on when the prestart ends, not before. A failure is logged; the first
    run then does the work itself."""
    global _prestart_thread

    def run() -> None:
        try:
            deadline = time.monotonic() + SERVER_WAIT_S
            while wait_for_server and not _server_listening() and time.monotonic() < deadline:
                time.sleep(0.02)
            with yielding(), collector_paused():
                prestart((DEFAULT_LANG,))  # the other languages: after the first page (warm)
        except Exception:  # noqa: BLE001 - an optimisation: the first run does it otherwise
            log.exception("preparing the first page failed")
        finally:
            if resume_gc:
                gc.enable()
            _prestart_done.set()

    with _lock:
        if _prestart_thread is None:
            _prestart_thread = threading.Thread(target=run, name="atlas-prestart", daemon=True)
            _prestart_thread.start()
    return _prestart_thread


def await_prestart(timeout: float = PRESTART_WAIT_S) -> bool:
    """Called by ``app.py`` before its imports: while a prestart runs, wait for it (its imports,
    data and results are what this run needs; doing them here too would only compete for the
    one interpreter, and two threads importing the same modules can deadlock). Returns at once
    when none was started (``streamlit run app.py``, AppTest). True when none is pending."""
    if _prestart_thread is None:
        return True
    return _prestart_done.wait(timeout)


# --- after the first page: what the other pages' first visits need -----------------------------
_warmed: set[str] = set()  # languages warmed in this process
# Warming begins this long after the run that asked for it. The browser is still drawing that page
# then: it fetches the code of each element type the page uses from this process (about 20 small
# scripts for the overview), whose event loop a warming thread stalls for up to 0.1-0.5 s at a time
# (imports that hold the interpreter), so the first page was drawn later (session 13).
WARM_AFTER_S = 1.0


def page_modules(path: Path) -> list[str]:
    """The ``components`` modules a page script imports (read from its source, not run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        module = node.module if isinstance(node, ast.ImportFrom) else None
        if module and module.startswith("components"):
            if module == "components":
                out += [f"components.{alias.name}" for alias in node.names]
            else:
                out.append(module)
    return list(dict.fromkeys(out))


def warm(lang: Lang) -> None:
    """Import every page's modules and pandera (the data page's schema tables), and compute the
    results the first visits of the map, heatmap, compare and policies pages take from
    ``components.memo``
    when the reader comes with no filters (the same functions and arguments as the pages: the
    map's browser-sized parts, which depend on the reader's screen, are left to the visit;
    the heatmap's are warmed for a desktop screen). Pure warming: nothing is
    shown, and a result a page asks for before it is ready is simply computed there."""
    from components.registry import PAGES

    for spec in PAGES:
        for name in page_modules(ROOT / spec.path):
            importlib.import_module(name)
    importlib.import_module("components.schemas")

    from components import compare as cmp
    from components import compare_view as cv
    from components import map_model as mm
    from components.cached import shipped_bundle
    from components.filters import Filters
    from components.memo import report_memo

    bundle = shipped_bundle()
    memo = report_memo()  # the shipped data's memo: what a session without an upload uses
    sel = cmp.parse_selection(None, ())  # pages/compare.py with nothing in the URL
    used = tuple(g for g in sel.groups if g.name in sel.regions)
    memo(cv.region_options, sel.groups, sel.regions)
    memo(cv.option_labels, sel.groups, sel.regions, lang)
    memo(cv.compare_view, sel.regions, used, lang)
    none = Filters()  # pages/map.py with nothing in the URL
    mm.drawn(bundle)
    mm.cluster_ids(bundle)
    mm.shown(bundle, none)
    mm.names(bundle, lang)
    mm.notes(bundle, lang)
    mm.sector_counts(bundle, none)
    warm_heatmap(bundle, lang)
    warm_policies(memo, lang)


def warm_default_page() -> None:
    """The default page's results in every language (the start-up thread made only the default
    language's, so that the first page waits for less)."""
    from components import overview as ov
    from components.cached import shipped_bundle

    bundle = shipped_bundle()
    for lang in LANGS:
        ov.warm(bundle, lang)


def warm_heatmap(bundle: Bundle, lang: Lang) -> None:
    """What ``pages/heatmap.py`` computes with nothing in the URL on a desktop-sized screen (the
    figure 2-1 counts, no cell; every continent; the top countries), with the page's arguments
    as the page passes them (``per_dataset`` keys them as given)."""
    from components import heatmap_charts as hc
    from components import matrices as mx
    from components.captions import named_list_source

    source, measure, continents, narrow = "published", "count", (), False
    mx.dataset_matrices(bundle)
    named_list_source(bundle, lang)
    hc.main_figure(bundle, source, measure, lang, None, narrow)
    hc.main_view_table(bundle, source, measure, lang)
    hc.cell_labels(bundle, source, lang)
    countries = mx.dataset_country_matrix(bundle, continents)
    top = None if len(countries) <= hc.TOP_COUNTRIES else hc.TOP_COUNTRIES
    hc.country_figure(bundle, continents, top, lang, narrow)
    hc.country_view_table(bundle, continents, lang)


def warm_policies(memo: Memo, lang: Lang) -> None:
    """What ``pages/policies.py`` computes with nothing in the URL (no filter, no open policy),
    with the page's functions and arguments (the timeline's layout is the slow part: its labels
    are placed by trying several packings)."""
    from components import policies as pc
    from components import policy_views as pv

    none = pc.PolicyFilters()  # every url_* widget at its default
    memo(pv.basics, lang)
    layout = memo(pv.timeline_layout, none, lang)
    memo(pv.timeline_view, none, None, lang, layout=layout)
    memo(pv.regional_panels, lang)
    memo(pv.theme_view, none.jurisdictions, lang)


def on_server() -> bool:
    """Whether a Streamlit server runs this script. AppTest installs a mock of the runtime
    (``runtime.exists()`` is then true too); only a server has a real one."""
    return runtime.exists() and type(runtime.get_instance()) is runtime.Runtime


def warm_in_background(lang: Lang) -> threading.Thread | None:
    """Start :func:`warm` on a daemon thread, once per process and language, on a running server
    only (not under AppTest: the tests measure and count the memo themselves), after
    :data:`WARM_AFTER_S`. Called by ``app.py`` when a page has run, so it never delays the page
    the reader opened; a failure is logged and changes nothing."""
    if not on_server():
        return None
    with _lock:
        if lang in _warmed:
            return None
        _warmed.add(lang)

    def run() -> None:
        time.sleep(WARM_AFTER_S)
        try:
            with yielding():
                warm(lang)
                warm_default_page()
        except Exception:  # noqa: BLE001 - warming is an optimisation: never an error
            log.exception("warming the caches failed")

    thread = threading.Thread(target=run, name=f"atlas-warm-{lang}", daemon=True)
    thread.start()
    return thread


# --- after the first page: the browser's chart code, when it is idle -----------------------------
STATIC = Path(st.__file__).resolve().parent / "static"  # Streamlit's built frontend
IDLE_KEY = "chart_code_idle"  # the container of the script (hidden by IDLE_CSS)
IDLE_CSS = f".st-key-{IDLE_KEY}{{display:none !important}}"  # app.py's frame CSS
# 1.5 s left deck.gl's import to a reader who opened the map soon after the first page
IDLE_DELAY_MS = 200  # after the script arrives (the first page has run) ...
IDLE_TIMEOUT_MS = 5000  # ... the browser's next idle moment, or at the latest this much later
_LOADED = "_chart_code_idle_sent"
_BUNDLE_RE = re.compile(r'<script[^>]*\bsrc="\./static/js/(index\.[\w-]+\.js)"')
# Streamlit's lazily imported chunks of the charts the other pages draw, in the order a reader
# meets them after the overview (the sidebar's order): the map's deck.gl (about 3 MB), plotly.js
# (4.7 MB: heatmap, compare, trends, policies), the data grid (data page and the Table tabs).
CHART_CHUNKS = ("DeckGlJsonChart", "PlotlyChart", "DataFrame")


def _chunk_re(name: str) -> re.Pattern[str]:
    return re.compile(rf'"\./({name}\.[\w-]+\.js)"')


def find_chart_chunks(
    static: Path = STATIC, names: tuple[str, ...] = CHART_CHUNKS
) -> tuple[str, tuple[str, ...]] | None:
    """``(bundle, chunks)``: the file name of Streamlit's main script (``index.<hash>.js``, as
    ``index.html`` loads it) and those of the chunks ``names`` exactly as that bundle imports them
    (``"./PlotlyChart.<hash>.js"``); found by pattern, as the hashes change with every Streamlit
    release. A chunk not found is left out; None if none is found (nothing is then preloaded)."""
    try:
        index = (static / "index.html").read_text(encoding="utf-8")
        bundle = _BUNDLE_RE.search(index)
        if bundle is None:
            return None
        js = static / "static" / "js"
        text = (js / bundle[1]).read_text(encoding="utf-8")
    except OSError:
        return None
    found = (_chunk_re(name).search(text) for name in names)
    chunks = tuple(m[1] for m in found if m is not None and (js / m[1]).is_file())
    return (bundle[1], chunks) if chunks else None


@functools.cache
def chart_chunks() -> tuple[str, tuple[str, ...]] | None:
    """:func:`find_chart_chunks` of the installed Streamlit, looked up once per process."""
    return find_chart_chunks()


def idle_script(bundle: str, chunks: tuple[str, ...]) -> str:
    """The constant script (no data in it): once per page load, ``IDLE_DELAY_MS`` after it runs,
    then at the browser's idle moments, ``import()`` of each of ``chunks`` in turn (the next
    when the last has loaded and the browser is idle again), resolved against the URL of the
    loaded ``bundle``: the URL the bundle's own lazy import asks for, so each module is fetched
    and evaluated once and Streamlit's later import finds it ready. The start times are kept in
    ``window.__atlasChartCode`` (chunk name -> ms; the browser test compares them with the
    fetches)."""
    names = json.dumps({"bundle": "/" + bundle, "chunks": ["./" + c for c in chunks]})
    return (
        "<script>(()=>{if(window.__atlasChartCode!==undefined)return;"
        f"window.__atlasChartCode={{}};const f={names};"
        "const s=[...document.scripts].find(e=>e.src.endsWith(f.bundle));if(!s)return;"
        "const idle=(go)=>window.requestIdleCallback?"
        f"requestIdleCallback(go,{{timeout:{IDLE_TIMEOUT_MS}}}):go();"
        "const next=(i)=>{if(i>=f.chunks.length)return;idle(()=>{const c=f.chunks[i];"
        "window.__atlasChartCode[c.slice(2)]=performance.now();"
        "import(new URL(c,s.src).href).catch(e=>console.warn('chart code',e))"
        ".finally(()=>next(i+1));});};"
        f"setTimeout(()=>next(0),{IDLE_DELAY_MS});}})();</script>"
    )


def load_chart_code_when_idle() -> None:
    """Called by ``app.py`` at the end of every run, after the page: a hidden container
    (``IDLE_CSS``) holding, in a session's first run only, :func:`idle_script`. The first page
    (the overview) draws SVG and needs neither deck.gl nor plotly.js; without this the first
    visit of the map or a plotly page paid for fetching and evaluating their code. Every run has
    the container, so the elements before it keep their places; the next run empties it (the
    script has run by then)."""
    slot = st.container(key=IDLE_KEY)
    if st.session_state.get(_LOADED):
        return
    st.session_state[_LOADED] = True
    found = chart_chunks()
    if found is not None:
        slot.html(idle_script(*found), unsafe_allow_javascript=True)
