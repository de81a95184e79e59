"""Layout of the present page (``pages/present.py``): the slide and its controls, the notes and
the exports, drawn from a :class:`Deck` (the briefing editor: :mod:`components.briefing_editor`).
Streamlit glue only: the slides, their look and every rule (slide numbers, chart heights, figure
ids, file names) come from :mod:`components.present` and :mod:`components.briefing`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from components import briefing as bf
from components import present as pr
from components.briefing_store import snapshot
from components.charts import plotly_config
from components.html_export import build_html
from components.i18n import LANGS, Lang, t
from components.memo import Memo
from components.pptx_export import ImageError, build_pptx, slide_png
from components.registry import PAGES
from components.safe import escape_md
from components.widgets import set_lang, sync, url_radio

EXPORTS = "_present_exports"  # session key: the exports made for one deck, language and briefing
LANG_NAMES = {"zh": "中文", "en": "English"}  # presenter mode's language switch, in its own script
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


# --- the deck -------------------------------------------------------------------------------------


def briefing_view(memo: Memo, slide: bf.Slide, lang: Lang) -> pr.SlideView:
    """A briefing slide, rebuilt from its view (or from the figure kept this session)."""
    if bf.renderer_for(slide.page, slide.view) is None:
        kept = snapshot(slide.uid)
        if kept is not None:
            return bf.snapshot_view(slide, kept[0], kept[1], lang)
    base = memo(bf.kept_view, slide.page, slide.view, slide.params, lang)
    return bf.apply_slide(base, slide)


@dataclass(frozen=True, eq=False)
class Deck:
    """The deck on show, in one language: the report's key findings (``report_views``, kept by
    ``report``: always the report's own data) or the reader's briefing (kept by ``memo``: this
    session's data)."""

    name: str  # one of present.DECKS
    lang: Lang
    briefing: bf.Briefing
    memo: Memo
    report: Memo
    report_views: tuple[pr.SlideView, ...] = ()

    @property
    def count(self) -> int:
        """How many slides the deck has."""
        return len(self.report_views) if self.name == "report" else len(self.briefing.slides)

    @property
    def title(self) -> str:
        """The deck's name in its exports."""
        return pr.deck_title(self.name, self.briefing.name, self.lang)

    def view(self, n: int) -> pr.SlideView:
        """Slide ``n`` (1-based)."""
        if self.name == "report":
            return self.report_views[n - 1]
        return briefing_view(self.memo, self.briefing.slides[n - 1], self.lang)

    def views(self) -> list[pr.SlideView]:
        """Every slide, in order (for the exports)."""
        if self.name == "report":
            return list(self.report_views)
        return [briefing_view(self.memo, s, self.lang) for s in self.briefing.slides]

    def chart(self, n: int, view: pr.SlideView, height: int) -> go.Figure:
        """Slide ``n``'s chart at ``height``, kept for the deck's dataset."""
        if self.name == "report":
            which, kept = pr.report_figure_id(self.lang, n), self.report
        else:
            which, kept = bf.figure_id(self.briefing.slides[n - 1], self.lang), self.memo
        return kept.plain(pr.slide_chart, which, height, fig=view.fig)


def open_deck(name: str, briefing: bf.Briefing, lang: Lang, *, memo: Memo, report: Memo) -> Deck:
    """The deck ``name`` (the report's slides built, or taken from ``report``, only for it)."""
    views = report(pr.report_deck, lang) if name == "report" else ()
    return Deck(name, lang, briefing, memo, report, views)


# --- callbacks ------------------------------------------------------------------------------------


def go_to(n: int) -> None:
    """Callback: show slide ``n``."""
    sync("slide", n, 1)


def start() -> None:
    """Callback: enter presenter mode."""
    st.query_params["present"] = "1"


def stop() -> None:
    """Callback: leave presenter mode."""
    del st.query_params["present"]


def reset_slide() -> None:
    """Callback: back to the first slide (another deck, or the briefing changed under it)."""
    if "slide" in st.query_params:
        del st.query_params["slide"]


# --- the slide and its controls -------------------------------------------------------------------


def choose_deck(briefing: bf.Briefing, lang: Lang) -> str:
    """The deck selector (``?deck=``); changing it starts at the first slide."""
    return url_radio(
        "deck",
        t("present.deck_label", lang),
        pr.DECKS,
        "report",
        format_func=lambda d: t(f"present.deck.{d}", lang, n=len(briefing.slides)),
        on_change=reset_slide,
    )


def slide(
    deck: Deck, n: int, *, presenting: bool, viewport: tuple[int, int] | None
) -> pr.SlideView | None:
    """Slide ``n`` of ``deck`` (headline, chart or list, source line and number), or how to fill
    an empty briefing; returns the slide shown, if any."""
    if deck.count == 0:
        st.info(t("present.empty_briefing", deck.lang), icon=":material/slideshow:")
        return None
    view = deck.view(n)
    draw_slide(deck, view, n, presenting=presenting, viewport=viewport)
    return view


def draw_slide(
    deck: Deck,
    view: pr.SlideView,
    n: int,
    *,
    presenting: bool,
    viewport: tuple[int, int] | None,
) -> None:
    """One slide: headline, chart (or list), source line and number."""
    if view.kind == "cover":
        st.html(pr.cover_html(view, presenting=presenting))
    else:
        st.html(pr.headline_html(view.title, presenting=presenting))
    if view.kind in ("chart", "cover") and view.fig is not None:
        height = pr.chart_height(view, presenting=presenting, viewport=viewport)
        st.plotly_chart(
            deck.chart(n, view, height),
            key=f"slide_chart_{deck.name}_{n}",
            config=plotly_config(pr.slide_image_stem(n, deck.lang)),
            width="stretch",
            theme=None,  # the slide's own type sizes, not Streamlit's chart theme
        )
    elif view.kind == "list":
        st.html(pr.list_html(view.items, presenting=presenting))
    elif view.kind == "missing":
        st.info(view.subtitle, icon=":material/help:")
    st.html(pr.footer_html(view.source, n, deck.count, presenting=presenting))


def controls(deck: Deck, n: int, *, presenting: bool, note: str | None = None) -> None:
    """Previous / next, then presenter mode's language switch and exit, or the start button;
    then the keys' hint, or ``note`` in its place (a line for the presenter, not a toast over
    the slide: "briefing restored")."""
    lang, count = deck.lang, deck.count
    bar = st.container(horizontal=True, gap="small", vertical_alignment="center")
    for step, icon, target, off in (
        ("prev", "chevron_left", n - 1, n <= 1),
        ("next", "chevron_right", n + 1, n >= count),
    ):
        bar.button(
            t(f"present.{step}", lang),
            key=f"slide_{step}",
            icon=f":material/{icon}:",
            on_click=go_to,
            args=(target,),
            disabled=count == 0 or off,
        )
    if presenting:
        choice = bar.segmented_control(
            t("present.lang_label", lang),
            options=list(LANGS),
            default=lang,
            format_func=LANG_NAMES.__getitem__,
            key=f"present_lang_{lang}",
            label_visibility="collapsed",
        )
        if choice and choice != lang:
            set_lang(choice)
            st.rerun()
        bar.button(
            t("present.exit", lang), key="present_exit", icon=":material/close:", on_click=stop
        )
    else:
        bar.button(
            t("present.start", lang),
            key="present_start",
            icon=":material/slideshow:",
            type="primary",
            on_click=start,
            help=t("present.start_help", lang),
            disabled=count == 0,
        )
    if note:
        bar.caption(note)
    else:
        bar.caption(t("present.keys_hint", lang))


def notes_and_link(view: pr.SlideView | None, lang: Lang) -> None:
    """Under the slide (outside presenter mode): open the view in the app, speaker notes."""
    if view is None:
        return
    page_link(view, lang)
    if view.notes:
        with st.expander(t("present.notes", lang)):
            st.text(view.notes)


def page_link(view: pr.SlideView, lang: Lang) -> None:
    """A link to the page and view the slide comes from, if it has one."""
    if view.link is None:
        return
    page, params = view.link
    spec = next((p for p in PAGES if p.url_path == page), None)
    if spec is not None:
        st.page_link(
            spec.path,
            label=t("present.open_view", lang),
            icon=":material/open_in_new:",
            query_params={**params, "lang": lang},
        )


# --- the exports ----------------------------------------------------------------------------------


def export(deck: Deck) -> None:
    """PPTX (drawn with a progress bar) and offline HTML downloads."""
    lang, title = deck.lang, deck.title
    st.divider()
    st.header(t("present.export.heading", lang))
    st.caption(t("present.export.help", lang))
    today = dt.date.today()
    signature = (deck.name, lang, bf.to_json(deck.briefing) if deck.name == "briefing" else b"")
    exports = st.session_state.get(EXPORTS, {})
    if exports.get("signature") != signature:
        exports = {"signature": signature}
        st.session_state[EXPORTS] = exports

    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    make_pptx = row.button(
        t("present.export.pptx", lang),
        key="export_pptx",
        icon=":material/co_present:",
        disabled=deck.count == 0,
    )
    if "pptx" in exports:
        row.download_button(
            t("present.export.download_pptx", lang),
            data=exports["pptx"],
            file_name=pr.export_file_name(title, today, lang, "pptx"),
            mime=PPTX_MIME,
            icon=":material/download:",
            key="download_pptx",
            on_click="ignore",
            type="primary",
        )
    row.download_button(
        t("present.export.download_html", lang),
        data=lambda: build_html(deck.views(), lang, name=title).encode("utf-8"),
        file_name=pr.export_file_name(title, today, lang, "html"),
        mime="text/html",
        icon=":material/download:",
        key="download_html",
        on_click="ignore",
        disabled=deck.count == 0,
    )
    if make_pptx:
        pptx = _make_pptx(deck)
        if pptx is not None:
            exports["pptx"] = pptx
            st.rerun()


def _make_pptx(deck: Deck) -> bytes | None:
    """The deck as PPTX, each slide's chart drawn to PNG under a progress bar (None, with an
    error shown, when drawing fails)."""
    lang, views = deck.lang, deck.views()
    progress = st.progress(0.0, text=t("present.export.progress", lang, i=1, n=len(views)))
    images: list[bytes | None] = []
    try:
        for i, view in enumerate(views, 1):
            progress.progress(
                (i - 1) / len(views), text=t("present.export.progress", lang, i=i, n=len(views))
            )
            images.append(slide_png(view))
    except ImageError as err:
        progress.empty()
        st.error(t("present.export.failed", lang, error=escape_md(str(err)[:200])))
        return None
    pptx = build_pptx(views, images, lang, name=deck.title)
    progress.progress(1.0, text=t("present.export.done", lang, n=len(views)))
    return pptx
