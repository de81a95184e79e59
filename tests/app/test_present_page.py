"""The present page: ``?slide=N``, notices, presenter mode, and the briefing built from other
pages' "add to briefing" controls (add, reorder, retitle, remove)."""

from __future__ import annotations

import pytest

from components.briefing import Briefing
from components.i18n import t

PRESENT = "pages/present.py"


def _html(at) -> str:
    return "\n".join(e.proto.body for e in at.get("html"))


def _number(at) -> str:
    text = _html(at)
    start = text.index('class="slide-number"')
    return text[text.index(">", start) + 1 : text.index("</span>", start)]


def _button(at, key: str):
    return next(b for b in at.button if b.key == key)


def _briefing(at) -> Briefing:
    value = at.session_state["_briefing"] if "_briefing" in at.session_state else None
    return value if isinstance(value, Briefing) else Briefing()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_slide_param_opens_that_slide(make_app, lang: str) -> None:
    at = make_app(PRESENT, lang=lang, slide="3")
    assert not at.exception
    assert _number(at) == "3 / 8"
    assert not at.warning
    assert len(at.get("plotly_chart")) == 1
    _button(at, "slide_next").click().run()
    assert _number(at) == "4 / 8"
    assert at.query_params["slide"] in ("4", ["4"])
    _button(at, "slide_prev").click().run()
    _button(at, "slide_prev").click().run()
    assert _number(at) == "2 / 8"


@pytest.mark.parametrize(("raw", "shown"), [("99", "8 / 8"), ("0", "1 / 8"), ("abc", "1 / 8")])
def test_out_of_range_slide_gets_a_notice(make_app, raw: str, shown: str) -> None:
    at = make_app(PRESENT, lang="en", slide=raw)
    assert not at.exception
    assert _number(at) == shown
    assert at.warning and "8" in at.warning[0].value
    assert raw in at.warning[0].value


def test_presenter_mode_has_no_sidebar(make_app) -> None:
    at = make_app(PRESENT, lang="en", present="1", slide="2")
    assert not at.exception
    assert not at.sidebar.children or all(not c.children for c in at.sidebar.children.values())
    assert not at.title  # no page furniture, only the slide
    assert _number(at) == "2 / 8"
    assert [b.key for b in at.button if b.key == "present_exit"]
    _button(at, "present_exit").click().run()
    assert "present" not in at.query_params
    assert at.title[0].value == t("present.title", "en")


def test_present_param_elsewhere_is_dropped(make_app) -> None:
    at = make_app("pages/heatmap.py", lang="en", present="1")
    assert not at.exception
    assert "present" not in at.query_params
    assert at.sidebar.segmented_control  # the frame is back


def test_empty_briefing_says_how_to_fill_it(make_app) -> None:
    at = make_app(PRESENT, lang="en", deck="briefing")
    assert not at.exception
    assert any(t("present.add", "en") in i.value for i in at.info)


def test_add_reorder_retitle_remove(make_app) -> None:
    at = make_app("pages/heatmap.py", lang="en", measure="lq", cell="biomed.EU")
    _button(at, "hm_main_chart_0_brief").click().run()
    assert not at.exception
    b = _briefing(at)
    assert len(b.slides) == 1
    assert b.slides[0].param_dict == {"measure": "lq", "cell": "biomed.EU"}
    # The control now says the view is in the briefing.
    assert _button(at, "hm_main_chart_0_brief").disabled
    _button(at, "hm_country_chart_brief").click().run()

    at.switch_page("pages/overview.py").run()
    _button(at, "ov_sector_brief").click().run()
    assert [s.view for s in _briefing(at).slides] == [
        "hm_main_chart", "hm_country_chart", "ov_sector",
    ]  # fmt: skip

    at.query_params["deck"] = "briefing"
    at.switch_page(PRESENT).run()
    assert not at.exception
    assert _number(at) == "1 / 3"
    uids = [s.uid for s in _briefing(at).slides]
    # Reorder: the last slide up one place.
    _button(at, f"bup_{uids[2]}").click().run()
    assert [s.uid for s in _briefing(at).slides] == [uids[0], uids[2], uids[1]]
    # Retitle and notes: shown on the slide.
    at.text_input(key=f"bt_{uids[0]}").input("<b>My heatmap</b>").run()
    at.text_area(key=f"bn_{uids[0]}").input("Say why Europe leads.").run()
    slide = _briefing(at).slides[0]
    assert slide.title == "<b>My heatmap</b>" and slide.notes == "Say why Europe leads."
    assert "&lt;b&gt;My heatmap&lt;/b&gt;" in _html(at)
    # Remove.
    _button(at, f"bdel_{uids[1]}").click().run()
    assert [s.uid for s in _briefing(at).slides] == [uids[0], uids[2]]
    assert _number(at) == "1 / 2"
    assert not at.exception


def test_map_view_goes_to_the_briefing_with_its_filters(make_app) -> None:
    at = make_app("pages/map.py", lang="zh", continent="EU", sector="biomed")
    _button(at, "map_brief").click().run()
    assert not at.exception
    (slide,) = _briefing(at).slides
    assert (slide.page, slide.view) == ("map", "map_deck")
    assert slide.param_dict == {"continent": "EU", "sector": "biomed"}
    at.query_params["deck"] = "briefing"
    at.switch_page(PRESENT).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1  # the static map


def test_store_outside_the_router_is_empty() -> None:
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from components.briefing_store import briefing_button, get_briefing

        briefing_button("x", "en")
        st.write(len(get_briefing().slides))

    at = AppTest.from_function(script).run()
    assert not at.exception and not at.button


def test_presenter_mode_switches_language_without_the_sidebar(make_app) -> None:
    at = make_app(PRESENT, lang="en", present="1", slide="3")
    assert "/ 8" in _number(at)
    (switch,) = at.segmented_control
    switch.set_value("zh").run()
    assert not at.exception
    assert at.query_params.get("lang") is None or at.query_params["lang"] in ("zh", ["zh"])
    assert _number(at) == "3 / 8"
    assert t("present.exit", "zh") in [b.label for b in at.button]
