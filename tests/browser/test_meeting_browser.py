"""The five defects users met in a meeting room (issue 13), each tried as the user did.

1. Every page's documented URL opens that page (``/overview`` too).
2. Switching language keeps the heatmap's radio selection.
3. A click on the map opens the cluster under the pointer, the one the tooltip names.
4. Filters, settings and the open profile survive moving between pages and browser Back.
5. The map is sized to the screen and its first view shows every cluster, at 1920×1080,
   1280×720 and on a 390×844 phone.

Screenshots (tests/artifacts): map_fit_<viewport>_<lang> (5, checked inside
``test_screens_at_meeting_viewports``, which loads the map at each viewport anyway), and from the
same page loads map_first_screen_<1280|1920>_<lang> and map_head_phone_<lang> (where the map
starts; the head on a phone) and heatmap_deeplink_<1280|1920>_<lang> (a cell's deep link).
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlparse

import pytest

from components import map_view as mv
from components.data import default_data_dir, load_bundle
from components.heatmap_charts import cell_links
from components.i18n import t
from components.matrices import reconciliation
from components.registry import DEFAULT_PAGE
from tests.browser.conftest import (
    _offline_guard,
    _wait_idle,
    click_deck,
    current_page_title,
    deck_view,
    not_found_dialog,
)

BRAZIL_AERO = "brazil-aerospace"
RIO = "rio-de-janeiro-energy"


def _params(page) -> dict[str, str]:  # noqa: ANN001
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _main_text(page) -> str:  # noqa: ANN001
    return page.locator('[data-testid="stMain"]').inner_text()


def _sidebar(page):  # noqa: ANN001, ANN202
    return page.locator('[data-testid="stSidebar"]')


def _nav(page, wait_idle, url_path: str, lang: str = "en") -> None:  # noqa: ANN001
    """Click a page in the sidebar navigation, as a user does."""
    _sidebar(page).get_by_role("link", name=t(f"nav.{url_path}", lang), exact=True).click()
    wait_idle(page)


# --- 1. every documented URL opens its page ------------------------------------------------------


@pytest.fixture(scope="session")
def routed_url(browser, base_url: str) -> str:  # noqa: ANN001
    """The session's server once it has run ``st.navigation`` (it has served ``/``): not fresh.
    Loaded once per worker, not before every page."""
    external: list[str] = []
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        pg = context.new_page()
        pg.route("**/*", _offline_guard(external))
        pg.goto(f"{base_url}/?lang=en")
        _wait_idle(pg)
    finally:
        context.close()
    assert not external, f"requests left localhost: {external[:5]}"
    return base_url


def test_default_page_url_opens_that_page(page, routed_url, wait_idle) -> None:  # noqa: ANN001
    """``/overview`` (documented) opens the default page, which Streamlit serves at ``/`` only.
    Every other page's URL: ``test_pages_browser.py::test_page_loads_without_exception``."""
    spec = DEFAULT_PAGE
    page.goto(f"{routed_url}/{spec.url_path}?lang=en")
    wait_idle(page)
    assert not not_found_dialog(page), f"/{spec.url_path} shows 'Page not found'"
    assert current_page_title(page) == t(spec.title_key, "en")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert _params(page).get("lang") == "en"


def test_root_opens_the_default_page(page, base_url, wait_idle) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/?lang=en")
    wait_idle(page)
    assert not not_found_dialog(page)
    assert current_page_title(page) == t(DEFAULT_PAGE.title_key, "en")


# --- 2. language switch keeps the radio selection ------------------------------------------------


def _checked(page, label: str) -> bool:  # noqa: ANN001
    return page.get_by_role("radio", name=label, exact=True).is_checked()


