"""Presenter mode in chromium: no sidebar or Streamlit chrome, the keyboard turns the slides,
slides fit a projector's screen; "add to briefing" from another page, kept over a reload;
the exports downloaded from the app (the offline HTML opened with the network blocked)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest

from tests.browser.conftest import ARTIFACTS

SIZES = [(1920, 1080), (1280, 720)]
CHART_SLIDES = (2, 4, 6)  # three chart slides of the default deck


def _open(page, open_app, wait_idle, **params: str) -> None:  # noqa: ANN001
    """Open the present page and wait for its slide (a fresh server's first deep link runs
    twice: once bare, once through the router)."""
    open_app(page, "present", **params)
    page.locator(".slide-footer").first.wait_for(timeout=60_000)
    wait_idle(page)


def _number(page) -> str:  # noqa: ANN001
    return page.locator(".slide-number").first.inner_text()


def _shot(page, name: str) -> Path:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))  # exactly the screen the audience sees
    return path


def _chrome(page) -> dict:  # noqa: ANN001
    """What of Streamlit's own furniture is visible."""
    return page.evaluate(
        """() => {
            const visible = (e) => {
                const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
                    && s.display !== 'none' && s.opacity !== '0';
            };
            const header = document.querySelector('header');
            const headerBits = header ? [...header.querySelectorAll('*')].filter(visible) : [];
            const headerBg = header ? getComputedStyle(header).backgroundColor : '';
            const q = (sel) => [...document.querySelectorAll(sel)].filter(visible).length;
            return {
                sidebar: q('[data-testid="stSidebar"], section[aria-label="Sidebar"]'),
                sidebarButtons: q(
                    '[data-testid*="SidebarCollapse"], [data-testid*="ExpandSidebar"]'
                ),
                nav: q('[data-testid="stSidebarNav"], nav'),
                headerBits: headerBits.map(e => e.tagName + '.' + (e.dataset.testid || '')),
                headerOpaque: !!headerBg && !/rgba\\(.*,\\s*0\\)$/.test(headerBg)
                    && headerBg !== 'transparent',
                menu: q('[data-testid="stMainMenu"], [data-testid="stToolbar"] button'),
                deploy: q('[data-testid="stAppDeployButton"]'),
                decoration: q('[data-testid="stDecoration"]'),
            };
        }"""
    )


def _fits(page) -> dict:  # noqa: ANN001
    return page.evaluate(
        """() => {
            const bottom = (sel) => {
                const e = document.querySelector(sel);
                return e ? e.getBoundingClientRect().bottom : null;
            };
            const buttons = [...document.querySelectorAll('[data-testid="stButton"]')]
                .map(e => e.getBoundingClientRect().bottom);
            return {footer: bottom('.slide-footer'), buttons: Math.max(...buttons),
                    height: window.innerHeight,
                    charts: document.querySelectorAll('.js-plotly-plot .main-svg').length};
        }"""
    )


def test_presenter_mode_shows_no_sidebar_or_chrome(page, open_app, wait_idle) -> None:  # noqa
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, open_app, wait_idle, lang="en", present="1", slide="2")
    chrome = _chrome(page)
    _shot(page, "present_presenter_chrome_1920_en")
    assert chrome == {
        "sidebar": 0,
        "sidebarButtons": 0,
        "nav": 0,
        "headerBits": [],
        "headerOpaque": False,
        "menu": 0,
        "deploy": 0,
        "decoration": 0,
    }, chrome
    # The same page outside presenter mode has its sidebar: the check above can fail.
    _open(page, open_app, wait_idle, lang="en", slide="2")
    assert _chrome(page)["sidebar"] == 1


def test_keyboard_turns_the_slides(page, open_app, wait_idle) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": 1920, "height": 1080})
    _open(page, open_app, wait_idle, lang="zh", present="1")
    assert _number(page) == "1 / 8"
    for key, expected in [
        ("ArrowRight", 2),
        ("PageDown", 3),  # what presentation clickers send
        ("PageDown", 4),
        ("PageUp", 3),
        ("ArrowLeft", 2),
        ("End", 8),
        ("Home", 1),
    ]:
        page.keyboard.press(key)
        page.wait_for_url(re.compile(rf"slide={expected}\b" if expected > 1 else r"^(?!.*slide=)"))
        wait_idle(page)
        assert _number(page) == f"{expected} / 8", key
    # Keys pressed in a form control belong to it: ArrowRight on the deck radio moves the radio
    # (native behaviour), not the slide.
    _open(page, open_app, wait_idle, lang="en", slide="2")
    page.get_by_role("radio").first.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert "slide=3" not in page.url


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("width", "height"), SIZES)
def test_slides_fit_the_screen(page, open_app, wait_idle, lang, width, height) -> None:  # noqa: ANN001
    page.set_viewport_size({"width": width, "height": height})
    for n in CHART_SLIDES:
        _open(page, open_app, wait_idle, lang=lang, present="1", slide=str(n))
        fit = _fits(page)
        assert fit["charts"] >= 1, (n, fit)
        assert fit["footer"] <= height and fit["buttons"] <= height, (n, fit)
        assert page.locator(".slide-source").first.inner_text().strip()
        _shot(page, f"present_slide{n}_{width}_{lang}")


