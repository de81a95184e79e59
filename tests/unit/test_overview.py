"""The overview's headline numbers and coverage charts, from the dataset."""

from __future__ import annotations

import pytest

from components import overview as ov
from components.data import load_bundle
from components.i18n import t
from components.vocab import CONTINENTS, SECTORS


@pytest.fixture(scope="module")
def bundle():  # noqa: ANN201
    return load_bundle()


def test_headline(bundle) -> None:
    head = ov.headline(bundle)
    assert (head.total, head.named, head.unnamed) == (150, 114, 36)
    assert head.countries == bundle.clusters["country"].nunique()
    assert head.policies == len(bundle.policies) and head.trends == 8


@pytest.mark.parametrize(("by", "order"), [("continent", CONTINENTS), ("sector", SECTORS)])
def test_coverage(bundle, by: str, order) -> None:
    cov = ov.coverage(bundle, by)
    assert list(cov[by]) == list(order)
    assert (cov["published"] == cov["named"] + cov["unnamed"]).all()
    assert cov["published"].sum() == 150 and cov["unnamed"].sum() == 36


def test_coverage_asia_holds_every_unnamed_cluster(bundle) -> None:
    cov = ov.coverage(bundle, "continent").set_index("continent")
    assert cov.at["AS", "unnamed"] == 36
    assert cov.drop("AS")["unnamed"].eq(0).all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_coverage_bar_and_table(bundle, lang: str) -> None:
    cov = ov.coverage(bundle, "sector")
    fig = ov.build_coverage_bar(cov, "sector", lang)
    named, unnamed, totals = fig.data
    assert named.name == t("overview.legend_named", lang)
    assert list(named.x) == list(cov["named"]) and list(unnamed.x) == list(cov["unnamed"])
    assert [s.strip() for s in totals.text] == [str(v) for v in cov["published"]]
    table = ov.coverage_table(cov, "sector", lang)
    assert list(table.columns) == [
        t("common.sector", lang),
        t("overview.col.published", lang),
        t("overview.legend_named", lang),
        t("overview.legend_unnamed", lang),
    ]
    assert table.iloc[:, 1].sum() == 150


def test_unnamed_by_sector(bundle) -> None:
    gap = ov.unnamed_by_sector(bundle)
    assert set(gap["continent"]) == {"AS"}
    assert dict(zip(gap["sector"], gap["unnamed"], strict=True)) == {
        "electronics": 10,
        "equipment": 10,
        "biomed": 9,
        "materials": 5,
        "consumer": 2,
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_gap_text_says_when_uploaded_data_names_more_than_the_report_counts(lang: str) -> None:
    """Four more European consumer-goods clusters: 118 named and 36 unnamed no longer add up to
    the report's 150, and the text says why instead of "names only 118 of them"."""
    from tests.custom_data import more_european_consumer

    base = load_bundle()
    assert ov.headline(base).beyond == 0
    assert ov.gap_text(base, lang).startswith(
        t(
            "overview.gap",
            lang,
            total=150,
            named=114,
            unnamed=36,
            where=ov.named_sources(base, lang),
        )
    )
    bundle = more_european_consumer(base).apply(base)
    head = ov.headline(bundle)
    assert (head.total, head.named, head.unnamed, head.beyond) == (150, 118, 36, 4)
    text = ov.gap_text(bundle, lang)
    intro = t(
        "overview.gap_beyond",
        lang,
        total=150,
        named=118,
        unnamed=36,
        beyond=4,
        where=ov.named_sources(bundle, lang),
    )
    assert text.startswith(intro)
    assert "118" in text and "4" in text and "36" in text and "150" in text
    assert t("overview.gap", lang, total=150, named=118, unnamed=36, where="") not in text
