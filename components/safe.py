"""Escaping and cleaning of data-derived text that reaches markdown, HTML or a tooltip."""

from __future__ import annotations

import html
import math
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_blank(value: object) -> bool:
    """None, NaN, ``pd.NA`` or empty/blank text."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ == "NAType":  # pandas.NA, without importing pandas here
        return True
    return str(value).strip() == ""


def plain_text(value: object) -> str:
    """One line of text: no control characters, no NaN, trimmed."""
    if is_blank(value):
        return ""
    return _CONTROL.sub(" ", str(value)).strip()


def escape_md(text: object) -> str:
    """Text shown literally by ``st.markdown``: markdown, HTML and ``$`` maths neutralised."""
    s = "" if text is None else str(text)
    return _MD_SPECIAL.sub(r"\\\1", s).replace("\n", " ")


def escape_html(text: object) -> str:
    """Text shown literally inside HTML (tooltips, ``st.html``)."""
    return html.escape("" if text is None else str(text), quote=True)
