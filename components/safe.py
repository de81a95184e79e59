"""Escaping for data-derived text that reaches markdown or HTML."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_md(text: object) -> str:
    """Text shown literally by ``st.markdown``: markdown, HTML and ``$`` maths neutralised."""
    s = "" if text is None else str(text)
    return _MD_SPECIAL.sub(r"\\\1", s).replace("\n", " ")


def escape_html(text: object) -> str:
    """Text shown literally inside HTML (tooltips, ``st.html``)."""
    return html.escape("" if text is None else str(text), quote=True)
