"""Policy timeline logic: lanes, placement without overlaps, filters and search, theme × period
counts, the caption that tests the report's comparison, links to regions and the map."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pytest

from components import policies as pc
from components import policy_charts as charts
from components.data import load_bundle
from components.export import csv_bytes
from components.i18n import LANGS, country_name, t
from components.vocab import EU_MEMBERS, POLICY_PERIODS, THEMES

LANE_ORDER = ("EU", "DEU", "USA", "JPN", "KOR", "GBR", "CHN")  # issue 9 / table 6-2 order

# Years corrected or filled after issue 9 was checked against the public record.
CORRECTED_YEARS = {
    "chn-cluster-guidance-2015": 2015,
    "usa-rjia": 2012,
    "eu-cluster-memorandum": 2008,
    "eu-cee-cluster-agreement": 2007,
    "deu-ga-networking": 2005,
    "jpn-research-complex": 2015,
    "jpn-regional-innovation-cluster": 2010,
    "kor-digital-manufacturing-innovation-2027": 2023,
    "kor-global-high-tech-cluster": 2023,
}

VIEWS = [
    pc.PolicyFilters(),
    pc.PolicyFilters(jurisdictions=("USA",)),
    pc.PolicyFilters(jurisdictions=("USA", "CHN")),
    pc.PolicyFilters(themes=("green", "digital")),
    pc.PolicyFilters(periods=("2022-2023",)),
    pc.PolicyFilters(query="战略"),
]


@pytest.fixture(scope="module")
def bundle():
    return load_bundle()


@pytest.fixture(scope="module")
def policies(bundle) -> pd.DataFrame:
    return bundle.policies


def _layout(policies: pd.DataFrame, filters: pc.PolicyFilters, lang: str) -> pc.Timeline:
    shown = pc.filter_policies(policies, filters)
    lanes = filters.jurisdictions or pc.lanes(policies)
    return charts.timeline_layout(policies, shown, lanes, lang)


# --- lanes and periods -------------------------------------------------------------------------


def test_lane_order_follows_table_6_2(policies) -> None:
    assert pc.lanes(policies) == LANE_ORDER
    tl = _layout(policies, pc.PolicyFilters(), "en")
    assert [lane.code for lane in tl.lanes] == list(LANE_ORDER)
    tops = [lane.top for lane in tl.lanes]
    assert tops == sorted(tops)
    for above, below in zip(tl.lanes, tl.lanes[1:], strict=False):
        assert above.top + above.rows - 1 < below.top, "lanes must not share rows"


def test_filtered_lanes_keep_table_order(policies) -> None:
    tl = _layout(policies, pc.PolicyFilters(jurisdictions=("CHN", "USA")), "zh")
    assert [lane.code for lane in tl.lanes] == ["CHN", "USA"]  # as the filter lists them
    f = pc.PolicyFilters(jurisdictions=tuple(c for c in LANE_ORDER if c in ("CHN", "USA")))
    assert [lane.code for lane in _layout(policies, f, "zh").lanes] == ["USA", "CHN"]


def test_period_bounds(policies) -> None:
    assert [pc.period_bounds(p) for p in POLICY_PERIODS] == [(2005, 2021), (2022, 2023)]
    assert pc.periods(policies) == POLICY_PERIODS
    with pytest.raises(ValueError):
        pc.period_bounds("2005")
    assert pc.year_in_period(2000, "2005-2021") is False
    assert pc.year_in_period(2021, "2005-2021") is True
    assert pc.year_in_period(None, "2005-2021") is None
    # Both years that disagree with the table's period are the ones the data notes.
    outside = {
        r.policy_id for r in policies.itertuples() if pc.year_in_period(r.year, r.period) is False
    }
    assert outside == {"deu-renewable-energy-sources-act", "kor-global-high-tech-cluster"}


@pytest.mark.parametrize("lang", LANGS)
def test_periods_are_shaded_and_labelled(policies, lang: str) -> None:
    fig = charts.build_timeline(policies, policies, LANE_ORDER, lang)
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(r.x0, r.x1) for r in rects] == [(2004.5, 2021.5), (2021.5, 2023.5)]
    texts = [a.text for a in fig.layout.annotations]
    for period in POLICY_PERIODS:
        assert t(f"policies.period_band.{period}", lang) in texts
    assert t("policies.chart.no_year", lang) in texts
    for code in LANE_ORDER:
        assert f"<b>{country_name(code, lang)}</b>" in texts


# --- placement ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("filters", VIEWS, ids=lambda f: repr(f))
def test_every_shown_policy_is_placed_exactly_once(policies, filters, lang: str) -> None:
    shown = pc.filter_policies(policies, filters)
    tl = _layout(policies, filters, lang)
    assert sorted(tl.points["policy_id"]) == sorted(shown["policy_id"])
    assert tl.points["policy_id"].is_unique
    lanes = {lane.code: lane for lane in tl.lanes}
    for p in tl.points.itertuples():
        lane = lanes[p.lane]
        assert p.lane == shown.set_index("policy_id").at[p.policy_id, "jurisdiction"]
        assert 0 <= p.row < lane.rows and p.y == lane.top + p.row


def test_all_policies_placed_and_undated_in_the_no_year_column(policies) -> None:
    tl = _layout(policies, pc.PolicyFilters(), "zh")
    assert len(tl.points) == len(policies)
    pts = tl.points.set_index("policy_id")
    undated = policies[policies["year"].isna()]
    assert len(undated) > 0
    for pid in undated["policy_id"]:
        assert pts.at[pid, "x"] == tl.no_year_x and not pts.at[pid, "dated"]
        assert pts.at[pid, "label"], "undated policies are listed by name beside the chart"
    assert tl.no_year_x > tl.separator_x > tl.last_year + 0.5
    for r in policies[policies["year"].notna()].itertuples():
        assert pts.at[r.policy_id, "x"] == r.year


def test_corrected_years_are_on_the_timeline(policies) -> None:
    """The corrected and filled years of issue 9 (the data test is
    tests/unit/test_dataset_text.py::test_corrected_policy_years)."""
    by_id = policies.set_index("policy_id")
    assert "chn-cluster-guidance-2007" not in by_id.index
    pts = _layout(policies, pc.PolicyFilters(), "en").points.set_index("policy_id")
    for pid, year in CORRECTED_YEARS.items():
        assert by_id.at[pid, "year"] == year, pid
        assert by_id.at[pid, "year_source"] == "public record", pid
        assert pts.at[pid, "x"] == year, pid


def _spans(tl: pc.Timeline, lang: str) -> dict[tuple[str, int], list[tuple[float, float, str]]]:
    """Horizontal pixel spans of every marker, label and lane title, per lane row."""
    geo = pc._geometry(
        (tl.first_year, tl.last_year), tl.no_year_x is not None, pc.MIN_PLOT_PX, tl.label_px
    )
    rows: dict[tuple[str, int], list[tuple[float, float, str]]] = {
        (lane.code, 0): [
            (0.0, pc.text_width(charts.lane_title(lane.code, lang), pc.TITLE_FONT_PX, True), "")
        ]
        for lane in tl.lanes
    }
    r = pc.MARKER_PX / 2
    for p in tl.points.itertuples():
        px = (p.x - geo.x0) * geo.ppy
        items = rows.setdefault((p.lane, p.row), [])
        items.append((px - r, px + r, p.policy_id))
        w = pc.text_width(p.label)
        if p.side == "right":
            items.append((px + r + pc.LABEL_GAP_PX, px + r + pc.LABEL_GAP_PX + w, p.label))
        elif p.side == "left":
            items.append((px - r - pc.LABEL_GAP_PX - w, px - r - pc.LABEL_GAP_PX, p.label))
        else:
            assert p.label == ""
    return rows


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("filters", VIEWS, ids=lambda f: repr(f))
def test_nothing_overlaps_on_a_row(policies, filters, lang: str) -> None:
    tl = _layout(policies, filters, lang)
    for (lane, _), items in _spans(tl, lang).items():
        items.sort()
        for a, b in zip(items, items[1:], strict=False):
            assert a[1] <= b[0], f"{lane}: {a[2]!r} overlaps {b[2]!r}"
        assert items[0][0] >= 0, f"{lane}: something starts left of the axis"
        assert items[-1][1] <= pc.MIN_PLOT_PX, f"{lane}: something ends right of the plot"


@pytest.mark.parametrize("lang", LANGS)
def test_full_view_fits_the_row_budget_and_says_what_it_leaves_out(policies, lang) -> None:
    tl = _layout(policies, pc.PolicyFilters(), lang)
    assert tl.y_extent <= pc.ROW_BUDGET
    labelled = tl.points["label"].astype(bool)
    assert tl.hidden == int((~labelled).sum())
    assert tl.hidden < len(policies) / 4, "most names are on the chart"
    assert set(tl.points.loc[~labelled, "side"].isna()) == {True}
    # A lane-year's policies are stacked on different rows.
    stacks = tl.points[tl.points["dated"]].groupby(["lane", "x"])["row"]
    assert (stacks.nunique() == stacks.size()).all()


@pytest.mark.parametrize("lang", LANGS)
def test_fewer_lanes_show_every_name_with_longer_labels(policies, lang: str) -> None:
    tl = _layout(policies, pc.PolicyFilters(jurisdictions=("USA",)), lang)
    assert tl.hidden == 0
    assert tl.label_px > pc.MAX_LABEL_PX
    assert (tl.points["label"] != "").all()


def test_labels_are_cut_to_width() -> None:
    long = "中华人民共和国国民经济和社会发展第十三个五年规划纲要"
    cut = pc.shorten(long, 120)
    assert cut.endswith(pc.ELLIPSIS) and long.startswith(cut[:-1])
    assert pc.text_width(cut) <= 120
    assert pc.shorten("go-cluster", 120) == "go-cluster"
    assert pc.text_width("国") > pc.text_width("i")
    assert charts.label_text("A Strategy for American Innovation") == (
        "Strategy for American Innovation"
    )
    assert charts.label_text("Wide-area cluster programme (translation)") == (
        "Wide-area cluster programme"
    )
    assert charts.label_text("工作岗位和创新加速器挑战赛(JIAC)") == "工作岗位和创新加速器挑战赛"


# --- filters and search -------------------------------------------------------------------------


def test_search_in_both_languages(policies) -> None:
    def ids(q: str) -> set[str]:
        return set(pc.filter_policies(policies, pc.PolicyFilters(query=q))["policy_id"])

    assert ids("地平线2020") == {"eu-horizon-2020"}  # blanks ignored
    assert ids("horizon") == {"eu-horizon-2020", "eu-horizon-europe"}
    assert ids("ＣＨＩＰＳ") == ids("芯片") == {"usa-chips-and-science-act"}
    assert ids("no such policy") == set()
    assert len(ids("")) == len(policies)


def test_filters_combine(policies) -> None:
    f = pc.PolicyFilters(jurisdictions=("USA", "JPN"), themes=("green",), periods=("2005-2021",))
    got = pc.filter_policies(policies, f)
    expected = policies[
        policies["jurisdiction"].isin(["USA", "JPN"])
        & policies["themes"].str.split(";").map(lambda ts: "green" in ts)
        & (policies["period"] == "2005-2021")
    ]
    assert list(got["policy_id"]) == list(expected["policy_id"]) and len(got) > 0


def test_marker_theme() -> None:
    assert pc.marker_theme(("innovation", "green")) == "innovation"
    assert pc.marker_theme(("innovation", "green"), ("green",)) == "green"
    assert pc.themes_of("cluster;sme") == ("cluster", "sme")
    assert pc.themes_of("") == ()


def test_picked_ids() -> None:
    event = {"selection": {"points": [{"customdata": "usa-rjia"}, {"x": 1}]}}
    assert pc.picked_ids(event) == ["usa-rjia"]
    assert pc.picked_ids(None) == [] and pc.picked_ids({"selection": {}}) == []


# --- theme × period ----------------------------------------------------------------------------


def test_theme_counts_per_period_equal_the_data(policies) -> None:
    counts = pc.theme_period_counts(policies)
    assert len(counts) == len(THEMES) * len(POLICY_PERIODS)
    for period in POLICY_PERIODS:
        sub = policies[policies["period"] == period]
        tally = Counter(x for cell in sub["themes"] for x in cell.split(";"))
        rows = counts[counts["period"] == period].set_index("theme")
        for theme in THEMES:
            assert rows.at[theme, "count"] == tally.get(theme, 0), (period, theme)
            assert rows.at[theme, "total"] == len(sub)
            assert rows.at[theme, "share"] == pytest.approx(tally.get(theme, 0) / len(sub))
    assert counts.groupby("period")["total"].first().sum() == len(policies)


def test_claim_check_reads_the_direction_of_change(policies) -> None:
    checks = {c.theme: c for c in pc.check_claim(pc.theme_period_counts(policies))}
    assert set(checks) == {x for v in pc.REPORT_CLAIM.values() for x in v}
    for c in checks.values():
        early, late = c.early[2], c.late[2]
        if abs(late - early) < pc.SAME_SHARE:
            assert c.agrees is None
        elif c.claimed_for == "2022-2023":
            assert c.agrees == (late > early)
        else:
            assert c.agrees == (early > late)
    # The 2023 report's data: digital rises, innovation falls (as claimed); industrial revival and
    # high-tech rise (not as claimed); green keeps its share.
    assert checks["digital"].agrees is True and checks["innovation"].agrees is True
    assert checks["industry-revival"].agrees is False and checks["high-tech"].agrees is False
    assert checks["green"].agrees is None


@pytest.mark.parametrize("lang", LANGS)
def test_caption_states_the_numbers_from_the_data(policies, lang: str) -> None:
    counts = pc.theme_period_counts(policies)
    scope = pc.scope_text((), len(policies), LANE_ORDER, lang)
    text = "\n".join(pc.claim_caption(counts, scope, lang))
    idx = counts.set_index(["theme", "period"])
    for theme in ("industry-revival", "high-tech", "innovation", "digital", "green"):
        e, lt = idx.loc[(theme, "2005-2021")], idx.loc[(theme, "2022-2023")]
        assert t(f"theme.{theme}", lang) in text
        assert f"{int(e['count'])}" in text and pc.share_text(e["share"]) in text
        assert pc.share_text(lt["share"]) in text
    n_late = int((policies["period"] == "2022-2023").sum())
    assert t("policies.claim.small", lang, n=n_late, pp=round(100 / n_late)) in text
    assert str(len(policies)) in text


def test_caption_without_both_periods(policies) -> None:
    recent = policies[policies["period"] == "2022-2023"]
    counts = pc.theme_period_counts(recent)
    assert pc.claim_caption(counts, "x", "en") == [t("policies.claim.none", "en")]


@pytest.mark.parametrize("lang", LANGS)
def test_theme_chart_shows_counts_and_shares(policies, lang: str) -> None:
    counts = pc.theme_period_counts(policies)
    fig = charts.build_theme_chart(counts, lang)
    assert len(fig.data) == len(POLICY_PERIODS)
    for trace, period in zip(fig.data, POLICY_PERIODS, strict=True):
        rows = counts[counts["period"] == period].set_index("theme").reindex(list(THEMES))
        assert list(trace.x) == pytest.approx(rows["share"].tolist())
        assert trace.text[0].startswith(str(int(rows["count"].iloc[0])))
    table = charts.theme_table(counts, lang)
    assert len(table) == len(counts)
    assert csv_bytes(table).startswith(b"\xef\xbb\xbf")


# --- details, regions, map -----------------------------------------------------------------------


def test_regional_sections_and_their_lanes(bundle) -> None:
    panels = pc.regional_lanes(bundle.sections, LANE_ORDER, bundle.clusters)
    assert [(s["continent"], codes) for s, codes in panels] == [
        ("NA", ("USA",)),
        ("EU", ("EU", "DEU", "GBR")),
        ("AS", ("JPN", "KOR", "CHN")),
    ]
    assert [s["source_ref"] for s, _ in panels] == ["ch4.1", "ch4.2", "ch4.3"]
    assert pc.regional_section("KOR", bundle.sections, bundle.clusters)["source_ref"] == "ch4.3"
    assert pc.regional_section("XXX", bundle.sections, bundle.clusters) is None
    counts = pc.period_counts(bundle.policies, ("USA",))
    usa = bundle.policies[bundle.policies["jurisdiction"] == "USA"]
    assert sum(counts.values()) == len(usa)


def test_map_countries(bundle) -> None:
    eu = pc.map_countries("EU", bundle.clusters)
    assert set(eu) == EU_MEMBERS & set(bundle.clusters["country"])
    assert "GBR" not in eu and "DEU" in eu and "CHE" not in eu
    assert pc.map_countries("USA", bundle.clusters) == ("USA",)
    assert pc.map_countries("XXX", bundle.clusters) == ()


@pytest.mark.parametrize("lang", LANGS)
def test_hover_names_both_languages_year_and_its_source(policies, lang: str) -> None:
    fig = charts.build_timeline(policies, policies, LANE_ORDER, lang, selected="usa-rjia")
    hovers = {}
    for trace in fig.data:
        if trace.hovertext:
            hovers.update(zip(trace.customdata, trace.hovertext, strict=True))
    assert len(hovers) == len(policies)
    rjia = policies.set_index("policy_id").loc["usa-rjia"]
    assert rjia["name_zh"] in hovers["usa-rjia"] and "Rural Jobs" in hovers["usa-rjia"]
    assert t("policies.year.public", lang, year=2012) in hovers["usa-rjia"]
    assert t("policies.year.report", lang, year=2022) in hovers["usa-chips-and-science-act"]
    assert t("policies.year.none", lang) in hovers["eu-ipcei"]
    assert t("policies.hover.outside", lang) in hovers["kor-global-high-tech-cluster"]
    ring = [tr for tr in fig.data if not tr.showlegend and tr.showlegend is not None]
    assert len(ring) == 1 and list(ring[0].customdata) == ["usa-rjia"]


def test_data_text_is_escaped_in_the_figure(policies) -> None:
    evil = policies.iloc[[0]].assign(name_en='<a href="x">Evil</a>')
    fig = charts.build_timeline(evil, evil, ("EU",), "en")
    spec = json.dumps(fig.to_plotly_json(), default=str)
    assert "<a href" not in spec and "&lt;a href" in spec


@pytest.mark.parametrize("lang", LANGS)
def test_policy_table(policies, lang: str) -> None:
    table = pc.policy_table(policies, lang)
    assert len(table) == len(policies)
    assert list(table[t("policies.col.id", lang)]) == list(policies["policy_id"])
    assert table[t("policies.col.name_zh", lang)].tolist() == policies["name_zh"].tolist()
    years = table[t("policies.col.year", lang)]
    assert years.isna().sum() == policies["year"].isna().sum()
    assert pc.year_source_counts(policies) == {
        "report": int((policies["year_source"] == "report").sum()),
        "public": int((policies["year_source"] == "public record").sum()),
        "none": int(policies["year"].isna().sum()),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_ringed_timeline_from_the_plain_one_equals_a_full_build(policies, lang: str) -> None:
    """The open policy's figure is made from the kept plain figure plus the ring: the same spec
    as building it from scratch (and the plain figure itself when the policy is not shown)."""
    import plotly.io as pio

    from components.charts import frozen

    lanes = ("USA", "JPN")
    shown = pc.filter_policies(policies, pc.PolicyFilters(lanes))
    tl = charts.timeline_layout(policies, shown, lanes, lang)
    plain = frozen(charts.build_timeline(policies, shown, lanes, lang, layout=tl))
    for pid in (shown["policy_id"].iloc[0], shown["policy_id"].iloc[-1]):
        full = charts.build_timeline(policies, shown, lanes, lang, selected=pid, layout=tl)
        fast = charts.with_ring(plain, tl, pid)
        assert json.loads(pio.to_json(fast)) == json.loads(pio.to_json(full))
        assert pio.to_json(fast) == pio.to_json(full)  # byte for byte: the same element id
    outside = sorted(set(policies["policy_id"]) - set(shown["policy_id"]))[0]
    assert charts.with_ring(plain, tl, outside) is plain
