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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serve(data_dir: Path | None = None, name: str = "server") -> Iterator[str]:
    """``streamlit run app.py`` on a free localhost port; stopped by its process id on exit."""
    _require_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, **({"DATA_DIR": str(data_dir)} if data_dir else {})}
    with open(ARTIFACTS / f"{name}.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start; see {log.name}")
                time.sleep(0.5)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def app_server() -> Callable[..., AbstractContextManager[str]]:
    """``with app_server(data_dir=..., name=...) as url:`` a separate, freshly started server."""
    return _serve


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """The app served for the whole session."""
    with _serve() as url:
        yield url


@pytest.fixture(scope="session")
def browser(base_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
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


def _wait_idle(pg, timeout_ms: int = 60_000) -> None:  # noqa: ANN001
    """Wait until the app has rendered and its script has stopped running."""
    first_block = '[data-testid="stMain"] [data-testid="stVerticalBlock"] > *'
    pg.wait_for_selector(first_block, timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        busy = pg.evaluate(
            """() => !!document.querySelector('[data-testid="stStatusWidget"]')
                || !!document.querySelector('[data-testid="stSkeleton"]')
                || !!document.querySelector('.stale-element, [data-stale="true"]')"""
        )
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.5:
            return
        pg.wait_for_timeout(200)
    raise AssertionError("the app kept running past the timeout")


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


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, name)``: a full-page PNG in ``tests/artifacts/<name>.png``."""

    def _shot(pg, name: str) -> Path:  # noqa: ANN001
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        height = pg.evaluate(
            """() => {
                const m = document.querySelector('[data-testid="stMain"]');
                return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight);
            }"""
        )
        width = pg.viewport_size["width"]
        pg.set_viewport_size({"width": width, "height": min(max(int(height), 800), 6000)})
        pg.wait_for_timeout(600)
        path = ARTIFACTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        pg.set_viewport_size({"width": width, "height": 1000})
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
