"""The default deck is built from the data; slide sizing and helpers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from components import present as pr
from components.data import load_bundle
from components.i18n import LANGS, t
from components.matrices import reconciliation


@pytest.fixture(scope="module")
def bundle():
    return load_bundle("data")


@pytest.mark.parametrize("lang", LANGS)
def test_default_deck_builds_from_the_data(bundle, lang: str) -> None:
    deck = pr.default_deck(bundle, lang)
    assert [v.kind for v in deck] == [
        "cover", "chart", "chart", "chart", "chart", "chart", "list", "list",
    ]  # fmt: skip
    rec = reconciliation(bundle)
    total, unnamed = int(rec["published"].sum()), int(rec["unnamed"].sum())
    assert f"{total}" in deck[1].title and f"{unnamed}" in deck[1].title
    assert f"{len(bundle.clusters)}" in deck[1].title
    # Sector x continent: the top continents and their counts, computed.
    totals = pr.continent_totals(bundle)
    assert f"{int(totals.iloc[0])}" in deck[2].title
    # The lists are the data's trends and recommendations, as many as there are.
    recs = bundle.sections[bundle.sections["kind"] == "recommendation"]
    assert len(deck[6].items) == len(bundle.trends)
    assert len(deck[7].items) == len(recs)
    assert str(len(bundle.trends)) in deck[6].title and str(len(recs)) in deck[7].title
    assert set(deck[7].items) == set(recs[f"title_{lang}"])
    for view in deck:
        assert view.title and view.source.startswith(t("source.prefix", lang))
        if view.kind == "chart":
            assert isinstance(view.fig, go.Figure) and view.fig.data
        assert view.notes


def test_deck_follows_the_data_not_hand_typed_numbers(bundle) -> None:
    """Another edition's numbers show up in the headlines (nothing typed by hand)."""
    sc = bundle.sector_continent.copy()
    sc.loc[(sc["sector"] == "consumer") & (sc["continent"] == "AS"), "clusters"] += 7
    facts = bundle.facts.copy()
    facts.loc[facts["fact_id"] == "apac-dev-mva-share-2020", "value"] = 51.0
    other = dataclasses.replace(bundle, sector_continent=sc, facts=facts)
    deck = pr.default_deck(other, "en")
    assert "157 clusters" in deck[1].title and "43 are counted" in deck[1].title
    assert "Asia 62" in deck[2].title
    assert "51%" in deck[5].title


def test_a_deck_without_the_share_facts_leaves_that_slide_out(bundle) -> None:
    facts = bundle.facts[bundle.facts["region"] != "apac-dev"]
    deck = pr.default_deck(dataclasses.replace(bundle, facts=facts), "zh")
    assert len(deck) == len(pr.DECK) - 1


def test_policy_theme_shares_are_counted_per_period() -> None:
    policies = pd.DataFrame(
        {
            "period": ["2005-2021", "2005-2021", "2022-2023", "2022-2023"],
            "themes": ["digital;green", "cluster", "digital", "green;digital"],
        }
    )
    shares = pr.theme_shares(policies).set_index(["period", "theme"])
    assert shares.loc[("2005-2021", "digital"), "with_theme"] == 1
    assert shares.loc[("2005-2021", "digital"), "share"] == 0.5
    assert shares.loc[("2022-2023", "digital"), "share"] == 1.0
    assert shares.loc[("2022-2023", "green"), "policies"] == 2


def test_policy_headline_says_what_the_data_says(bundle) -> None:
    deck = pr.default_deck(bundle, "en")
    shares = pr.theme_shares(bundle.policies).set_index(["period", "theme"])["share"]
    for theme in pr.SHIFT_THEMES:
        before, after = shares[("2005-2021", theme)], shares[("2022-2023", theme)]
        assert f"{after:.0%}" in deck[4].title
        verb = {"rise": "rose", "fall": "fell", "hold": "held"}[pr._direction(before, after)]
        assert f"{t(f'present.theme.{theme}', 'en')} themes {verb}" in deck[4].title


