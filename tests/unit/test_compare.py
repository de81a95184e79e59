"""Compare page logic: the URL grammar (edge cases, hostile input), counts against figure 2-1 and
the cluster list, groups, location quotients as on the heatmap page, the difference reading and
the similarity ranking."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from components import compare as cmp
from components import compare_charts as cc
from components.data import load_bundle
from components.export import csv_bytes
from components.i18n import LANGS, sector_name, t
from components.matrices import (
    country_matrix,
    location_quotient,
    published_matrix,
    source_matrices,
)
from components.vocab import CONTINENTS, POLICY_PERIODS, SECTORS

# Figure 2-1 as printed (report text, chapter 2), in SECTORS order:
# electronics, equipment, biomed, materials, consumer, nev.
FIGURE_EU = (7, 11, 15, 5, 9, 8)
FIGURE_AS = (16, 11, 10, 6, 2, 10)


@pytest.fixture(scope="module")
def bundle():  # noqa: ANN201
    return load_bundle()


def _counts(bundle, token: str, groups=()) -> cmp.RegionCounts:  # noqa: ANN001
    region = cmp.resolve(token, groups)
    return cmp.region_counts(region, bundle.clusters, _matrices(bundle))


def _matrices(bundle):  # noqa: ANN001, ANN202
    return source_matrices(bundle.sector_continent, bundle.clusters)


# --- the grammar ----------------------------------------------------------------------------------


def test_default_is_europe_against_asia() -> None:
    sel = cmp.parse_selection(None, [])
    assert sel.regions == ("EU", "AS") and not sel.groups and not sel.problems


def test_regions_and_a_group_referenced_in_them() -> None:
    sel = cmp.parse_selection("EU,DACH,jpn", ["DACH:DEU+AUT+CHE"])
    assert sel.regions == ("EU", "DACH", "JPN")
    assert sel.groups == (cmp.Group("DACH", ("DEU", "AUT", "CHE")),)
    assert not sel.problems


def test_a_plus_decoded_as_blank_still_separates_members() -> None:
    # ``?group=DACH:DEU+AUT+CHE`` typed in an address bar arrives as "DACH:DEU AUT CHE".
    sel = cmp.parse_selection("dach,EU", ["DACH:DEU AUT CHE"])
    assert sel.regions == ("DACH", "EU")
    assert sel.groups[0].members == ("DEU", "AUT", "CHE")


def test_groups_without_regions_join_the_default_pair() -> None:
    one = cmp.parse_selection(None, ["DACH:DEU+AUT+CHE"])
    assert one.regions == ("EU", "AS", "DACH")
    three = cmp.parse_selection(None, ["A:DEU+FRA;B:CHN+JPN;C:USA+CAN"])
    assert three.regions == ("EU", "A", "B", "C")
    four = cmp.parse_selection(None, ["A:DEU+FRA", "B:CHN+JPN", "C:USA+CAN", "D:BRA+ARG"])
    assert four.regions == ("A", "B", "C", "D")


def test_canonical_form_round_trips() -> None:
    sel = cmp.parse_selection("eu, Dach ,JPN", ["dach:deu+aut+che"])
    regions = cmp.encode_regions(sel.regions)
    groups = cmp.encode_groups(sel.groups, sel.regions)
    assert (regions, groups) == ("EU,dach,JPN", "dach:DEU+AUT+CHE")
    again = cmp.parse_selection(regions, [groups])
    assert again.regions == sel.regions and again.groups == sel.groups and not again.problems


def test_unused_groups_are_left_out_of_the_url() -> None:
    groups = (cmp.Group("DACH", ("DEU", "AUT", "CHE")), cmp.Group("N", ("SWE", "NOR")))
    assert cmp.encode_groups(groups, ("EU", "N")) == "N:SWE+NOR"
    assert cmp.encode_groups(groups, ("EU", "AS")) == ""


def _reasons(sel: cmp.Selection) -> list[tuple[str, str]]:
    return [(p.param, p.reason) for p in sel.problems]


@pytest.mark.parametrize(
    ("raw", "regions", "reasons"),
    [
        ("", ("EU", "AS"), []),
        (" , ,", ("EU", "AS"), [("regions", "too_few")]),
        ("EU", ("EU", "AS"), [("regions", "too_few")]),
        ("AS", ("AS", "EU"), [("regions", "too_few")]),
        ("DEU", ("DEU", "EU"), [("regions", "too_few")]),
        ("EU,EU,AS", ("EU", "AS"), [("regions", "duplicate")]),
        ("EU,eu", ("EU", "AS"), [("regions", "duplicate"), ("regions", "too_few")]),
        ("EU,AS,NA,OC,SA", ("EU", "AS", "NA", "OC"), [("regions", "too_many")]),
        ("EU,XXX,AS", ("EU", "AS"), [("regions", "unknown")]),
        ("EU,DE,AS", ("EU", "AS"), [("regions", "unknown")]),  # alpha-2 is not accepted
        ("EU,Europe", ("EU", "AS"), [("regions", "unknown"), ("regions", "too_few")]),
        ("EU;AS", ("EU", "AS"), [("regions", "unknown"), ("regions", "too_few")]),
        ("<script>alert(1)</script>,AS", ("AS", "EU"),
         [("regions", "unknown"), ("regions", "too_few")]),
        ("ＥＵ,AS", ("AS", "EU"), [("regions", "unknown"), ("regions", "too_few")]),  # full-width
        ("EU,AS" + ",x" * 600, ("EU", "AS"), [("regions", "too_long")]),
    ],
)  # fmt: skip
def test_regions_edge_cases(raw: str, regions: tuple, reasons: list) -> None:
    sel = cmp.parse_selection(raw, [])
    assert sel.regions == regions
    assert _reasons(sel) == reasons
    assert cmp.MIN_REGIONS <= len(sel.regions) <= cmp.MAX_REGIONS


@pytest.mark.parametrize(
    ("spec", "reason", "detail"),
    [
        ("DACH", "syntax", ""),
        ("DACH:", "syntax", ""),
        (":DEU+AUT", "syntax", ""),
        ("A:B:DEU+AUT", "syntax", ""),
        ("DACH:DEU", "member_count", "1"),
        ("DACH:DEU+XXX", "member_unknown", "XXX"),
        ("DACH:DEU+DE", "member_unknown", "DE"),
        ("DACH:DEU+EU", "member_unknown", "EU"),  # a continent is not a member
        ("BIG:DACH+FRA", "member_unknown", "DACH"),  # no nested groups
        ("DACH:DEU+AUT+DEU", "member_duplicate", "DEU"),
        ("DACH:DEU+ＡＵＴ", "member_unknown", "ＡＵＴ"),
        ("DEU:FRA+ITA", "name_code", "DEU"),
        ("eu:FRA+ITA", "name_code", "eu"),
        ("1DACH:DEU+AUT", "name", "1DACH"),
        ("D A:DEU+AUT", "name", "D A"),
        ("[x](javascript:alert(1)):DEU+AUT", "syntax", ""),
        ("www.evil.example:DEU+AUT", "name", "www.evil.example"),
        ("<b>x</b>:DEU+AUT", "name", "<b>x</b>"),
        ("$$x$$:DEU+AUT", "name", "$$x$$"),
        ("ABCDEFGHIJKLMNOPQ:DEU+AUT", "name", "ABCDEFGHIJKLMNOPQ"),  # 17 characters
        ("X\u200b:DEU+AUT", "name", "X\u200b"),  # zero-width space
        ("X:" + "+".join(["DEU"] * 40), "member_duplicate", "DEU"),
        ("X:" + "DEU+" * 80, "too_long", ""),
    ],
)
def test_malformed_groups_are_rejected_whole(spec: str, reason: str, detail: str) -> None:
    sel = cmp.parse_selection(None, [spec])
    assert sel.groups == ()
    assert sel.regions == ("EU", "AS")
    (problem,) = sel.problems
    assert (problem.param, problem.reason, problem.detail) == ("group", reason, detail)
    assert problem.text == spec  # the user's text, for the notice


def test_group_names_in_any_script_and_case() -> None:
    sel = cmp.parse_selection("北欧,eu", ["北欧:DNK+FIN+ISL+NOR+SWE"])
    assert sel.regions == ("北欧", "EU") and not sel.problems
    sel = cmp.parse_selection("nordics,AS", ["Nordics:DNK+SWE"])
    assert sel.regions == ("Nordics", "AS")


def test_group_limits() -> None:
    many = ";".join(f"G{i}:DEU+FRA" for i in range(6))
    sel = cmp.parse_selection(None, [many])
    assert [g.name for g in sel.groups] == ["G0", "G1", "G2", "G3"]
    assert _reasons(sel) == [("group", "too_many")] * 2
    dup = cmp.parse_selection(None, ["A:DEU+FRA;a:ITA+ESP"])
    assert [g.name for g in dup.groups] == ["A"] and _reasons(dup) == [("group", "name_duplicate")]
    eu27 = "+".join(sorted(cmp.EU_MEMBERS))
    assert cmp.parse_selection(None, [f"EU27:{eu27}"]).groups[0].members == tuple(
        sorted(cmp.EU_MEMBERS)
    )
    assert cmp.parse_selection(None, ["X;;;"]).problems[0].reason == "syntax"
    assert cmp.parse_selection(None, ["x" * 2000]).problems[0].reason == "too_long"


def test_a_bad_group_referenced_in_regions_is_reported_twice_but_never_shown() -> None:
    sel = cmp.parse_selection("EU,DACH", ["DACH:DEU+XXX"])
    assert sel.regions == ("EU", "AS")
    assert _reasons(sel) == [
        ("group", "member_unknown"),
        ("regions", "unknown"),
        ("regions", "too_few"),
    ]


def test_parsing_never_raises_on_random_input() -> None:
    import random

    rng = random.Random(7)
    alphabet = "EUASDACH:+;,. <>[]()$`*_\\\u200b\x00\n北欧ＥＵ-"
    for _ in range(2000):
        regions = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        group = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        sel = cmp.parse_selection(regions, [group])
        assert cmp.MIN_REGIONS <= len(sel.regions) <= cmp.MAX_REGIONS
        assert len(set(sel.regions)) == len(sel.regions)
        for token in sel.regions:
            cmp.resolve(token, sel.groups)  # every token resolves


def test_problem_text_is_literal_and_short() -> None:
    spec = "[click](https://evil.example)www.evil.example:DEU+FRA" + "x" * 80
    (problem,) = cmp.parse_selection(None, [spec]).problems
    shown = spec[: cmp.NOTICE_CHARS - 1] + "…"
    for lang in LANGS:
        text = cmp.problem_text(problem, lang)
        assert f"`{shown}`" in text  # a code span: no link, no emphasis, no maths
        assert "x" * 20 not in text
    assert cmp.shorten("a\x00b\nc") == "a b c"
    assert cmp.shorten("x" * 100, 10) == "x" * 9 + "…"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("DACH:DEU+XXX", "`DACH:DEU+XXX`"),
        ("a`b", "``a`b``"),
        ("`x``", "``` `x`` ```"),
        ("", ""),
        ("$$x$$ :red[y] :material/home:", "`$$x$$ :red[y] :material/home:`"),
    ],
)
def test_literal_md(text: str, span: str) -> None:
    assert cmp.literal_md(text) == span


def test_swap_add_remove_keep_the_others() -> None:
    assert cmp.with_region(("EU", "AS", "DEU"), 1, "JPN") == ("EU", "JPN", "DEU")
    assert cmp.with_region(("EU", "AS", "DEU"), 0, "DEU") == ("DEU", "AS", "EU")  # swap
    assert cmp.with_region(("EU", "AS"), 0, "EU") == ("EU", "AS")
    assert cmp.added(("EU", "AS"), "USA") == ("EU", "AS", "USA")
    assert cmp.added(("EU", "AS"), "AS") == ("EU", "AS")
    assert cmp.added(("EU", "AS", "NA", "OC"), "SA") == ("EU", "AS", "NA", "OC")
    assert cmp.removed(("EU", "AS", "USA"), 1) == ("EU", "USA")
    assert cmp.removed(("EU", "AS"), 0) == ("EU", "AS")
    assert cmp.removed(("EU", "AS", "USA"), 7) == ("EU", "AS", "USA")


def test_region_options(bundle) -> None:  # noqa: ANN001
    groups = (cmp.Group("DACH", ("DEU", "AUT", "CHE")),)
    opts = cmp.region_options(bundle.clusters, bundle.policies, groups, ("MEX",))
    assert opts[: len(CONTINENTS)] == list(CONTINENTS)
    assert opts[len(CONTINENTS)] == "DACH"
    assert opts[len(CONTINENTS) + 1] == "USA"  # most named clusters first
    assert {"AUT", "MEX", "DEU"} <= set(opts) and "EU" not in opts[len(CONTINENTS) :]
    assert len(opts) == len(set(opts))
    members = cmp.member_options(opts)
    assert members[0] == "USA" and "ISL" in members and "EU" not in members
    assert len(members) == len(set(members)) == len(cmp._iso3())


# --- counts ---------------------------------------------------------------------------------------


def test_europe_and_asia_match_figure_2_1_and_the_cluster_list(bundle) -> None:  # noqa: ANN001
    clusters = bundle.clusters
    for token, printed in (("EU", FIGURE_EU), ("AS", FIGURE_AS)):
        rc = _counts(bundle, token)
        assert rc.basis == "published"
        assert tuple(rc.counts) == printed and list(rc.counts.index) == list(SECTORS)
        assert rc.published == sum(printed)
        assert rc.named == int((clusters["continent"] == token).sum())
        assert rc.unnamed == rc.published - rc.named
        assert rc.shares.sum() == pytest.approx(1.0)
        assert rc.shares["biomed"] == pytest.approx(printed[2] / sum(printed))
    assert _counts(bundle, "EU").unnamed == 0
    assert _counts(bundle, "AS").unnamed == 36
    assert _counts(bundle, "AS").named == 19


def test_every_continent_adds_up_to_figure_2_1(bundle) -> None:  # noqa: ANN001
    published = published_matrix(bundle.sector_continent)
    total = sum(_counts(bundle, c).published for c in CONTINENTS)
    assert total == int(published.to_numpy().sum()) == int(bundle.sector_continent.clusters.sum())


def test_a_custom_group_sums_its_members(bundle) -> None:  # noqa: ANN001
    groups = (cmp.Group("DACH", ("DEU", "AUT", "CHE")),)
    dach = _counts(bundle, "DACH", groups)
    parts = [_counts(bundle, c) for c in ("DEU", "AUT", "CHE")]
    assert dach.basis == "named" and dach.published is None and dach.unnamed is None
    assert dach.named == sum(p.named for p in parts) == 15
    assert (dach.counts == sum(p.counts for p in parts)).all()
    assert dach.shares.sum() == pytest.approx(1.0)
    clusters = bundle.clusters
    members = cmp.region_clusters(clusters, cmp.resolve("DACH", groups))
    assert set(members["country"]) == {"DEU", "CHE"}  # Austria has no named cluster
    assert _counts(bundle, "AUT").total == 0
    assert _counts(bundle, "AUT").shares.isna().all()


def test_lq_of_a_continent_equals_the_heatmap_page(bundle) -> None:  # noqa: ANN001
    heatmap = location_quotient(published_matrix(bundle.sector_continent))
    for c in CONTINENTS:
        lq = _counts(bundle, c).lq
        pd.testing.assert_series_equal(lq, heatmap[c].astype(float), check_names=False)


def test_lq_of_a_country_or_group_is_the_same_definition_on_named_clusters(bundle) -> None:  # noqa: ANN001
    by_country = country_matrix(bundle.clusters).T  # sectors × countries, like the heatmap's
    heatmap_like = location_quotient(by_country)
    for code in ("DEU", "USA", "KOR", "CHN"):
        lq = _counts(bundle, code).lq
        pd.testing.assert_series_equal(lq, heatmap_like[code].astype(float), check_names=False)
    # By hand: (DEU_s / DEU) / (world_s / world), world = all named clusters.
    clusters = bundle.clusters
    deu = clusters[clusters["country"] == "DEU"]
    s = "equipment"
    expected = ((deu["sector"] == s).mean()) / ((clusters["sector"] == s).mean())
    assert _counts(bundle, "DEU").lq[s] == pytest.approx(expected)
    # A group of every country with named clusters is the world: every LQ is 1.
    world = cmp.Group("ALL", tuple(sorted(set(clusters["country"]))))
    assert _counts(bundle, "ALL", (world,)).lq.to_numpy() == pytest.approx([1.0] * len(SECTORS))


def test_region_without_clusters_has_undefined_lq(bundle) -> None:  # noqa: ANN001
    rc = _counts(bundle, "AUT")
    assert rc.named == 0 and rc.lq.isna().all()


def test_common_share_axis(bundle) -> None:  # noqa: ANN001
    items = [_counts(bundle, "EU"), _counts(bundle, "AS"), _counts(bundle, "AUT")]
    assert cmp.common_share_max(items) == pytest.approx(16 / 55)  # Asia's electronics


# --- difference ----------------------------------------------------------------------------------


def test_share_gap_and_reading_europe_against_asia(bundle) -> None:  # noqa: ANN001
    eu, asia = _counts(bundle, "EU"), _counts(bundle, "AS")
    gap = cmp.share_gap(eu, asia)
    assert list(gap) == sorted(gap, reverse=True)
    assert gap.sum() == pytest.approx(0.0, abs=1e-9)
    assert gap["consumer"] == pytest.approx((9 / 55 - 2 / 55) * 100)
    assert gap.index[0] == "consumer" and gap.index[-1] == "electronics"
    for lang in LANGS:
        text = cmp.difference_reading(gap, "A", "B", lang)
        for s in ("consumer", "biomed", "electronics"):
            assert sector_name(s, lang) in text
        assert cmp.points(gap["consumer"], lang) in text and "+13" in text
        assert "−16" in text
        assert sector_name("equipment", lang) not in text  # 0 points: not a difference


def test_reading_of_equal_and_empty_mixes(bundle) -> None:  # noqa: ANN001
    eu = _counts(bundle, "EU")
    same = cmp.share_gap(eu, eu)
    assert (same == 0).all()
    assert cmp.difference_reading(same, "A", "B", "en") == t(
        "compare.reading.same", "en", a="A", b="B"
    )
    empty = cmp.share_gap(eu, _counts(bundle, "AUT"))
    assert empty.empty
    assert cmp.difference_reading(empty, "A", "B", "zh") == t(
        "compare.reading.empty", "zh", a="A", b="B"
    )
    one_sided = pd.Series({"nev": 3.0, "biomed": 0.5, "consumer": -0.5, "materials": -3.0})
    assert "nev" not in cmp.difference_reading(one_sided, "A", "B", "en")


def test_signed_points() -> None:
    assert [cmp.signed(v) for v in (12.6, -3.5, 0.4, -0.4, 0)] == ["+13", "−4", "0", "0", "0"]


# --- similarity -----------------------------------------------------------------------------------


def _toy(rows: dict[str, dict[str, int]]) -> pd.DataFrame:
    data = [
        {"country": c, "sector": s}
        for c, mix in rows.items()
        for s, k in mix.items()
        for _ in range(k)
    ]
    return pd.DataFrame(data)


def test_tv_distance_by_hand() -> None:
    p = pd.Series({"electronics": 0.5, "biomed": 0.5})
    q = pd.Series({"electronics": 0.25, "nev": 0.75})
    assert cmp.tv_distance(p, q) == pytest.approx(0.5 * (0.25 + 0.5 + 0.75))
    assert cmp.tv_distance(p, p) == 0
    assert cmp.tv_distance(p, pd.Series({"nev": 1.0})) == pytest.approx(1.0)


def test_similarity_ranking_is_deterministic_with_documented_ties() -> None:
    toy = _toy(
        {
            "AAA": {"nev": 3},  # distance 0.5 from the target, 3 clusters
            "BBB": {"nev": 6},  # distance 0.5, 6 clusters: before AAA
            "CCC": {"nev": 3},  # distance 0.5, 3 clusters: after AAA (ISO code)
            "DDD": {"nev": 2, "biomed": 2},  # distance 0: first
            "EEE": {"biomed": 2},  # too few clusters
            "FFF": {"biomed": 5},  # excluded
        }
    )
    target = pd.Series({"nev": 0.5, "biomed": 0.5})
    ranked = cmp.similar_countries(target, toy, exclude={"FFF"}, top=10)
    assert list(ranked["country"]) == ["DDD", "BBB", "AAA", "CCC"]
    assert list(ranked["distance"]) == pytest.approx([0, 0.5, 0.5, 0.5])
    shuffled = cmp.similar_countries(target, toy.sample(frac=1, random_state=3), {"FFF"}, top=10)
    pd.testing.assert_frame_equal(ranked, shuffled)
    assert cmp.similar_countries(target, toy, top=2)["country"].tolist() == ["DDD", "BBB"]
    nothing = cmp.similar_countries(pd.Series({s: math.nan for s in SECTORS}), toy)
    assert nothing.empty


def test_similar_to_europe_from_the_data(bundle) -> None:  # noqa: ANN001
    eu = _counts(bundle, "EU")
    ranked = cmp.similar_countries(eu.shares, bundle.clusters)
    assert len(ranked) == cmp.TOP_SIMILAR
    assert (ranked["named"] >= cmp.MIN_SIMILAR).all()
    assert list(ranked["distance"]) == sorted(ranked["distance"])
    usa = _counts(bundle, "USA")
    assert ranked.iloc[0]["country"] == "USA"
    assert ranked.iloc[0]["distance"] == pytest.approx(cmp.tv_distance(eu.shares, usa.shares))


def test_similarity_is_documented() -> None:
    assert "total-variation" in cmp.__doc__ and "ties go to" in cmp.__doc__
    for lang in LANGS:
        assert str(cmp.MIN_SIMILAR) in t("compare.similar.explain", lang, min=cmp.MIN_SIMILAR)


# --- industries, organisations, policies ---------------------------------------------------------


def test_lead_industries_and_organisations(bundle) -> None:  # noqa: ANN001
    asia = cmp.region_clusters(bundle.clusters, cmp.resolve("AS", ()))
    top = cmp.lead_industries(asia, "zh")
    assert top.iloc[0]["clusters"] == 10  # the table 2-10 clusters
    assert list(top["clusters"]) == sorted(top["clusters"], reverse=True)
    orgs = cmp.region_organizations(bundle.organizations, asia)
    assert set(orgs["cluster_id"]) <= set(asia["cluster_id"])
    assert len(orgs) == int(bundle.organizations["cluster_id"].isin(asia["cluster_id"]).sum())
    europe = cmp.region_clusters(bundle.clusters, cmp.resolve("EU", ()))
    eu_orgs = cmp.region_organizations(bundle.organizations, europe)
    assert set(eu_orgs["cluster_id"]) == {"basel-health-valley", "golden-triangle"}
    assert cmp.lead_industries(europe.iloc[0:0], "en").empty


def test_jurisdictions(bundle) -> None:  # noqa: ANN001
    clusters = bundle.clusters
    groups = (cmp.Group("DACH", ("DEU", "AUT", "CHE")), cmp.Group("NA2", ("USA", "CAN")))

    def where(token: str) -> tuple[str, ...]:
        return cmp.region_jurisdictions(cmp.resolve(token, groups), clusters)

    assert where("FRA") == ("FRA", "EU")
    assert where("GBR") == ("GBR",)
    assert where("DACH") == ("DEU", "AUT", "CHE", "EU")
    assert where("NA2") == ("USA", "CAN")
    eu = where("EU")
    assert {"DEU", "GBR", "FRA", "EU"} <= set(eu) and eu[-1] == "EU"
    assert "EU" not in where("AS") and {"CHN", "JPN", "KOR"} <= set(where("AS"))
    policies = bundle.policies
    europe = cmp.region_policies(policies, eu)
    assert set(europe["jurisdiction"]) == {"DEU", "GBR", "EU"}
    assert cmp.region_policies(policies, where("OC")).empty
    assert len(cmp.region_policies(policies, where("FRA"))) == int(
        (policies["jurisdiction"] == "EU").sum()
    )


def test_policy_matrix_counts_each_theme_once(bundle) -> None:  # noqa: ANN001
    pols = cmp.region_policies(bundle.policies, ("DEU",))
    mat = cmp.policy_matrix(pols)
    themes = [th for cell in pols["themes"] for th in cell.split(";")]
    assert int(mat.to_numpy().sum()) == len(themes)
    assert int(mat.loc["cluster"].sum()) == themes.count("cluster")
    by_period = pols["period"].value_counts()
    assert mat.sum(axis=0).ge(by_period.reindex(mat.columns, fill_value=0)).all()
    assert cmp.shown_themes([mat]) == [th for th in mat.index if mat.loc[th].sum() > 0]


def test_jurisdiction_line(bundle) -> None:  # noqa: ANN001
    text = cmp.jurisdiction_line({"DEU": 12, "EU": 12}, ("DEU", "AUT", "EU"), "en")
    assert "Germany (12)" in text and "European Union (12)" in text and "Austria" in text
    assert "德国（12）" in cmp.jurisdiction_line({"DEU": 12}, ("DEU",), "zh")


def test_gap_sentences(bundle) -> None:  # noqa: ANN001
    clusters, sc = bundle.clusters, _matrices(bundle)
    groups = (cmp.Group("DACH", ("DEU", "AUT", "CHE")),)
    for lang in LANGS:
        asia = cmp.gap_sentence(_counts(bundle, "AS"), clusters, sc, lang)
        assert "36" in asia and "55" in asia and "19" in asia
        assert cmp.gap_sentence(_counts(bundle, "EU"), clusters, sc, lang) == t(
            "compare.gap.complete", lang, published=55
        )
        dach = cmp.gap_sentence(_counts(bundle, "DACH", groups), clusters, sc, lang)
        assert dach.startswith(t("compare.gap.named_complete", lang, where="")[:4])
        kor = cmp.gap_sentence(_counts(bundle, "KOR"), clusters, sc, lang)
        assert "36" in kor
        nowhere = cmp.gap_sentence(_counts(bundle, "VNM"), clusters, sc, lang)
        assert "36" in nowhere


# --- table and charts ---------------------------------------------------------------------------


def _table(bundle, tokens, groups=(), lang="en"):  # noqa: ANN001, ANN202
    items = [_counts(bundle, tok, groups) for tok in tokens]
    mats, totals, orgs = {}, {}, {}
    for rc in items:
        where = cmp.region_jurisdictions(rc.region, bundle.clusters)
        pols = cmp.region_policies(bundle.policies, where)
        mats[rc.region.token], totals[rc.region.token] = cmp.policy_matrix(pols), len(pols)
        members = cmp.region_clusters(bundle.clusters, rc.region)
        orgs[rc.region.token] = len(cmp.region_organizations(bundle.organizations, members))
    return items, cmp.comparison_table(items, mats, totals, orgs, lang)


def test_comparison_table(bundle) -> None:  # noqa: ANN001
    groups = (cmp.Group("DACH", ("DEU", "AUT", "CHE")),)
    items, table = _table(bundle, ("EU", "AS", "DACH"), groups)
    assert list(table.columns[2:]) == ["Europe (EU)", "Asia (AS)", "DACH (DEU+AUT+CHE)"]
    named = table[table.iloc[:, 1] == t("compare.table.named", "en")].iloc[0, 2:].tolist()
    assert named == [55, 19, 15]
    published = table[table.iloc[:, 1] == t("compare.table.published", "en")].iloc[0, 2:]
    assert published.tolist()[:2] == [55, 55] and pd.isna(published.tolist()[2])
    shares = table[table.iloc[:, 0] == t("compare.table.share", "en")]
    assert len(shares) == len(SECTORS)
    assert shares.iloc[:, 2].sum() == pytest.approx(100, abs=0.5)
    data = csv_bytes(table)
    assert data.startswith(b"\xef\xbb\xbf") and b"DACH (DEU+AUT+CHE)" in data


def _text(fig, position: str):  # noqa: ANN001, ANN202
    """The text trace of ``fig`` written at ``position`` (labels: top right, values: middle
    left)."""
    (trace,) = [tr for tr in fig.data if tr.type == "scatter" and tr.textposition == position]
    return trace


def test_charts_share_one_scale_and_height(bundle) -> None:  # noqa: ANN001
    items = [_counts(bundle, "EU"), _counts(bundle, "KOR")]
    x_max = cmp.common_share_max(items)
    for lang in LANGS:
        for n in (2, 4):
            figs = [
                cc.build_share_chart(rc, "x", "y", lang, x_max=x_max, n_regions=n) for rc in items
            ]
            assert figs[0].layout.xaxis.range == figs[1].layout.xaxis.range
            assert figs[0].layout.height == figs[1].layout.height
            lqs = [cc.build_lq_chart(rc, "x", "y", lang, n_regions=n) for rc in items]
            assert lqs[0].layout.height == lqs[1].layout.height
            assert lqs[0].layout.xaxis.range == lqs[1].layout.xaxis.range
    kor = cc.build_lq_chart(items[1], "x", "y", "en", n_regions=2)
    xs = list(kor.data[0].x)
    cap = math.log2(4)
    assert all(-cap <= v <= cap for v in xs)  # clipped like the heatmap's colour scale
    values = list(_text(kor, "middle left").text)
    expected = [f"<b>{cc.format_lq(v)}</b>" for v in items[1].lq]
    assert values == expected and "<b>0</b>" in values  # an empty sector reads 0
    eu = cc.build_share_chart(items[0], "x", "y", "en", x_max=x_max, n_regions=2)
    shares = list(_text(eu, "middle left").text)
    assert shares == [
        "<b>13%</b>",
        "<b>20%</b>",
        "<b>27%</b>",
        "<b>9%</b>",
        "<b>16%</b>",
        "<b>15%</b>",
    ]


def test_policy_and_difference_charts(bundle) -> None:  # noqa: ANN001
    items, _ = _table(bundle, ("EU", "AS"))
    pols = cmp.region_policies(
        bundle.policies, cmp.region_jurisdictions(items[0].region, bundle.clusters)
    )
    mat = cmp.policy_matrix(pols)
    themes = cmp.shown_themes([mat])
    fig = cc.build_policy_chart(mat, themes, "Europe", "sub", "en", x_max=20, n_regions=2)
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert [tr.name for tr in bars] == [t(f"compare.period.{p}", "en") for p in mat.columns]
    assert sum(sum(tr.x) for tr in bars) == int(mat.to_numpy().sum())
    # The value column prints each theme's total (both periods), level with its bar.
    names, values = _text(fig, "top right"), _text(fig, "middle left")
    assert list(values.text) == [f"<b>{int(mat.loc[th].sum())}</b>" for th in themes]
    drop = cc.VALUE_DROP_PX / cc.rows_for(list(names.text)).pitch
    assert list(values.y) == pytest.approx([y + drop for y in fig.data[0].y])
    assert list(names.text) == [t(f"theme.{th}", "en") for th in themes]
    gap = cmp.share_gap(items[0], items[1])
    diff = cc.build_difference_chart(gap, "Europe", "Asia", "title", "en")
    assert list(diff.data[0].x) == pytest.approx(list(gap))
    colors = diff.data[0].marker.color
    assert colors[0] == cc.COLOR_A and colors[-1] == cc.COLOR_B


def _row_figures(bundle, lang: str) -> dict:  # noqa: ANN001
    from components import compare_view as cv

    groups = (cmp.Group("DACH", ("DEU", "AUT", "CHE")),)
    view = cv.compare_view(bundle, ("EU", "AS", "DACH", "USA"), groups, lang)
    return {"share": view.share_fig, "lq": view.lq_fig, "policies": view.policy_fig}


@pytest.mark.parametrize("lang", LANGS)
def test_labels_and_values_are_text_traces(bundle, lang: str) -> None:  # noqa: ANN001
    """Each bar's label (above it, from the axis' left end) and value (at the right end, level
    with it) are text traces, not layout annotations (plotly measures each annotation in the
    page, twice per draw): a row figure keeps the panels' headers only. Margins are fixed."""
    for key, fig in _row_figures(bundle, lang).items():
        layout = fig.layout
        assert layout.margin.autoexpand is False
        assert len(layout.annotations) <= 4  # one header per panel
        for k in range(1, 5):
            suffix = "" if k == 1 else str(k)
            x0, x1 = layout[f"xaxis{suffix}"].range
            traces = [tr for tr in fig.data if tr.xaxis == f"x{suffix}"]
            bars = [tr for tr in traces if tr.type == "bar"]
            texts = [tr for tr in traces if tr.type == "scatter"]
            assert [tr.textposition for tr in texts] == ["top right", "middle left"], key
            labels, values = texts
            for tr in texts:
                assert tr.mode == "text" and tr.hoverinfo == "skip" and tr.cliponaxis is False
                assert tr.showlegend is False and tr.yaxis == f"y{suffix}"
                assert tr.textfont.size == cc.LABEL_FONT
            assert set(labels.x) == {x0} and set(values.x) == {x1}
            assert all(v.startswith("<b>") and v.endswith("</b>") for v in values.text)
            # the bars keep the left VALUE_DOMAIN of the axis: clear of the values
            ends = [sum(xs) for xs in zip(*(tr.x for tr in bars), strict=True)]
            assert max(ends) <= x0 + cc.VALUE_DOMAIN * (x1 - x0)
            ys, half = bars[0].y, bars[0].width / 2
            for i, y in enumerate(ys):
                assert ys[i - 1] + half < labels.y[i] < y - half if i else labels.y[i] < y - half
                assert abs(values.y[i] - y) < half  # level with its bar
        # only the policies' periods in the legend, once each
        legend = [tr.name for tr in fig.data if tr.showlegend is not False]
        periods = [t(f"compare.period.{p}", lang) for p in POLICY_PERIODS]
        assert legend == (periods if key == "policies" else [])


