"""The map in a real browser, offline: shapes and points drawn, search → click → profile, links.

Screenshots (tests/artifacts): map_zh, map_en, map_profile_zh, map_profile_en, map_hostile.
Where the map starts on the first screen (1280, 1920, a phone) is checked on the page loads of
``test_meeting_browser.py::test_screens_at_meeting_viewports``.
"""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image

from components import map_view as mv
from components.charts import SECTOR_COLORS, hex_to_rgb
from components.data import default_data_dir, load_bundle
from components.i18n import t
from tests.browser.conftest import deck_view

ROOT = Path(__file__).resolve().parents[2]
BASEL = "basel-health-valley"
HOSTILE = "<img src=x onerror=alert(1)>"
CJK = re.compile(r"[\u4e00-\u9fff]")
PROFILE = {"zh": ("诺华", "罗氏", "巴塞尔健康谷生命科学中心"), "en": ("Novartis", "Roche")}


def _deck(page):  # noqa: ANN001, ANN202
    canvas = page.locator("#deckgl-overlay").first
    canvas.wait_for(state="visible", timeout=30_000)
    return canvas


def _pixels(page) -> Image.Image:  # noqa: ANN001
    """The map as the reader sees it (canvas plus tooltip), as an RGB image."""
    png = _deck(page).screenshot()
    return Image.open(io.BytesIO(png)).convert("RGB")


def _near(rgb: tuple[int, ...], target: list[int], tol: int = 12) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(rgb, target, strict=False))


def _wait_drawn(page, timeout_s: float = 20) -> Image.Image:  # noqa: ANN001
    """Wait until the deck has drawn land and at least one cluster colour."""
    deadline = time.monotonic() + timeout_s
    while True:
        img = _pixels(page).resize((160, 140))
        colors = list(img.get_flattened_data())
        land = sum(_near(c, mv.LAND_RGB, 6) for c in colors)
        dots = sum(any(_near(c, hex_to_rgb(h), 30) for h in SECTOR_COLORS.values()) for c in colors)
        if land > 50 and dots > 0:
            return img
        if time.monotonic() > deadline:
            raise AssertionError(f"map not drawn: land={land} dots={dots}")
        page.wait_for_timeout(500)


def _search(page, wait_idle, lang: str, text: str) -> None:  # noqa: ANN001
    box = page.get_by_role("textbox", name=t("filter.search", lang))
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def _click_centre(page, wait_idle) -> None:  # noqa: ANN001
    canvas = _deck(page)
    deck_view(page)  # the view glides to the fitted view
    box = canvas.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)


def _hover_centre(page):  # noqa: ANN001, ANN202
    """Hover the centre of the drawn map (where a fitted single cluster sits); the tooltip."""
    _wait_drawn(page)
    canvas = _deck(page)
    deck_view(page)  # the view glides to the fitted view
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2 - 3, box["y"] + box["height"] / 2)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tip = page.locator(".deck-tooltip")
    tip.wait_for(state="visible", timeout=10_000)
    return tip


def _main_text(page) -> str:  # noqa: ANN001
    return page.locator('[data-testid="stMain"]').inner_text()


# Test-only: the base map's place names as drawn (layer ``labels``: text, font, size, colour and
# centre on the canvas, read from the deck instance in the React tree around the canvas), and
# the same names drawn by a 2D canvas ``fillText`` in that font, size and colour over the land
# colour with a white halo: what crisp labels look like (a PNG data URL the canvas's size).
LABEL_INK_JS = """([land, halo]) => {
  const el = document.querySelector('#deckgl-overlay');
  const key = Object.keys(el).find(k => k.startsWith('__reactFiber'));
  let deck = null;
  for (let f = el[key], i = 0; f && !deck && i < 80; i++, f = f.return) {
    for (let h = f.memoizedState, j = 0; h && !deck && j < 40; j++, h = h.next) {
      const c = h.memoizedState && h.memoizedState.current;
      if (c && c.deck && c.deck.getViewports) deck = c.deck;
    }
  }
  if (!deck) return null;
  const vp = deck.getViewports()[0];
  const layer = deck.props.layers.find(l => l.id === 'labels');
  const box = el.getBoundingClientRect();
  const labels = (layer ? layer.props.data : []).map(r => {
    const [x, y] = vp.project([r.x, r.y]);
    const p = layer.props;
    return {text: r.text, x: x + r.offset[0], y: y + r.offset[1], size: p.getSize,
            font: `${p.fontWeight} ${p.getSize}px ${p.fontFamily}`, color: p.getColor};
  });
  const c = document.createElement('canvas');
  c.width = box.width; c.height = box.height;
  const g = c.getContext('2d');
  g.fillStyle = `rgb(${land})`; g.fillRect(0, 0, c.width, c.height);
  g.textAlign = 'center'; g.textBaseline = 'middle'; g.lineJoin = 'round';
  for (const l of labels) {
    g.font = l.font;
    g.strokeStyle = `rgba(${halo.slice(0, 3)},${halo[3] / 255})`; g.lineWidth = 4;
    g.strokeText(l.text, l.x, l.y);
    g.fillStyle = `rgb(${l.color.slice(0, 3)})`;
    g.fillText(l.text, l.x, l.y);
  }
  return {labels, png: c.toDataURL('image/png')};
}"""
INK_LIGHTNESS = 200  # a pixel darker than this is ink: land (~221), halo and borders are not
# The Chinese names at the Basel view carry at least this share of the reference's ink, each.
# Measured at 1440 px: SDF glyphs with a thin halo (strokes dropped) 0.31-0.64 (荷兰 0.31);
# bitmap glyphs over a wide SDF halo 0.50-0.80 (the reference's halo is a little narrower).
LABEL_INK_MIN = 0.42
REF_HALO_RGBA = [255, 255, 255, 230]  # the reference names' halo: white, 2 px


