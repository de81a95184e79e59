"""Cold start in a real browser: process start → first page fully rendered; first visit of the rest.

    python bench/bench_coldstart.py [--quick] [--runs N] [--lang zh|en]

Per run, a fresh ``serve.py`` (``deploy/appserver.py``, shipped data) and a fresh
browser context in headless Debian chromium (``/usr/bin/chromium`` with the launch options of
``tests/browser/conftest.py``; the browser is launched before the server, so its own start-up is
not counted). Timed from the moment the server process is spawned:

* **health**: ``/_stcore/health`` answers 200 (polled every 0.1 s);
* on the way to the first page: the document's load event (HTML and JS bundle loaded), the
  page's title shown (the first script run has begun sending), and the server's CPU seconds at
  health and at the first page (from /proc: a number that moves little with the machine's load);
* **first page**: the browser opens ``/`` right after that; the page counts as rendered at the
  first instant from which, for 1 s without a break, the app is idle (no running-status widget,
  skeleton or stale element), the page title (``h1``) is shown, every visible plotly chart has
  drawn its SVG and at least one chart (plotly, deck.gl canvas, an SVG chart drawn by the server)
  is visible where the page has any; the browser's CPU seconds over that time (every chromium
  process this script launched, from /proc) and the scripts the page fetched (name, bytes,
  content encoding, when);
* **first visit of each other page**: a click on its link in the sidebar (in-app navigation, the
  same session, as a reader does), timed from the click to the same "rendered" instant.

Requests leaving localhost are aborted and counted (the app must work offline). Targets from
issue 15: first page ≤ 3 s from process start; each other page's first visit ≤ 1 s.
Writes ``bench/results/coldstart.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

sys.path.insert(0, str(harness.ROOT))
from components.registry import DEFAULT_PAGE, PAGES  # noqa: E402

RUNS, QUICK_RUNS = 3, 1
STABLE_S = 1.0
TIMEOUT_S = 60.0
TARGET_FIRST_S, TARGET_OTHER_S = 3.0, 1.0
CONFTEST = harness.ROOT / "tests" / "browser" / "conftest.py"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}

# What the page shows right now; "ready" is every condition of a rendered page but the title's.
# Charts: plotly's (drawn when their SVG has traces), deck.gl / canvas maps, and the SVG charts
# the server draws (components/svg_charts.py: shown as images).
_STATE_JS = """() => {
  // a chart drawn as SVG on the server (components/svg_charts.py), shown as an image
  const SVG_CHART = '[data-testid="stMain"] img.svg-chart';
  const busy = !!document.querySelector('[data-testid="stStatusWidget"]')
    || !!document.querySelector('[data-testid="stSkeleton"]')
    || !!document.querySelector('.stale-element, [data-stale="true"]');
  const main = document.querySelector('[data-testid="stMain"]');
  const h1 = main ? main.querySelector('h1') : null;
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const plots = [...document.querySelectorAll('.js-plotly-plot')].filter(shown);
  const drawn = plots.filter((p) => p.querySelector('.main-svg .trace, .main-svg .hm'));
  const canvases = [...document.querySelectorAll('[data-testid="stMain"] canvas')].filter(shown);
  const svgs = [...document.querySelectorAll(SVG_CHART)].filter(
    (i) => shown(i) && i.complete && i.naturalWidth > 0);
  const anyChart = document.querySelectorAll(
    `.js-plotly-plot, [data-testid="stMain"] canvas, #deckgl-overlay, ${SVG_CHART}`).length;
  return {
    busy, title: h1 ? h1.innerText.trim() : null, path: location.pathname,
    plots: plots.length, drawn: drawn.length, canvases: canvases.length, svgs: svgs.length,
    anyChart,
    ready: !busy && !!h1 && drawn.length === plots.length
      && (anyChart === 0 || plots.length + canvases.length + svgs.length > 0),
  };
}"""


def _launch_options() -> tuple[str, list[str]]:
    """Chromium's path and flags from the browser tier's conftest (one place for them)."""
    spec = importlib.util.spec_from_file_location("_browser_conftest", CONFTEST)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.CHROMIUM, list(mod.CHROMIUM_ARGS)


# --settle: a page counts as rendered only while the browser also answers each poll within this
# long (its main thread free). Without it, work a page starts after it looks done (deck.gl's
# first draws in software WebGL, a module evaluated when idle) is counted in the next visit.
SETTLE = {"responsive_s": None}  # set from --settle


def _wait_rendered(page, t0: float, path: str, old_title: str | None) -> tuple[float, dict]:  # noqa: ANN001
    """Seconds from ``t0`` to the start of the first ``STABLE_S`` stretch of a rendered page."""
    since: float | None = None
    deadline = time.perf_counter() + TIMEOUT_S
    state: dict = {}
    limit = SETTLE["responsive_s"]
    while time.perf_counter() < deadline:
        asked = time.perf_counter()
        try:
            state = page.evaluate(_STATE_JS)
        except Exception:  # noqa: BLE001 - navigation in progress: not rendered yet
            state = {"ready": False}
        now = time.perf_counter()
        ok = (
            state.get("ready")
            and state.get("title") != old_title
            and state.get("path", "").rstrip("/") == f"/{path}".rstrip("/")
            and (limit is None or now - asked <= limit)
        )
        if not ok:
            since = None
        elif since is None:
            since = now
        elif now - since >= STABLE_S:
            return since - t0, state
        time.sleep(0.05)
    raise TimeoutError(f"/{path} not rendered within {TIMEOUT_S:.0f} s (last state {state})")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds ``pid`` has used (from /proc; moves little with the load)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 3)


def _children() -> dict[int, list[int]]:
    """Every process's children, from /proc."""
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry.name))
    return out


