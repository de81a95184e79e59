"""The one notice about link parameters the app ignored. Pure: no ``st.*``.

A crafted link must not put words or links in front of a reader: parameter names and values are
shortened, shown literally (markdown escaped, addresses not linked) and gathered into ONE message
per run, listing a few and counting the rest.
"""

from __future__ import annotations

from collections.abc import Iterable

from components.i18n import Lang, join_list, t
from components.safe import literal_md, shorten

MAX_LISTED = 5  # parameters named in the notice; the rest are counted
NAME_LIMIT = 30  # characters of a parameter name shown
VALUE_LIMIT = 40  # characters of a value shown


def notice_item(name: object, value: object) -> str:
    """``name=value`` shortened and escaped for markdown."""
    text = shorten(name, NAME_LIMIT)
    raw = shorten(value, VALUE_LIMIT)
    return literal_md(f"{text}={raw}" if raw else text, NAME_LIMIT + VALUE_LIMIT + 1)


def notice_message(items: Iterable[tuple[object, object]], lang: Lang) -> str | None:
    """One message for every ignored ``(name, value)`` (duplicates once); None when there is none.

    At most :data:`MAX_LISTED` are named, the others counted ("and 57 more").
    """
    unique = list(dict.fromkeys((str(n), str(v)) for n, v in items))
    if not unique:
        return None
    listed = join_list((notice_item(n, v) for n, v in unique[:MAX_LISTED]), lang)
    rest = len(unique) - MAX_LISTED
    if rest > 0:
        listed += t("app.bad_params_more", lang, n=rest)
    key = "app.bad_param" if len(unique) == 1 else "app.bad_params"
    return t(key, lang, items=listed)
