"""PPTX and offline HTML exports of a deck: structure, fonts, notes, nothing fetched."""

from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from components import briefing as bf
from components import pptx_export as px
from components.data import load_bundle
from components.html_export import build_html
from components.i18n import LANGS
from components.present import SlideView, default_deck

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

NS_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def bundle():
    return load_bundle("data")


def _placeholder_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1440, 594), "#dde4ea").save(out, format="PNG")
    return out.getvalue()


def _needs_chromium() -> None:
    if px.browser_path() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("kaleido needs chromium (BROWSER_PATH or /usr/bin/chromium) under CI")
        pytest.skip("kaleido needs chromium (sudo apt-get install chromium)")


def _check_pptx(data: bytes, views: list[SlideView], lang: str) -> None:
    prs = Presentation(io.BytesIO(data))
    slides = list(prs.slides)
    assert len(slides) == len(views)
    assert prs.slide_width > prs.slide_height  # 16:9
    for n, (slide, view) in enumerate(zip(slides, views, strict=True), 1):
        shapes = {s.name: s for s in slide.shapes}
        assert slide.shapes.title.text == view.title
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == (1 if view.fig is not None else 0), view.title
        for pic in pictures:  # inside the slide
            assert pic.left >= 0 and pic.top + pic.height <= prs.slide_height
        assert shapes["Source"].text_frame.text == view.source
        assert shapes["Slide number"].text_frame.text == f"{n} / {len(views)}"
        if view.kind == "list":
            assert shapes["List"].text_frame.text.count("\n") == len(view.items) - 1
        notes = slide.notes_slide.notes_text_frame.text
        assert notes == view.notes
        # Every run names the CJK font for Latin and East Asian text, in the deck's language.
        runs = slide.shapes._spTree.iter(f"{NS_A}rPr")
        for rpr in runs:
            assert rpr.find(f"{NS_A}latin").get("typeface") == px.FONT
            assert rpr.find(f"{NS_A}ea").get("typeface") == px.FONT
            assert rpr.get("lang") == px.LANG_TAGS[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_pptx_structure_in_both_languages(bundle, lang: str) -> None:
    views = default_deck(bundle, lang)
    images = [_placeholder_png() if v.fig is not None else None for v in views]
    _check_pptx(px.build_pptx(views, images, lang, name="x"), views, lang)


def test_pptx_with_real_chart_images(bundle) -> None:
    """kaleido draws every chart of a briefing (a map among them) with the system chromium."""
    _needs_chromium()
    b = bf.Briefing()
    for page, view, params in [
        ("map", "map_deck", {"continent": "EU"}),
        ("heatmap", "hm_main_chart", {"measure": "lq"}),
        ("overview", "ov_sector", {}),
    ]:
        b = bf.add(b, bf.make_slide(page, view, params))
    b = bf.edit(b, b.slides[0].uid, title="欧洲的集群", notes="先讲地图。")
    views = [default_deck(bundle, "zh")[0]] + [bf.render(s, bundle, "zh") for s in b.slides]
    images = [px.slide_png(v) for v in views]
    for view, png in zip(views, images, strict=True):
        im = Image.open(io.BytesIO(png))
        height = px.COVER_IMAGE_H if view.kind == "cover" else px.IMAGE_PX[1]
        assert im.size == (px.IMAGE_PX[0] * px.IMAGE_SCALE, height * px.IMAGE_SCALE)
        assert len(im.getcolors(1 << 20) or []) > 20  # not a blank picture
    data = px.build_pptx(views, images, "zh", name=b.name)
    _check_pptx(data, views, "zh")
    prs = Presentation(io.BytesIO(data))
    assert prs.slides[1].shapes.title.text == "欧洲的集群"
    assert prs.slides[1].notes_slide.notes_text_frame.text == "先讲地图。"
    cover = {s.name: s for s in prs.slides[0].shapes}  # title, subtitle, then the key numbers
    assert cover["Chart"].top >= cover["Subtitle"].top + cover["Subtitle"].height - px.Inches(0.1)
    assert cover["Chart"].top + cover["Chart"].height <= cover["Source"].top
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "present_export_zh.pptx").write_bytes(data)


