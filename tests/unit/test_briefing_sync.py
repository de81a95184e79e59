"""The briefing the browser sends back after a reload (components/briefing_sync.py), through
AppTest: a toast on a page, a line under the slide in presenter mode (no toast over it)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from components import briefing as bf
from components.briefing_sync import KEY
from components.i18n import t


def _script() -> None:
    import streamlit as st

    from components import briefing_sync

    presenting = st.query_params.get("present") == "1"
    briefing_sync.restore("en", inline=presenting)
    slide = int(st.query_params.get("slide", "1"))
    st.text(briefing_sync.restored_note(slide if presenting else None, "en") or "-")


def _stored(*views: tuple[str, str]) -> str:
    """A briefing file as the browser keeps it: one heatmap slide, and ``views`` no renderer
    knows (left out on restore)."""
    b = bf.add(bf.Briefing(name="Board"), bf.make_slide("heatmap", "hm_main_chart", {}))
    doc = json.loads(bf.to_json(b))
    for page, view in views:
        doc["slides"].append({**doc["slides"][0], "page": page, "view": view})
    return json.dumps(doc)


def _app(raw: str, **params: str) -> AppTest:
    at = AppTest.from_function(_script, default_timeout=30)
    at.session_state[KEY] = {"restore": raw}
    at.query_params.update(params)
    return at.run()


def test_restore_on_a_page_says_so_in_a_toast() -> None:
    at = _app(_stored())
    assert not at.exception
    assert [x.proto.body for x in at.toast] == [t("present.restored", "en", n=1)]
    assert at.text[0].value == "-"


def test_restore_in_presenter_mode_says_so_under_the_slide_until_it_is_turned() -> None:
    at = _app(_stored(("gone", "*old*")), present="1", slide="1")
    assert not at.exception
    assert not at.toast  # nothing pops up over the slide
    note = at.text[0].value
    assert t("present.restored", "en", n=1) in note
    assert "\\*old\\*" in note  # the left-out view, from the browser's copy: escaped
    assert note.startswith(":material/warning:")
    at.run()  # another run on the same slide (a resize): still there
    assert at.text[0].value == note
    at.query_params["slide"] = "2"
    at.run()
    assert at.text[0].value == "-"
    at.query_params["slide"] = "1"
    at.run()
    assert at.text[0].value == "-"  # said once


def _fresh_script() -> None:
    import streamlit as st

    from components import briefing as bf
    from components import briefing_sync
    from components.briefing_store import get_briefing, set_briefing

    briefing_sync.restore("en")
    if st.query_params.get("empty") == "1":
        set_briefing(bf.Briefing(name=get_briefing().name))  # the reader removed every slide
    st.text(str(briefing_sync.payload()["fresh"]))
    st.text(str(len(get_briefing().slides)))


def test_a_new_session_stays_fresh_until_it_answers_the_browser() -> None:
    """The browser keeps its copy and asks again while the session is fresh; once the session
    has read a copy (kept or refused), it stops."""
    at = AppTest.from_function(_fresh_script, default_timeout=30).run()
    assert [x.value for x in at.text] == ["True", "0"]
    at.run()  # a run that carried no answer (the viewport's): still fresh, still asking
    assert [x.value for x in at.text] == ["True", "0"]
    at.session_state[KEY] = {"restore": _stored()}
    at.run()
    assert [x.value for x in at.text] == ["False", "1"]
    at.session_state[KEY] = {"restore": _stored()}  # asked again meanwhile: answered once
    at.run()
    assert [x.value for x in at.text] == ["False", "1"]
    assert len(at.toast) == 0


def test_a_refused_copy_settles_the_session_too() -> None:
    at = AppTest.from_function(_fresh_script, default_timeout=30)
    at.session_state[KEY] = {"restore": "{not a briefing"}
    at.run()
    assert [x.value for x in at.text] == ["False", "0"]


def test_a_briefing_the_reader_emptied_is_not_filled_again() -> None:
    at = AppTest.from_function(_fresh_script, default_timeout=30)
    at.session_state[KEY] = {"restore": _stored()}
    at.run()
    at.query_params["empty"] = "1"
    at.session_state[KEY] = {"restore": _stored()}  # another tab's copy, sent late
    at.run()
    assert [x.value for x in at.text] == ["False", "0"]
