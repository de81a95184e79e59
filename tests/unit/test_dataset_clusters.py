"""Fidelity of clusters.csv, organizations.csv and sector_continent.csv to the report's text.

The annex (附表) rows 1-104, tables 2-10 and 3-4 and figure 2-1 are parsed out of the report's
source text and compared with the CSVs verbatim.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from components.data import Bundle, load_bundle
from components.matrices import reconciliation, unnamed_total
from components.vocab import CONTINENTS, SECTORS
from tests.report_source import read_source

REPO = Path(__file__).resolve().parents[2]

CONTINENT_ZH = {"北美洲": "NA", "欧洲": "EU", "亚洲": "AS", "澳洲": "OC", "南美洲": "SA"}
COUNTRY_ZH = {
    "加拿大": "CAN",
    "美国": "USA",
    "澳大利亚": "AUS",
    "新西兰": "NZL",
    "巴西": "BRA",
    "爱尔兰": "IRL",
    "比利时": "BEL",
    "丹麦": "DNK",
    "德国": "DEU",
    "法国": "FRA",
    "荷兰": "NLD",
    "挪威": "NOR",
    "葡萄牙": "PRT",
    "瑞典": "SWE",
    "瑞士": "CHE",
    "土耳其": "TUR",
    "西班牙": "ESP",
    "匈牙利": "HUN",
    "英国": "GBR",
    "意大利": "ITA",
    "韩国": "KOR",
}
FIELD_SECTOR = {
    "电子信息领域": "electronics",
    "高端装备领域": "equipment",
    "生物医药及高端医疗器械领域": "biomed",
    "新材料领域": "materials",
    "消费品领域": "consumer",
    "新能源及智能网联汽车领域": "nev",
    "新能源领域": "nev",  # annex row 88 (净零提赛德低碳产业集群) only
}
# Countries of the table 2-10 clusters (the table has no country column; the names say it).
TABLE_2_10_COUNTRY = {
    "武汉市、襄阳市、十堰市、随州市汽车集群": "CHN",
    "长春市汽车集群": "CHN",
    "上海市新能源汽车集群": "CHN",
    "日本爱知县汽车产业集群": "JPN",
    "日本福岛可再生能源集群": "JPN",
    "新加坡裕廊工业区": "SGP",
    "印度马哈拉施特拉邦汽车集群": "IND",
    "广州市智能网联汽车产业集群": "CHN",
    "日本东京汽车产业集群": "JPN",
    "温州市乐清电气集群": "CHN",
}
# Columns of a table 2-10 row that come from the table's title or the cluster's name, not a cell.
TABLE_2_10_DERIVED = [
    "continent",
    "country",
    "lead_industry_zh",
    "lead_industry_en",
    "field_zh",
    "sector",
]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


# --------------------------------------------------------------------------------------------
# Parsing the source text


@pytest.fixture(scope="module")
def source() -> str:
    return read_source()


def _block(text: str, start: str, end: str) -> list[str]:
    i = text.index(start)
    return text[i : text.index(end, i)].split("\n")


def annex_rows(text: str) -> list[list[str]]:
    """序号, 集群名称, 所在洲, 所在国家, 主导产业, 所属行业领域 of every annex row in the text."""
    annex = text[text.rindex("附表：全球典型先进制造业集群表") :]
    return [p for p in (line.split("\t") for line in annex.split("\n")) if len(p) == 6][1:]


def table_2_10(text: str) -> list[list[str]]:
    """集群名称, 龙头企业, 研究机构 of each row of table 2-10."""
    lines = _block(text, "表 2-10 亚洲新能源及智能网联汽车产业典型集群", "资料来源")
    return [line.split("\t") for line in lines if line.count("\t") == 2][1:]


def table_3_4(text: str) -> list[list[str]]:
    """企业, 所在国家, 所在集群, 专利及创新成果 of each row of table 3-4."""
    lines = _block(text, "表 3-4 生物医药集群部分龙头企业技术创新情况", "资料来源")
    return [line.split("\t") for line in lines if line.count("\t") == 3][1:]


def figure_2_1(text: str) -> dict[tuple[str, str], int]:
    """(sector, continent) -> count, from figure 2-1's data table (rows are sectors)."""
    end = text.index("图 2-1 全球典型产业集群领域分布")
    lines = [line for line in text[:end].split("\n") if "\t" in line][-7:]
    continents = [CONTINENT_ZH[c] for c in lines[-1].split("\t")[1:]]
    counts: dict[tuple[str, str], int] = {}
    for line in lines[:-1]:
        field, *values = line.split("\t")
        for continent, value in zip(continents, values, strict=True):
            counts[(FIELD_SECTOR[field], continent)] = int(value)
    return counts


