"""Heatmap builders: cells, labels and text in the chosen language; totals kept off the scale."""

from __future__ import annotations

import io
import json
import math

import pandas as pd
import pytest

from components.data import load_bundle
from components.export import csv_bytes
from components.heatmap_charts import (
    build_country_heatmap,
    build_main_heatmap,
    country_table,
    format_value,
    lq_example,
    main_table,
)
from components.i18n import (
    LANGS,
    catalogue,
    continent_name,
    country_name,
    sector_name,
    t,
    wrap_label,
)
from components.matrices import MEASURES, SOURCES, country_matrix, named_matrix, published_matrix
from components.vocab import CONTINENTS, SECTORS


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def counts(bundle) -> dict[str, pd.DataFrame]:
    published = published_matrix(bundle.sector_continent)
    named = named_matrix(bundle.clusters)
    return {"published": published, "named": named, "difference": published - named}


def _spec(fig) -> dict:
    return json.loads(fig.to_json())


def _strip(label: str) -> str:
    return label.replace("<br>", "" if any("\u4e00" <= ch <= "\u9fff" for ch in label) else " ")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("source", SOURCES)
def test_main_heatmap_labels_and_text(counts, lang: str, measure: str, source: str) -> None:
    spec = _spec(build_main_heatmap(counts[source], measure, source, lang))
    cells = spec["data"][0]
    assert cells["type"] == "heatmap"
    assert cells["x"] == [continent_name(c, lang) for c in CONTINENTS]
    assert [_strip(y) for y in cells["y"]] == [sector_name(s, lang) for s in SECTORS]
    assert len(cells["z"]) == len(SECTORS) and all(len(r) == len(CONTINENTS) for r in cells["z"])
    # A number (or the "undefined" dash) printed in every cell, large enough for a projector.
    assert all(txt.strip() for row in cells["text"] for txt in row)
    assert cells["texttemplate"] == "%{text}"
    assert cells["textfont"]["size"] >= 16
    assert cells["colorbar"]["title"]["text"]
    title = spec["layout"]["title"]
    shown = "count" if source == "difference" else measure
    assert t(f"heatmap.measure.{shown}", lang) in title["text"]
    n = int(counts[source].to_numpy().sum())
    assert t(f"heatmap.source.{source}_n", lang, n=n) in title["subtitle"]["text"]


@pytest.mark.parametrize("lang", LANGS)
def test_long_column_labels_are_shown_on_two_lines(counts, lang: str) -> None:
    """In a narrow grid (a briefing preview or slide at 1280 px) "Oceania" and "South America"
    ran into each other: long names are drawn on two lines; the traces keep the plain names."""
    spec = _spec(build_main_heatmap(counts["published"], "count", "published", lang))
    axis = spec["layout"]["xaxis"]
    names = [continent_name(c, lang) for c in CONTINENTS]
    assert axis["tickvals"] == [*names, t("heatmap.total", lang)]
    shown = dict(zip(axis["tickvals"], axis["ticktext"], strict=True))
    for name in names:
        assert _strip(shown[name]) == name
        lines = shown[name].split("<br>")
        assert all(len(line) <= 9 for line in lines) or len(lines) == 1
    if lang == "en":
        assert shown["South America"] == "South<br>America"
        assert shown["North America"] == "North<br>America"
    assert spec["data"][0]["x"] == names


def test_count_z_is_the_matrix(counts) -> None:
    cells = _spec(build_main_heatmap(counts["published"], "count", "published", "en"))["data"][0]
    assert cells["z"] == counts["published"].astype(float).to_numpy().tolist()
    assert cells["zmin"] == 0


def test_measures_change_z(counts) -> None:
    zs = {
        m: _spec(build_main_heatmap(counts["published"], m, "published", "zh"))["data"][0]["z"]
        for m in MEASURES
    }
    assert len({json.dumps(z) for z in zs.values()}) == len(MEASURES)


def test_lq_is_diverging_and_centred_on_one(counts) -> None:
    spec = _spec(build_main_heatmap(counts["published"], "lq", "published", "en"))
    cells = spec["data"][0]
    assert cells["zmid"] == 0 and cells["zmin"] == -cells["zmax"]  # log2 scale: 0 ↔ LQ 1
    ticks = dict(zip(cells["colorbar"]["ticktext"], cells["colorbar"]["tickvals"], strict=True))
    assert ticks["1"] == 0
    i, j = SECTORS.index("consumer"), CONTINENTS.index("EU")
    lq = (9 / 55) / (17 / 150)
    assert cells["z"][i][j] == pytest.approx(math.log2(lq), abs=1e-5)
    assert cells["text"][i][j] == f"{lq:.2f}"
    k = CONTINENTS.index("OC")
    assert cells["text"][SECTORS.index("nev")][k] == "0"  # an empty cell: LQ 0 ...
    assert cells["z"][SECTORS.index("nev")][k] is None  # ... no colour on the scale (grey cell)


