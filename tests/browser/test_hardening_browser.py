"""Hostile links and hostile uploads in a real browser: nothing executes, no link appears, the
text shows literally; an upload is visible only in the session that made it.

Screenshots (tests/artifacts): hardening_<page>_<lang>, hardening_data_<lang>_<width>,
hardening_notice, hardening_map_tooltip.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from components.data import load_bundle
from components.i18n import t
from components.registry import PAGES
from tests.browser.conftest import deck_view

WJ = "\u2060"  # the word joiner the app puts into addresses and deck expressions
PAYLOADS = {
    "qx-img": (
        "<img src=x onerror=alert(1)>Qximg中文",
        '<img src=x onerror="window.__pwned=1">Qximg',
    ),
    "qx-iframe": (
        '<iframe srcdoc="<script>parent.__pwned=2</script>"></iframe>Qxiframe',
        '<iframe srcdoc="<script>parent.__pwned=3</script>"></iframe>Qxiframe',
    ),
    "qx-md": (
        "**粗体** [链接](javascript:alert(1)) Qxmd",
        "[Session expired - sign in](https://evil.example/login) www.evil.example "
        ":red[**HACKED**] $$x^2$$ Qxmd",
    ),
    "qx-deck": ("@@#Math", "@@=name_zh"),
}
CELL = ("consumer", "EU")  # every hostile row is a European consumer-goods cluster
PLACES = [(48.37, 10.89), (49.45, 11.07), (51.33, 12.38), (50.97, 11.03)]  # German cities


def _hostile_csv(path: Path) -> Path:
    """A cluster file (add mode) whose text columns carry HTML, markdown and deck payloads."""
    base = load_bundle().clusters
    columns = list(base.columns)
    template = base[base["country"] == "DEU"].iloc[0].to_dict()
    rows = []
    for (cid, (zh, en)), (lat, lon) in zip(PAYLOADS.items(), PLACES, strict=True):
        row = dict(template)
        row.update(
            cluster_id=cid,
            annex_no="",
            name_zh=zh,
            name_en=en,
            continent=CELL[1],
            country="DEU",
            sector=CELL[0],
            field_zh="消费品领域",
            lead_industry_zh=f"{zh} 产业",
            lead_industry_en="javascript:alert(1) <b>bold</b> @@=console",
            place_en="<svg onload=alert(1)> https://evil.example",
            place_zh="<svg onload=alert(2)> 地点 https://evil.example",
            lat=lat,
            lon=lon,
            source_ref="table 2-10",
            derived_fields="",
        )
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _hostile_csv(tmp_path_factory.mktemp("upload") / "hostile clusters.csv")


def _main(page):  # noqa: ANN001, ANN202
    return page.locator('[data-testid="stMain"]')


def _text(page) -> str:  # noqa: ANN001
    return _main(page).inner_text().replace(WJ, "")


def _watch(page) -> list[str]:  # noqa: ANN001
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def _assert_inert(page, dialogs: list[str], base_url: str) -> None:  # noqa: ANN001
    """Nothing ran, nothing was injected, no link leaves the app."""
    page.wait_for_timeout(300)
    assert not dialogs, dialogs
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator("img[src='x'], img[src=x]").count() == 0
    assert page.locator("iframe[srcdoc], svg[onload]").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    host = urlparse(base_url).netloc
    # Every link's address in one call (the page has a few dozen links; one call each was 1.5 s
    # of the hostile walk).
    for href in page.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href') || '')"):
        parsed = urlparse(href)
        assert parsed.scheme in ("", "http", "https"), href
        assert parsed.netloc in ("", host), href
        assert "evil" not in href, href


def _upload(page, wait_idle, path: Path, lang: str = "en", n: int = 4) -> None:  # noqa: ANN001
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    page.get_by_role("button", name=t("data.upload.use", lang, n=n)).wait_for(timeout=30_000)
    wait_idle(page)
    page.get_by_role("button", name=t("data.upload.use", lang, n=n)).click()
    wait_idle(page)
    assert t("data.banner.reset", lang) in page.locator('[data-testid="stMain"]').inner_text()


def _nav(page, wait_idle, url_path: str, lang: str) -> None:  # noqa: ANN001
    """Go to a page through the sidebar (a client-side switch: the session is kept)."""
    spec = next(s for s in PAGES if s.url_path == url_path)
    sidebar = page.locator('[data-testid="stSidebarNav"]')
    sidebar.get_by_text(t(spec.title_key, lang), exact=True).first.click()
    wait_idle(page)


def _search(page, wait_idle, lang: str, text: str) -> None:  # noqa: ANN001
    box = page.get_by_role("textbox", name=t("filter.search", lang))
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def _centre(page, click: bool, wait_idle) -> None:  # noqa: ANN001
    canvas = page.locator("#deckgl-overlay").first
    canvas.wait_for(state="visible", timeout=30_000)
    deck_view(page)  # the view glides to the fitted single point
    box = canvas.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 3, y)
    page.mouse.move(x, y)
    if click:
        page.mouse.click(x, y)
        wait_idle(page)


def _click_cell(page, sector: str, continent: str) -> None:  # noqa: ANN001
    from components.vocab import CONTINENTS, SECTORS

    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    x = box["x"] + (CONTINENTS.index(continent) + 0.5) * box["width"] / (len(CONTINENTS) + 1)
    y = box["y"] + (SECTORS.index(sector) + 0.5) * box["height"] / (len(SECTORS) + 1)
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_upload_is_inert_on_every_page(
    page, open_app, wait_idle, wait_text, screenshot, base_url, hostile_file, lang: str
) -> None:
    dialogs = _watch(page)
    open_app(page, "data", lang=lang)
    _upload(page, wait_idle, hostile_file, lang)
    _assert_inert(page, dialogs, base_url)
    shipped = len(load_bundle().clusters)

    for spec in PAGES:  # every page of the registry, reached through the sidebar
        _nav(page, wait_idle, spec.url_path, lang)
        _assert_inert(page, dialogs, base_url)
        text = _main(page).inner_text()
        assert t("data.banner.reset", lang) in text, f"no custom-data banner on {spec.url_path}"
        screenshot(page, f"hardening_{spec.url_path}_{lang}")

        if spec.url_path == "map":
            assert t("map.count", lang, shown=shipped + 4, total=shipped + 4) in text
            for cid, (zh, en) in PAYLOADS.items():
                name = zh if lang == "zh" else en
                token = {"qx-deck": "@@=name_zh"}.get(cid, name.split()[-1].split(">")[-1])
                _search(page, wait_idle, lang, token)
                _centre(page, click=True, wait_idle=wait_idle)  # opens the profile
                tip = page.locator(".deck-tooltip")
                page.mouse.move(1, 1)
                _assert_inert(page, dialogs, base_url)
                body = _text(page)
                assert name in body, (cid, body[:400])  # the profile shows the name literally
                if cid == "qx-deck":
                    _centre(page, click=False, wait_idle=wait_idle)
                    tip.wait_for(state="visible", timeout=10_000)
                    tip_text = tip.inner_text().replace(WJ, "")
                    assert "@@=name_zh" in tip_text and "@@#Math" in tip_text, tip_text
                    assert "function" not in tip_text
                    screenshot(page, f"hardening_map_tooltip_{lang}")
            _search(page, wait_idle, lang, "")

        if spec.url_path == "heatmap":
            page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=20_000)
            _click_cell(page, *CELL)
            page.wait_for_url(f"**cell={CELL[0]}.{CELL[1]}**", timeout=20_000)
            wait_idle(page)
            wait_text(page, *[zh if lang == "zh" else en for zh, en in PAYLOADS.values()])
            _assert_inert(page, dialogs, base_url)
            screenshot(page, f"hardening_heatmap_drill_{lang}")


def test_an_upload_is_invisible_to_another_session(
    browser, page, open_app, wait_idle, base_url, hostile_file
) -> None:
    open_app(page, "data", lang="en")
    _upload(page, wait_idle, hostile_file)
    _nav(page, wait_idle, "map", "en")
    shipped = len(load_bundle().clusters)
    assert t("map.count", "en", shown=shipped + 4, total=shipped + 4) in _text(page)

    other_context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        other = other_context.new_page()
        other.goto(f"{base_url}/map?lang=en")
        wait_idle(other)
        text = other.locator('[data-testid="stMain"]').inner_text()
        assert t("map.count", "en", shown=shipped, total=shipped) in text
        assert t("data.banner.reset", "en") not in text
        assert "Qx" not in text
    finally:
        other_context.close()

    # The first session goes back to the report's data with the banner's button.
    page.get_by_role("button", name=t("data.banner.reset", "en")).click()
    wait_idle(page)
    text = _text(page)
    assert t("data.banner.reset", "en") not in text
    assert t("map.count", "en", shown=shipped, total=shipped) in text


def test_crafted_links_show_literal_text_once(page, base_url, wait_idle, screenshot) -> None:
    dialogs = _watch(page)
    phishing = "[Session expired - sign in again](https://evil.example/login)"
    junk = "&".join(f"junk{i}=https://evil.example/{i}" for i in range(60))
    page.goto(f"{base_url}/?{quote(phishing)}=1&lang={quote(':red[**HACKED**] $$x$$')}&{junk}")
    toasts = page.locator('[data-testid="stToast"]')
    toasts.first.wait_for(timeout=60_000)  # a toast stays a few seconds: look at once
    page.mouse.move(10, 10)
    assert toasts.count() == 1, "one notice for every ignored parameter"
    text = toasts.first.inner_text().replace(WJ, "")
    assert "[Session expired - sign in ag…=1" in text  # name shortened, shown literally
    assert ":red[**HACKED**]" in text
    assert re.search(r"and \d+ more|另有 \d+ 个", text), text
    assert toasts.first.locator("a, .katex, span[style*='color']").count() == 0
    page.screenshot(path=str(Path(__file__).parents[1] / "artifacts" / "hardening_notice.png"))
    wait_idle(page)
    _assert_inert(page, dialogs, base_url)

    value = "Session expired, re-login at https://evil.example/x or www.evil.example"
    page.goto(f"{base_url}/map?lang=en&cluster={quote(value)}")
    wait_idle(page)
    assert "re-login at https://evil.example/x" in _text(page)
    _assert_inert(page, dialogs, base_url)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_page_screenshots(page, open_app, wait_idle, screenshot, lang: str) -> None:
    """At 1920 px wide, then on the same page load at 1280 (the data page has no size probe:
    the page reflows without a rerun)."""
    for n, width in enumerate((1920, 1280)):
        page.set_viewport_size({"width": width, "height": 1000})
        if n == 0:
            open_app(page, "data", lang=lang)
        else:  # every plotly figure redrawn at its container's new width
            page.wait_for_function(
                """() => [...document.querySelectorAll('.js-plotly-plot')].every(p => {
                    const svg = p.querySelector('.main-svg');
                    return svg && Math.abs(svg.getBoundingClientRect().width
                                           - p.getBoundingClientRect().width) < 2; })""",
                timeout=30_000,
            )
            wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator(".js-plotly-plot").count() == 1
        text = _main(page).inner_text()
        assert t("data.upload.heading", lang) in text and t("data.tables.schema", lang) in text
        screenshot(page, f"hardening_data_{lang}_{width}")


@pytest.mark.parametrize(("lang", "width"), [("zh", 1280), ("en", 1920)])
def test_upload_report_lists_invalid_rows(
    page, open_app, wait_idle, screenshot, tmp_path: Path, lang: str, width: int
) -> None:
    path = _hostile_csv(tmp_path / "mixed.csv")
    rows = path.read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace(",48.37,", ",91,")  # lat out of range
    rows[2] = rows[2].replace(",DEU,", ",ZZZ,")  # unknown country
    rows[3] = rows[3].replace(",51.33,12.38,", ",12.38,51.33,")  # swapped: a warning, kept
    path.write_text("\n".join(rows) + "\n", encoding="gb18030")  # what Excel in China writes
    page.set_viewport_size({"width": width, "height": 1000})
    open_app(page, "data", lang=lang)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    use = page.get_by_role("button", name=t("data.upload.use", lang, n=2))
    use.wait_for(timeout=30_000)
    wait_idle(page)
    text = _text(page)
    summary = t("data.upload.summary", lang, file="mixed.csv", rows=4, valid=2, invalid=2,
                warnings=1)  # fmt: skip
    assert summary in text, text[-1500:]
    for key in ("data.upload.download_problems", "data.upload.download_invalid"):
        assert page.get_by_role("button", name=t(key, lang)).count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    use.scroll_into_view_if_needed()
    screenshot(page, f"hardening_upload_report_{lang}_{width}")


def test_table_downloads_in_the_browser(page, open_app) -> None:
    import io

    from openpyxl import load_workbook

    from components.upload import COLUMNS

    open_app(page, "data", lang="en")
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=t("data.tables.download_xlsx", "en")).first.click()
    download = info.value
    assert download.suggested_filename == "clusters_en.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS) and len(rows) == len(load_bundle().clusters) + 1
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=t("data.tables.template_csv", "en")).click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").strip() == ",".join(
        COLUMNS
    )