def split_list(cell: str) -> list[str]:
    """Items of a 、-separated table cell, without a trailing 等 and without repeats."""
    items: list[str] = []
    for item in cell.split("、"):
        item = item.removesuffix("等")
        if item not in items:
            items.append(item)
    return items


# --------------------------------------------------------------------------------------------
# The dataset


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle(REPO / "data")


@pytest.fixture(scope="module")
def clusters(bundle: Bundle) -> pd.DataFrame:
    return bundle.clusters


@pytest.fixture(scope="module")
def orgs(bundle: Bundle) -> pd.DataFrame:
    return bundle.organizations


def test_source_parses(source: str) -> None:
    rows = annex_rows(source)
    assert [int(r[0]) for r in rows] == list(range(1, 105))
    assert len(table_2_10(source)) == 10
    assert len(table_3_4(source)) == 7
    assert sum(figure_2_1(source).values()) == 150


def test_annex_rows_verbatim(source: str, clusters: pd.DataFrame) -> None:
    by_no = clusters.dropna(subset=["annex_no"]).set_index("annex_no")
    assert sorted(int(n) for n in by_no.index) == list(range(1, 105))
    for no, name, continent, country, lead, field in annex_rows(source):
        row = by_no.loc[int(no)]
        assert row["name_zh"] == name, no
        assert row["continent"] == CONTINENT_ZH[continent], no
        assert row["country"] == COUNTRY_ZH[country], no
        assert row["lead_industry_zh"] == lead, no
        assert row["field_zh"] == field, no
        assert row["sector"] == FIELD_SECTOR[field], no
        assert row["source_ref"] == f"annex row {no}", no


def test_odd_annex_names_kept_as_printed(clusters: pd.DataFrame) -> None:
    names = set(clusters["name_zh"])
    assert {"ccs集群(碳捕集与封存)", "MAI carbon", "德国 4.0 产业集群 (It's OWL)"} <= names
    row_88 = clusters.loc[clusters["annex_no"] == 88].iloc[0]
    assert (row_88["field_zh"], row_88["sector"]) == ("新能源领域", "nev")


def test_table_2_10_clusters(source: str, clusters: pd.DataFrame) -> None:
    from_table = clusters[clusters["source_ref"] == "table 2-10"]
    assert len(from_table) == 10
    assert len(clusters) == 114
    names = [row[0] for row in table_2_10(source)]
    assert list(from_table["name_zh"]) == names
    for _, row in from_table.iterrows():
        assert pd.isna(row["annex_no"])
        assert row["continent"] == "AS"
        assert row["country"] == TABLE_2_10_COUNTRY[row["name_zh"]]
        assert row["sector"] == "nev"
        assert row["field_zh"] == "新能源及智能网联汽车领域"
        assert row["lead_industry_zh"] == "新能源及智能网联汽车产业"
        assert row["derived_fields"].split(";") == TABLE_2_10_DERIVED, row["cluster_id"]


def test_table_2_10_organizations(source: str, clusters: pd.DataFrame, orgs: pd.DataFrame) -> None:
    expected = set()
    for cluster, leads, research in table_2_10(source):
        expected |= {(cluster, name, "lead_enterprise") for name in split_list(leads)}
        expected |= {(cluster, name, "research_institution") for name in split_list(research)}
    got = orgs[orgs["source_ref"] == "table 2-10"]
    triples = list(zip(got["cluster_name_zh_published"], got["name_zh"], got["role"], strict=True))
    assert len(triples) == len(set(triples)) == len(expected) == 55
    assert set(triples) == expected
    names = dict(zip(clusters["cluster_id"], clusters["name_zh"], strict=True))
    for _, org in got.iterrows():
        assert org["cluster_match"] == "exact"
        assert names[org["cluster_id"]] == org["cluster_name_zh_published"]
        assert org["country"] == ""  # table 2-10 gives no country
        assert org["innovations_zh"] == org["innovations_en"] == ""


