"""Bilingual string catalogue.

Every user-facing string lives in ``components/strings/*.toml``, one table per key with a ``zh`` and
an ``en`` entry::

    [nav.overview]
    zh = "概览"
    en = "Overview"

``t("nav.overview", "en")`` looks a key up; ``{name}`` placeholders are filled from keyword args.
Category names (continents, sectors, countries) are localised by the helpers below.
"""

from __future__ import annotations

import gettext
import textwrap
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

import pycountry

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
STRINGS_DIR = Path(__file__).parent / "strings"


class CatalogueError(ValueError):
    """The string catalogue is malformed (duplicate key, missing language)."""


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for k, v in table.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict) and any(isinstance(x, dict) for x in v.values()):
            # A table holding sub-tables; it may hold its own zh/en too.
            own = {lang: v[lang] for lang in LANGS if isinstance(v.get(lang), str)}
            if own:
                out[key] = own
            sub = {kk: vv for kk, vv in v.items() if isinstance(vv, dict)}
            out.update(_flatten(sub, key))
        elif isinstance(v, dict):
            out[key] = {str(lang): str(text) for lang, text in v.items()}
        else:
            raise CatalogueError(f"{key}: expected a table with zh/en entries")
    return out


@cache
def catalogue(strings_dir: Path = STRINGS_DIR) -> dict[str, dict[str, str]]:
    """All keys of all ``*.toml`` files in ``strings_dir``; raises on a duplicate key."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(strings_dir.glob("*.toml")):
        with path.open("rb") as fh:
            flat = _flatten(tomllib.load(fh))
        dup = merged.keys() & flat.keys()
        if dup:
            raise CatalogueError(f"{path.name}: duplicate keys {sorted(dup)}")
        merged.update(flat)
    return merged


def normalize_lang(value: object) -> Lang | None:
    """``"zh"``/``"en"`` (any case, surrounding blanks) or ``None``."""
    if isinstance(value, str) and value.strip().lower() in LANGS:
        return value.strip().lower()  # type: ignore[return-value]
    return None


def t(key: str, lang: Lang, /, **fmt: object) -> str:
    """The catalogue text for ``key`` in ``lang``, with ``{placeholders}`` filled.

    An unknown key raises ``KeyError``: tests catch it; it never reaches a user unnoticed.
    """
    text = catalogue()[key][lang]
    return text.format(**fmt) if fmt else text


def punct(name: str, lang: Lang) -> str:
    """Punctuation by language: ``list`` (、), ``clause`` (；), ``colon`` (：), ``stop`` (。)."""
    return t(f"punct.{name}", lang)


def join_list(items: Iterable[object], lang: Lang, sep: str = "list") -> str:
    """Items joined the way the language lists them (``甲、乙`` / ``a, b``); ``sep="clause"``
    joins clauses (``；`` / ``; ``)."""
    return punct(sep, lang).join(str(i) for i in items)


def parenthesize(text: str, lang: Lang) -> str:
    """``（text）`` in Chinese, `` (text)`` in English."""
    return t("punct.paren", lang, text=text)


def localized_col(field: str, lang: Lang) -> str:
    """The column holding ``field`` in ``lang``: ``name`` → ``name_zh`` / ``name_en``."""
    return f"{field}_{lang}"


def wrap_label(text: str, lang: Lang, width: int = 18) -> str:
    """Break a long label onto lines with ``<br>``: Chinese after 及, English by words."""
    if lang == "zh":
        if len(text) > 6 and "及" in text[1:-1]:
            head, tail = text.split("及", 1)
            return f"{head}及<br>{tail}"
        return text
    return "<br>".join(textwrap.wrap(text, width=width)) or text


def other(lang: Lang) -> Lang:
    """The other language."""
    return "en" if lang == "zh" else "zh"


def continent_name(code: str, lang: Lang) -> str:
    """Localised continent name for a continent code (``NA``, ``EU``, ...)."""
    return t(f"continent.{code}", lang)


def sector_name(code: str, lang: Lang) -> str:
    """Localised sector name for a sector code (``nev``, ``biomed``, ...)."""
    return t(f"sector.{code}", lang)


@cache
def _zh_countries() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])


def country_name(code: str, lang: Lang) -> str:
    """Localised country (or ``EU``) name for an ISO 3166-1 alpha-3 code.

    Names come from pycountry's ISO 3166 data and its Chinese translation; a catalogue entry
    ``country.<ISO3>`` overrides it (the report's own usage, e.g. 韩国 for KOR).
    """
    override = catalogue().get(f"country.{code}")
    if override:
        return override[lang]
    rec = pycountry.countries.get(alpha_3=code)
    if rec is None:
        return code
    if lang == "zh":
        return _zh_countries().gettext(rec.name)
    return getattr(rec, "common_name", None) or rec.name
