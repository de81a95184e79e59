"""``components.warmup``: what it warms is exactly what the pages' first visits ask for, the first
page sends no plotly chart, and the chart-code script comes once per session, constant."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import memo, warmup

ROOT = Path(__file__).resolve().parents[2]
DIRECT = {  # the results warmup.warm computes itself
    "region_options", "option_labels", "compare_view", "drawn", "cluster_ids", "shown",
    "names", "notes", "sector_counts",
    "dataset_matrices", "named_list_source", "main_figure", "main_view_table", "cell_labels",
    "dataset_country_matrix", "country_figure", "country_view_table",
    "basics", "timeline_layout", "timeline_view", "regional_panels", "theme_view",
}  # fmt: skip


def _names(keys: set) -> set[str]:
    """The function names of memo keys (per_dataset: module.qualname; page memo: qualname)."""
    out = set()
    for key in keys:
        if key[0][0] == "bundle":
            out.add(key[1].rsplit(".", 1)[-1])
        else:
            out.add(key[2])
    return out


def _keys() -> set:
    with memo._LOCK:
        return set(memo._CACHE)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_warming_covers_what_the_first_visits_of_map_heatmap_compare_policies_compute(
    make_app: Callable[..., AppTest], lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_app("pages/overview.py", lang=lang)  # the bundle loaded, as after the first page
    memo.clear()
    warmup.warm(lang)
    warmed = _keys()
    assert {"compare_view", "region_options", "option_labels", "drawn"} <= _names(warmed)
    assert {"main_figure", "country_figure", "cell_labels"} <= _names(warmed)
    assert {"timeline_layout", "timeline_view", "theme_view"} <= _names(warmed)
    asked: set = set()
    lookup = memo._lookup

    def recorded(key: object) -> object:
        asked.add(key)
        return lookup(key)

    monkeypatch.setattr(memo, "_lookup", recorded)
    for page in ("pages/compare.py", "pages/map.py", "pages/heatmap.py", "pages/policies.py"):
        before = _keys()
        at = make_app(page, lang=lang)
        assert not at.exception
        new = _names(_keys() - before)
        assert not new & _names(warmed), f"{page} recomputed warmed results: {new & _names(warmed)}"
    # what warm() asks for itself (the rest are results those are built from) the pages ask for
    direct = {k for k in warmed if _names({k}) & DIRECT}
    assert len(direct) == len(DIRECT)
    assert direct <= asked, f"warmed but never asked for: {_names(direct - asked)}"


def test_page_modules_reads_a_page_s_component_imports() -> None:
    mods = warmup.page_modules(ROOT / "pages" / "compare.py")
    assert {"components.compare_view", "components.compare_layout", "components.memo"} <= set(mods)
    assert all(m.startswith("components") for m in mods)


def test_no_warming_outside_a_server() -> None:
    assert warmup.warm_in_background("en") is None  # AppTest and unit tests: no Runtime


def test_no_warming_under_apptest(
    make_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """AppTest installs a mock runtime: warming there ran beside every measured rerun of the
    benchmarks (the shared frame 5 -> 15 ms) and beside the tests."""
    monkeypatch.setattr(warmup, "_warmed", set())
    at = make_app("pages/overview.py", lang="en")
    assert not at.exception
    assert warmup._warmed == set()
    assert not [t for t in threading.enumerate() if t.name.startswith("atlas-warm")]
    assert not warmup.on_server()


def test_the_first_page_sends_no_plotly_chart_at_all(make_app: Callable[..., AppTest]) -> None:
    """The overview draws its charts as SVG and no placeholder preloads plotly.js: a plotly
    element anywhere (main area or sidebar) would make the browser fetch and evaluate 4.7 MB of
    script during the first page."""
    at = make_app("pages/overview.py", lang="en")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    assert "_chart_code_preloaded" not in at.session_state


def _idle_scripts(at: AppTest) -> list[str]:
    """The bodies of the chart-code scripts on the page (st.html with JavaScript allowed)."""
    return [h.proto.body for h in at.get("html") if h.proto.unsafe_allow_javascript]


def test_the_chart_code_script_is_sent_once_per_session_constant_and_last(
    make_app: Callable[..., AppTest],
) -> None:
    """After the first page: one script importing Streamlit's plotly chunk when the browser is
    idle, the same text for every page, language and session (no data in it), the run's last
    element; the next runs of the session send none (the container stays, empty)."""
    found = warmup.chart_chunks()
    assert found is not None, "Streamlit's chart chunks not found"
    bundle, chunks = found
    assert [c.split(".")[0] for c in chunks] == list(warmup.CHART_CHUNKS)
    expected = warmup.idle_script(bundle, chunks)
    at = make_app("pages/overview.py", lang="en")
    assert not at.exception
    assert _idle_scripts(at) == [expected]
    assert all(f'"./{c}"' in expected for c in chunks) and "requestIdleCallback" in expected
    last = at.main.children[len(at.main.children) - 1]  # after the page: the hidden container
    assert last.proto.id.endswith(f"-{warmup.IDLE_KEY}")
    assert [h.proto.body for h in last.children.values()] == [expected]
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert _idle_scripts(at) == []
    other = make_app("pages/overview.py", lang="zh")  # another session, language
    assert _idle_scripts(other) == [expected]


def test_the_chart_code_is_the_chunks_the_bundle_imports(tmp_path: Path) -> None:
    """Found by pattern in the installed frontend (the names the bundle itself imports, so the
    browser evaluates each module once); a chunk not found is left out; nothing when none is."""
    bundle, chunks = warmup.find_chart_chunks()
    js = warmup.STATIC / "static" / "js"
    deck, plotly, grid = (js / c for c in chunks)
    assert plotly.stat().st_size > 1_000_000  # plotly.js inside
    assert deck.stat().st_size > 1_000_000  # deck.gl inside
    assert grid.stat().st_size > 100_000
    assert f'src="./static/js/{bundle}"' in (warmup.STATIC / "index.html").read_text()
    assert all(f'"./{c}"' in (js / bundle).read_text() for c in chunks)
    assert warmup.find_chart_chunks(tmp_path) is None
    (tmp_path / "index.html").write_text('<script type="module" src="./static/js/index.a1.js">')
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "index.a1.js").write_text(
        'import("./PlotlyChart.b2.js");import("./DeckGlJsonChart.c3.js")'
    )
    assert warmup.find_chart_chunks(tmp_path) is None  # the chunk files are missing
    (tmp_path / "static" / "js" / "PlotlyChart.b2.js").write_text("")
    assert warmup.find_chart_chunks(tmp_path) == ("index.a1.js", ("PlotlyChart.b2.js",))
    (tmp_path / "static" / "js" / "DeckGlJsonChart.c3.js").write_text("")
    assert warmup.find_chart_chunks(tmp_path) == (
        "index.a1.js",
        ("DeckGlJsonChart.c3.js", "PlotlyChart.b2.js"),
    )


def test_prestart_leaves_the_default_page_s_first_run_nothing_to_compute(
    make_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What serve.py's start-up thread prepares is what the first run of the default page uses:
    the very bundle object it loaded, and every result the page keeps per dataset."""
    from components import cached

    cached._load.clear()
    monkeypatch.setattr(cached, "_last_load", None)
    memo.clear()
    warmup.prestart(("en",))
    preloaded = cached._preloaded
    assert preloaded is not None
    warmed = _keys()
    assert {"headline", "gap_text", "coverage_csv", "coverage_svg", "trend_lines"} <= _names(warmed)
    at = make_app("pages/overview.py", lang="en")
    assert not at.exception
    assert cached._last_load is not None and cached._last_load[2] is preloaded[2]
    assert cached._preloaded is None  # handed over once
    assert not _names(_keys() - warmed), "the overview recomputed what prestart had made"