def _ink(img: Image.Image) -> float:
    """How much dark ink an RGB image carries: the sum of each pixel's darkness below
    ``INK_LIGHTNESS``."""
    return sum(max(0, INK_LIGHTNESS - v) for v in img.convert("L").get_flattened_data())


def _label_ink(page) -> dict[str, float]:  # noqa: ANN001
    """For each base-map name wholly on the map: its ink on the deck canvas over the ink of the
    same name drawn crisply by the 2D canvas (see ``LABEL_INK_JS``), in its box."""
    import base64

    deck_view(page)
    drawn = page.evaluate(LABEL_INK_JS, [mv.LAND_RGB, REF_HALO_RGBA])
    assert drawn and drawn["labels"], "no base-map names found on the deck"
    shot = _pixels(page)
    ref = Image.open(io.BytesIO(base64.b64decode(drawn["png"].split(",")[1]))).convert("RGB")
    assert abs(shot.width - ref.width) <= 1 and abs(shot.height - ref.height) <= 1
    ratios = {}
    for label in drawn["labels"]:
        half_w = label["size"] * (len(label["text"]) + 1) / 2
        half_h = label["size"] * 0.75
        box = tuple(
            round(v)
            for v in (
                label["x"] - half_w,
                label["y"] - half_h,
                label["x"] + half_w,
                label["y"] + half_h,
            )
        )
        if (
            min(box[:2]) < 0
            or box[2] > min(shot.width, ref.width)
            or box[3] > min(shot.height, ref.height)
        ):
            continue
        ratios[label["text"]] = _ink(shot.crop(box)) / max(_ink(ref.crop(box)), 1.0)
    return ratios


def _check_drawn_offline(page, lang: str) -> None:  # noqa: ANN001
    """The plain map: shapes and points drawn offline (ocean, land, at least three sector
    colours), its legend and the borders' source; no error."""
    canvas = _deck(page)
    box = canvas.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    img = _wait_drawn(page)
    colors = list(img.get_flattened_data())
    assert sum(_near(c, mv.OCEAN_RGB, 6) for c in colors) > 200, "no ocean background"
    seen = {
        code
        for code, h in SECTOR_COLORS.items()
        if any(_near(c, hex_to_rgb(h), 30) for c in colors)
    }
    assert len(seen) >= 3, f"too few sector colours drawn: {seen}"
    text = _main_text(page)
    assert t("map.legend", lang) in text
    assert "Natural Earth" in text
    assert page.locator('[data-testid="stException"]').count() == 0


def _label_texts(page, want: str, timeout_s: float = 10) -> list[str]:  # noqa: ANN001
    """The base map's names as drawn (the deck's ``labels`` layer), once ``want`` is among them
    (the labels arrive with the searched view), else as they are after ``timeout_s``."""
    deck_view(page)
    deadline = time.monotonic() + timeout_s
    while True:
        drawn = page.evaluate(LABEL_INK_JS, [mv.LAND_RGB, REF_HALO_RGBA])
        texts = [label["text"] for label in (drawn or {}).get("labels", [])]
        if want in texts or time.monotonic() > deadline:
            return texts
        page.wait_for_timeout(250)