def test_difference_chart_has_fixed_margins_and_text_labels(bundle) -> None:  # noqa: ANN001
    items = [_counts(bundle, "EU"), _counts(bundle, "AS")]
    diff = cc.build_difference_chart(cmp.share_gap(*items), "Europe", "Asia", "title", "en")
    assert diff.layout.margin.autoexpand is False
    assert len(diff.layout.annotations) == 2  # which side is which
    bars, labels = diff.data
    assert labels.mode == "text" and labels.textposition == "top right"
    assert set(labels.x) == {diff.layout.xaxis.range[0]} and len(labels.text) == len(bars.y)
    # a slide enlarges the type: its margins may grow again
    from components.present import slide_figure

    assert "autoexpand" not in slide_figure(diff)["layout"]["margin"]


# --- the kept view: text and figures built once, drawn as few elements ----------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_view_builds_each_columns_text_once(bundle, lang: str) -> None:  # noqa: ANN001
    from components import compare_view as cv
    from components.charts import is_frozen
    from components.i18n import country_name
    from components.safe import escape_md

    view = cv.compare_view(bundle, ("EU", "AS"), (), lang)
    for region, ind in zip(view.regions, view.industries, strict=True):
        head, top, items = ind.lead_md.split("\n\n")
        assert head == f"**{escape_md(view.names[region.token])}**"
        assert top == f"*{t('compare.industries.top', lang, n=ind.n)}*"
        assert items.count("\n- ") + 1 == len(ind.top) and items.startswith("- ")
        # every cluster with organisations has its block in the expander's one markdown
        blocks = ind.orgs_md.split("\n\n") if ind.orgs_md else []
        assert len(blocks) == len(ind.org_lines) == ind.org_clusters
        for block, (cluster, roles) in zip(blocks, ind.org_lines, strict=True):
            assert block.startswith(f"**{escape_md(cluster)}**")
            assert block.count("\n- ") == len(roles)
    assert view.industries[0].orgs and view.industries[1].orgs  # both continents have some
    similar = view.similar["country"].tolist()
    assert [c for c, _ in view.similar_lines] == similar and similar
    first = view.similar_lines[0][1]
    assert f"**{escape_md(country_name(similar[0], lang))}**" in first
    distance = f"{view.similar['distance'].iloc[0] * 100:.0f}"
    assert first.endswith(t("compare.similar.distance", lang, pts=distance))
    shown = view.table_shown.to_pandas()
    assert shown.shape == view.table.shape
    assert list(shown.columns) == [escape_md(str(c)) for c in view.table.columns]
    assert all(isinstance(x, str) for x in shown.to_numpy().ravel())
    assert shown.iloc[1, 2] == escape_md(str(view.table.iloc[1, 2]))
    # a section's name on its first row only (st.table shows every row: no repeats)
    sections = view.table.iloc[:, 0].tolist()
    expected = [
        escape_md(str(x)) if i == 0 or x != sections[i - 1] else "" for i, x in enumerate(sections)
    ]
    assert shown.iloc[:, 0].tolist() == expected
    # Every figure is frozen: drawn again, it is not serialised again; the maps are text.
    figures = [view.share_fig, view.lq_fig, view.policy_fig]
    assert all(is_frozen(x) for x in [*figures, view.diff_fig])
    assert all(isinstance(m, str) and m.startswith("<img ") for m in view.maps)


def test_every_selector_option_has_a_label(bundle) -> None:  # noqa: ANN001
    from components import compare_view as cv

    groups = (cmp.Group("DACH", ("DEU", "AUT", "CHE")),)
    labels = cv.option_labels(bundle, groups, ("EU", "DACH"), "zh")
    options = cv.region_options(bundle, groups, ("EU", "DACH"))
    members = cv.member_options(bundle, groups, ("EU", "DACH"))
    assert set(options) | set(members) <= set(labels)
    assert labels["DACH"] == t("compare.option.group", "zh", name="DACH")
    assert "DACH" not in members and "EU" not in members