def test_add_to_briefing_from_the_heatmap(page, open_app, wait_idle, screenshot) -> None:  # noqa: ANN001
    open_app(page, "heatmap", lang="en", measure="share_sector")
    page.get_by_role("button", name="Add to briefing").first.click()
    wait_idle(page)
    assert page.get_by_role("button", name=re.compile(r"In the briefing \(slide 1\)")).count()
    # Through the sidebar (same session), to the briefing deck.
    page.get_by_role("link", name="Present").click()
    wait_idle(page)
    page.get_by_text(re.compile(r"My briefing \(1\)")).click()
    wait_idle(page)
    assert _number(page) == "1 / 1"
    assert "Share of sector" in page.locator(".slide-headline").inner_text()
    assert page.locator(".js-plotly-plot .main-svg").count() >= 1
    screenshot(page, "present_briefing_editor_en")
    # A reload starts a new session: the browser's copy brings the briefing back.
    url = page.url
    page.reload()
    page.locator(".slide-number").first.wait_for(timeout=60_000)
    wait_idle(page)
    assert _number(page) == "1 / 1", (url, page.url)
    assert "Share of sector" in page.locator(".slide-headline").inner_text()


def test_a_briefing_comes_back_though_its_first_sending_is_lost(page, open_app, wait_idle) -> None:  # noqa: ANN001
    """After a reload the browser sends its copy of the briefing to the new session. Here the
    first sending never reaches the server (dropped on the WebSocket), as a run that carried it
    was lost in CI: the browser sends it again, and the slide comes back. Before, it asked once
    per page load, and kept the session's empty briefing in place of its copy."""
    open_app(page, "heatmap", lang="en", measure="lq")
    page.get_by_role("button", name="Add to briefing").first.click()
    wait_idle(page)
    dropped: list[int] = []

    def route(ws) -> None:  # noqa: ANN001
        server = ws.connect_to_server()

        def to_server(message: str | bytes) -> None:
            if not dropped and isinstance(message, bytes) and b"cluster-atlas-briefing" in message:
                dropped.append(len(message))
                return
            server.send(message)

        ws.on_message(to_server)

    page.route_web_socket(re.compile(r".*/_stcore/stream"), route)
    open_app(page, "present", lang="en", deck="briefing", present="1")
    page.locator(".slide-footer").first.wait_for(timeout=60_000)
    assert dropped, "the briefing was never sent back"
    assert "2-1" in page.locator(".slide-headline").first.inner_text()
    page.reload()  # and the browser's copy is still there
    page.locator(".slide-footer").first.wait_for(timeout=60_000)
    assert len(dropped) == 1


def test_html_export_works_offline(page, open_app, browser, tmp_path) -> None:  # noqa: ANN001
    _open(page, open_app, lambda p: None, lang="zh")
    with page.expect_download() as info:
        page.get_by_role("button", name="下载离线 HTML").click()
    download = info.value
    assert re.fullmatch(r".+_\d{4}-\d{2}-\d{2}_zh\.html", download.suggested_filename)
    path = tmp_path / "briefing.html"
    download.save_as(path)

    context = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    offline = context.new_page()
    errors: list[str] = []
    offline.on("pageerror", lambda e: errors.append(str(e)))
    offline.goto(path.as_uri())
    slides = offline.locator("section.slide").count()
    charts = offline.locator("section.slide .chart").count()
    assert slides == 8 and charts == 6  # five charts and the cover's key numbers
    drawn = 0
    for n in range(1, slides + 1):
        current = offline.locator("section.slide.on")
        assert current.get_attribute("id") == f"slide-{n}"
        if current.locator(".chart").count():
            current.locator(".chart .main-svg").first.wait_for(timeout=15_000)
            drawn += 1
        if n in (2, 4):
            offline.screenshot(path=str(ARTIFACTS / f"present_offline_html_slide{n}_zh.png"))
        offline.keyboard.press("ArrowRight")
    assert drawn == charts
    assert offline.url.endswith(f"#{slides}")
    assert not errors, errors
    assert [u for u in requests if not u.startswith("file:")] == []
    context.close()