def test_language_switch_keeps_heatmap_radios(page, open_app, wait_idle) -> None:
    open_app(page, "heatmap", lang="en", source="named", measure="lq")
    assert _checked(page, t("heatmap.source.named", "en"))
    assert _checked(page, t("heatmap.measure.lq", "en"))
    _sidebar(page).get_by_text("中文", exact=True).click()
    wait_idle(page)
    assert _checked(page, t("heatmap.source.named", "zh")), "source radio lost its selection"
    assert _checked(page, t("heatmap.measure.lq", "zh")), "measure radio lost its selection"
    # The next click changes only what was clicked.
    page.get_by_text(t("heatmap.measure.share_continent", "zh"), exact=True).click()
    wait_idle(page)
    params = _params(page)
    assert params.get("source") == "named" and params.get("measure") == "share_continent"
    assert _checked(page, t("heatmap.source.named", "zh"))


# --- 3. the click opens the cluster under the pointer --------------------------------------------


def _canvas(page):  # noqa: ANN001, ANN202
    canvas = page.locator("#deckgl-overlay").first
    canvas.wait_for(state="visible", timeout=30_000)
    return canvas


def _centre(page) -> tuple[float, float]:  # noqa: ANN001
    """The centre of the map once its view has settled. On a loaded machine the size probe's
    late report can rerun the page and replace the deck's canvas under the locator ("not
    attached to the DOM", seen under load average ~18): wait for that run and look again."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        try:
            canvas = _canvas(page)
            canvas.scroll_into_view_if_needed()
            deck_view(page)  # the view glides to the fitted view
            box = canvas.bounding_box()
            return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        except PlaywrightError as err:
            if "not attached" not in str(err) or attempt == 2:
                raise
            _wait_idle(page)
    raise AssertionError("unreachable")


def _tooltip_at(page, x: float, y: float) -> str:  # noqa: ANN001
    page.mouse.move(x - 3, y)
    page.mouse.move(x, y)
    tip = page.locator(".deck-tooltip")
    tip.wait_for(state="visible", timeout=10_000)
    return tip.inner_text()


def _search(page, wait_idle, text: str) -> None:  # noqa: ANN001
    box = page.get_by_role("textbox", name=t("filter.search", "en"))
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def test_click_opens_the_cluster_the_tooltip_names(page, open_app, wait_idle) -> None:
    bundle = load_bundle(default_data_dir())
    names = dict(zip(bundle.clusters["cluster_id"], bundle.clusters["name_en"], strict=True))
    open_app(page, "map", lang="en", q="Brazilian Aerospace")
    x, y = _centre(page)
    assert names[BRAZIL_AERO] in _tooltip_at(page, x, y)
    click_deck(page, x, y, lambda: _params(page).get("cluster") is not None)
    wait_idle(page)
    assert _params(page).get("cluster") == BRAZIL_AERO

    # The filters change under the open profile: it stays, whatever the map shows.
    _search(page, wait_idle, "")
    assert _params(page).get("cluster") == BRAZIL_AERO
    _search(page, wait_idle, "Rio de Janeiro")
    assert _params(page).get("cluster") == BRAZIL_AERO, "the profile changed without a click"

    # Hover and click the one cluster now drawn: the click opens what the tooltip names.
    x, y = _centre(page)
    assert names[RIO] in _tooltip_at(page, x, y)
    click_deck(page, x, y, lambda: _params(page).get("cluster") != BRAZIL_AERO)
    wait_idle(page)
    assert _params(page).get("cluster") == RIO, "the click did not open the hovered cluster"
    assert names[RIO] in _main_text(page)


# The part of the hovered tooltip no ancestor clips ([left, top, right, bottom], page pixels),
# beside its whole box.
_TOOLTIP_SHOWN_JS = """() => {
  const tip = document.querySelector('.deck-tooltip');
  const r = tip.getBoundingClientRect();
  const shown = [r.left, r.top, r.right, r.bottom];
  for (let e = tip.parentElement; e; e = e.parentElement) {
    const s = getComputedStyle(e), q = e.getBoundingClientRect();
    if (s.overflowX !== 'visible') { shown[0] = Math.max(shown[0], q.left);
                                     shown[2] = Math.min(shown[2], q.right); }
    if (s.overflowY !== 'visible') { shown[1] = Math.max(shown[1], q.top);
                                     shown[3] = Math.min(shown[3], q.bottom); }
  }
  return {box: [r.left, r.top, r.right, r.bottom], shown};
}"""


def _on_screen(page, lon: float, lat: float) -> tuple[float, float]:  # noqa: ANN001
    """Where deck.gl draws (lon, lat): the app's own Web Mercator (``map_frame.world_px``) from
    the settled view and the canvas's box."""
    from components.map_frame import world_px

    view = deck_view(page)
    box = _canvas(page).bounding_box()
    x, y = world_px(lon, lat, view["zoom"])
    x0, y0 = world_px(view["longitude"], view["latitude"], view["zoom"])
    return box["x"] + box["width"] / 2 + x - x0, box["y"] + box["height"] / 2 + y - y0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_tooltip_near_the_maps_edge_is_shown_whole(page, open_app, screenshot, lang) -> None:  # noqa: ANN001
    """Asia's map: its east-most cluster (Fukushima) sits by the map's right edge; its tooltip
    reaches beyond the map and is shown whole, over the profile column. It was cut at the map's
    edge ("…Centre (translatio", seen in a CI screenshot): Streamlit's box around the deck hid
    what overflowed it."""
    clusters = load_bundle(default_data_dir()).clusters.set_index("cluster_id")
    east = clusters.loc["fukushima-renewable-energy"]
    open_app(page, "map", lang=lang, continent="AS")
    _centre(page)
    x, y = _on_screen(page, east.lon, east.lat)
    right = _canvas(page).bounding_box()
    right = right["x"] + right["width"]
    assert right - 60 < x < right, (x, right)
    assert east[f"name_{lang}"] in _tooltip_at(page, x, y)
    seen = page.evaluate(_TOOLTIP_SHOWN_JS)
    screenshot(page, f"map_tooltip_edge_{lang}")
    assert seen["box"][2] > right + 100, seen  # it does reach beyond the map
    assert [round(v) for v in seen["shown"]] == [round(v) for v in seen["box"]], seen


