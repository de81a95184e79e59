"""Sector × continent matrices and measures agree with figure 2-1 and with hand computation."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from components.data import load_bundle
from components.matrices import (
    MEASURES,
    cell_clusters,
    cell_code,
    cell_codes,
    cell_summary,
    country_matrix,
    difference_matrix,
    location_quotient,
    measure_matrix,
    named_matrix,
    parse_cell,
    published_matrix,
    share_of_continent,
    share_of_sector,
    source_matrices,
)
from components.vocab import CONTINENTS, SECTORS

SOURCE_TEXT = Path("/work/shared/source/000_a869ec9c63978e83.txt")

# Figure 2-1 as printed: rows by sector, columns 澳洲 北美洲 南美洲 欧洲 亚洲 (OC NA SA EU AS).
FIGURE_COLUMNS = ("OC", "NA", "SA", "EU", "AS")
FIGURE_2_1 = {
    "nev": (0, 3, 0, 8, 10),
    "materials": (1, 5, 1, 5, 6),
    "consumer": (3, 3, 0, 9, 2),
    "biomed": (0, 10, 0, 15, 10),
    "equipment": (0, 6, 1, 11, 11),
    "electronics": (1, 6, 0, 7, 16),
}
ROW_LABELS_ZH = {
    "新能源及智能网联汽车领域": "nev",
    "新材料领域": "materials",
    "消费品领域": "consumer",
    "生物医药及高端医疗器械领域": "biomed",
    "高端装备领域": "equipment",
    "电子信息领域": "electronics",
}


def _figure(values: dict[str, tuple[int, ...]] = FIGURE_2_1) -> pd.DataFrame:
    rows = [
        (s, c, v) for s, vals in values.items() for c, v in zip(FIGURE_COLUMNS, vals, strict=True)
    ]
    return published_matrix(pd.DataFrame(rows, columns=["sector", "continent", "clusters"]))


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def published(bundle) -> pd.DataFrame:
    return published_matrix(bundle.sector_continent)


@pytest.fixture(scope="module")
def named(bundle) -> pd.DataFrame:
    return named_matrix(bundle.clusters)


def test_transcription_matches_the_source_text() -> None:
    if not SOURCE_TEXT.exists():
        pytest.skip("the report's source text is not on this machine")
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    block = text[: text.index("图 2-1 全球典型产业集群领域分布")]
    parsed: dict[str, tuple[int, ...]] = {}
    for label, code in ROW_LABELS_ZH.items():
        m = re.search(rf"^{label}\t(\d+)\t(\d+)\t(\d+)\t(\d+)\t(\d+)$", block, re.M)
        assert m, f"row {label} not found in the source text"
        parsed[code] = tuple(int(g) for g in m.groups())
    assert re.search(r"^\t澳洲\t北美洲\t南美洲\t欧洲\t亚洲$", block, re.M)
    assert parsed == FIGURE_2_1


def test_published_matrix_equals_figure_2_1_cell_by_cell(published: pd.DataFrame) -> None:
    assert list(published.index) == list(SECTORS)
    assert list(published.columns) == list(CONTINENTS)
    for sector, values in FIGURE_2_1.items():
        for continent, expected in zip(FIGURE_COLUMNS, values, strict=True):
            assert published.at[sector, continent] == expected, (sector, continent)
    assert int(published.to_numpy().sum()) == 150
    assert published.sum(axis=0).to_dict() == {"NA": 33, "EU": 55, "AS": 55, "OC": 5, "SA": 2}


def test_published_matrix_is_fixed_order_even_from_shuffled_rows() -> None:
    fig = _figure()
    shuffled = published_matrix(
        pd.DataFrame(
            [(s, c, int(fig.at[s, c])) for s in reversed(SECTORS) for c in reversed(CONTINENTS)],
            columns=["sector", "continent", "clusters"],
        )
    )
    pd.testing.assert_frame_equal(shuffled, fig)


def test_named_matrix_counts_every_named_cluster(bundle, named: pd.DataFrame) -> None:
    assert int(named.to_numpy().sum()) == len(bundle.clusters) == 114
    assert named.shape == (len(SECTORS), len(CONTINENTS))


def test_difference_sums_to_36_and_sits_in_asia(published, named) -> None:
    diff = difference_matrix(published, named)
    assert int(diff.to_numpy().sum()) == 36
    assert (diff.drop(columns="AS") == 0).all().all()
    assert (diff["AS"] >= 0).all()
    assert diff["AS"].to_dict() == {
        "electronics": 10,
        "equipment": 10,
        "biomed": 9,
        "materials": 5,
        "consumer": 2,
        "nev": 0,
    }


def test_source_matrices(bundle, published, named) -> None:
    by_source = source_matrices(bundle.sector_continent, bundle.clusters)
    assert list(by_source) == ["published", "named", "difference"]
    pd.testing.assert_frame_equal(by_source["published"], published)
    pd.testing.assert_frame_equal(by_source["named"], named)
    assert int(by_source["difference"].to_numpy().sum()) == 36


@pytest.mark.parametrize("source", ["published", "named"])
def test_shares_sum_to_one(published, named, source: str) -> None:
    counts = published if source == "published" else named
    cont = share_of_continent(counts)
    np.testing.assert_allclose(cont.sum(axis=0).to_numpy(), 1.0)
    sect = share_of_sector(counts)
    np.testing.assert_allclose(sect.sum(axis=1).to_numpy(), 1.0)


def test_share_of_continent_hand_computed(published) -> None:
    assert share_of_continent(published).at["consumer", "EU"] == pytest.approx(9 / 55)
    assert share_of_sector(published).at["consumer", "EU"] == pytest.approx(9 / 17)


def test_location_quotient_hand_computed(published) -> None:
    lq = location_quotient(published)
    assert lq.at["consumer", "EU"] == pytest.approx((9 / 55) / (17 / 150))
    assert lq.at["electronics", "AS"] == pytest.approx((16 / 55) / (30 / 150))
    assert lq.at["nev", "OC"] == 0.0


def test_location_quotient_is_one_for_a_proportional_matrix() -> None:
    counts = _figure({s: (1, 2, 1, 3, 4) for s in FIGURE_2_1})
    np.testing.assert_allclose(location_quotient(counts).to_numpy(), 1.0)


def test_empty_continent_and_empty_sector_are_undefined_not_errors() -> None:
    values = {s: (0, *v[1:]) for s, v in FIGURE_2_1.items()}  # Oceania emptied
    values["nev"] = (0, 0, 0, 0, 0)  # and one sector
    counts = _figure(values)
    lq = location_quotient(counts)
    assert lq["OC"].isna().all()
    assert lq.loc["nev"].isna().all()
    assert share_of_continent(counts)["OC"].isna().all()
    assert share_of_sector(counts).loc["nev"].isna().all()
    assert np.isfinite(lq.drop(index="nev", columns="OC").to_numpy()).all()


def test_all_zero_matrix_gives_nan_lq() -> None:
    counts = _figure({s: (0, 0, 0, 0, 0) for s in FIGURE_2_1})
    assert location_quotient(counts).isna().all().all()


@pytest.mark.parametrize("measure", MEASURES)
def test_measure_matrix_shapes(published, measure: str) -> None:
    values = measure_matrix(published, measure)
    assert values.shape == published.shape
    assert list(values.index) == list(SECTORS)
    assert values.dtypes.map(lambda d: d.kind == "f").all()


def test_measure_matrix_rejects_unknown_measure(published) -> None:
    with pytest.raises(ValueError):
        measure_matrix(published, "median")  # type: ignore[arg-type]


def test_country_matrix_sorted_and_filtered(bundle, named) -> None:
    by_country = country_matrix(bundle.clusters)
    totals = by_country.sum(axis=1).to_list()
    assert totals == sorted(totals, reverse=True)
    assert int(by_country.to_numpy().sum()) == 114
    assert list(by_country.columns) == list(SECTORS)
    assert by_country.index[0] == "USA"
    asia = country_matrix(bundle.clusters, ("AS",))
    asian = set(bundle.clusters.loc[bundle.clusters["continent"] == "AS", "country"])
    assert set(asia.index) == asian
    assert asia.sum(axis=0).to_dict() == named["AS"].to_dict()


def test_country_matrix_of_nothing_is_empty(bundle) -> None:
    none = country_matrix(bundle.clusters.iloc[0:0])
    assert none.empty and list(none.columns) == list(SECTORS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("consumer.EU", ("consumer", "EU")),
        ("nev.OC", ("nev", "OC")),
        ("consumer.eu", None),
        ("consumer", None),
        ("consumer.EU.x", None),
        ("", None),
        (None, None),
        ("<script>.EU", None),
    ],
)
def test_parse_cell(raw, expected) -> None:
    assert parse_cell(raw) == expected


def test_cell_codes_round_trip() -> None:
    codes = cell_codes()
    assert len(codes) == len(SECTORS) * len(CONTINENTS)
    assert all(parse_cell(c) is not None for c in codes)
    assert cell_code("consumer", "EU") == "consumer.EU"


def test_cell_clusters_and_summary(bundle, published, named) -> None:
    members = cell_clusters(bundle.clusters, "consumer", "EU")
    assert len(members) == 9
    assert set(members["sector"]) == {"consumer"} and set(members["continent"]) == {"EU"}
    annex = members["annex_no"].dropna().tolist()
    assert annex == sorted(annex)
    assert cell_summary(
        source_matrices(bundle.sector_continent, bundle.clusters), "electronics", "AS"
    ) == {
        "published": 16,
        "named": 6,
        "unnamed": 10,
    }
