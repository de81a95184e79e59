"""The briefing editor of the present page (``pages/present.py``): the briefing's name, its
slides (go to, reorder, retitle, notes, remove), saving it to a file and loading one. Streamlit
glue only: the edits are :mod:`components.briefing`'s, the names and messages
:mod:`components.present`'s.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components import briefing as bf
from components import present as pr
from components.briefing_store import get_briefing, set_briefing
from components.cached import get_bundle
from components.i18n import Lang, t
from components.present_layout import Deck, briefing_view, go_to, reset_slide
from components.safe import escape_md

UPLOAD_GEN = "_upload_gen"  # session key: bumped after each upload (a fresh, empty uploader)
UPLOAD_MSG = "_upload_msg"  # session key: what the last upload said, shown once
NAME_KEY = "briefing_name"  # the briefing name's text input


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
    reset_slide()


def _clear() -> None:
    set_briefing(bf.Briefing(name=get_briefing().name))
    reset_slide()


def _rename() -> None:
    set_briefing(bf.rename(get_briefing(), st.session_state.get(NAME_KEY, "")))


def _upload_key() -> str:
    return f"briefing_upload_{st.session_state.get(UPLOAD_GEN, 0)}"


def _upload(lang: Lang) -> None:
    file = st.session_state.get(_upload_key())
    if file is None:
        return
    try:
        loaded, skipped = bf.read_briefing(file.getvalue(), get_bundle())
    except bf.BriefingError as err:
        st.session_state[UPLOAD_MSG] = (
            "error",
            t("present.editor.rejected", lang, reason=err.message(lang)),
        )
        return
    set_briefing(loaded)
    st.session_state[NAME_KEY] = loaded.name
    st.session_state[UPLOAD_GEN] = st.session_state.get(UPLOAD_GEN, 0) + 1
    message = pr.loaded_message(loaded.name, len(loaded.slides), skipped, lang)
    st.session_state[UPLOAD_MSG] = ("ok", message)
    reset_slide()


def editor(deck: Deck) -> None:
    """The briefing editor: name, slides (reorder, retitle, notes, remove), file."""
    lang, briefing = deck.lang, deck.briefing
    st.divider()
    st.header(t("present.editor.heading", lang))
    st.session_state.setdefault(NAME_KEY, briefing.name)
    st.text_input(
        t("present.editor.name", lang),
        key=NAME_KEY,
        max_chars=bf.MAX_NAME,
        placeholder=t("present.editor.default_name", lang),
        on_change=_rename,
    )
    for i, item in enumerate(briefing.slides, 1):
        _slide_row(deck, item, i)

    if briefing.slides:
        st.button(
            t("present.editor.clear", lang),
            key="briefing_clear",
            icon=":material/delete_sweep:",
            on_click=_clear,
        )
    _briefing_file(briefing, lang)


def _slide_row(deck: Deck, item: bf.Slide, i: int) -> None:
    """Slide ``i`` of the briefing: go to it, up, down, remove; its title and notes."""
    lang, uid = deck.lang, item.uid
    default_title = briefing_view(deck.memo, item, lang).title if not item.title else ""
    with st.container(border=True, key=f"brief_row_{uid}"):
        head = st.container(horizontal=True, gap="small", vertical_alignment="center")
        head.button(
            escape_md(t("present.editor.slide_label", lang, n=i, view=bf.view_label(item, lang))),
            key=f"bgo_{uid}",
            type="tertiary",
            on_click=go_to,
            args=(i,),
        )
        for key, icon, action, callback, args, off in (
            ("bup", "arrow_upward", "up", _move, (uid, -1), i == 1),
            ("bdown", "arrow_downward", "down", _move, (uid, 1), i == len(deck.briefing.slides)),
            ("bdel", "delete", "remove", _remove, (uid,), False),
        ):
            head.button(
                "",
                key=f"{key}_{uid}",
                icon=f":material/{icon}:",
                help=t(f"present.editor.{action}", lang),
                on_click=callback,
                args=args,
                disabled=off,
            )
        st.session_state.setdefault(f"bt_{uid}", item.title)
        st.session_state.setdefault(f"bn_{uid}", item.notes)
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


def _briefing_file(briefing: bf.Briefing, lang: Lang) -> None:
    """Save the briefing to a file, load one (and what the last load said)."""
    st.header(t("present.editor.save_heading", lang))
    st.caption(t("present.editor.save_help", lang))
    message = st.session_state.pop(UPLOAD_MSG, None)
    if message is not None:
        kind, text = message
        (st.success if kind == "ok" else st.error)(escape_md(text))
    cols = st.columns(2)
    title = pr.briefing_title(briefing.name, lang)
    cols[0].download_button(
        t("present.editor.download", lang),
        data=bf.to_json(briefing),
        file_name=pr.briefing_file_name(title, dt.date.today()),
        mime="application/json",
        icon=":material/download:",
        key="briefing_download",
        on_click="ignore",
        disabled=not briefing.slides,
    )
    cols[1].file_uploader(
        t("present.editor.upload", lang),
        type=["json"],
        key=_upload_key(),
        on_change=_upload,
        args=(lang,),
        max_upload_size=1,
    )
