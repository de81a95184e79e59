"""``components.svg_charts.RawHtml`` (what ``as_image`` returns): the app's own HTML reaches
``st.html``'s element unchanged, without Streamlit's ``clean_text`` pass (a dedent over the
whole text on every rerun)."""

from __future__ import annotations

from unittest import mock

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from components.svg_charts import RawHtml

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


def test_the_app_s_images_are_raw_html() -> None:
    from components.svg_charts import RawHtml, Svg, as_image

    image = as_image(Svg('<svg xmlns="http://www.w3.org/2000/svg" aria-label="a"></svg>'))
    assert isinstance(image, RawHtml) and image.startswith('<img class="svg-chart" alt="a"')
