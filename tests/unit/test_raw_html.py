"""``components.display.RawHtml``: the app's own HTML reaches ``st.html``'s element unchanged,
without Streamlit's ``clean_text`` pass (a dedent over the whole text on every rerun)."""

from __future__ import annotations

from unittest import mock

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from components.display import RawHtml

    st.html(RawHtml('  <img alt="a" src="data:image/svg+xml;base64,QUJD">\n'))
    st.html('  <img alt="b" src="data:image/svg+xml;base64,QUJD">\n')


def test_raw_html_is_sent_as_written_and_skips_clean_text() -> None:
    import streamlit.elements.html as html_element

    with mock.patch.object(html_element, "clean_text", wraps=html_element.clean_text) as clean:
        at = AppTest.from_function(_script).run()
    assert not at.exception
    raw, plain = (h.proto.body for h in at.get("html"))
    assert raw == '  <img alt="a" src="data:image/svg+xml;base64,QUJD">\n'  # not dedented
    assert plain == '<img alt="b" src="data:image/svg+xml;base64,QUJD">'  # Streamlit's pass
    assert clean.call_count == 1  # the plain string only
