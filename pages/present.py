"""Present: the report's key findings or the reader's briefing as slides; presenter mode
(``?present=1``: no sidebar, large type, keyboard), the briefing editor and the exports.
The slide is in the URL (``?slide=3``), and so is the deck (``?deck=briefing``)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components import briefing as bf
from components import present as pr
from components.briefing_store import get_briefing, set_briefing, snapshot
from components.cached import get_bundle
from components.charts import plotly_config
from components.export import file_stem
from components.html_export import build_html
from components.i18n import LANGS, t
from components.memo import dataset_memo, report_memo
from components.pptx_export import ImageError, build_pptx, slide_png
from components.registry import PAGES
from components.safe import escape_md
from components.slide_keys import mount_keys, read_keys
from components.urlstate import parse_choice
from components.widgets import current_lang, set_lang, sync, url_radio

DECKS = ("report", "briefing")
PREVIEW_CHART_HEIGHT = 500
MIN_CHART_HEIGHT = 320
COVER_CHART_HEIGHT = 260
EXPORTS = "_present_exports"

lang = current_lang()
memo = dataset_memo()  # briefing slides: drawn from this session's data, kept per dataset
report = report_memo()  # the report's key findings: always the report's own data
presenting = st.query_params.get("present") == "1"
sync("present", "1" if presenting else "", "")
briefing = get_briefing()


def _go(n: int) -> None:
    sync("slide", n, 1)


def _start() -> None:
    st.query_params["present"] = "1"


def _exit() -> None:
    del st.query_params["present"]


def _reset_slide() -> None:
    if "slide" in st.query_params:
        del st.query_params["slide"]


def _view(slide: bf.Slide) -> pr.SlideView:
    """A briefing slide, rebuilt from its view (or from the figure kept this session)."""
    if bf.renderer_for(slide.page, slide.view) is None:
        kept = snapshot(slide.uid)
        if kept is not None:
            return bf.snapshot_view(slide, kept[0], kept[1], lang)
    base = memo(bf.kept_view, slide.page, slide.view, slide.params, lang)
    return bf.apply_slide(base, slide)


def _figure_id(n: int) -> tuple:
    """What identifies slide ``n``'s figure (the memo keeps its slide-sized chart under it)."""
    if deck == "report":
        return ("report", lang, n)
    slide = briefing.slides[n - 1]
    if bf.renderer_for(slide.page, slide.view) is None:
        return ("snapshot", slide.uid)
    return (slide.page, slide.view, slide.params, lang)


def _all_views(deck: str) -> list[pr.SlideView]:
    if deck == "report":
        return list(report(pr.report_deck, lang))
    return [_view(s) for s in briefing.slides]


# --- which deck, which slide ------------------------------------------------------------------
if presenting:
    deck = parse_choice(st.query_params.get("deck"), DECKS, "report").value
    sync("deck", deck, "report")
else:
    st.title(t("present.title", lang))
    st.caption(t("present.intro", lang))
    deck = url_radio(
        "deck",
        t("present.deck_label", lang),
        DECKS,
        "report",
        format_func=lambda d: t(f"present.deck.{d}", lang, n=len(briefing.slides)),
        on_change=_reset_slide,
    )

report_views = report(pr.report_deck, lang) if deck == "report" else ()
count = len(report_views) if deck == "report" else len(briefing.slides)

keys = read_keys()
raw_slide = st.query_params.get("slide")
number, slide_ok = pr.clamp_slide(raw_slide, count)
if keys.move and count:
    number = {"next": number + 1, "prev": number - 1, "first": 1, "last": count}[keys.move]
    number = max(1, min(count, number))
elif not slide_ok and count:
    st.warning(
        t("present.bad_slide", lang, value=escape_md(str(raw_slide)[:20]), count=count, n=number),
        icon=":material/warning:",
    )
sync("slide", number if count else 1, 1)


# --- the slide --------------------------------------------------------------------------------
def _chart_height(view: pr.SlideView) -> int:
    if view.kind == "cover":
        return COVER_CHART_HEIGHT
    if presenting and keys.viewport:
        return pr.presenter_chart_height(view.title, view.source, keys.viewport, MIN_CHART_HEIGHT)
    return PREVIEW_CHART_HEIGHT


def _page_link(view: pr.SlideView) -> None:
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


