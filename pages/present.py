"""Present: the report's key findings or the reader's briefing as slides; presenter mode
(``?present=1``: no sidebar, large type, keyboard), the briefing editor and the exports.
The slide is in the URL (``?slide=3``), and so is the deck (``?deck=briefing``)."""

from __future__ import annotations

import streamlit as st

from components import briefing_editor as be
from components import briefing_sync
from components import present as pr
from components import present_layout as pl
from components.briefing_store import get_briefing
from components.i18n import t
from components.memo import dataset_memo, report_memo
from components.safe import escape_md
from components.slide_keys import mount_keys, read_keys
from components.urlstate import parse_choice
from components.widgets import current_lang, sync

lang = current_lang()
memo = dataset_memo()  # briefing slides: drawn from this session's data, kept per dataset
report = report_memo()  # the report's key findings: always the report's own data
presenting = st.query_params.get("present") == "1"
sync("present", "1" if presenting else "", "")
briefing = get_briefing()

# --- which deck, which slide ----------------------------------------------------------------------
if presenting:
    name = parse_choice(st.query_params.get("deck"), pr.DECKS, "report").value
    sync("deck", name, "report")
else:
    st.title(t("present.title", lang))
    st.caption(t("present.intro", lang))
    name = pl.choose_deck(briefing, lang)
deck = pl.open_deck(name, briefing, lang, memo=memo, report=report)

keys = read_keys()
raw_slide = st.query_params.get("slide")
number, bad = pr.slide_to_show(raw_slide, keys.move, deck.count)
if bad:
    st.warning(
        t(
            "present.bad_slide",
            lang,
            value=escape_md(str(raw_slide)[:20]),
            count=deck.count,
            n=number,
        ),
        icon=":material/warning:",
    )
sync("slide", number if deck.count else 1, 1)

# --- the slide and its controls -------------------------------------------------------------------
current = pl.slide(deck, number, presenting=presenting, viewport=keys.viewport)
note = briefing_sync.restored_note(number if presenting else None, lang)  # "briefing restored"
pl.controls(deck, number, presenting=presenting, note=note)
mount_keys(page_keys=presenting)  # last: the page starts with the slide, not an empty element

# --- under the slide (not while presenting): notes, the briefing editor, the exports ------------
if not presenting:
    pl.notes_and_link(current, lang)
    if deck.name == "briefing":
        be.editor(deck)
    pl.export(deck)
