"""PowerPoint export: one slide per :class:`~components.present.SlideView`, charts as pictures.

Pure (no ``st.*``). :func:`figure_png` draws a plotly figure to PNG with kaleido 1.x, which drives
the system chromium (``BROWSER_PATH``, default ``/usr/bin/chromium``); the chromium is started
once per process (``kaleido.start_sync_server``): the first picture takes a few seconds, later
ones a fraction of a second. :func:`build_pptx` lays out the slides (16:9): title, the picture (or
a numbered list), the source line as footer, the slide number, the speaker notes in the notes
page, every text run in Noto Sans CJK SC (Latin and East Asian typefaces both named).
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from components.i18n import Lang, t
from components.present import SlideView, slide_figure, text_width

FONT = "Noto Sans CJK SC"
DEFAULT_BROWSER = "/usr/bin/chromium"
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
TITLE_TOP, TITLE_H = Inches(0.3), Inches(1.15)
BODY_TOP, BODY_H = Inches(1.5), Inches(5.15)
FOOT_TOP, FOOT_H = Inches(6.8), Inches(0.55)
NUMBER_W = Inches(1.2)
COVER_PIC_TOP = Inches(3.7)
COVER_IMAGE_H = 330  # CSS px: the cover's key numbers, a wide strip
IMAGE_PX = (1440, 594)  # the picture's CSS pixels: the body box's aspect ratio
IMAGE_SCALE = 2  # device pixels per CSS pixel (sharp on a projector)
IMAGE_FONT_SCALE = 1.45
TITLE_SIZES = (30, 26, 22, 20, 18)
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x52, 0x60, 0x6D)
LANG_TAGS = {"zh": "zh-CN", "en": "en-US"}
TITLE_ONLY_LAYOUT = 5  # the default template's "Title Only" layout

_kaleido_lock = threading.Lock()
_kaleido_started = False


class ImageError(RuntimeError):
    """A chart could not be drawn to PNG (no chromium, kaleido failure)."""


def browser_path() -> str | None:
    """The chromium kaleido drives: ``$BROWSER_PATH`` or the Debian one, if it exists."""
    path = os.environ.get("BROWSER_PATH") or DEFAULT_BROWSER
    return path if Path(path).exists() else None


def figure_png(fig: object, width: int = IMAGE_PX[0], height: int = IMAGE_PX[1]) -> bytes:
    """``fig`` as a PNG (``width`` × ``height`` CSS px at ``IMAGE_SCALE``), slide-sized type."""
    global _kaleido_started
    path = browser_path()
    if path is None:
        raise ImageError(f"no chromium at {os.environ.get('BROWSER_PATH') or DEFAULT_BROWSER}")
    os.environ.setdefault("BROWSER_PATH", path)
    import kaleido
    import plotly.io as pio

    figure = slide_figure(fig, height=height, factor=IMAGE_FONT_SCALE)  # type: ignore[arg-type]
    with _kaleido_lock:
        try:
            if not _kaleido_started:
                kaleido.start_sync_server(silence_warnings=True)
                _kaleido_started = True
            with warnings.catch_warnings():  # plotly notes that a running server ignores kopts
                warnings.simplefilter("ignore", UserWarning)
                return pio.to_image(
                    figure, format="png", width=width, height=height, scale=IMAGE_SCALE
                )
        except Exception as err:  # kaleido raises several kinds; say which one happened
            raise ImageError(f"{type(err).__name__}: {err}") from err


def slide_png(view: SlideView) -> bytes | None:
    """The picture of a slide's chart, sized for its place on the slide (None: no chart)."""
    if view.fig is None:
        return None
    if view.kind == "cover":
        return figure_png(view.fig, IMAGE_PX[0], COVER_IMAGE_H)
    return figure_png(view.fig)


# --- text helpers ------------------------------------------------------------------------------


def title_size(text: str, box_in: float = 12.4, max_lines: int = 2) -> int:
    """The largest title size (pt) at which ``text`` fits ``max_lines`` lines of the box."""
    for size in TITLE_SIZES:
        per_line = box_in * 72 / (size * 0.55)  # half-width characters per line
        if text_width(text) <= per_line * max_lines:
            return size
    return TITLE_SIZES[-1]


def _set_font(run: object, size: int, lang: Lang, *, bold: bool = False, color=INK) -> None:
    """Font name (Latin, East Asian, complex script), size, colour and language of a run."""
    font = run.font  # type: ignore[attr-defined]
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = color
    rpr = run._r.get_or_add_rPr()  # type: ignore[attr-defined]
    rpr.set("lang", LANG_TAGS[lang])
    latin = rpr.find(qn("a:latin"))
    anchor = latin
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = etree.SubElement(rpr, qn(tag))
            if anchor is not None:
                anchor.addnext(el)
        el.set("typeface", FONT)
        anchor = el