def test_table_3_4_organizations(source: str, clusters: pd.DataFrame, orgs: pd.DataFrame) -> None:
    got = orgs[orgs["source_ref"] == "table 3-4"].set_index("name_zh")
    rows = table_3_4(source)
    assert len(got) == len(rows) == 7
    names = dict(zip(clusters["cluster_id"], clusters["name_zh"], strict=True))
    for name, country, cluster, innovations in rows:
        org = got.loc[name]
        assert org["country"] == COUNTRY_ZH[country]
        assert org["cluster_name_zh_published"] == cluster
        assert org["innovations_zh"] == innovations
        assert org["innovations_en"]
        assert org["role"] == "lead_enterprise"
        if cluster in names.values():
            assert org["cluster_match"] == "exact"
            assert names[org["cluster_id"]] == cluster
    astrazeneca = got.loc["阿斯利康"]
    assert astrazeneca["cluster_name_zh_published"] == "剑桥科技园"
    assert astrazeneca["cluster_match"] == "inferred"
    assert names[astrazeneca["cluster_id"]] == "伦敦、剑桥、牛津金三角"


def test_figure_2_1_verbatim(source: str, bundle: Bundle) -> None:
    published = figure_2_1(source)
    table = bundle.sector_continent
    assert len(table) == 30
    assert set(table["source_ref"]) == {"figure 2-1"}
    got = {(r.sector, r.continent): int(r.clusters) for r in table.itertuples()}
    assert got == published
    assert sum(got.values()) == 150


def test_named_counts_reconcile_with_figure_2_1(bundle: Bundle) -> None:
    rec = reconciliation(bundle)
    assert list(zip(rec["sector"], rec["continent"], strict=True)) == [
        (s, c) for s in SECTORS for c in CONTINENTS
    ]
    assert (rec["named"] <= rec["published"]).all()
    outside_asia = rec[rec["continent"] != "AS"]
    assert (outside_asia["named"] == outside_asia["published"]).all()
    assert (rec["unnamed"] == rec["published"] - rec["named"]).all()
    assert unnamed_total(bundle) == 36
    assert rec.loc[rec["unnamed"] > 0, "continent"].unique().tolist() == ["AS"]
    assert int(rec["published"].sum()) == 150


def test_ids_and_english_fields(clusters: pd.DataFrame, orgs: pd.DataFrame) -> None:
    assert clusters["cluster_id"].is_unique
    assert orgs["org_id"].is_unique
    for col in ("name_en", "lead_industry_en", "place_en"):
        assert (clusters[col].str.len() > 0).all(), col
        assert not clusters[col].str.contains(CJK).any(), col
    for col in ("name_en", "innovations_en"):
        assert not orgs[col].str.contains(CJK).any(), col
    assert (orgs["name_en"].str.len() > 0).all()
    assert ((orgs["innovations_zh"] == "") == (orgs["innovations_en"] == "")).all()


# Rough bounds per continent (lat_min, lat_max, lon_min, lon_max): catches swapped lat/lon.
CONTINENT_BOUNDS = {
    "NA": (14, 72, -170, -50),
    "SA": (-56, 13, -82, -34),
    "EU": (35, 72, -25, 45),
    "AS": (-11, 56, 60, 150),
    "OC": (-48, -10, 110, 180),
}


def test_coordinates(clusters: pd.DataFrame) -> None:
    assert clusters["lat"].between(-90, 90).all()
    assert clusters["lon"].between(-180, 180).all()
    assert not ((clusters["lat"] == 0) & (clusters["lon"] == 0)).any()
    assert set(clusters["geo_precision"]) <= {"city", "region", "country"}
    for row in clusters.itertuples():
        lat_min, lat_max, lon_min, lon_max = CONTINENT_BOUNDS[row.continent]
        assert lat_min <= row.lat <= lat_max and lon_min <= row.lon <= lon_max, row.cluster_id