# --- 4. state survives page switches and Back ----------------------------------------------------


def test_filters_and_profile_survive_moving_between_pages(page, open_app, wait_idle) -> None:
    clusters = load_bundle(default_data_dir()).clusters
    pick = clusters[(clusters["continent"] == "EU") & (clusters["sector"] == "biomed")].iloc[0]
    open_app(page, "map", lang="en", continent="EU", sector="biomed", cluster=pick.cluster_id)
    assert pick.name_en in _main_text(page)

    _nav(page, wait_idle, "heatmap")
    page.get_by_text(t("heatmap.measure.lq", "en"), exact=True).click()
    wait_idle(page)
    assert _params(page).get("measure") == "lq"

    _nav(page, wait_idle, "map")
    params = _params(page)
    assert params.get("continent") == "EU" and params.get("sector") == "biomed", params
    assert params.get("cluster") == pick.cluster_id, params
    assert pick.name_en in _main_text(page)

    _nav(page, wait_idle, "heatmap")
    assert _params(page).get("measure") == "lq"
    assert _checked(page, t("heatmap.measure.lq", "en"))


def test_back_from_a_drill_down_link_restores_the_heatmap(page, open_app, wait_idle) -> None:
    open_app(page, "heatmap", lang="en", measure="lq", cell="biomed.EU")
    heading = t(
        "heatmap.cell.heading",
        "en",
        sector=t("sector.biomed", "en"),
        continent=t("continent.EU", "en"),
    )
    assert heading in _main_text(page)
    link = page.locator('[data-testid="stPageLink"] a').first
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url("**/map**", timeout=20_000)
    wait_idle(page)
    assert _params(page).get("cluster")
    toasts_before = page.locator('[data-testid="stToast"]').count()

    page.go_back()
    page.wait_for_url("**/heatmap**", timeout=20_000)
    wait_idle(page)
    params = _params(page)
    assert params.get("measure") == "lq" and params.get("cell") == "biomed.EU", params
    assert heading in _main_text(page)
    toasts = page.locator('[data-testid="stToast"]')
    texts = [toasts.nth(i).inner_text() for i in range(toasts.count())]
    assert not any("cluster" in x for x in texts), texts
    assert toasts.count() <= toasts_before