def test_without_a_launcher_nothing_is_awaited() -> None:
    assert warmup._prestart_thread is None  # AppTest, `streamlit run app.py`
    assert warmup.await_prestart(timeout=0) is True


def test_a_failed_prestart_releases_the_first_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    switch: list[float] = []

    def broken(langs: object) -> None:
        switch.append(sys.getswitchinterval())  # the server's thread gets its turns sooner
        raise RuntimeError("boom")

    monkeypatch.setattr(warmup, "prestart", broken)
    monkeypatch.setattr(warmup, "_prestart_thread", None)
    monkeypatch.setattr(warmup, "_prestart_done", threading.Event())
    thread = warmup.start_prestart(wait_for_server=False)
    assert warmup.start_prestart(wait_for_server=False) is thread  # once per process
    assert warmup.await_prestart(timeout=10) is True
    thread.join(10)
    assert not thread.is_alive()
    assert switch == [warmup.WARMING_SWITCH_S]
    assert sys.getswitchinterval() > warmup.WARMING_SWITCH_S


def test_warming_threads_switch_often_and_restore_python_s_interval() -> None:
    import sys

    before = sys.getswitchinterval()
    seen: list[float] = []
    inside = threading.Event()
    release = threading.Event()

    def warming() -> None:
        with warmup.yielding():
            seen.append(sys.getswitchinterval())
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=warming)
    thread.start()
    assert inside.wait(5)
    with warmup.yielding():  # a second warming thread overlapping the first
        seen.append(sys.getswitchinterval())
    assert sys.getswitchinterval() == warmup.WARMING_SWITCH_S  # the first still runs
    release.set()
    thread.join(5)
    assert seen == [warmup.WARMING_SWITCH_S, warmup.WARMING_SWITCH_S] < [before] * 2
    assert sys.getswitchinterval() == before