def test_qualified_values() -> None:
    assert pr.qualified(15, "about", "percent", "zh") == "约 15%"
    assert pr.qualified(45, "nearly", "percent", "en") == "nearly 45%"
    assert pr.qualified(8.02, "exact", "percent", "en") == "8.02%"


@pytest.mark.parametrize(
    ("raw", "count", "expected"),
    [
        (None, 8, (1, True)),
        ("", 8, (1, True)),
        ("3", 8, (3, True)),
        ("8", 8, (8, True)),
        ("9", 8, (8, False)),
        ("0", 8, (1, False)),
        ("-2", 8, (1, False)),
        ("abc", 8, (1, False)),
        ("2", 0, (0, False)),
        (None, 0, (0, True)),
    ],
)
def test_clamp_slide(raw, count, expected) -> None:
    assert pr.clamp_slide(raw, count) == expected


def test_slide_figure_enlarges_type_and_drops_the_title(bundle) -> None:
    fig = pr.default_deck(bundle, "en")[2].fig  # the heatmap: titled, explicit font sizes
    assert fig.layout.title.text
    spec = pr.slide_figure(fig, height=None, factor=1.5)
    assert "title" not in spec["layout"]
    assert spec["layout"]["font"]["size"] == pytest.approx(fig.layout.font.size * 1.5)
    cells = [tr for tr in spec["data"] if tr.get("name") == "cells"][0]
    assert cells["textfont"]["size"] == pytest.approx(19 * 1.5)
    assert fig.layout.title.text  # the original is untouched
    # Squeezed below its built height, the chart keeps the page's type size at least.
    small = pr.slide_figure(fig, height=200, factor=1.5)
    assert small["layout"]["height"] == 200
    assert small["layout"]["font"]["size"] == pytest.approx(fig.layout.font.size)


def test_freeze_keeps_the_figure_as_json(bundle) -> None:
    view = pr.freeze(pr.default_deck(bundle, "en")[1])
    assert isinstance(view.fig, dict) and view.fig["data"]
    assert pr.slide_figure(view.fig, height=400)["layout"]["height"] == 400


def test_presenter_chart_height_fits_the_window() -> None:
    short, long = "Short", "A much longer headline " * 8
    for viewport in [(1920, 1080), (1280, 720)]:
        a = pr.presenter_chart_height(short, "Source: x", viewport)
        b = pr.presenter_chart_height(long, "Source: x", viewport)
        assert b < a < viewport[1] - pr.PAGE_TOP
    assert pr.presenter_chart_height(long, "x", (400, 300), minimum=250) == 250
    assert pr.text_width("中文ab") == 6


def test_slide_html_is_escaped() -> None:
    hostile = '<img src=x onerror="alert(1)">'
    assert "<img" not in pr.headline_html(hostile, presenting=True)
    assert "<img" not in pr.list_html((hostile,), presenting=False)
    assert "<img" not in pr.footer_html(hostile, 1, 2, presenting=True)
    view = pr.SlideView(kind="cover", title=hostile, subtitle=hostile)
    assert "<img" not in pr.cover_html(view, presenting=True)


def _text_of(html_text: str) -> str:
    """What the browser shows for ``html_text``: tags dropped, entities read."""
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Clusters by sector · Location quotient · Published (figure 2-1)", ["figure 2-1"]),
        ("集群的领域 × 大洲分布 · 区位商 · 报告公布数（图 2-1）", ["图 2-1"]),
        ("Table 6-2 and 表 6-2, 2018-2022", ["Table 6-2", "表 6-2", "2018-2022"]),
        ("no ids here: report section 4.2", []),
    ],
)
def test_slide_text_keeps_figure_ids_on_one_line(text: str, kept: list[str]) -> None:
    """Headlines, lists and source lines of a drawn slide: a line never breaks at the hyphen
    of a figure/table id ("…(figure 2-" / "1)"); the text shown (and copied) is unchanged."""
    out = pr.slide_text_html(text)
    assert re.findall(r'<span style="white-space:nowrap">([^<]*)</span>', out) == kept
    assert _text_of(out) == text
    assert "\u2011" not in out  # plain hyphens: copying or searching "2-1" still works
    for drawn in (
        pr.headline_html(text, presenting=True),
        pr.headline_html(text, presenting=False),
        pr.footer_html(text, 1, 2, presenting=True),
        pr.list_html((text,), presenting=False),
    ):
        assert out in drawn