# --- 5. the map fits the screen ------------------------------------------------------------------


def _project(view: dict, lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator pixel offset of (lon, lat) from the view centre, as deck.gl draws it."""

    def merc(lo: float, la: float) -> tuple[float, float]:
        la = max(-85.0511, min(85.0511, la))
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2
        return (lo + 180) / 360 * 512, y * 512

    scale = 2 ** view["zoom"]
    cx, cy = merc(view["longitude"], view["latitude"])
    px, py = merc(lon, lat)
    return (px - cx) * scale, (py - cy) * scale


def _check_map_fits(page, viewport_shot, size: str, lang: str) -> None:  # noqa: ANN001
    """The map just opened (its first view) fills the screen and shows every cluster; the
    tooltip of the most isolated dot is under it. Run by ``test_screens_at_meeting_viewports``
    on its plain map view, so the map is loaded once per viewport and language."""
    canvas = _canvas(page)
    canvas.scroll_into_view_if_needed()
    view = deck_view(page)
    box = canvas.bounding_box()
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    if size == "phone":
        assert box["width"] >= 0.85 * vw, box
    else:
        # The rest of the first screen under the page's head (at 1280×720: 400 of 720 px, the
        # map ending within the screen; _check_map_first_screen checks where it starts and ends).
        assert box["height"] >= 0.55 * vh, f"map {box['height']:.0f} px high on a {vh} px screen"

    points = mv.jitter_duplicates(load_bundle(default_data_dir()).clusters)
    offsets = [_project(view, x, y) for x, y in zip(points["x"], points["y"], strict=True)]
    half_w, half_h, margin = box["width"] / 2, box["height"] / 2, 5
    outside = [
        cid
        for cid, (dx, dy) in zip(points["cluster_id"], offsets, strict=True)
        if abs(dx) > half_w - margin or abs(dy) > half_h - margin
    ]
    assert not outside, f"{len(outside)} clusters at or past the edge: {outside[:8]}"
    span_x = max(dx for dx, _ in offsets) - min(dx for dx, _ in offsets)
    span_y = max(dy for _, dy in offsets) - min(dy for _, dy in offsets)
    fill = max(span_x / box["width"], span_y / box["height"])
    assert fill >= 0.75, f"the clusters fill only {fill:.0%} of the map (white bands)"

    # The projection is the one drawn: the tooltip of the most isolated dot is under it.
    def nearest(i: int) -> float:
        return min(math.dist(offsets[i], o) for j, o in enumerate(offsets) if j != i)

    lone = max(range(len(offsets)), key=nearest)
    dx, dy = offsets[lone]
    canvas.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the fixed header
    page.wait_for_timeout(200)
    box = canvas.bounding_box()
    x, y = box["x"] + half_w + dx, box["y"] + half_h + dy
    assert 80 < y < vh, "the checked cluster is off screen"
    assert points.iloc[lone][f"name_{lang}"] in _tooltip_at(page, x, y)
    page.mouse.move(1, 1)
    viewport_shot(page, f"map_fit_{size}_{lang}")


# --- where the map starts; a cell's deep link (on the viewports' page loads) ---------------------

MAP_TOP_MAX = 0.45  # the map starts within this share of the first screen
MAP_MIN_HEIGHT = 360  # px: at least half a 720 px screen
MAP_GAP_MAX = 48  # px: the map ends this close to the bottom of the first screen, or closer
ZOOM_KEYS = ("map_zoom_in", "map_zoom_out", "map_zoom_all")


def _zoom_bar_tops(page) -> list[float]:  # noqa: ANN001
    """The tops of the map's three zoom buttons (equal: one row)."""
    return [page.locator(f".st-key-{key} button").first.bounding_box()["y"] for key in ZOOM_KEYS]


def _check_map_first_screen(page, viewport_shot, size: str, lang: str) -> None:  # noqa: ANN001
    """At 1280 and 1920, the map just opened and not scrolled: what sits above the map (title,
    intro, filters, counts) leaves the map in the upper part of the first screen, and the map
    ends within that screen without a wide gap under it (``map_frame.ABOVE_MAP``); the zoom
    buttons beside it sit on one row (they wrapped onto two at 1280 in English); the filters,
    the count, the source line and the note on the unnamed clusters are all still on the
    page."""
    canvas = _canvas(page)
    deck_view(page)
    box = canvas.bounding_box()
    vh = page.viewport_size["height"]
    viewport_shot(page, f"map_first_screen_{size}_{lang}")
    assert page.evaluate("() => window.scrollY") == 0
    assert box["y"] <= MAP_TOP_MAX * vh, f"the map starts at y={box['y']:.0f} of {vh} px"
    assert box["height"] >= MAP_MIN_HEIGHT, f"the map is only {box['height']:.0f} px high"
    tops = _zoom_bar_tops(page)
    assert max(tops) - min(tops) < 2, f"the zoom buttons wrap: tops {tops}"
    bottom = box["y"] + box["height"]
    assert bottom <= vh, f"the map runs {bottom - vh:.0f} px past the first screen"
    assert vh - bottom <= MAP_GAP_MAX, f"{vh - bottom:.0f} px left free under the map"
    for key in ("filter.continent", "filter.country", "filter.sector", "filter.search"):
        label = t(key, lang)
        assert (
            page.get_by_text(label, exact=True).count()
            or page.get_by_role("textbox", name=label).count()
        ), f"filter {key} is gone"
    bundle = load_bundle(default_data_dir())
    text = _main_text(page)
    total = len(bundle.clusters)
    assert f"{total}" in text  # the count
    assert t("map.source_geo", lang) in text.replace("\n", " ")
    notes = mv.unnamed_notes(reconciliation(bundle), lang)
    assert notes, "the data has unnamed clusters: the map page says so"
    for note in notes:
        assert note in text, note


def _check_map_head_on_a_phone(page, viewport_shot, lang: str) -> None:  # noqa: ANN001
    """On a phone the count and the intro go under the title, full width (side by side they
    were squeezed into a narrow, tall column next to it); the zoom buttons sit on one row."""
    _canvas(page)
    main = page.locator('[data-testid="stMain"]')
    title = main.locator("h1").first.bounding_box()
    total = len(load_bundle(default_data_dir()).clusters)
    count = main.get_by_text(t("map.count", lang, shown=total, total=total)).first.bounding_box()
    viewport_shot(page, f"map_head_phone_{lang}")
    assert count["y"] > title["y"] + title["height"] / 2, (title, count)  # under, not beside
    assert abs(count["x"] - title["x"]) < 4, (title, count)
    tops = _zoom_bar_tops(page)
    assert max(tops) - min(tops) < 2, f"the zoom buttons wrap: tops {tops}"


# Each of the selected cell's links to the map (the drawn copy: a link with help text has a
# hidden twin): how wide its label's text is and how wide the label is drawn, and its right edge
# next to its column's (a label cut at the column's edge, or ellipsised, has text wider than its
# box).
_CLIPPED_LINKS_JS = """() => [...document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stPageLink"] a')]
    .filter(a => a.getBoundingClientRect().width > 0)
    .map(a => {
        const text = a.querySelector('[data-testid="stMarkdownContainer"]');
        const label = text ? text.parentElement : a;
        const column = a.closest('[data-testid="stColumn"], [data-testid="stMain"]');
        return {text: label.innerText.trim(), scroll: label.scrollWidth, client: label.clientWidth,
                right: label.getBoundingClientRect().right,
                edge: column.getBoundingClientRect().right};
    })"""


def _check_cell_deep_link(page, viewport_shot, size: str, lang: str, cell: str) -> None:  # noqa: ANN001
    """A shared link with ``?cell=`` opens with the selected cell's heading on screen (it used to
    leave the window scrolled down to the country heatmap, past the section the link is about),
    and the cell's clusters listed in full: long names wrap instead of being cut at the column's
    edge ("… (MedicalMountains) · Ge"). The heatmap just opened, not scrolled by the test."""
    sector, continent = cell.split(".")
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=20_000)
    page.wait_for_timeout(1500)  # any late scroll (smooth scrolling, a rerun's) has happened
    heading_text = t(
        "heatmap.cell.heading",
        lang,
        sector=t(f"sector.{sector}", lang),
        continent=t(f"continent.{continent}", lang),
    )
    heading = page.locator('[data-testid="stMain"] h2', has_text=heading_text).first
    box = heading.bounding_box()
    assert box, "the selected cell's heading is not drawn"
    vh = page.viewport_size["height"]
    scrolled = page.evaluate(
        "() => (document.querySelector('[data-testid=\"stMain\"]') || {}).scrollTop || "
        "window.scrollY"
    )
    viewport_shot(page, f"heatmap_deeplink_{size}_{lang}")
    assert 0 <= box["y"] and box["y"] + box["height"] <= vh, (
        f"the cell heading is at y={box['y']:.0f} on a {vh} px screen (scrolled {scrolled} px)"
    )

    links = page.evaluate(_CLIPPED_LINKS_JS)
    expected = cell_links(load_bundle(), sector, continent, lang)
    assert len(links) == len(expected), (len(links), len(expected))
    clipped = [
        f"{link['text']!r}: text {link['scroll']} px in {link['client']} px, "
        f"right edge {link['right']:.0f} > column {link['edge']:.0f}"
        for link in links
        if link["scroll"] > link["client"] + 1 or link["right"] > link["edge"] + 1
    ]
    assert not clipped, clipped[:3]