def test_difference_is_counts_of_the_unnamed(counts) -> None:
    spec = _spec(build_main_heatmap(counts["difference"], "lq", "difference", "zh"))
    cells = spec["data"][0]
    assert sum(v for row in cells["z"] for v in row) == 36
    assert t("heatmap.measure.count", "zh") in spec["layout"]["title"]["text"]


def test_totals_are_a_separate_grey_strip(counts) -> None:
    spec = _spec(build_main_heatmap(counts["published"], "share_continent", "published", "en"))
    totals = spec["data"][1]
    assert totals["type"] == "heatmap" and totals["showscale"] is False
    assert {c for _, c in totals["colorscale"]} == {totals["colorscale"][0][1]}
    assert totals["x"][-1] == totals["y"][-1] == t("heatmap.total", "en")
    assert totals["text"][-1][-1] == "<b>150</b>"
    assert totals["text"][SECTORS.index("consumer")][-1] == "<b>17</b>"  # counts, not shares
    assert totals["text"][-1][CONTINENTS.index("EU")] == "<b>55</b>"


def test_hit_layer_carries_cell_codes(counts) -> None:
    spec = _spec(build_main_heatmap(counts["named"], "count", "named", "zh"))
    hit = spec["data"][-1]
    assert hit["type"] == "scatter" and hit["marker"]["opacity"] == 0
    codes = [c for c in hit["customdata"] if c]
    assert len(codes) == len(SECTORS) * len(CONTINENTS)
    assert "consumer.EU" in codes
    assert spec["layout"]["xaxis"]["fixedrange"] and spec["layout"]["yaxis"]["fixedrange"]


def test_selected_cell_is_outlined(counts) -> None:
    plain = _spec(build_main_heatmap(counts["published"], "count", "published", "zh"))
    chosen = _spec(
        build_main_heatmap(counts["published"], "count", "published", "zh", ("consumer", "EU"))
    )
    assert len(chosen["layout"]["shapes"]) == len(plain["layout"]["shapes"]) + 1
    box = chosen["layout"]["shapes"][-1]
    assert box["type"] == "rect"
    assert box["x0"] < CONTINENTS.index("EU") < box["x1"]
    assert box["y0"] < SECTORS.index("consumer") < box["y1"]


@pytest.mark.parametrize("lang", LANGS)
def test_country_heatmap(bundle, lang: str) -> None:
    matrix = country_matrix(bundle.clusters)
    spec = _spec(build_country_heatmap(matrix, lang))
    cells = spec["data"][0]
    assert cells["y"] == [country_name(c, lang) for c in matrix.index]
    assert [_strip(x) for x in cells["x"]] == [sector_name(s, lang) for s in SECTORS]
    assert cells["z"] == matrix.astype(float).to_numpy().tolist()
    for row, values in zip(cells["text"], matrix.to_numpy(), strict=True):
        assert row == [str(v) if v else "" for v in values]
    assert spec["data"][1]["text"][-1][-1] == "<b>114</b>"
    assert spec["layout"]["height"] > 44 * len(matrix)


def test_wrap_label() -> None:
    assert wrap_label("生物医药及高端医疗器械", "zh") == "生物医药及<br>高端医疗器械"
    assert wrap_label("新材料", "zh") == "新材料"
    nev = "New-energy & connected vehicles"
    assert wrap_label(nev, "en") == "New-energy &<br>connected vehicles"
    assert wrap_label("Consumer goods", "en") == "Consumer goods"


@pytest.mark.parametrize(
    ("value", "measure", "text"),
    [
        (9.0, "count", "9"),
        (9 / 55, "share_continent", "16%"),
        (0.001, "share_sector", "<1%"),
        (0.0, "share_sector", "0%"),
        (1.4439, "lq", "1.44"),
        (0.0, "lq", "0"),
        (float("nan"), "lq", "–"),
    ],
)
def test_format_value(value: float, measure: str, text: str) -> None:
    assert format_value(value, measure) == text


@pytest.mark.parametrize("lang", LANGS)
def test_main_table_and_csv(counts, lang: str) -> None:
    table = main_table(counts["published"], "share_continent", "published", lang)
    code = t("heatmap.csv.sector_code", lang)  # headers in the reader's language
    assert table[code].tolist() == list(SECTORS)
    eu = continent_name("EU", lang)
    assert table.loc[table[code] == "consumer", eu].iat[0] == pytest.approx(9 / 55, abs=1e-4)
    assert table[t("heatmap.csv.total_n", lang)].sum() == 150
    measure = t("heatmap.measure.share_continent", lang)
    assert set(table[t("heatmap.csv.measure", lang)]) == {measure}
    raw = csv_bytes(table)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(back.columns) == list(table.columns)
    assert sector_name("consumer", lang) in back[t("heatmap.csv.sector", lang)].tolist()


def test_difference_table_is_counts(counts) -> None:
    table = main_table(counts["difference"], "lq", "difference", "en")
    assert table[continent_name("AS", "en")].sum() == 36
    assert set(table[t("heatmap.csv.measure", "en")]) == {t("heatmap.measure.count", "en")}


