"""URL-bound widgets, run in a minimal script through AppTest (no router, no data)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _radio_script() -> None:
    import streamlit as st

    from components.widgets import begin_run, drop_unbound_params, url_multiselect, url_radio

    begin_run()
    value = url_radio("measure", "Measure", ["count", "lq"], "count")
    chosen = url_multiselect("sector", "Sector", ["nev", "biomed", "consumer"])
    st.text(f"{value}|{','.join(chosen)}")
    drop_unbound_params()


def _click_script() -> None:
    import streamlit as st

    from components.widgets import begin_run, drop_unbound_params, set_click, url_click

    begin_run()
    value, key = url_click("item", "chart", valid={"a", "b"}.__contains__, picked=lambda e: [])
    st.text(f"{value}|{key}")
    st.button("pick b", on_click=set_click, args=("chart", "b"), key="pick")
    st.button("clear", on_click=set_click, args=("chart", None), key="clear")
    drop_unbound_params()


def _run(fn, **params: str) -> AppTest:  # noqa: ANN001
    at = AppTest.from_function(fn, default_timeout=30)
    at.query_params.update(params)
    return at.run()


def _param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def test_radio_reads_the_url_and_leaves_defaults_out() -> None:
    at = _run(_radio_script, measure="lq", sector="biomed,nev")
    assert at.text[0].value == "lq|nev,biomed"  # multiselect keeps the options' order
    at.radio(key="url_measure").set_value("count").run()
    assert at.text[0].value == "count|nev,biomed"
    assert _param(at, "measure") is None  # the default is left out of the URL
    assert _param(at, "sector") == "nev,biomed"


def test_bad_values_and_unknown_params_are_dropped_with_a_notice() -> None:
    at = _run(_radio_script, measure="zz", sector="nev,xx", other="1")
    assert not at.exception
    assert at.text[0].value == "count|nev"
    notices = " ".join(str(t.body) for t in at.toast)
    assert "measure=zz" in notices and "sector=xx" in notices and "other=1" in notices
    assert _param(at, "other") is None and _param(at, "measure") is None


def test_click_helper_url_and_set_click() -> None:
    at = _run(_click_script, item="a")
    assert at.text[0].value == "a|chart_0"
    at.button(key="pick").click().run()
    assert at.text[0].value == "b|chart_1"  # a fresh chart key: a stale selection can't count
    assert _param(at, "item") == "b"
    at.button(key="clear").click().run()
    assert at.text[0].value.startswith("None|")
    assert _param(at, "item") is None


def test_click_helper_rejects_unknown_ids() -> None:
    at = _run(_click_script, item="zzz")
    assert at.text[0].value == "None|chart_0"
    assert "item=zzz" in " ".join(str(t.body) for t in at.toast)


def test_a_rejected_link_value_outlives_quick_reruns_until_a_choice() -> None:
    """The map's warning about a bad ``?cluster=`` survives the size probe's rerun."""

    def script() -> None:
        import streamlit as st

        from components.widgets import rejected_link_value

        chosen = st.session_state.get("chosen")
        raw = st.query_params.get("cluster")
        if raw:
            del st.query_params["cluster"]
        bad = rejected_link_value("cluster", raw, {"a", "b"}.__contains__, chosen)
        st.write(f"bad={bad}")

    at = AppTest.from_function(script)
    at.query_params["cluster"] = "evil"
    at.run()
    assert at.markdown[0].value == "bad=evil"
    at.run()  # a rerun with the parameter gone (the probe): still said
    assert at.markdown[0].value == "bad=evil"
    at.session_state["chosen"] = "a"
    at.run()
    assert at.markdown[0].value == "bad=None"


def test_wrapping_links_takes_only_css_safe_keys() -> None:
    """The key becomes a CSS class in the container's style: nothing that could end the rule."""
    from components.display import wrapping_links

    for bad in ("a b", "x}body{display:none", "1st", ""):
        with pytest.raises(ValueError):
            wrapping_links(bad)
