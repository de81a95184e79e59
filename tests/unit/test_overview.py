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