def test_country_table(bundle) -> None:
    table = country_table(country_matrix(bundle.clusters), "zh")
    assert table[t("heatmap.csv.country_code", "zh")].iat[0] == "USA"
    assert all(not c.isascii() for c in table.columns)  # Chinese headers in Chinese mode
    assert table[t("heatmap.csv.country", "zh")].iat[0] == "美国"
    assert table[t("heatmap.csv.total_n", "zh")].sum() == 114


def test_every_dynamic_key_exists() -> None:
    keys = set(catalogue())
    for m in MEASURES:
        assert {f"heatmap.measure.{m}", f"heatmap.explain.{m}", f"heatmap.colorbar.{m}"} <= keys
    for s in SOURCES:
        assert {f"heatmap.source.{s}", f"heatmap.source.{s}_n"} <= keys
    assert {"heatmap.explain.difference", "heatmap.colorbar.difference"} <= keys


def test_lq_zero_cells_are_grey_not_strongest(counts) -> None:
    fig = build_main_heatmap(counts["named"], "lq", "named", "en")
    cells = fig.data[0]
    zero = next(tr for tr in fig.data if tr.name == "zero")
    arr = counts["named"].to_numpy()
    for i, row in enumerate(arr):
        for j, v in enumerate(row):
            if v == 0:
                assert cells.z[i][j] is None and zero.z[i][j] == 1
            else:
                assert cells.z[i][j] is not None and zero.z[i][j] is None
    assert fig.data[-1].name == "hit"  # the click layer stays last
    assert not any(
        tr.name == "zero" for tr in build_main_heatmap(counts["named"], "count", "named", "en").data
    )


def test_lq_example_is_a_real_cell(counts) -> None:
    from components.matrices import measure_matrix

    sector, continent, value = lq_example(counts["published"])
    assert value == pytest.approx(measure_matrix(counts["published"], "lq").at[sector, continent])
    assert counts["published"].at[sector, continent] >= 3 and value > 1


def test_compact_grid_for_phones(counts) -> None:
    wide = build_main_heatmap(counts["published"], "lq", "published", "zh")
    small = build_main_heatmap(counts["published"], "lq", "published", "zh", narrow=True)
    assert small.layout.height < wide.layout.height
    assert small.data[0].colorbar.orientation == "h"  # the colour bar under the grid
    assert small.layout.xaxis.tickangle == -50 and small.data[0].textfont.size == 12


@pytest.mark.parametrize("source", SOURCES)
def test_page_figures_equal_the_builders(bundle, source: str) -> None:
    """The page's memoised figures (a selected cell assembled from the view's parts without
    plotly's validation) are exactly what the validated builders draw."""
    from components.charts import frozen_spec
    from components.heatmap_charts import country_figure, main_figure
    from components.matrices import dataset_matrices

    counts = dataset_matrices(bundle)[source]
    for measure in MEASURES:
        for selected in (None, ("consumer", "EU"), ("nev", "SA")):
            for narrow in (False, True):
                shown = main_figure(bundle, source, measure, "en", selected, narrow)
                drawn = build_main_heatmap(counts, measure, source, "en", selected, narrow)
                assert shown.to_dict() == drawn.to_dict() == frozen_spec(shown)
    by_country = country_matrix(bundle.clusters, ("AS",))
    shown = country_figure(bundle, ("AS",), 5, "zh", True)
    drawn = build_country_heatmap(by_country.head(5), "zh", narrow=True)
    assert shown.to_dict() == drawn.to_dict() == frozen_spec(shown)


def test_cell_links_list_each_cells_clusters_in_annex_order(bundle) -> None:
    from components.heatmap_charts import cell_links
    from components.matrices import cell_clusters
    from components.safe import escape_md

    for sector in SECTORS:
        for continent in CONTINENTS:
            members = cell_clusters(bundle.clusters, sector, continent)
            links = cell_links(bundle, sector, continent, "en")
            assert [cid for _, cid in links] == list(members["cluster_id"])
            assert [label for label, _ in links] == [
                escape_md(f"{name} · {country_name(code, 'en')}")
                for name, code in zip(members["name_en"], members["country"], strict=True)
            ]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("measure", MEASURES)
def test_margins_hold_the_row_labels_and_the_colour_bar(bundle, lang, measure) -> None:
    """The figure sets margins wide enough for its row labels and colour bar (plotly would
    otherwise widen them and draw everything twice; the browser tier checks the drawn margins)."""
    from components.svg_charts import text_width

    counts = published_matrix(bundle.sector_continent)
    fig = build_main_heatmap(counts, measure, "published", lang)
    margin, cells = fig.layout.margin, fig.data[0]
    rows = [line for y in fig.layout.yaxis.categoryarray for line in y.split("<br>")]
    widest = max(text_width(line, 16) for line in rows)
    assert margin.l >= widest + 16
    assert cells.colorbar.x == 1 and cells.colorbar.xanchor == "left"  # beside the grid: fixed room
    title = max(text_width(line, 16) for line in cells.colorbar.title.text.split("<br>"))
    assert margin.r >= title + 40
    narrow = build_main_heatmap(counts, measure, "published", lang, narrow=True)
    assert narrow.layout.margin.l == 4  # a phone's grid keeps its own compact margins