def test_slide_text_is_escaped_around_ids() -> None:
    hostile = '<img src=x onerror="alert(1)"> figure 2-1 <b>'
    out = pr.slide_text_html(hostile)
    assert "<img" not in out and "<b>" not in out
    assert _text_of(out) == hostile


@pytest.mark.parametrize(
    ("number", "move", "count", "expected"),
    [
        (3, "next", 8, 4),
        (8, "next", 8, 8),
        (3, "prev", 8, 2),
        (1, "prev", 8, 1),
        (5, "first", 8, 1),
        (2, "last", 8, 8),
    ],
)
def test_move_slide_stays_in_the_deck(number, move, count, expected) -> None:
    assert pr.move_slide(number, move, count) == expected


@pytest.mark.parametrize(
    ("raw", "move", "count", "expected"),
    [
        ("3", None, 8, (3, False)),
        ("99", None, 8, (8, True)),  # out of range: the last slide, with a notice
        ("abc", None, 8, (1, True)),
        ("abc", "next", 8, (2, False)),  # a key moves on from where the bad value landed
        ("8", "next", 8, (8, False)),
        (None, "last", 8, (8, False)),
        ("5", None, 0, (0, False)),  # an empty deck: nothing to show, nothing to say
        ("5", "next", 0, (0, False)),
    ],
)
def test_slide_to_show(raw, move, count, expected) -> None:
    assert pr.slide_to_show(raw, move, count) == expected


def test_chart_height() -> None:
    cover = pr.SlideView(kind="cover", title="T")
    chart = pr.SlideView(kind="chart", title="T", source="S")
    assert pr.chart_height(cover, presenting=True, viewport=(1920, 1080)) == pr.COVER_CHART_HEIGHT
    assert pr.chart_height(chart, presenting=False, viewport=(1920, 1080)) == (
        pr.PREVIEW_CHART_HEIGHT
    )
    assert pr.chart_height(chart, presenting=True, viewport=None) == pr.PREVIEW_CHART_HEIGHT
    fitted = pr.chart_height(chart, presenting=True, viewport=(1920, 1080))
    assert fitted == pr.presenter_chart_height("T", "S", (1920, 1080), pr.MIN_CHART_HEIGHT)
    assert pr.chart_height(chart, presenting=True, viewport=(400, 300)) == pr.MIN_CHART_HEIGHT


def test_report_figure_ids_differ_by_slide_and_language() -> None:
    ids = {pr.report_figure_id(lang, n) for lang in LANGS for n in (1, 2)}
    assert len(ids) == 2 * len(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_deck_titles_and_file_names(lang: str) -> None:
    default = t("present.editor.default_name", lang)
    assert pr.briefing_title("", lang) == default
    assert pr.briefing_title("Board 3/4", lang) == "Board 3/4"
    assert pr.deck_title("briefing", "", lang) == default
    assert pr.deck_title("briefing", "Board", lang) == "Board"
    assert pr.deck_title("report", "Board", lang) == t("present.deck.report", lang)
    day = dt.date(2024, 5, 6)
    assert (
        pr.export_file_name("Board 3/4", day, lang, "pptx") == f"Board-3-4_2024-05-06_{lang}.pptx"
    )
    assert pr.briefing_file_name("Board 3/4", day) == "Board-3-4_2024-05-06.json"
    assert pr.slide_image_stem(3, lang) == f"slide_3_{lang}"


@pytest.mark.parametrize("lang", LANGS)
def test_loaded_message_names_the_skipped_views(lang: str) -> None:
    plain = pr.loaded_message("", 2, [], lang)
    assert plain == t("present.editor.loaded", lang, name="–", n=2)
    skipped = pr.loaded_message("Board", 1, [(2, "old_view"), (4, "gone")], lang)
    assert skipped.startswith(t("present.editor.loaded", lang, name="Board", n=1))
    assert "old_view, gone" in skipped