def draw_slide(view: pr.SlideView, n: int, total: int) -> None:
    """One slide: headline, chart (or list), source line and number."""
    if view.kind == "cover":
        st.html(pr.cover_html(view, presenting=presenting))
    else:
        st.html(pr.headline_html(view.title, presenting=presenting))
    if view.kind in ("chart", "cover") and view.fig is not None:
        kept = report if deck == "report" else memo
        st.plotly_chart(
            kept.plain(pr.slide_chart, _figure_id(n), _chart_height(view), fig=view.fig),
            key=f"slide_chart_{deck}_{n}",
            config=plotly_config(file_stem(f"slide_{n}", lang)),
            width="stretch",
            theme=None,  # the slide's own type sizes, not Streamlit's chart theme
        )
    elif view.kind == "list":
        st.html(pr.list_html(view.items, presenting=presenting))
    elif view.kind == "missing":
        st.info(view.subtitle, icon=":material/help:")
    st.html(pr.footer_html(view.source, n, total, presenting=presenting))


if count == 0:
    st.info(t("present.empty_briefing", lang), icon=":material/slideshow:")
    current = None
else:
    current = report_views[number - 1] if deck == "report" else _view(briefing.slides[number - 1])
    draw_slide(current, number, count)

# --- controls -----------------------------------------------------------------------------------
bar = st.container(horizontal=True, gap="small", vertical_alignment="center")
bar.button(
    t("present.prev", lang),
    key="slide_prev",
    icon=":material/chevron_left:",
    on_click=_go,
    args=(number - 1,),
    disabled=count == 0 or number <= 1,
)
bar.button(
    t("present.next", lang),
    key="slide_next",
    icon=":material/chevron_right:",
    on_click=_go,
    args=(number + 1,),
    disabled=count == 0 or number >= count,
)
if presenting:
    choice = bar.segmented_control(
        t("present.lang_label", lang),
        options=list(LANGS),
        default=lang,
        format_func=lambda v: {"zh": "中文", "en": "English"}[v],
        key=f"present_lang_{lang}",
        label_visibility="collapsed",
    )
    if choice and choice != lang:
        set_lang(choice)
        st.rerun()
    bar.button(t("present.exit", lang), key="present_exit", icon=":material/close:", on_click=_exit)
    bar.caption(t("present.keys_hint", lang))
else:
    bar.button(
        t("present.start", lang),
        key="present_start",
        icon=":material/slideshow:",
        type="primary",
        on_click=_start,
        help=t("present.start_help", lang),
        disabled=count == 0,
    )
    bar.caption(t("present.keys_hint", lang))

mount_keys(page_keys=presenting)


# --- the briefing editor ------------------------------------------------------------------------
def _edit(uid: str) -> None:
    set_briefing(
        bf.edit(
            get_briefing(),
            uid,
            title=st.session_state.get(f"bt_{uid}"),
            notes=st.session_state.get(f"bn_{uid}"),
        )
    )


def _move(uid: str, delta: int) -> None:
    set_briefing(bf.move(get_briefing(), uid, delta))


def _remove(uid: str) -> None:
    set_briefing(bf.remove(get_briefing(), uid))
    _reset_slide()


def _clear() -> None:
    set_briefing(bf.Briefing(name=get_briefing().name))
    _reset_slide()


def _rename() -> None:
    set_briefing(bf.rename(get_briefing(), st.session_state.get("briefing_name", "")))


def _upload() -> None:
    file = st.session_state.get(f"briefing_upload_{st.session_state.get('_upload_gen', 0)}")
    if file is None:
        return
    try:
        loaded, skipped = bf.read_briefing(file.getvalue(), get_bundle())
    except bf.BriefingError as err:
        st.session_state["_upload_msg"] = (
            "error",
            t("present.editor.rejected", lang, reason=err.message(lang)),
        )
        return
    set_briefing(loaded)
    st.session_state["briefing_name"] = loaded.name
    st.session_state["_upload_gen"] = st.session_state.get("_upload_gen", 0) + 1
    message = t("present.editor.loaded", lang, name=loaded.name or "–", n=len(loaded.slides))
    if skipped:
        views = ", ".join(view for _, view in skipped)
        message += " " + t("present.skipped", lang, n=len(skipped), views=views)
    st.session_state["_upload_msg"] = ("ok", message)
    _reset_slide()


briefing_name = briefing.name or t("present.editor.default_name", lang)


def notes_and_link() -> None:
    """Under the slide (outside presenter mode): open the view, speaker notes."""
    if current is not None:
        _page_link(current)
        if current.notes:
            with st.expander(t("present.notes", lang)):
                st.text(current.notes)