def test_streamlit_s_own_first_run_work_is_done_by_the_start_up_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Done before the first visitor: the emoji pattern the language switch's "中文" is checked
    with, the image library of the page icon, the check for an interactive interpreter."""
    import sys

    from streamlit import delta_generator

    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(warmup.runtime, "exists", lambda: True)
    for name in ("streamlit.emojis", "PIL.Image"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    warmup.streamlit_first_run()
    assert "streamlit.emojis" in sys.modules  # its pattern compiled as it is imported
    assert "PIL.Image" in sys.modules
    assert delta_generator._use_warning_has_been_displayed


def test_after_the_first_page_the_default_page_is_warmed_in_every_language(
    make_app: Callable[..., AppTest],
) -> None:
    from components.i18n import LANGS

    make_app("pages/overview.py", lang="en")  # the bundle loaded
    memo.clear()
    warmup.warm_default_page()
    svgs = {k[2] for k in _keys() if k[0][0] == "bundle" and k[1].endswith(".coverage_svg")}
    assert svgs == {(by, lang) for by in ("continent", "sector") for lang in LANGS}


def test_the_page_icon_s_image_plugins_are_loaded_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """app.py's st.set_page_config opens the icon with PIL before it awaits the prestart: the
    plugins PIL loads on its first open are the prestart's first step, not the first run's."""
    import PIL.Image

    calls: list[str] = []
    real_import = warmup.importlib.import_module
    monkeypatch.setattr(warmup, "page_icon_ready", lambda: calls.append("icon"))
    monkeypatch.setattr(
        warmup.importlib, "import_module", lambda name: calls.append(name) or real_import(name)
    )
    warmup.prestart(("en",))
    assert calls[0] == "icon" and len(calls) > 2
    monkeypatch.undo()
    monkeypatch.setattr(PIL.Image, "_initialized", 0)
    warmup.page_icon_ready()
    assert PIL.Image._initialized >= 1  # what PIL.Image.open would otherwise do in the first run
    assert {"PIL.PngImagePlugin", "PIL.JpegImagePlugin"} <= set(__import__("sys").modules)


def test_warming_waits_until_the_browser_has_drawn_the_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The other pages are warmed WARM_AFTER_S after the first page's run, not while the browser
    still fetches that page's element code from the server."""
    import time

    began: list[float] = []
    monkeypatch.setattr(warmup, "on_server", lambda: True)
    monkeypatch.setattr(warmup, "_warmed", set())
    monkeypatch.setattr(warmup, "WARM_AFTER_S", 0.2)
    monkeypatch.setattr(warmup, "warm", lambda lang: began.append(time.monotonic()))
    monkeypatch.setattr(warmup, "warm_default_page", lambda: None)
    start = time.monotonic()
    thread = warmup.warm_in_background("en")
    assert thread is not None and warmup.warm_in_background("en") is None  # once per language
    assert not began  # not yet: the page that asked is still being drawn
    thread.join(5)
    assert len(began) == 1 and began[0] - start >= 0.2


def test_the_prestart_runs_without_the_cyclic_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """serve.py turns the collector off before Streamlit starts; the prestart thread turns it on
    when it ends (resume_gc), and on its own leaves it as it found it."""
    import gc

    during: list[bool] = []
    monkeypatch.setattr(warmup, "prestart", lambda langs: during.append(gc.isenabled()))
    for resume_gc, before in ((False, True), (True, False)):
        monkeypatch.setattr(warmup, "_prestart_thread", None)
        monkeypatch.setattr(warmup, "_prestart_done", threading.Event())
        gc.enable() if before else gc.disable()
        try:
            thread = warmup.start_prestart(wait_for_server=False, resume_gc=resume_gc)
            thread.join(10)
            assert gc.isenabled()
        finally:
            gc.enable()
    assert during == [False, False]
