"""Places in the reader's language (components/places.py) and ``clusters.place_zh``: a Chinese
translation of every ``place_en`` with the same notes, used by the map's labels, the profile,
the table and the search."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from components.data import default_data_dir, load_bundle
from components.filters import Filters, apply_filters, search_index
from components.i18n import t
from components.places import head, place_text, places
from components.profile import honesty_notes

BUNDLE = load_bundle(default_data_dir())
CLUSTERS = BUNDLE.clusters
# Proper names with no Chinese form, kept in Latin letters in place_zh.
LATIN_KEPT = ("Cool Silicon", "Scale AI")
# What the English note says about the report → what the Chinese must say too.
NOTES = {
    "(inferred": "（推断",
    "the report names no hub": "报告未指明中心城市",
    "the report names no location": "报告未指明地点",
    "the report gives no location": "报告未给出地点",
}


def test_every_place_has_a_chinese_translation() -> None:
    zh = CLUSTERS["place_zh"]
    assert (zh.str.strip() != "").all(), CLUSTERS.loc[zh.str.strip() == "", "cluster_id"].tolist()
    for en, text in zip(CLUSTERS["place_en"], zh, strict=True):
        rest = text
        for name in LATIN_KEPT:
            rest = rest.replace(name, "")
        assert not re.search("[A-Za-z]", rest), (en, text)
        assert not re.search(r"[(),;]", text), (en, text)  # Chinese punctuation: （）、，；
        assert re.search(r"[\u4e00-\u9fff]", text), (en, text)
        # The same notes: a parenthesis for each, and what the report does not say.
        assert text.count("（") == text.count("）") == en.count("(") == en.count(")"), (en, text)
        for marker, marker_zh in NOTES.items():
            assert (marker in en) == (marker_zh in text), (marker, en, text)


def test_one_translation_per_place() -> None:
    pairs = CLUSTERS[["place_en", "place_zh"]].drop_duplicates()
    assert pairs["place_en"].is_unique and pairs["place_zh"].is_unique


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Munich (capital of Bavaria)", "Munich"),
        ("Stuttgart, Baden-Württemberg", "Stuttgart"),
        ("慕尼黑（巴伐利亚州首府）", "慕尼黑"),
        ("斯图加特，巴登-符腾堡州", "斯图加特"),
        ("水原（京畿道首府）", "水原"),
        ("美国；报告未给出地点，点位置于休斯敦（墨西哥湾沿岸碳捕集中心）", "美国"),
        ("比尔/比安（汝拉山区制表带）", "比尔/比安"),
        ("  巴塞尔 ", "巴塞尔"),
        ("", ""),
        (None, ""),
    ],
)
def test_head_of_a_place(text: object, name: str) -> None:
    assert head(text) == name


def test_labels_of_the_shipped_places_are_short_names() -> None:
    for lang in ("zh", "en"):
        for text in places(CLUSTERS, lang):
            name = head(text)
            assert name and not set(name) & set(",，(（;；"), text
    assert head(CLUSTERS.set_index("cluster_id").at["munich-biomedical", "place_zh"]) == "慕尼黑"


def test_a_blank_or_missing_place_zh_falls_back_to_place_en() -> None:
    frame = pd.DataFrame({"place_en": ["Basel", "Zug"], "place_zh": ["巴塞尔", " "]})
    assert places(frame, "zh").tolist() == ["巴塞尔", "Zug"]
    assert places(frame, "en").tolist() == ["Basel", "Zug"]
    assert places(frame[["place_en"]], "zh").tolist() == ["Basel", "Zug"]
    assert place_text({"place_en": "Zug", "place_zh": ""}, "zh") == "Zug"
    assert place_text({"place_en": "Zug", "place_zh": float("nan")}, "zh") == "Zug"
    assert place_text({"place_en": "Zug"}, "zh") == "Zug"
    assert place_text({"place_en": "Zug", "place_zh": "楚格"}, "zh") == "楚格"
    assert place_text({}, "zh") == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_inferred_place_note_reads_either_language(lang: str) -> None:
    """The note on an inferred place comes from either language's marker, once."""
    note = t("map.profile.note_place_inferred", lang)
    row = CLUSTERS.set_index("cluster_id").loc["germany-energy-innovation"].to_dict()
    assert honesty_notes(row, lang).count(note) == 1
    zh_only = {**row, "place_en": "Dresden"}  # an upload whose Chinese says so
    en_only = {**row, "place_zh": "德累斯顿"}
    assert honesty_notes(zh_only, lang).count(note) == 1
    assert honesty_notes(en_only, lang).count(note) == 1
    plain = {**row, "place_en": "Dresden", "place_zh": "德累斯顿"}
    assert note not in honesty_notes(plain, lang)


def test_a_chinese_search_finds_the_places_an_english_one_does() -> None:
    index = search_index(CLUSTERS, BUNDLE.organizations)

    def found(query: str) -> set[str]:
        return set(apply_filters(CLUSTERS, Filters(query=query), index)["cluster_id"])

    munich = found("慕尼黑")
    assert {"munich-biomedical", "bavaria-automotive"} <= munich
    assert munich == found("Munich")
    assert found("斯图加特") == found("Stuttgart") != set()
    assert "gyeonggi-electronics" in found("水原")
