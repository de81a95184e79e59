"""The string catalogue is complete in both languages and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from components.i18n import (
    LANGS,
    CatalogueError,
    _flatten,
    catalogue,
    continent_name,
    country_name,
    join_list,
    normalize_lang,
    other,
    parenthesize,
    punct,
    sector_name,
    t,
)

ROOT = Path(__file__).resolve().parents[2]
KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")


def test_every_key_has_both_languages() -> None:
    for key, texts in catalogue().items():
        for lang in LANGS:
            assert texts.get(lang, "").strip(), f"{key} has no {lang} text"
        assert set(texts) <= set(LANGS), f"{key} has unknown languages {set(texts) - set(LANGS)}"


def test_placeholders_match_between_languages() -> None:
    field = re.compile(r"\{(\w+)\}")
    for key, texts in catalogue().items():
        assert set(field.findall(texts["zh"])) == set(field.findall(texts["en"])), key


def test_every_key_used_in_code_exists() -> None:
    used: set[str] = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py")]:
        used |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    assert used, "scanner found no keys"
    missing = sorted(used - set(catalogue()))
    assert not missing, f"keys used but not in the catalogue: {missing}"


def test_categories_are_named_in_both_languages() -> None:
    from components.vocab import CONTINENTS, SECTORS

    for lang in LANGS:
        assert len({continent_name(c, lang) for c in CONTINENTS}) == len(CONTINENTS)
        assert len({sector_name(s, lang) for s in SECTORS}) == len(SECTORS)
    assert continent_name("OC", "zh") == "澳洲"  # the report's own word
    assert sector_name("nev", "en") == "New-energy & connected vehicles"


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [("KOR", "韩国", "South Korea"), ("DEU", "德国", "Germany"), ("EU", "欧盟", "European Union")],
)
def test_country_names(code: str, zh: str, en: str) -> None:
    assert country_name(code, "zh") == zh
    assert country_name(code, "en") == en


# Official forms pycountry gives (long on a map label, e.g. 朝鲜民主主义人民共和国 above a
# Korean cluster's name) and the short common names the app uses instead.
SHORT_NAMES = {
    "PRK": ("朝鲜", "North Korea"),
    "VEN": ("委内瑞拉", "Venezuela"),
    "LAO": ("老挝", "Laos"),
    "IRN": ("伊朗", "Iran"),
    "SYR": ("叙利亚", "Syria"),
    "MDA": ("摩尔多瓦", "Moldova"),
    "BOL": ("玻利维亚", "Bolivia"),
    "COD": ("刚果（金）", "DR Congo"),
    "COG": ("刚果（布）", "Congo"),
    "RUS": ("俄罗斯", "Russia"),
    "BRN": ("文莱", "Brunei"),
    "PSE": ("巴勒斯坦", "Palestine"),
    "KHM": ("柬埔寨", "Cambodia"),  # pycountry's zh_CN has 柬埔塞
    "GTM": ("危地马拉", "Guatemala"),  # not 瓜地马拉
    "CHN": ("中国", "China"),
}
# Common names that do contain 共和国 (中非, 多米尼加: Dominica is another country).
REPUBLIC_NAMES = {"中非共和国", "多米尼加共和国"}


@pytest.mark.parametrize(("code", "names"), SHORT_NAMES.items())
def test_short_common_country_names(code: str, names: tuple[str, str]) -> None:
    assert (country_name(code, "zh"), country_name(code, "en")) == names


def test_no_base_map_label_uses_a_long_official_name() -> None:
    """Every country the base map can label (Natural Earth's label points) is named by its
    short common name: no 'People's Republic', 'Islamic Republic', ', State of' forms."""
    from components.geo import label_points, load_countries

    for code in label_points(load_countries()):
        zh, en = country_name(code, "zh"), country_name(code, "en")
        if zh == code:
            continue  # a Natural Earth-only entity: not labelled
        assert not zh.endswith("共和国") or zh in REPUBLIC_NAMES, (code, zh)
        assert "," not in en and " of" not in en, (code, en)
        assert not any(w in en for w in ("Federation", "Darussalam", "Republic of")), en


def test_unknown_country_code_is_shown_as_is() -> None:
    assert country_name("XXX", "en") == "XXX"


def test_t_formats_and_rejects_unknown_keys() -> None:
    assert t("source.report_table", "en", ref="2-10") == "report table 2-10"
    with pytest.raises(KeyError):
        t("no.such.key", "zh")


def test_normalize_and_other() -> None:
    assert normalize_lang(" EN ") == "en"
    assert normalize_lang("fr") is None
    assert normalize_lang(None) is None
    assert other("zh") == "en" and other("en") == "zh"


def test_flatten_rejects_bare_values() -> None:
    with pytest.raises(CatalogueError):
        _flatten({"a": "b"})


def test_duplicate_keys_across_files_are_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[x.y]\nzh = "一"\nen = "one"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[x.y]\nzh = "二"\nen = "two"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="duplicate"):
        catalogue(tmp_path)


CODE_FILES = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py")]
LITERAL_KEY = re.compile(r"""["']([a-z0-9_]+(?:\.[a-z0-9_]+)+)["']""")
DYNAMIC_PREFIX = re.compile(r"""f["']([a-z0-9_.]+)\{""")


def test_every_catalogue_key_is_used() -> None:
    """No dead strings: each key appears in the code, literally or under an f-string prefix."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    for path in CODE_FILES:
        text = path.read_text(encoding="utf-8")
        literal |= set(LITERAL_KEY.findall(text))
        prefixes |= {p for p in DYNAMIC_PREFIX.findall(text) if "." in p}
    unused = sorted(
        k for k in catalogue() if k not in literal and not any(k.startswith(p) for p in prefixes)
    )
    assert not unused, f"catalogue keys no code uses: {unused}"


def test_no_language_branches_outside_i18n() -> None:
    """Wording and punctuation differ by language through the catalogue, not ``lang == "zh"``."""
    branch = re.compile(r"""lang\s*[!=]=\s*["'](zh|en)["']|["'](zh|en)["']\s*[!=]=\s*lang""")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in CODE_FILES
        if path.name != "i18n.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if branch.search(line)
    ]
    assert not offenders, f"language branches outside i18n: {offenders}"


def test_punctuation_and_lists() -> None:
    assert join_list(["甲", "乙"], "zh") == "甲、乙"
    assert join_list(["a", "b"], "en") == "a, b"
    assert join_list(["a", "b"], "zh", "clause") == "a；b"
    assert punct("colon", "zh") == "：" and punct("colon", "en") == ": "
    assert parenthesize("x", "zh") == "（x）" and parenthesize("x", "en") == " (x)"