def _write(frame: object, paragraphs: Sequence[str], size: int, lang: Lang, **style) -> None:
    """Replace a text frame's text with ``paragraphs``, each one run in the house font."""
    frame.word_wrap = True  # type: ignore[attr-defined]
    frame.clear()  # type: ignore[attr-defined]
    for i, text in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()  # type: ignore[attr-defined]
        if "align" in style:
            para.alignment = style["align"]
        if "space_after" in style:
            para.space_after = Pt(style["space_after"])
        run = para.add_run()
        run.text = text
        _set_font(run, size, lang, bold=style.get("bold", False), color=style.get("color", INK))


def _textbox(slide: object, left, top, width, height, name: str):  # noqa: ANN001, ANN202
    box = slide.shapes.add_textbox(left, top, width, height)  # type: ignore[attr-defined]
    box.name = name
    return box


# --- the deck -----------------------------------------------------------------------------------


def build_pptx(
    views: Sequence[SlideView],
    images: Sequence[bytes | None],
    lang: Lang,
    *,
    name: str = "",
) -> bytes:
    """The slides as a .pptx file. ``images[i]`` is the PNG of ``views[i]``'s chart
    (:func:`slide_png`; None for slides without one; a cover's sits under its title and
    subtitle). Shape names: ``Title`` (the placeholder), ``Chart``, ``List``, ``Subtitle``,
    ``Source``, ``Slide number``."""
    if len(images) != len(views):
        raise ValueError("one image (or None) per slide")
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = name or t("present.deck.cover_title", lang)
    prs.core_properties.language = LANG_TAGS[lang]
    layout = prs.slide_layouts[TITLE_ONLY_LAYOUT]
    body_w = SLIDE_W - 2 * MARGIN
    count = len(views)
    for number, (view, image) in enumerate(zip(views, images, strict=True), 1):
        slide = prs.slides.add_slide(layout)
        title = slide.shapes.title
        title.name = "Title"
        cover = view.kind == "cover"
        title.left, title.width = MARGIN, body_w
        title.top = Inches(0.7) if cover else TITLE_TOP
        title.height = Inches(1.5) if cover else TITLE_H
        tf = title.text_frame
        tf.vertical_anchor = MSO_ANCHOR.BOTTOM if cover else MSO_ANCHOR.TOP
        size = 40 if cover else title_size(view.title)
        _write(tf, [view.title], size, lang, bold=True, align=PP_ALIGN.LEFT)

        if view.kind in ("chart", "cover") and image is not None:
            top, box_h = (COVER_PIC_TOP, FOOT_TOP - COVER_PIC_TOP) if cover else (BODY_TOP, BODY_H)
            pic = slide.shapes.add_picture(io.BytesIO(image), MARGIN, top, width=body_w)
            pic.name = "Chart"
            if pic.height > box_h:  # keep the picture inside its box
                ratio = box_h / pic.height
                pic.height = box_h
                pic.width = Emu(int(pic.width * ratio))
                pic.left = Emu(int((SLIDE_W - pic.width) / 2))
        elif view.kind == "list":
            box = _textbox(slide, MARGIN, BODY_TOP, body_w, BODY_H, "List")
            items = [f"{i}. {text}" for i, text in enumerate(view.items, 1)]
            _write(box.text_frame, items, 22 if len(items) <= 5 else 19, lang, space_after=8)
        if view.subtitle:
            top = Inches(2.3) if cover else BODY_TOP
            box = _textbox(slide, MARGIN, top, body_w, Inches(1.5), "Subtitle")
            _write(box.text_frame, [view.subtitle], 20, lang, color=MUTED)

        if view.source:
            box = _textbox(slide, MARGIN, FOOT_TOP, body_w - NUMBER_W, FOOT_H, "Source")
            _write(box.text_frame, [view.source], 11, lang, color=MUTED)
        box = _textbox(
            slide, SLIDE_W - MARGIN - NUMBER_W, FOOT_TOP, NUMBER_W, FOOT_H, "Slide number"
        )
        _write(box.text_frame, [f"{number} / {count}"], 12, lang, color=MUTED, align=PP_ALIGN.RIGHT)

        if view.notes:
            _write(slide.notes_slide.notes_text_frame, view.notes.split("\n"), 12, lang)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
