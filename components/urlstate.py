"""Pure parsing and encoding of view state kept in the URL's query string.

Values travel as plain strings: one choice (``?measure=lq``), a comma-separated list
(``?sector=nev,biomed``) or free text (``?q=Basel``). Parsing never raises: a value that does not
fit is dropped and reported back so the page can show a small notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

MAX_TEXT = 100
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Parsed:
    """A parsed parameter: the value to use and the raw pieces that were rejected."""

    value: object
    rejected: tuple[str, ...] = field(default=())


def parse_choice(raw: str | None, options: Sequence[str], default: str) -> Parsed:
    """One of ``options``; ``default`` when absent or unknown (the unknown raw is reported)."""
    if raw is None or raw == "":
        return Parsed(default)
    if raw in options:
        return Parsed(raw)
    return Parsed(default, (raw,))


def parse_multi(raw: str | None, options: Sequence[str]) -> Parsed:
    """A tuple of distinct known options, in the order of ``options``; unknown items reported."""
    if not raw:
        return Parsed(())
    items = [x.strip() for x in raw.split(",") if x.strip()]
    known = set(options)
    chosen = {x for x in items if x in known}
    rejected = tuple(dict.fromkeys(x for x in items if x not in known))
    return Parsed(tuple(o for o in options if o in chosen), rejected)


def parse_text(raw: str | None, max_len: int = MAX_TEXT) -> Parsed:
    """Free text without control characters, cut to ``max_len``; reported when altered."""
    if not raw:
        return Parsed("")
    clean = _CONTROL.sub("", raw)[:max_len]
    return Parsed(clean, (raw,) if clean != raw else ())


def parse_slug(raw: str | None, valid: Iterable[str] | None = None) -> Parsed:
    """An id such as a ``cluster_id``: well-formed and, if ``valid`` is given, one of them."""
    if not raw:
        return Parsed(None)
    if _SLUG.match(raw) and (valid is None or raw in set(valid)):
        return Parsed(raw)
    return Parsed(None, (raw,))


def parse_int(raw: str | None, lo: int, hi: int, default: int) -> Parsed:
    """A whole number in ``[lo, hi]`` (``-2``, ``3``); ``default`` when absent or not one."""
    if raw is None or raw == "":
        return Parsed(default)
    if re.fullmatch(r"-?[0-9]{1,3}", raw) and lo <= int(raw) <= hi:
        return Parsed(int(raw))
    return Parsed(default, (raw,))


def encode(value: object) -> str:
    """The query-string form of a parsed value (lists joined with commas)."""
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def is_default(value: object, default: object) -> bool:
    """Whether ``value`` equals ``default``: defaults stay out of URLs."""
    if isinstance(value, list | tuple) and isinstance(default, list | tuple):
        return tuple(value) == tuple(default)
    return value == default


@dataclass(frozen=True)
class Click:
    """What a chart's click state remembers between reruns.

    ``value``: the selected item (a cluster id, a cell code …) or None; ``url``: the query value
    last written for it (to tell a link the user followed from our own write); ``seen``: the last
    chart selection acted upon (a rerun re-sends the same selection, which must not undo a choice
    made elsewhere, e.g. in a list or with a close button).
    """

    value: str | None = None
    url: str | None = None
    seen: tuple[str, ...] = ()


def next_click(
    state: Click,
    url_raw: str | None,
    picked: Sequence[str],
    valid: Callable[[str], bool],
    *,
    url_leads: bool = True,
) -> tuple[Click, tuple[str, ...]]:
    """The click state after one rerun, and the URL values rejected on the way.

    1. A URL value that differs from the one last written came from outside (a shared link, a
       drill-down link, Back) when ``url_leads`` (the first run of a visit to the page, or a
       history navigation): it wins if ``valid``, else it is rejected. In any other run it is
       the browser's copy from before our last write (a rerun requested while the write was on
       its way) and the remembered value stands, as with Streamlit's own URL-bound widgets. A
       URL without the parameter keeps the remembered value (the page was reopened from the
       sidebar).
    2. A chart selection not seen before wins; the same selection again, or an empty one, does not.
    """
    value, rejected = state.value, ()
    if url_leads and url_raw is not None and url_raw != state.url:
        if valid(url_raw):
            value = url_raw
        else:
            rejected = (url_raw,)
    fresh = tuple(picked)
    if fresh != state.seen:
        chosen = [p for p in fresh if valid(p)]
        if chosen:
            value = chosen[0]
    return Click(value=value, url=value, seen=fresh), rejected
