"""Map explorer logic on a small hand-made dataset: filters, search, deck, tooltip, profile."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from components import export, safe, vocab
from components import filters as flt
from components import map_view as mv
from components import profile as pf
from components.charts import SECTOR_COLORS, hex_to_rgb
from components.data import Bundle
from components.i18n import t

HOSTILE = "<img src=x onerror=alert(1)>"

CLUSTER_COLS = [
    "cluster_id", "annex_no", "name_zh", "name_en", "continent", "country", "lead_industry_zh",
    "lead_industry_en", "field_zh", "sector", "lat", "lon", "geo_precision", "place_en",
    "source_ref",
]  # fmt: skip


def _cluster(cid: str, name_zh: str, name_en: str, continent: str, country: str, sector: str,
             lat: float, lon: float, industry: str = "制药", industry_en: str = "Pharma",
             annex: int | None = 1) -> dict:  # fmt: skip
    return dict(
        zip(
            CLUSTER_COLS,
            [cid, annex, name_zh, name_en, continent, country, industry, industry_en,
             "生物医药及高端医疗器械领域", sector, lat, lon, "city", name_en, "annex row 1"],
            strict=True,
        )
    )  # fmt: skip


@pytest.fixture
def clusters() -> pd.DataFrame:
    rows = [
        _cluster("basel-health-valley", "巴塞尔健康谷生命科学中心", "Health Valley Basel",
                 "EU", "CHE", "biomed", 47.5596, 7.5886),
        _cluster("alsace-biovalley", "阿尔萨斯生物谷", "Alsace BioValley", "EU", "FRA", "biomed",
                 48.5734, 7.7521),
        _cluster("munich-biotech", "慕尼黑生物医药集群", "Munich Biotech", "EU", "DEU", "biomed",
                 48.1351, 11.5820),
        _cluster("stuttgart-auto", "斯图加特汽车集群", "Stuttgart Automotive", "EU", "DEU", "nev",
                 48.7758, 9.1829, "汽车", "Automobiles"),
        _cluster("seoul-a", "首尔半导体集群", "Seoul Semiconductors", "AS", "KOR", "electronics",
                 37.5665, 126.9780, "半导体", "Semiconductors"),
        _cluster("seoul-b", "首尔显示集群", "Seoul Displays", "AS", "KOR", "electronics",
                 37.5665, 126.9780, "显示", "Displays"),
        _cluster("seoul-c", "首尔材料集群", "Seoul Materials", "AS", "KOR", "materials",
                 37.5665, 126.9780, "材料", "Materials", None),
        _cluster("boston-bio", "波士顿生物集群", "Boston Biotech", "NA", "USA", "biomed",
                 42.3601, -71.0589),
        _cluster("evil", HOSTILE, "Evil & Co <b>", "NA", "USA", "consumer", 40.0, -100.0,
                 "<script>x</script>", "A & B"),
    ]  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture
def organizations() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ["novartis", "basel-health-valley", "exact", "巴塞尔健康谷生命科学中心", "诺华",
             "Novartis", "lead_enterprise", "CHE", "抗肿瘤药", "Antineoplastic drugs",
             "table 3-4"],
            ["roche", "basel-health-valley", "exact", "巴塞尔健康谷生命科学中心", "罗氏", "Roche",
             "lead_enterprise", "CHE", "", "", "table 3-4"],
            ["unibas", "basel-health-valley", "inferred", "巴塞尔大学城", "巴塞尔大学",
             "University of Basel", "research_institution", "", "", "", "table 2-10"],
            ["samsung", "seoul-a", "exact", "首尔半导体集群", "三星电子", "Samsung Electronics",
             "lead_enterprise", "KOR", "", "", "table 2-10"],
        ],
        columns=[
            "org_id", "cluster_id", "cluster_match", "cluster_name_zh_published", "name_zh",
            "name_en", "role", "country", "innovations_zh", "innovations_en", "source_ref",
        ],
    )  # fmt: skip


@pytest.fixture
def policies() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ["eu-cluster-memo", "EU", "欧洲集群备忘录", "European Cluster Memorandum",
             "2005-2021", 2008],
            ["che-innovation", "CHE", "瑞士创新政策", "Swiss innovation policy", "2022-2023", None],
            ["fra-poles", "FRA", "竞争力集群", "Pôles de compétitivité", "2005-2021", 2005],
            ["usa-chips", "USA", "芯片法案", "CHIPS and Science Act", "2022-2023", 2022],
        ],
        columns=["policy_id", "jurisdiction", "name_zh", "name_en", "period", "year"],
    ).astype({"year": "Int64"})  # fmt: skip


@pytest.fixture
def bundle(clusters, organizations, policies) -> Bundle:
    empty = pd.DataFrame()
    return Bundle(clusters, organizations, empty, policies, empty, empty, empty)


@pytest.fixture
def points(clusters) -> pd.DataFrame:
    return mv.jitter_duplicates(clusters)


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame["cluster_id"].tolist()


# --- filters and search --------------------------------------------------------------------------


def test_filters_by_continent_country_sector(clusters, organizations) -> None:
    idx = flt.search_index(clusters, organizations)
    assert len(flt.apply_filters(clusters, flt.Filters(), idx)) == len(clusters)
    eu = flt.apply_filters(clusters, flt.Filters(continents=("EU",)), idx)
    assert set(eu["continent"]) == {"EU"} and len(eu) == 4
    deu = flt.apply_filters(clusters, flt.Filters(countries=("DEU",), sectors=("biomed",)), idx)
    assert _ids(deu) == ["munich-biotech"]
    both = flt.apply_filters(clusters, flt.Filters(sectors=("biomed", "nev")), idx)
    assert len(both) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Basel", ["basel-health-valley"]),
        ("  basel  ", ["basel-health-valley"]),
        ("BASEL", ["basel-health-valley"]),
        ("ＢＡＳＥＬ", ["basel-health-valley"]),  # full-width input from a Chinese IME
        ("巴塞尔", ["basel-health-valley"]),
        ("罗氏", ["basel-health-valley"]),  # an organisation's name
        ("roche", ["basel-health-valley"]),
        ("samsung", ["seoul-a"]),
        ("半导体", ["seoul-a"]),  # a lead industry
        ("semiconductors", ["seoul-a"]),
        ("seoul", ["seoul-a", "seoul-b", "seoul-c"]),
        ("<script>", ["evil"]),  # literal, not a pattern
        (".*", []),
        ("no such thing", []),
        ("basel health", ["basel-health-valley"]),  # several words, each must match
        ("health basel", ["basel-health-valley"]),
        ("basel seoul", []),
        ("Switzerland", ["basel-health-valley"]),  # a country name in either language
        ("瑞士", ["basel-health-valley"]),
        ("korea seoul", ["seoul-a", "seoul-b", "seoul-c"]),
        ("韩国 半导体", ["seoul-a"]),
        ("University of Basel", ["basel-health-valley"]),  # an organisation, several words
        ("", None),
    ],
)
def test_search(clusters, organizations, query: str, expected: list[str] | None) -> None:
    idx = flt.search_index(clusters, organizations)
    got = _ids(flt.apply_filters(clusters, flt.Filters(query=query), idx))
    assert got == (expected if expected is not None else _ids(clusters))


def test_search_combines_with_filters(clusters, organizations) -> None:
    idx = flt.search_index(clusters, organizations)
    f = flt.Filters(continents=("AS",), sectors=("materials",), query="seoul")
    assert _ids(flt.apply_filters(clusters, f, idx)) == ["seoul-c"]


def test_country_options_follow_continents(clusters) -> None:
    assert set(flt.country_options(clusters, ("EU",), "en")) == {"CHE", "FRA", "DEU"}
    assert set(flt.country_options(clusters, (), "zh")) == {"CHE", "FRA", "DEU", "KOR", "USA"}
    assert flt.country_options(clusters, ("EU",), "en") == ["FRA", "DEU", "CHE"]  # by name


# --- points, jitter and the deck -----------------------------------------------------------------


def test_jitter_only_for_exact_duplicates(clusters, points) -> None:
    unique = points[~points["cluster_id"].str.startswith("seoul")]
    assert (unique["x"] == unique["lon"]).all() and (unique["y"] == unique["lat"]).all()
    seoul = points[points["cluster_id"].str.startswith("seoul")]
    xy = set(zip(seoul["x"], seoul["y"], strict=True))
    assert len(xy) == 3, "duplicates still overlap"
    for x, y in xy:
        dist = ((x - 126.9780) ** 2 + (y - 37.5665) ** 2) ** 0.5
        assert 0.05 < dist < 0.5  # a small circle round the shared place
    # Deterministic: the same input gives the same positions, whatever the row order.
    again = mv.jitter_duplicates(clusters.iloc[::-1]).set_index("cluster_id")
    assert again.loc[seoul["cluster_id"], "x"].tolist() == seoul["x"].tolist()
    # Original coordinates are untouched.
    assert (points["lat"] == clusters["lat"]).all()


def test_deck_layers_data_and_colours(points) -> None:
    deck = mv.build_deck(points, {"type": "FeatureCollection", "features": []}, "en")
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert list(layers) == [
        "ocean",
        "countries",
        "labels-halo",
        "labels",
        "groups",
        "clusters",
        "selected",
        "selected-name",
    ]
    assert layers["groups"]["data"] == []  # few clusters: drawn one by one
    # Place names: plain bitmap glyphs (SDF ones dropped thin CJK strokes at 12 px) over a
    # white halo layer of the same rows, drawn with SDF glyphs and a full-radius outline.
    assert layers["labels"]["fontSettings"] == {"sdf": False, "fontSize": 24}
    assert "outlineWidth" not in layers["labels"]
    halo = layers["labels-halo"]
    assert halo["fontSettings"]["sdf"] and halo["outlineWidth"] == halo["fontSettings"]["radius"]
    assert halo["data"] == layers["labels"]["data"]
    assert all(layer.get("id") for layer in spec["layers"])
    dots = layers["clusters"]
    assert dots["@@type"] == "ScatterplotLayer"
    assert dots["pickable"] and dots["autoHighlight"] and dots["radiusUnits"] == "pixels"
    assert dots["getPosition"] == "@@=[x, y]" and dots["getFillColor"] == "@@=color"
    assert len(dots["data"]) == len(points)
    for row in dots["data"]:
        sector = points.set_index("cluster_id").loc[row["cluster_id"], "sector"]
        assert row["color"][:3] == hex_to_rgb(SECTOR_COLORS[sector])
    assert layers["selected"]["data"] == []
    assert layers["countries"]["@@type"] == "GeoJsonLayer" and not layers["countries"]["pickable"]
    # No basemap, nothing fetched: no provider, and the style sentinel Streamlit reads as "none"
    # (a null or missing mapStyle makes Streamlit load a Carto style from the internet).
    assert spec.get("mapProvider") is None and spec["mapStyle"] == "__MAP_STYLE__"
    assert "http" not in deck.to_json()


def test_deck_selected_ring(points) -> None:
    sel = points[points["cluster_id"] == "basel-health-valley"]
    deck = mv.build_deck(points, {"type": "FeatureCollection", "features": []}, "zh", selected=sel)
    ring = [layer for layer in json.loads(deck.to_json())["layers"] if layer["id"] == "selected"]
    color = mv.sector_rgba("biomed")
    assert ring[0]["data"] == [{"x": 7.5886, "y": 47.5596, "color": color}]
    name = [
        layer for layer in json.loads(deck.to_json())["layers"] if layer["id"] == "selected-name"
    ]
    assert name[0]["data"][0]["text"] == "巴塞尔健康谷生命科学中心"


def test_tooltip_holds_text_only_in_placeholders(points) -> None:
    rows = {r["cluster_id"]: r for r in mv.point_rows(points, "en")}
    evil = rows["evil"]
    # Plain text: Streamlit escapes {field} values itself; escaping here would show "&amp;".
    assert evil["tt_name"] == "Evil & Co <b>" and evil["tt_alt"] == HOSTILE
    assert evil["tt_lead"] == "Lead industry: A & B"
    tip = mv.tooltip("en")
    html_tpl = tip["html"]
    for field in ("tt_name", "tt_alt", "tt_line", "tt_lead", "tt_where", "tt_more"):
        assert "{" + field + "}" in html_tpl
        # Each placeholder sits in element text: right after ">" or literal text, never in a tag.
        before = html_tpl.split("{" + field + "}")[0]
        assert before.rfind(">") > before.rfind("<")
    for bad in ("href", "src", "<a ", "<img", "<script"):
        assert bad not in html_tpl


def test_tooltip_zh_has_other_language_name(points) -> None:
    row = next(r for r in mv.point_rows(points, "zh") if r["cluster_id"] == "basel-health-valley")
    assert row["tt_name"] == "巴塞尔健康谷生命科学中心" and row["tt_alt"] == "Health Valley Basel"
    assert row["tt_line"] == "瑞士 · 生物医药及高端医疗器械"
    assert row["tt_lead"].startswith("主导产业：")


def test_tooltip_strips_control_characters() -> None:
    assert safe.plain_text("a\nb\x00c") == "a b c" and safe.plain_text(float("nan")) == ""


def test_initial_view_fits_filtered(points) -> None:
    one = mv.initial_view(points[points["cluster_id"] == "basel-health-valley"])
    assert (one.latitude, one.longitude) == (pytest.approx(47.5596, abs=1e-3), 7.5886)
    assert one.zoom == mv.FIT_MAX_ZOOM
    europe = mv.initial_view(points[points["continent"] == "EU"])
    world = mv.initial_view(points)
    assert world.zoom < europe.zoom <= mv.FIT_MAX_ZOOM
    assert 45 < europe.latitude < 50 and 7 < europe.longitude < 12
    empty = mv.initial_view(points.iloc[0:0])
    assert empty.zoom == mv.MIN_ZOOM


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"selection": {"indices": {"clusters": [0]},
                        "objects": {"clusters": [{"cluster_id": "seoul-a"}]}}}, "seoul-a"),
        ({"selection": {"indices": {}, "objects": {}}}, None),
        ({"selection": {"objects": {"clusters": []}}}, None),
        ({"selection": {"objects": {"clusters": [{"cluster_id": 3}]}}}, None),
        (None, None),
        ("junk", None),
    ],
)  # fmt: skip
def test_selected_id(event: object, expected: str | None) -> None:
    assert mv.selected_id(event) == expected


def test_legend_is_localised_and_escaped() -> None:
    html_zh = mv.legend_html("zh", {"biomed": 3})
    assert "生物医药及高端医疗器械 (3)" in html_zh and "电子信息 (0)" in html_zh
    for color in SECTOR_COLORS.values():
        assert color in html_zh
    assert "Electronics &amp; IT" in mv.legend_html("en")


# --- honesty note --------------------------------------------------------------------------------


def test_unnamed_notes_are_computed() -> None:
    recon = pd.DataFrame(
        [
            ["electronics", "AS", 12, 2, 10],
            ["biomed", "AS", 9, 0, 9],
            ["nev", "AS", 3, 3, 0],
            ["biomed", "EU", 5, 5, 0],
        ],
        columns=["sector", "continent", "published", "named", "unnamed"],
    )
    (zh,) = mv.unnamed_notes(recon, "zh")
    assert "19 个" in zh and "亚洲" in zh and "电子信息 10 个、生物医药及高端医疗器械 9 个" in zh
    (en,) = mv.unnamed_notes(recon, "en")
    assert en.startswith("19 clusters in Asia") and "Electronics & IT 10" in en
    assert "New-energy" not in en
    assert mv.unnamed_notes(recon.assign(unnamed=0), "en") == []


# --- table and CSV -------------------------------------------------------------------------------


def test_table_and_csv_roundtrip(clusters) -> None:
    frame = mv.table_frame(clusters, "zh")
    assert list(frame.columns)[:3] == [t("map.col.cluster_id", "zh"), "中文名称", "英文名称"]
    assert frame[t("map.col.country", "zh")].iloc[0] == "瑞士"
    data = export.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(frame.columns) and len(back) == len(frame)
    assert back.iloc[-1][t("map.col.name_zh", "zh")] == HOSTILE
    en = mv.table_frame(clusters, "en")
    assert "Name (English)" in en.columns and en["Sector"].iloc[0].startswith("Biomedicine")


# --- profile -------------------------------------------------------------------------------------


def test_jurisdictions_include_eu_for_members() -> None:
    assert vocab.jurisdictions("FRA") == ("FRA", "EU")
    assert vocab.jurisdictions("CHE") == ("CHE",)
    assert vocab.jurisdictions("USA") == ("USA",)
    assert len(vocab.EU_MEMBERS) == 27 and "GBR" not in vocab.EU_MEMBERS


def test_nearby_same_sector_by_distance(clusters) -> None:
    near = pf.nearby(clusters, "basel-health-valley")
    assert _ids(near) == ["alsace-biovalley", "munich-biotech", "boston-bio"]
    assert near["distance_km"].is_monotonic_increasing
    assert near["distance_km"].iloc[0] == pytest.approx(115, abs=10)
    assert pf.nearby(clusters, "nope").empty
    assert len(pf.nearby(clusters, "basel-health-valley", n=1)) == 1


def test_profile_data(bundle) -> None:
    p = pf.profile(bundle, "basel-health-valley")
    assert p is not None
    assert p.cluster["name_en"] == "Health Valley Basel"
    assert p.organizations["org_id"].tolist() == ["novartis", "roche", "unibas"]
    assert p.policies["policy_id"].tolist() == ["che-innovation"]  # Switzerland: not in the EU
    assert pf.profile(bundle, "alsace-biovalley").policies["policy_id"].tolist() == [
        "fra-poles",
        "eu-cluster-memo",
    ]
    assert pf.profile(bundle, "nope") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_html_both_languages(bundle, lang: str) -> None:
    html = pf.profile_html(pf.profile(bundle, "basel-health-valley"), lang)
    for text in (
        "诺华",
        "Novartis",
        "罗氏",
        "Roche",
        "巴塞尔健康谷生命科学中心",
        "Health Valley Basel",
        "制药",
        "Pharma",
        "Swiss innovation policy",
        "瑞士创新政策",
    ):
        assert text in html  # fmt: skip
    assert t("map.role.lead_enterprise", lang) in html
    assert t("map.role.research_institution", lang) in html
    assert "巴塞尔大学城" in html  # the inferred match says what the report printed
    assert ("报告附表第 1 行" if lang == "zh" else "report annex, row 1") in html


def test_profile_html_escapes_everything(bundle) -> None:
    html = pf.profile_html(pf.profile(bundle, "evil"), "zh")
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Evil &amp; Co &lt;b&gt;" in html
    assert "href" not in html and "src=" not in html.replace("src=x", "")


def test_nearby_label_puts_distance_first(clusters) -> None:
    row = next(pf.nearby(clusters, "basel-health-valley").itertuples(index=False))
    assert pf.nearby_label(row, "zh").startswith("1") and "公里 · 阿尔萨斯生物谷 · 法国" in (
        pf.nearby_label(row, "zh")
    )
    assert pf.nearby_label(row, "en").endswith("km · Alsace BioValley · France")


def test_profile_html_folds_eu_policies_for_members(bundle) -> None:
    html = pf.profile_html(pf.profile(bundle, "alsace-biovalley"), "en")
    own, eu = html.index("Pôles de compétitivité"), html.index("European Cluster Memorandum")
    assert own < html.index("<details") < eu
    assert "France is an EU member state: EU policies (1)" in html
    assert "<details" not in pf.profile_html(pf.profile(bundle, "basel-health-valley"), "en")
    assert t("map.profile.no_policies", "en", country="United States") not in pf.profile_html(
        pf.profile(bundle, "boston-bio"), "en"
    )
