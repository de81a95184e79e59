"""Browser tier: the real app served on a free localhost port, driven by Debian's chromium.

Every request that is not to localhost is blocked and fails the test: the app must work offline.
Without chromium the tier is skipped locally, but fails under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

from components.i18n import t
from components.registry import PAGES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def _require_chromium() -> None:
    if Path(CHROMIUM).exists() and shutil.which("fc-list"):
        return
    msg = (
        f"browser tier needs Debian's chromium at {CHROMIUM} and fonts-noto-cjk "
        "(sudo apt-get install chromium fonts-noto-cjk)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(msg + " — required under CI=true")
    pytest.skip(msg)


def _worker() -> str:
    """The pytest-xdist worker ("gw0", ...) or "main": keeps servers' logs apart."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data_dir: Path | None, log_path: Path) -> tuple[subprocess.Popen, str]:
    """Start the app as users do (``serve.py``: ``streamlit run app.py`` with the first page made
    ready while the server starts) on a free port and wait for its health check.

    Parallel workers each pick a free port; should another process take it first, streamlit
    exits and the next free port is tried. The health check must come from our own process.
    """
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        **({"DATA_DIR": str(data_dir)} if data_dir else {}),
    }
    for _attempt in range(3):
        port = _free_port()
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                [sys.executable, str(ROOT / "serve.py"),
                 "--server.port", str(port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200 and f":{port}" in log_path.read_text():
                        return proc, url
            except OSError:
                pass
            time.sleep(0.3)
        _stop(proc)
        if "already in use" not in log_path.read_text():
            break
    pytest.fail(f"streamlit did not start; see {log_path}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextmanager
def _serve(data_dir: Path | None = None, name: str = "server") -> Iterator[str]:
    """``streamlit run app.py`` on a free localhost port; stopped by its process id on exit.
    Its log: ``tests/artifacts/<name>[-<worker>].log``."""
    _require_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if _worker() == "main" else f"-{_worker()}"
    proc, url = _start(data_dir, ARTIFACTS / f"{name}{suffix}.log")
    try:
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def app_server() -> Callable[..., AbstractContextManager[str]]:
    """``with app_server(data_dir=..., name=...) as url:`` a separate, freshly started server."""
    return _serve


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The app served for the whole session."""
    with _serve() as url:
        yield url


class _Browser:
    """The launched chromium; every page of every context it makes carries the DOM probe
    (``_PROBE_JS``) and a ``_Traffic`` log, which ``_wait_idle`` reads. Anything else is
    chromium's own."""

    def __init__(self, browser) -> None:  # noqa: ANN001
        self._browser = browser

    def __getattr__(self, name: str) -> object:
        return getattr(self._browser, name)

    def new_context(self, **kwargs: object) -> object:
        context = self._browser.new_context(**kwargs)
        context.add_init_script(_PROBE_JS)

        def watch(pg) -> None:  # noqa: ANN001
            traffic = pg._atlas_traffic = _Traffic()
            pg.on("websocket", traffic.watch)
            pg.on("request", traffic.request)
            pg.on("requestfinished", lambda r: traffic.request(r, done=True))
            pg.on("requestfailed", lambda r: traffic.request(r, done=True))

        context.on("page", watch)
        return context


@pytest.fixture(scope="session")
def browser(base_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield _Browser(b)
        b.close()


def _offline_guard(external: list[str]) -> Callable[[object], None]:
    """A route handler: localhost, data: and blob: pass; anything else is aborted and listed."""

    def guard(route) -> None:  # noqa: ANN001
        host = urlparse(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    return guard


@pytest.fixture
def page(browser) -> Iterator[object]:  # noqa: ANN001
    """A fresh page; requests leaving localhost are aborted and fail the test."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    external: list[str] = []

    guard = _offline_guard(external)
    pg.route("**/*", guard)
    pg.external_requests = external  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not external, f"requests left localhost: {external[:5]}"


# Installed in every page before the app's own scripts (see ``_Browser``): stamps the last DOM
# change (lazy elements mount, charts draw) for ``_wait_idle``.
_PROBE_JS = """(() => {
  if (window.__atlasMutated !== undefined) return;
  window.__atlasMutated = performance.now();
  new MutationObserver(() => { window.__atlasMutated = performance.now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})()"""

# One look at the page: why it is busy, or how long (ms) its DOM has been still.
_POLL_JS = """() => {
  const root = document.querySelector('[data-testid="stApp"]');
  if (!root) return {busy: 'no app root'};
  const state = root.getAttribute('data-test-script-state');
  const connection = root.getAttribute('data-test-connection-state');
  if (state !== 'notRunning') return {busy: 'script ' + state};
  if (connection !== 'CONNECTED') return {busy: 'connection ' + connection};
  if (document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"], '
                             + '.stale-element, [data-stale="true"]')) return {busy: 'stale'};
  if (window.__atlasMutated === undefined) return {still: 0};
  return {still: performance.now() - window.__atlasMutated};
}"""

SETTLE_MS = 300  # nothing on the app's WebSocket and no request for this long after a run
# ... and no DOM change for longer than the app's own debounce (components/viewport.py reports a
# changed size 300 ms after the layout moved, which asks for a rerun), unless it never stops.
STILL_MS = 500
NO_RUN_MS = 1500  # an action that asked for no run: the quiet period it waits for instead
_DONE = {0, 1, 3}  # ScriptFinishedStatus: successfully, with a compile error, fragment run done


class _Traffic:
    """What went over a page's Streamlit WebSocket, in order: ``S`` a rerun request sent,
    ``N`` a run started (the server's ``new_session``, sent for every run, a restart for a
    rerun too), ``F`` a run finished (``script_finished`` that is not "early for rerun"); and
    requests in flight. Read by ``_wait_idle``: the run the last action asked for has happened
    and ended, and nothing has moved since (Streamlit 1.67's protocol, ``streamlit.proto``)."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.seen = 0  # runs started when ``_wait_idle`` last returned (this socket)
        self.last = time.monotonic()
        self.requests: set = set()

    def watch(self, ws) -> None:  # noqa: ANN001
        if "_stcore/stream" not in ws.url:
            return
        self.events, self.seen, self.last = [], 0, time.monotonic()  # a new session
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload: bytes | str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.last = time.monotonic()
        if isinstance(payload, bytes):
            msg = ForwardMsg.FromString(payload)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.events.append("N")
            elif kind == "script_finished" and msg.script_finished in _DONE:
                self.events.append("F")

    def _sent(self, payload: bytes | str) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        self.last = time.monotonic()
        if isinstance(payload, bytes) and BackMsg.FromString(payload).HasField("rerun_script"):
            self.events.append("S")

    def request(self, request, done: bool = False) -> None:  # noqa: ANN001
        self.last = time.monotonic()
        (self.requests.discard if done else self.requests.add)(request)

    def state(self) -> tuple[bool, bool, float]:
        """(the last rerun request has been answered by a run that has ended, a run started
        since the last return, seconds since anything moved)."""
        ev = self.events
        last = {k: max((i for i, e in enumerate(ev) if e == k), default=-1) for k in "SNF"}
        answered = last["N"] > last["S"] and last["F"] > last["N"]
        ran = ev.count("N") > self.seen
        return answered, ran, time.monotonic() - self.last


def _traffic(pg) -> _Traffic | None:  # noqa: ANN001
    return getattr(pg, "_atlas_traffic", None)


def _wait_idle(pg, timeout_ms: int = 60_000) -> None:  # noqa: ANN001
    """Wait until the app has rendered and its script has stopped running.

    Precise signals (``_Traffic``, ``_POLL_JS``): the last rerun request has been answered by a
    run that started after it and has finished, and a run has started since the last call for
    this page's session (else, when the action asked for no run, ``NO_RUN_MS`` of quiet); then
    ``SETTLE_MS`` without a message or request (a run ending in ``st.rerun`` is followed by the
    next at once), the app root says ``notRunning`` and connected, and ``STILL_MS`` without a
    DOM change (lazy elements mount, charts draw; after 3 s of otherwise quiet, DOM churn is
    tolerated).
    """
    first_block = '[data-testid="stMain"] [data-testid="stVerticalBlock"] > *'
    pg.wait_for_selector(first_block, timeout=timeout_ms)
    pg.evaluate(_PROBE_JS)  # pages opened without the probe (it is idempotent)
    traffic = _traffic(pg)
    start = time.monotonic()
    deadline = start + timeout_ms / 1000
    why = None
    while time.monotonic() < deadline:
        poll = pg.evaluate(_POLL_JS)  # also lets playwright deliver the socket's events
        waited = time.monotonic() - start
        if traffic is None:  # a page from elsewhere: the root's state and quiet only
            answered, ran, quiet = False, False, poll.get("still", 0) / 1000
        else:
            answered, ran, quiet = traffic.state()
            if traffic.requests:
                quiet = 0.0
        why = poll.get("busy") or f"answered={answered} ran={ran} quiet={quiet:.2f}"
        if "busy" not in poll:
            still = poll["still"] >= STILL_MS or quiet >= 3
            if answered and ran and quiet * 1000 >= SETTLE_MS and still:
                return _idle(pg, traffic, waited, "run")
            if waited * 1000 >= NO_RUN_MS and quiet * 1000 >= NO_RUN_MS and still:
                return _idle(pg, traffic, waited, "NORUN")
        pg.wait_for_timeout(60)
    raise AssertionError(f"the app kept running past the timeout ({why})")


def _idle(pg, traffic: _Traffic | None, waited: float, how: str) -> None:  # noqa: ANN001
    if traffic is not None:
        traffic.seen = traffic.events.count("N")
    _log_idle(pg, waited * 1000, how)


def _log_idle(pg, waited_ms: float, how: str) -> None:  # noqa: ANN001
    """With ``ATLAS_IDLE_LOG`` set: one line per wait in tests/artifacts/idle-<worker>.log."""
    if not os.environ.get("ATLAS_IDLE_LOG"):
        return
    test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
    with open(ARTIFACTS / f"idle-{_worker()}.log", "a") as fh:
        fh.write(f"{waited_ms:7.0f} {how} {test}\n")


# Test-only: the deck's current view state, read from the React tree around the canvas.
DECK_VIEW_JS = """() => {
  const el = document.querySelector('#deckgl-overlay');
  const key = el && Object.keys(el).find(k => k.startsWith('__reactFiber'));
  let fiber = key ? el[key] : null;
  for (let i = 0; fiber && i < 80; i++, fiber = fiber.return) {
    const p = fiber.memoizedProps;
    if (p && p.viewState && typeof p.viewState.zoom === 'number') {
      const v = p.viewState;
      return {latitude: v.latitude, longitude: v.longitude, zoom: v.zoom};
    }
  }
  return null;
}"""


def deck_view(pg, timeout_s: float = 10.0) -> dict:  # noqa: ANN001
    """The deck's view once it has stopped moving (the map glides to a new fitted view): the
    same for 0.4 s. Replaces fixed sleeps before hovering or clicking a point."""
    deadline = time.monotonic() + timeout_s
    last, same_since = None, None
    while True:
        view = pg.evaluate(DECK_VIEW_JS)
        now = time.monotonic()
        if view is None or view != last:
            last, same_since = view, now
        elif now - same_since >= 0.4:
            pg.wait_for_timeout(100)  # the frame with the final view is drawn
            return view
        if now > deadline:
            assert last is not None, "no deck view state found"
            return last
        pg.wait_for_timeout(100)


def current_page_title(page, lang: str = "en") -> str:  # noqa: ANN001
    """The title of the page the sidebar navigation marks as current (once it has its titles)."""
    titles = {t(s.title_key, lang) for s in PAGES}
    current = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if current.count() == 1:
            lines = [x.strip() for x in current.inner_text().splitlines() if x.strip()]
            if lines and lines[-1] in titles:
                return lines[-1]
        page.wait_for_timeout(300)
    return ""


def not_found_dialog(page) -> bool:  # noqa: ANN001
    """Streamlit's "Page not found" dialog (it comes with the run; callers have waited for it)."""
    page.wait_for_timeout(200)
    dialogs = page.get_by_role("dialog")
    return any("not found" in dialogs.nth(i).inner_text() for i in range(dialogs.count()))


# Resolves once the page has drawn a few frames in a row without a long task between them (or
# after 5 s): a click then reaches deck.gl's tap recogniser with its press and release close in
# time. Under load, a frame drawn by software WebGL between the two can exceed deck.gl's 250 ms
# tap limit, and the click is then a press, not a tap.
_CALM_JS = """() => new Promise((resolve) => {
  let last = performance.now(), calm = 0;
  const tick = (now) => {
    calm = now - last < 50 ? calm + 1 : 0;
    last = now;
    if (calm >= 5) resolve(true); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  setTimeout(() => resolve(false), 5000);
})"""


def click_deck(pg, x: float, y: float, opened: Callable[[], bool], tries: int = 3) -> float:  # noqa: ANN001
    """Hover the deck at (x, y) until its tooltip shows, wait for calm frames, click, and wait
    until ``opened()``; return the seconds from the click to that. At high load (CI; here at load
    ~21) a click sometimes opened nothing within 15 s, though the tooltip showed. A user would
    click again; so does this, at most ``tries`` times, and on failure says, for each click,
    whether the page asked the server for a run and what the server answered."""
    tried: list[str] = []
    for attempt in range(tries):
        pg.mouse.move(x - 3, y)
        pg.mouse.move(x, y)
        pg.locator(".deck-tooltip").wait_for(state="visible", timeout=10_000)
        calm = pg.evaluate(_CALM_JS)
        traffic = _traffic(pg)
        before = len(traffic.events) if traffic else 0
        start = time.monotonic()
        pg.mouse.click(x, y)
        deadline = start + 15
        while time.monotonic() < deadline:
            if opened():
                return time.monotonic() - start
            pg.wait_for_timeout(100)
        after = "".join(traffic.events[before:]) if traffic else "?"
        state = pg.evaluate(_POLL_JS)
        tried.append(f"click {attempt + 1}: calm {calm}, traffic '{after}', page {state}")
        print(f"click_deck: click {attempt + 1} at ({x:.0f}, {y:.0f}) did not open; again")
    raise AssertionError(f"{tries} clicks at ({x:.0f}, {y:.0f}) opened nothing: {tried}")


@pytest.fixture
def wait_idle() -> Callable[..., None]:
    """``wait_idle(page)``: block until the current run has finished."""
    return _wait_idle


def _wait_text(pg, *texts: str, timeout_ms: int = 30_000) -> str:  # noqa: ANN001
    """Wait until the main area shows every one of ``texts``; return its text.

    A URL changes as soon as the server sets a query parameter, which can be before the run that
    draws the result has finished: tests wait for what they check, not only for a quiet page.
    Word joiners (U+2060, which the app puts into hostile text to keep it inert) are ignored.
    """
    main = pg.locator('[data-testid="stMain"]')
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        text = main.inner_text().replace("\u2060", "")
        missing = [s for s in texts if s not in text]
        if not missing:
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"never shown: {missing[:5]}; the page shows: {text[:2000]}")
        pg.wait_for_timeout(250)


@pytest.fixture
def wait_text() -> Callable[..., str]:
    """``wait_text(page, *texts)``: block until the main area shows all ``texts``; its text."""
    return _wait_text


@pytest.fixture
def open_app(base_url: str) -> Callable[..., None]:
    """``open_app(page, "map", lang="en", cluster="...")``: load a page and wait for the run."""

    def _open(pg, path: str = "", **params: str) -> None:  # noqa: ANN001
        query = f"?{urlencode(params)}" if params else ""
        pg.goto(f"{base_url}/{path}{query}")
        _wait_idle(pg)

    return _open


# The app's size probe (components/viewport.py), mounted with a key ending in "viewport"
# (``viewport("map_viewport")``): only a page that has one reruns when the window is resized.
_HAS_PROBE_JS = """() => !!document.querySelector('[class*="st-key-"][class*="viewport"]')"""


def _after_resize(pg, held: bool = False) -> None:  # noqa: ANN001
    """After a window resize: the app's size probe (components/viewport.py) reports a changed
    size after a 300 ms debounce and the page reruns; wait for that run, if one is asked for, so
    the screenshot shows the settled page and the test's next click does not race it. A page
    without the probe, or with the height held (``held``, see ``_HOLD_HEIGHT_JS``), asks for no
    run: it waits only until its DOM has been still for 300 ms (charts that redraw at the new
    size), at most 2 s."""
    if held or not pg.evaluate(_HAS_PROBE_JS):
        pg.wait_for_timeout(100)
        deadline = time.monotonic() + 2
        while pg.evaluate(_POLL_JS).get("still", 0) < 300 and time.monotonic() < deadline:
            pg.wait_for_timeout(60)
        return
    traffic = _traffic(pg)
    before = len(traffic.events) if traffic else 0
    pg.wait_for_timeout(600)
    if traffic is not None and len(traffic.events) > before:
        _wait_idle(pg)


# Test-only, for full-page screenshots: while on, ``window.innerHeight`` keeps the height the
# window had, so the app's size probe (which reads it when the window is resized) does not hear
# of a window made as tall as the page for the picture and put back after it: no rerun for that
# size. The picture shows the layout the reader's screen has (a map sized for that screen, not
# for one thousands of pixels high) and costs no run. The probe's other measure, its column's
# width, does not change (only the height does).
_HOLD_HEIGHT_JS = """(on) => {
  if (on) {
    const held = window.innerHeight;
    window.__atlasHeight = Object.getOwnPropertyDescriptor(window, 'innerHeight') || null;
    Object.defineProperty(window, 'innerHeight', {get: () => held, configurable: true});
  } else if (window.__atlasHeight !== undefined) {
    if (window.__atlasHeight) Object.defineProperty(window, 'innerHeight', window.__atlasHeight);
    else delete window.innerHeight;
    delete window.__atlasHeight;
  }
}"""


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, name)``: a full-page PNG in ``tests/artifacts/<name>.png``. The window
    is made as tall as the page for the picture, unknown to the app (no rerun for that size),
    then given back its size."""

    def _shot(pg, name: str) -> Path:  # noqa: ANN001
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        height = pg.evaluate(
            """() => {
                const m = document.querySelector('[data-testid="stMain"]');
                return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight);
            }"""
        )
        size = dict(pg.viewport_size)
        tall = {"width": size["width"], "height": min(max(int(height), 800), 6000)}
        path = ARTIFACTS / f"{name}.png"
        pg.evaluate(_HOLD_HEIGHT_JS, True)
        try:
            pg.set_viewport_size(tall)
            _after_resize(pg, held=True)
            pg.screenshot(path=str(path), full_page=True)
            pg.set_viewport_size(size)
            _after_resize(pg, held=True)
        finally:
            pg.evaluate(_HOLD_HEIGHT_JS, False)
        return path

    return _shot


VIEWPORTS: dict[str, dict] = {
    "1920": {"viewport": {"width": 1920, "height": 1080}},
    "1280": {"viewport": {"width": 1280, "height": 720}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


@pytest.fixture
def sized_page(browser) -> Iterator[Callable[..., object]]:  # noqa: ANN001
    """``sized_page("1280")``: a fresh offline page (new session) at a named viewport of
    ``VIEWPORTS`` (1920×1080, 1280×720, a 390×844 phone); requests leaving localhost fail."""
    contexts = []
    external: list[str] = []

    guard = _offline_guard(external)

    def _new(size: str = "1280", locale: str = "zh-CN") -> object:
        context = browser.new_context(locale=locale, **VIEWPORTS[size])
        contexts.append(context)
        pg = context.new_page()
        pg.route("**/*", guard)
        return pg

    yield _new
    for context in contexts:
        context.close()
    assert not external, f"requests left localhost: {external[:5]}"


@pytest.fixture
def viewport_shot() -> Callable[..., Path]:
    """``viewport_shot(page, name)``: what the screen shows (no scrolling), as a PNG."""

    def _shot(pg, name: str) -> Path:  # noqa: ANN001
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path))
        return path

    return _shot