def _check_place_names(page, lang: str) -> None:  # noqa: ANN001
    """The map showing Basel alone (nothing open) names the city beside its dot in the reader's
    language (``place_zh``: 巴塞尔, not Basel), and every Chinese name is Chinese."""
    city = {"zh": "巴塞尔", "en": "Basel"}[lang]
    texts = _label_texts(page, city)
    assert city in texts, texts
    if lang == "zh":
        assert all(CJK.search(x) and not re.search("[A-Za-z]", x) for x in texts), texts


def _check_tooltip(page) -> None:  # noqa: ANN001
    """The English map showing Basel alone: hovering its point shows both names, the country and
    the sector in the tooltip."""
    tip = _hover_centre(page)
    text = tip.inner_text()
    assert "Basel Health Valley" in text and "巴塞尔健康谷生命科学中心" in text
    assert "Switzerland" in text and "Pharmaceuticals" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_search_click_profile_and_link(
    page, browser, base_url, open_app, wait_idle, screenshot, lang: str
) -> None:
    """One page load: the plain map drawn offline (screenshot map_<lang>), then search, the
    tooltip (English), a click on the point opens the profile, the copied link."""
    open_app(page, "map", lang=lang)
    _check_drawn_offline(page, lang)
    screenshot(page, f"map_{lang}")
    _search(page, wait_idle, lang, "Basel")
    total = len(load_bundle(default_data_dir()).clusters)
    assert t("map.count", lang, shown=1, total=total) in _main_text(page)
    _wait_drawn(page)
    _check_place_names(page, lang)
    if lang == "en":
        _check_tooltip(page)
    _click_centre(page, wait_idle)  # the only point, at the centre of the fitted view
    text = _main_text(page)
    for name in PROFILE[lang]:
        assert name in text, name
    params = parse_qs(urlparse(page.url).query)
    assert params.get("cluster") == [BASEL] and params.get("q") == ["Basel"]
    screenshot(page, f"map_profile_{lang}")
    if lang == "zh":  # the base map's Chinese names keep their strokes (this page load)
        ink = _label_ink(page)
        assert len(ink) >= 4, ink
        assert min(ink.values()) >= LABEL_INK_MIN, {k: round(v, 2) for k, v in ink.items()}

    # The copied link opens the same view in a fresh browser context (a new session).
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    other = context.new_page()
    external: list[str] = []

    def guard(route) -> None:  # noqa: ANN001
        host = urlparse(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    other.route("**/*", guard)
    try:
        other.goto(page.url)
        wait_idle(other)
        text = _main_text(other)
        for name in PROFILE[lang]:
            assert name in text, name
        assert other.get_by_role("textbox", name=t("filter.search", lang)).input_value() == "Basel"
        assert not external, external
    finally:
        context.close()

    # The table tab is built when opened (no data grid sent with the map): the one cluster.
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.get_by_role("tab", name=t("map.tab_table", lang)).click()
    page.locator('[data-testid="stDataFrame"]').wait_for(state="visible", timeout=30_000)
    wait_idle(page)
    assert page.get_by_role("button", name=t("common.download_csv", lang)).count() == 1
    assert parse_qs(urlparse(page.url).query).get("tab") == ["table"]  # a link opens the table
    page.get_by_role("tab", name=t("map.tab_map", lang)).click()
    page.locator("#deckgl-overlay").first.wait_for(state="visible", timeout=30_000)
    wait_idle(page)
    assert "tab" not in parse_qs(urlparse(page.url).query)  # the default is left out


# --- hostile data: a separate server on a copy of the data with a hostile name ----------------


@pytest.fixture(scope="module")
def hostile_url(app_server, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN001, ANN201
    """The app on a data copy whose Basel cluster and Novartis carry an HTML payload."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("geo"))
    for name, old, new in [
        (
            "clusters.csv",
            "Basel Health Valley Life Sciences Centre (translation)",
            f"{HOSTILE} Basel & Co",
        ),
        ("organizations.csv", ",Novartis,", f",{HOSTILE} Novartis,"),
    ]:
        path = data / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with app_server(data_dir=data, name="server-hostile") as url:
        yield url


def test_hostile_names_show_as_text(page, hostile_url, wait_idle, screenshot) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{hostile_url}/map?lang=en&q=Basel&cluster={BASEL}")
    wait_idle(page)
    tip = _hover_centre(page)
    assert f"{HOSTILE} Basel & Co" in tip.inner_text()  # shown as text, not double-escaped
    assert tip.locator("img").count() == 0
    main = page.locator('[data-testid="stMain"]')
    assert f"{HOSTILE} Basel & Co" in main.inner_text()
    assert f"{HOSTILE} Novartis" in main.inner_text()
    assert main.locator("img[src=x]").count() == 0
    page.wait_for_timeout(500)
    assert not dialogs, dialogs
    screenshot(page, "map_hostile")