def test_pptx_export_from_the_app(page, open_app, wait_idle) -> None:  # noqa: ANN001
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    _open(page, open_app, wait_idle, lang="en")
    page.get_by_role("button", name="Make PowerPoint").click()
    page.get_by_role("button", name="Download PowerPoint").wait_for(timeout=120_000)
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download PowerPoint").click()
    download = info.value
    assert re.fullmatch(r".+_\d{4}-\d{2}-\d{2}_en\.pptx", download.suggested_filename)
    prs = Presentation(io.BytesIO(Path(download.path()).read_bytes()))
    assert len(prs.slides) == 8
    pictures = [
        s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert len(pictures) == 6


# Toasts over the slide's headline: each visible toast's text and box, where it meets the headline.
_TOASTS_OVER_HEADLINE_JS = """() => {
    const head = document.querySelector('.slide-headline');
    if (!head) return [];
    const h = head.getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="stToast"]')].map(e => {
        const r = e.getBoundingClientRect();
        return {text: e.innerText, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    }).filter(r => r.right > r.left && r.bottom > r.top && r.left < h.right && r.right > h.left
                   && r.top < h.bottom && r.bottom > h.top);
}"""


# Every place a figure or table id ("2-1", "6-2") sits on a drawn slide, at each width of the
# text box from narrow to wide: the lines the id's characters fall on (more than one: the line
# broke at its hyphen, "…(figure 2-" / "1)").
_SPLIT_IDS_JS = """(widths) => {
    const boxes = [...document.querySelectorAll('.slide-headline, .slide-source')];
    const found = [];
    for (const box of boxes) {
        const saved = box.getAttribute('style') || '';
        for (const w of widths) {
            box.setAttribute('style', saved + `;width:${w}px;max-width:${w}px;flex:none`);
            const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
            for (let node = walk.nextNode(); node; node = walk.nextNode()) {
                for (const m of node.data.matchAll(/\\d+-\\d+/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (tops.size > 1) found.push(`${box.className} @${w}px: ${box.innerText}`);
                }
            }
        }
        box.setAttribute('style', saved);
    }
    return found;
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_slide_headline_keeps_figure_ids_whole(
    page, open_app, wait_idle, screenshot, lang: str
) -> None:  # noqa: ANN001
    """A briefing slide of the heatmap ("… · Published (figure 2-1)") in the editor's preview
    and in presenter mode: no line breaks inside "2-1", at any width of the headline."""
    from components.i18n import t

    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, "heatmap", lang=lang, measure="lq")
    page.get_by_role("button", name=t("present.add", lang)).first.click()
    wait_idle(page)
    page.get_by_role("link", name=t("nav.present", lang)).click()
    wait_idle(page)
    page.get_by_text(t("present.deck.briefing", lang, n=1)).click()
    wait_idle(page)
    headline = page.locator(".slide-headline").first
    assert "2-1" in headline.inner_text(), headline.inner_text()
    widths = list(range(160, 1200, 4))
    split = page.evaluate(_SPLIT_IDS_JS, widths)
    screenshot(page, f"present_briefing_preview_1280_{lang}")
    assert not split, split[:3]

    # The presenter slide of the same deck, at both projector sizes.
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        url = urlparse(page.url)
        query = {**dict(parse_qsl(url.query)), "present": "1"}
        page.goto(url._replace(query=urlencode(query)).geturl())
        page.locator(".slide-footer").first.wait_for(timeout=60_000)
        wait_idle(page)
        assert "2-1" in page.locator(".slide-headline").first.inner_text()
        # A new session: the briefing came back from the browser's copy. Nothing pops up over
        # the headline to say so (a toast did, for its first seconds); the presenter is told
        # under the slide.
        _shot(page, f"present_briefing_slide_{width}_{lang}")
        covering = page.evaluate(_TOASTS_OVER_HEADLINE_JS)
        assert not covering, covering
        restored = t("present.restored", lang, n=1)
        assert restored in page.locator('[data-testid="stMain"]').inner_text(), restored
        split = page.evaluate(_SPLIT_IDS_JS, widths)
        assert not split, split[:3]