def test_figure_png_without_chromium_raises_a_clear_error(monkeypatch, bundle) -> None:
    monkeypatch.setattr(px, "browser_path", lambda: None)
    with pytest.raises(px.ImageError, match="chromium"):
        px.figure_png(default_deck(bundle, "en")[1].fig)


def test_images_and_views_must_match(bundle) -> None:
    with pytest.raises(ValueError):
        px.build_pptx(default_deck(bundle, "en"), [], "en")


def test_title_size_shrinks_for_long_titles() -> None:
    assert px.title_size("短标题") == px.TITLE_SIZES[0]
    assert px.title_size("很长的标题" * 30) == px.TITLE_SIZES[-1]


class _Refs(HTMLParser):
    """Every URL-bearing attribute, inline style and <style> text of a document."""

    URL_ATTRS = {"src", "href", "srcset", "poster", "data", "action", "formaction", "background"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.css: list[str] = []
        self.tags: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in self.URL_ATTRS and value is not None:
                self.urls.append(value)
            if name == "style" and value:
                self.css.append(value)

    def handle_endtag(self, tag):  # noqa: ANN001
        self._in_style = False

    def handle_data(self, data):  # noqa: ANN001
        if self._in_style:
            self.css.append(data)


FETCHED = re.compile(r"^\s*(https?:)?//", re.I)


@pytest.mark.parametrize("lang", LANGS)
def test_html_fetches_nothing(bundle, lang: str) -> None:
    views = default_deck(bundle, lang)
    doc = build_html(views, lang, name="<b>Board</b> & co")
    refs = _Refs()
    refs.feed(doc)
    assert not [u for u in refs.urls if FETCHED.match(u)]
    assert not [c for c in refs.css if re.search(r"url\s*\(|@import", c, re.I)]
    assert "link" not in refs.tags and "iframe" not in refs.tags and "img" not in refs.tags
    # Every <script> is inline: plotly.js itself, the figures (JSON) and the navigation.
    assert not re.search(r"<script[^>]+src\s*=", doc, re.I)
    # The figures' JSON mentions no URL at all.
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', doc, re.S):
        assert "http" not in block
    charts = [v for v in views if v.fig is not None]
    assert doc.count('class="chart"') == len(charts)
    assert doc.count("<section") == len(views)
    assert "&lt;b&gt;Board&lt;/b&gt; &amp; co" in doc  # the name is escaped


def test_html_escapes_hostile_text(bundle) -> None:
    hostile = "</script><script>alert(1)</script><img src=//evil.example/x>"
    fig = default_deck(bundle, "en")[1].fig
    fig.data[0].name = hostile  # a legend entry: travels in the figure's JSON
    view = SlideView(kind="chart", title=hostile, source=hostile, notes=hostile, fig=fig)
    doc = build_html([view, SlideView(kind="list", title="t", items=(hostile,))], "en")
    assert hostile not in doc
    # The figure's JSON cannot close its <script> block: no "<" inside it at all.
    (block,) = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', doc, re.S)
    assert "<" not in block and "\\u003c/script" in block
    refs = _Refs()
    refs.feed(doc)
    assert not [u for u in refs.urls if FETCHED.match(u)]


def test_exports_keep_figure_ids_as_plain_text(bundle) -> None:
    """The drawn slide keeps "figure 2-1" on one line with markup only: the PPTX text and the
    offline HTML's text are the plain title, hyphen and all."""
    title = "Clusters by sector and continent · Count · Published (figure 2-1)"
    view = SlideView(kind="list", title=title, items=("table 6-2",), source="report figure 2-1")
    data = px.build_pptx([view], [None], "en", name="x")
    slide = next(iter(Presentation(io.BytesIO(data)).slides))
    assert slide.shapes.title.text == title
    assert {s.name: s for s in slide.shapes}["Source"].text_frame.text == "report figure 2-1"
    doc = build_html([view], "en")
    (h1,) = re.findall(r"<h1>(.*?)</h1>", doc, re.S)
    assert re.sub(r"<[^>]+>", "", h1) == title
    assert 'style="white-space:nowrap">figure 2-1</span>' in h1
    assert "\u2011" not in doc