# --- screenshots at the meeting-room viewports ----------------------------------------------------

# The cell: long English names ("… Cluster (MedicalMountains)"), for the deep link's check.
SHOTS = [
    ("overview", {}),
    ("map", {}),
    ("map", {"cluster": "gyeonggi-semiconductor", "zoom": "3"}),
    ("heatmap", {"measure": "lq", "cell": "biomed.EU"}),
]


def _drawn(page) -> None:  # noqa: ANN001
    """Every plotly chart has drawn its SVG and the map (if any) has stopped gliding."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.js-plotly-plot')]
                   .every(p => p.querySelector('.main-svg'))""",
        timeout=30_000,
    )
    if page.locator("#deckgl-overlay").count():
        deck_view(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", ["1920", "1280", "phone"])
def test_screens_at_meeting_viewports(
    sized_page, base_url, wait_idle, viewport_shot, screenshot, size: str, lang: str
) -> None:
    """Every page (and the views with a profile or a cell open) at each viewport, no error;
    viewport and full-page screenshots to look at: screen_<size>_<lang>_<n>[_full]. On the
    plain map just opened, where the map starts on the first screen (1280, 1920) or how its head
    stacks (phone), then defect 5: the map fills the screen and shows every cluster
    (map_fit_<size>_<lang>). On the heatmap opened with a cell (1280, 1920): the deep link
    shows that cell's section, its links whole."""
    page = sized_page(size)
    for n, (path, params) in enumerate(SHOTS):
        query = "&".join(f"{k}={v}" for k, v in {"lang": lang, **params}.items())
        page.goto(f"{base_url}/{path}?{query}")
        wait_idle(page)
        _drawn(page)
        assert page.locator('[data-testid="stException"]').count() == 0, (path, params)
        assert not not_found_dialog(page)
        if "measure" in params:  # the URL's choice is what the radio shows (not its default)
            assert _checked(page, t(f"heatmap.measure.{params['measure']}", lang))
        viewport_shot(page, f"screen_{size}_{lang}_{n}")
        if path == "map" and not params:
            if size == "phone":
                _check_map_head_on_a_phone(page, viewport_shot, lang)
            else:
                _check_map_first_screen(page, viewport_shot, size, lang)
            _check_map_fits(page, viewport_shot, size, lang)  # 5: every cluster in view
        if "cell" in params and size != "phone":
            _check_cell_deep_link(page, viewport_shot, size, lang, params["cell"])
        if size != "phone":
            screenshot(page, f"screen_{size}_{lang}_{n}_full")
