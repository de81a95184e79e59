"""Pure parsing and encoding of view state kept in the URL's query string.

Values travel as plain strings: one choice (``?measure=lq``), a comma-separated list
(``?sector=nev,biomed``) or free text (``?q=Basel``). Parsing never raises: a value that does not
fit is dropped and reported back so the page can show a small notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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
