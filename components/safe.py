"""Escaping and cleaning of data- or URL-derived text that reaches markdown, HTML, a tooltip or
the map's deck. No ``st.*``.

Streamlit renders markdown in ``st.markdown``, ``st.caption``, ``st.toast``, ``st.info`` and the
other message boxes, and in button and link labels: links, ``:red[...]`` colours, ``$$`` maths,
and bare ``https://…``, ``www.…`` and ``name@host`` addresses, which it turns into live links
even when every markdown character is escaped (measured in chromium on Streamlit 1.67). A word
joiner (U+2060, invisible and zero-width) placed inside ``://``, after ``www`` and before ``@``
breaks the auto-linker while the text looks the same.
"""

from __future__ import annotations

import html
import math
import re

WORD_JOINER = "\u2060"
ELLIPSIS = "…"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SCHEME = re.compile(r"(:)(//)")
_WWW = re.compile(r"(?i)(www)(\.)")
_AT = re.compile(r"@")


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


def shorten(value: object, limit: int = 80) -> str:
    """:func:`plain_text` cut to at most ``limit`` characters (``…`` marks a cut)."""
    text = plain_text(value)
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def no_autolink(text: object) -> str:
    """The text with web and mail addresses made inert for the markdown auto-linker.

    ``https://x`` → ``https:⁠//x``, ``www.x`` → ``www⁠.x``, ``a@b`` → ``a⁠@b`` (a word joiner,
    U+2060, between): it renders the same but is no longer turned into a link.
    """
    s = "" if text is None else str(text)
    s = _SCHEME.sub(r"\1" + WORD_JOINER + r"\2", s)
    s = _WWW.sub(r"\1" + WORD_JOINER + r"\2", s)
    return _AT.sub(WORD_JOINER + "@", s)


def escape_md(text: object) -> str:
    """Text shown literally by ``st.markdown`` and every element that renders markdown.

    Markdown, HTML, ``:colour[...]`` and ``$`` maths are escaped, bare addresses are not linked
    (:func:`no_autolink`) and line breaks become spaces.
    """
    s = "" if text is None else str(text)
    s = _CONTROL.sub(" ", s)
    return _MD_SPECIAL.sub(r"\\\1", no_autolink(s))


def literal_md(value: object, limit: int = 80) -> str:
    """User- or data-supplied text for markdown: shortened to ``limit`` characters, then escaped."""
    return escape_md(shorten(value, limit))


def escape_html(text: object) -> str:
    """Text shown literally inside HTML (tooltips, ``st.html``)."""
    return html.escape("" if text is None else str(text), quote=True)


# HTML's and markdown's own characters: written as character references by escape_svg.
_MARKUP = re.compile(r"[<>&\"'\\`*_{}\[\]()#+\-.!|~$:@=/]")


def escape_svg(text: object) -> str:
    """Text or attribute content of an SVG made on the server (``components.svg_charts``: shown
    as an image, downloaded as a file): one line (:func:`plain_text`), and every character HTML or
    markdown gives a meaning (``<>&"'`` as :func:`escape_html`, and ``*_[]()$:`` …) written as
    a numeric character reference. The HTML parser shows them literally; markdown never reads
    them as markup, a link, a formula or emphasis."""
    return _MARKUP.sub(lambda m: f"&#{ord(m.group())};", plain_text(text))


def deck_text(value: object) -> str:
    """Text for the map's deck (tooltip fields, layer data): one line, never a deck expression.

    deck.gl's JSON converter evaluates strings starting with ``@@=`` (an expression) or ``@@#``
    (a constant); a word joiner in front keeps them text, shown the same.
    """
    text = plain_text(value)
    return WORD_JOINER + text if text.startswith("@@") else text


def deck_safe(value: object) -> object:
    """``value`` with every string inside (dicts, lists walked) kept out of deck expressions."""
    if isinstance(value, str):
        return WORD_JOINER + value if value.startswith("@@") else value
    if isinstance(value, dict):
        return {k: deck_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [deck_safe(v) for v in value]
    return value