def editor() -> None:
    """The briefing editor: name, slides (reorder, retitle, notes, remove), file."""
    st.divider()
    st.header(t("present.editor.heading", lang))
    st.session_state.setdefault("briefing_name", briefing.name)
    st.text_input(
        t("present.editor.name", lang),
        key="briefing_name",
        max_chars=bf.MAX_NAME,
        placeholder=t("present.editor.default_name", lang),
        on_change=_rename,
    )
    for i, slide in enumerate(briefing.slides, 1):
        uid = slide.uid
        default_title = _view(slide).title if not slide.title else ""
        with st.container(border=True, key=f"brief_row_{uid}"):
            head = st.container(horizontal=True, gap="small", vertical_alignment="center")
            head.button(
                escape_md(
                    t("present.editor.slide_label", lang, n=i, view=bf.view_label(slide, lang))
                ),
                key=f"bgo_{uid}",
                type="tertiary",
                on_click=_go,
                args=(i,),
            )
            head.button(
                "",
                key=f"bup_{uid}",
                icon=":material/arrow_upward:",
                help=t("present.editor.up", lang),
                on_click=_move,
                args=(uid, -1),
                disabled=i == 1,
            )
            head.button(
                "",
                key=f"bdown_{uid}",
                icon=":material/arrow_downward:",
                help=t("present.editor.down", lang),
                on_click=_move,
                args=(uid, 1),
                disabled=i == len(briefing.slides),
            )
            head.button(
                "",
                key=f"bdel_{uid}",
                icon=":material/delete:",
                help=t("present.editor.remove", lang),
                on_click=_remove,
                args=(uid,),
            )
            st.session_state.setdefault(f"bt_{uid}", slide.title)
            st.session_state.setdefault(f"bn_{uid}", slide.notes)
            st.text_input(
                t("present.editor.slide_title", lang),
                key=f"bt_{uid}",
                max_chars=bf.MAX_TITLE,
                placeholder=default_title,
                on_change=_edit,
                args=(uid,),
            )
            st.text_area(
                t("present.editor.slide_notes", lang),
                key=f"bn_{uid}",
                max_chars=bf.MAX_NOTES,
                height=80,
                on_change=_edit,
                args=(uid,),
            )

    if briefing.slides:
        st.button(
            t("present.editor.clear", lang),
            key="briefing_clear",
            icon=":material/delete_sweep:",
            on_click=_clear,
        )

    st.header(t("present.editor.save_heading", lang))
    st.caption(t("present.editor.save_help", lang))
    message = st.session_state.pop("_upload_msg", None)
    if message is not None:
        kind, text = message
        (st.success if kind == "ok" else st.error)(escape_md(text))
    cols = st.columns(2)
    cols[0].download_button(
        t("present.editor.download", lang),
        data=bf.to_json(briefing),
        file_name=f"{file_stem(briefing_name, dt.date.today().isoformat())}.json",
        mime="application/json",
        icon=":material/download:",
        key="briefing_download",
        on_click="ignore",
        disabled=not briefing.slides,
    )
    cols[1].file_uploader(
        t("present.editor.upload", lang),
        type=["json"],
        key=f"briefing_upload_{st.session_state.get('_upload_gen', 0)}",
        on_change=_upload,
        max_upload_size=1,
    )


def export() -> None:
    """PPTX (drawn with a progress bar) and offline HTML downloads."""
    st.divider()
    st.header(t("present.export.heading", lang))
    st.caption(t("present.export.help", lang))
    deck_name = briefing_name if deck == "briefing" else t("present.deck.report", lang)
    stem = file_stem(deck_name, dt.date.today().isoformat(), lang)
    signature = (deck, lang, bf.to_json(briefing) if deck == "briefing" else b"")
    exports = st.session_state.get(EXPORTS, {})
    if exports.get("signature") != signature:
        exports = {"signature": signature}
        st.session_state[EXPORTS] = exports

    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    make_pptx = row.button(
        t("present.export.pptx", lang),
        key="export_pptx",
        icon=":material/co_present:",
        disabled=count == 0,
    )
    if "pptx" in exports:
        row.download_button(
            t("present.export.download_pptx", lang),
            data=exports["pptx"],
            file_name=f"{stem}.pptx",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            icon=":material/download:",
            key="download_pptx",
            on_click="ignore",
            type="primary",
        )
    row.download_button(
        t("present.export.download_html", lang),
        data=lambda: build_html(_all_views(deck), lang, name=deck_name).encode("utf-8"),
        file_name=f"{stem}.html",
        mime="text/html",
        icon=":material/download:",
        key="download_html",
        on_click="ignore",
        disabled=count == 0,
    )

    if make_pptx:
        views = _all_views(deck)
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
        else:
            exports["pptx"] = build_pptx(views, images, lang, name=deck_name)
            progress.progress(1.0, text=t("present.export.done", lang, n=len(views)))
            st.rerun()


if not presenting:
    notes_and_link()
    if deck == "briefing":
        editor()
    export()