def browser_cpu_s() -> float:
    """CPU seconds used so far by the chromium processes this benchmark launched (descendants of
    this process whose command is chromium; the app server is Python, not counted). Like the
    server's CPU time, it moves much less with the machine's load than the wall times."""
    children, total, todo = _children(), 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                exe = fh.read().split(b"\0", 1)[0]
            if b"chrom" in Path(exe.decode(errors="replace")).name.encode():
                total += cpu_s(pid)
        except OSError:  # ended meanwhile
            continue
    return round(total, 3)


def one_run(browser, lang: str, i: int, env: dict[str, str]) -> dict:  # noqa: ANN001
    """A fresh server and browser context: cold first page, then a first visit of each other."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    external: list[str] = []

    def guard(route) -> None:  # noqa: ANN001
        url = route.request.url
        if (urlparse(url).hostname or "") in LOCAL_HOSTS or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", guard)
    fetched: list[dict] = []  # the scripts the browser loads: path, bytes, encoding, when

    def on_response(response) -> None:  # noqa: ANN001
        if response.request.resource_type != "script" or len(fetched) > 300:
            return
        try:
            size = len(response.body())
        except Exception:  # noqa: BLE001 - gone with a navigation
            size = -1
        fetched.append(
            {
                "path": urlparse(response.url).path.rsplit("/", 1)[-1],
                "bytes": size,
                "encoding": response.headers.get("content-encoding", ""),
                "s": round(time.perf_counter() - srv.started, 3),
            }
        )

    page.on("response", on_response)
    out: dict = {"run": i, "pages": {}}
    srv = harness.AppServer(name=f"coldstart-{i}", env=env)
    try:
        srv.start(wait=False)
        srv.wait(TIMEOUT_S)
        out["health_s"] = round(time.perf_counter() - srv.started, 3)
        out["health_server_cpu_s"] = cpu_s(srv.pid)
        first = DEFAULT_PAGE.url_path
        cpu_browser0 = browser_cpu_s()
        page.goto(f"{srv.url}/?lang={lang}")  # returns at the document's load event
        out["html_and_js_loaded_s"] = round(time.perf_counter() - srv.started, 3)
        page.wait_for_selector('[data-testid="stMain"] h1', timeout=TIMEOUT_S * 1000)
        out["first_title_s"] = round(time.perf_counter() - srv.started, 3)
        secs, state = _wait_rendered(page, srv.started, "", None)
        out["first_page"] = first
        out["first_page_s"] = round(secs, 3)
        out["first_page_server_cpu_s"] = cpu_s(srv.pid)
        # from opening / to the first page rendered, the 1 s of quiet included
        out["first_page_browser_cpu_s"] = round(browser_cpu_s() - cpu_browser0, 3)
        out["first_page_scripts"] = list(fetched)
        out["pages"][first] = {"s": round(secs, 3), "state": state}
        title = state["title"]
        for spec in PAGES:
            if spec == DEFAULT_PAGE:
                continue
            link = page.locator(f'[data-testid="stSidebarNav"] a[href*="/{spec.url_path}"]')
            hrefs = link.evaluate_all("els => els.map(e => new URL(e.href).pathname)")
            index = hrefs.index(f"/{spec.url_path}")
            t0 = time.perf_counter()
            link.nth(index).click()
            cpu0, bcpu0, nfetched = cpu_s(srv.pid), browser_cpu_s(), len(fetched)
            secs, state = _wait_rendered(page, t0, spec.url_path, title)
            out["pages"][spec.url_path] = {
                "s": round(secs, 3),
                "server_cpu_s": round(cpu_s(srv.pid) - cpu0, 3),  # includes the 1 s of quiet
                "browser_cpu_s": round(browser_cpu_s() - bcpu0, 3),
                # scripts of more than 100 kB this visit made the browser fetch
                "big_scripts": [
                    (f["path"], f["bytes"]) for f in fetched[nfetched:] if f["bytes"] > 100_000
                ],
                "state": state,
            }
            title = state["title"]
        out["server_rss_mb"] = round(harness.rss_kb(srv.pid) / 1024, 1)
    finally:
        srv.stop()
        context.close()
    out["external_requests"] = external[:5]
    out["external_request_count"] = len(external)
    return out


BARE_PAGE = Path(__file__).resolve().parent / "bare_page.py"
_BARE_SHOWN_JS = """() => !document.querySelector('[data-testid="stStatusWidget"]')
  && [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMarkdownContainer"]')]
     .some((e) => e.innerText.trim() === 'bare')"""


def bare_run(browser, i: int) -> dict:  # noqa: ANN001
    """The floor on this machine, in the same sitting: Streamlit itself with a one-line page
    (``bench/bare_page.py`` run by ``streamlit run``, the same config file and flags, a fresh
    server and browser context): process start → health, → HTML + JS loaded, → its line shown."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    port = harness.free_port()
    log = harness.LOGS / f"coldstart-bare-{i}-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "streamlit", "run", str(BARE_PAGE), "--server.address",
           harness.HOST, "--server.port", str(port), *harness.STREAMLIT_FLAGS]  # fmt: skip
    url = f"http://{harness.HOST}:{port}"
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=harness.ROOT, stdout=out, stderr=out, env={**harness.MALLOC_ENV, **os.environ}
        )
    try:
        harness.wait_http(f"{url}/_stcore/health", TIMEOUT_S, [proc])
        health = time.perf_counter() - t0
        page.goto(url)
        loaded = time.perf_counter() - t0
        page.wait_for_function(_BARE_SHOWN_JS, timeout=TIMEOUT_S * 1000)
        shown = time.perf_counter() - t0
    finally:
        harness.stop_pid(proc)
        context.close()
    return {"health_s": round(health, 3), "html_and_js_loaded_s": round(loaded, 3),
            "shown_s": round(shown, 3)}  # fmt: skip


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS} run instead of {RUNS}")
    p.add_argument("--runs", type=int)
    p.add_argument("--lang", default="zh", choices=["zh", "en"])
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE", help="server env")
    p.add_argument("--name", default="coldstart", help="results/<name>.json")
    p.add_argument(
        "--settle",
        type=float,
        default=None,
        metavar="S",
        help="count a page as rendered only while the browser answers each poll within S "
        "seconds (its main thread free): the next visit then starts on a settled browser",
    )
    a = p.parse_args()
    SETTLE["responsive_s"] = a.settle
    env = dict(item.split("=", 1) for item in a.env)
    runs = a.runs or (QUICK_RUNS if a.quick else RUNS)
    from playwright.sync_api import sync_playwright

    chromium, args = _launch_options()
    if not Path(chromium).exists():
        sys.exit(f"chromium not found at {chromium} (sudo apt-get install chromium)")
    results: list[dict] = []
    bare: list[dict] = []
    load0 = os.getloadavg()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=args, headless=True)
        try:
            for i in range(runs):
                bare.append(bare_run(browser, i))  # alternated with the app's runs
                print(f"bare {i}: {bare[-1]}", flush=True)
                r = one_run(browser, a.lang, i, env)
                print(f"run {i}: {r}", flush=True)
                results.append(r)
        finally:
            browser.close()
    per_page = {
        spec.url_path: harness.stats([r["pages"][spec.url_path]["s"] for r in results], 3)
        for spec in PAGES
    }
    out = {
        "runs": runs,
        "lang": a.lang,
        "server_env": env,
        "settle_s": a.settle,
        "first_page": DEFAULT_PAGE.url_path,
        "health_s": harness.stats([r["health_s"] for r in results], 3),
        "health_server_cpu_s": harness.stats([r["health_server_cpu_s"] for r in results], 3),
        "html_and_js_loaded_s": harness.stats([r["html_and_js_loaded_s"] for r in results], 3),
        "first_title_s": harness.stats([r["first_title_s"] for r in results], 3),
        "first_page_server_cpu_s": harness.stats(
            [r["first_page_server_cpu_s"] for r in results], 3
        ),
        "first_page_s": harness.stats([r["first_page_s"] for r in results], 3),
        "bare_page": {k: harness.stats([b[k] for b in bare], 3) for k in bare[0]},
        # the app's first page over the bare page's line, run by run (same sitting, alternated)
        "first_page_over_bare": harness.stats(
            [r["first_page_s"] / b["shown_s"] for r, b in zip(results, bare, strict=True)], 2
        ),
        "first_page_browser_cpu_s": harness.stats(
            [r["first_page_browser_cpu_s"] for r in results], 3
        ),
        "first_visit_browser_cpu_s": {
            spec.url_path: harness.stats(
                [r["pages"][spec.url_path]["browser_cpu_s"] for r in results], 3
            )
            for spec in PAGES
            if spec != DEFAULT_PAGE
        },
        "first_visit_s": {k: v for k, v in per_page.items() if k != DEFAULT_PAGE.url_path},
        "slowest_other_page_s": harness.stats(
            [
                max(v["s"] for k, v in r["pages"].items() if k != DEFAULT_PAGE.url_path)
                for r in results
            ],
            3,
        ),
        "external_requests": sum(r["external_request_count"] for r in results),
        "targets_s": {"first_page": TARGET_FIRST_S, "other_page_first_visit": TARGET_OTHER_S},
        "loadavg_start": [round(x, 2) for x in load0],
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
        "runs_raw": results,
    }
    print(f"coldstart: {out}", flush=True)
    harness.save(a.name, out)


if __name__ == "__main__":
    main()