def test_national_clusters_are_country_precision(clusters: pd.DataFrame) -> None:
    """Clusters named after a whole country (瑞典…, 意大利…, 新西兰…) are geocoded to a hub."""
    national = clusters[
        clusters["name_zh"].str.match(r"^(瑞典|意大利|新西兰|匈牙利|葡萄牙|巴西)")
        & ~clusters["name_zh"].str.contains("希斯塔|机器人谷|皮埃蒙特|蒙特贝鲁纳|佛罗伦萨|艾米利亚")
    ]
    assert len(national) >= 10
    assert (national["geo_precision"] == "country").all()


# --------------------------------------------------------------------------------------------
# Corrections after the audit (rows 49, 52, 78; derived fields of table 2-10)


def test_derived_fields_mark_exactly_the_table_2_10_rows(clusters: pd.DataFrame) -> None:
    marked = clusters[clusters["derived_fields"] != ""]
    assert len(marked) == 10
    assert (marked["source_ref"] == "table 2-10").all()
    assert marked["annex_no"].isna().all()
    annex = clusters[clusters["source_ref"].str.startswith("annex row")]
    assert len(annex) == 104 and (annex["derived_fields"] == "").all()
    columns = set(clusters.columns) - {"derived_fields"}
    for cell in marked["derived_fields"]:
        items = cell.split(";")
        assert len(items) == len(set(items)) and set(items) <= columns, cell
        # the table's title gives lead industry and field; the name gives the country
        assert {"lead_industry_zh", "field_zh", "continent", "country"} <= set(items), cell
        assert "name_zh" not in items  # the table's own cell, transcribed


def test_derived_fields_column_is_validated(tmp_path: Path) -> None:
    from components.data import DataError

    for path in (REPO / "data").glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    rows = (tmp_path / "clusters.csv").read_text(encoding="utf-8").split("\n")
    header = rows[0].split(",")
    assert header[-1] == "derived_fields"
    i = next(n for n, line in enumerate(rows) if ",table 2-10," in line)
    rows[i] = rows[i].rsplit(",", 1)[0] + ",continent;colour"
    (tmp_path / "clusters.csv").write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_bundle(tmp_path)
    assert (info.value.file, info.value.row, info.value.column) == (
        "clusters.csv",
        i,
        "derived_fields",
    )


def test_row_49_is_placed_at_dresden_as_an_inferred_identification(clusters: pd.DataFrame) -> None:
    row = clusters.loc[clusters["annex_no"] == 49].iloc[0]
    assert row["cluster_id"] == "germany-energy-innovation"
    assert row["name_zh"] == "能源创新集群"  # the annex names no place
    assert row["lat"] == pytest.approx(51.05, abs=0.01)
    assert row["lon"] == pytest.approx(13.74, abs=0.01)
    assert row["geo_precision"] == "city"
    assert "Cool Silicon" in row["name_en"] and "probable identification" in row["name_en"]
    assert row["place_en"].startswith("Dresden (inferred")
    assert "Berlin" not in row["place_en"]


def test_row_52_air_transport_not_shipping(clusters: pd.DataFrame) -> None:
    row = clusters.loc[clusters["annex_no"] == 52].iloc[0]
    assert row["lead_industry_zh"] == "飞机结构、飞机制造、航运服务业"
    assert "air transport services" in row["lead_industry_en"]
    assert "shipping" not in row["lead_industry_en"].lower()


def test_row_78_english_name_is_a_marked_translation(
    clusters: pd.DataFrame, orgs: pd.DataFrame
) -> None:
    row = clusters.loc[clusters["annex_no"] == 78].iloc[0]
    assert row["cluster_id"] == "basel-health-valley"  # a shared URL: the id must not change
    assert row["name_en"] == "Basel Health Valley Life Sciences Centre (translation)"
    assert not row["name_en"].startswith("Health Valley")  # that brand is Western Switzerland's
    linked = orgs.loc[orgs["cluster_id"] == "basel-health-valley", "name_en"]
    assert sorted(linked) == ["Novartis", "Roche"]
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert "Health Valley Basel" not in readme  # no longer listed as an official name
    assert "no official English name" in readme
