"""The policy timeline of table 6-2: lanes, label placement, filters, search, theme × period
counts and the caption that tests the report's claim. Pure functions, no ``st.*``.

Placement. Plotly draws a scatter point's text where it is told and never moves labels apart, so
this module decides it: every policy gets its lane (jurisdiction), a row inside the lane and a side
for its label (right or left of the marker) such that nothing on a row overlaps while the plot
area is at least ``MIN_PLOT_PX`` wide (the timeline at a 1280 px window with the sidebar open).
A wider plot only spreads the same layout further apart; rows are ``ROW_PX`` apart, more than a
label is tall. Labels are cut to a width that depends on how crowded the shown policies are
(the full names are in the hover and the details); where a crowded lane has no room left within
``ROW_BUDGET`` rows, a marker goes without its label. Policies without a year sit in a "no
year" column at the right end of their lane.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from components.filters import normalize_text
from components.i18n import Lang, catalogue, country_name, join_list, t
from components.safe import is_blank
from components.sources import cite
from components.vocab import EU_MEMBERS, POLICY_PERIODS, THEMES

# --- geometry (pixels) -----------------------------------------------------------------------
LABEL_FONT_PX = 13
TITLE_FONT_PX = 14  # lane titles
ROW_PX = 20  # vertical pitch of rows; a 13 px CJK label box is about 19 px tall
MARKER_PX = 11
MIN_PLOT_PX = 790  # x-axis length the layout is made for (801 px: 1280 px window, sidebar open)
MAX_LABEL_PX = 120  # labels are cut to this when the timeline is crowded …
LABEL_WIDTHS = (MAX_LABEL_PX, 180, 250, 320)  # … and longer where there is room
WIDTH_SLACK = 1.1  # label widths are estimated; fonts differ between systems
BOLD_SLACK = 1.08
LABEL_GAP_PX = 5  # marker edge to label
ITEM_PAD_PX = 12  # free space between two items on one row
NO_YEAR_GAP_PX = 46  # from the last year's edge to the "no year" markers
END_PAD_PX = 6
LANE_GAP_ROWS = 0.8  # blank space between two lanes, in rows
ROW_BUDGET = 36  # rows the whole timeline may take before crowded labels are left out
ELLIPSIS = "…"

# The report's comparison (table 6-2, 对比分析 column): what each period's policies centre on,
# as codes of our theme classification.
REPORT_CLAIM: dict[str, tuple[str, ...]] = {
    "2005-2021": ("industry-revival", "high-tech", "innovation"),  # 振兴工业、高技术产业、创新引领
    "2022-2023": ("digital", "green"),  # 产业数字化、绿色化转型
}
SAME_SHARE = 0.01  # shares closer than one percentage point count as unchanged
SMALL_PERIOD = 30  # below this many policies a period's shares move in big steps

_PERIOD = re.compile(r"(\d{4})-(\d{4})")


@dataclass(frozen=True)
class PolicyFilters:
    """What the reader chose: empty tuples mean no filter, ``query`` is free text."""

    jurisdictions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    query: str = ""


@dataclass(frozen=True)
class Lane:
    """One jurisdiction's band: its first row's y and how many rows it holds."""

    code: str
    top: float
    rows: int


@dataclass(frozen=True)
class Timeline:
    """Where everything goes. ``points``: one row per policy with ``policy_id``, ``lane``,
    ``row``, ``x`` (year, or ``no_year_x``), ``y``, ``side`` (``right``/``left``; None when the
    label has no room), ``label`` (empty then) and ``dated``. x is in years, y in rows
    (downwards)."""

    points: pd.DataFrame
    lanes: tuple[Lane, ...]
    first_year: int
    last_year: int
    x_range: tuple[float, float]
    no_year_x: float | None
    separator_x: float | None
    y_extent: float  # rows from the first lane's top row to the last lane's bottom row
    label_px: float  # the longest a label may be

    @property
    def hidden(self) -> int:
        """How many policies are drawn without their label (no room)."""
        return int(self.points["side"].isna().sum())


# --- vocabulary ------------------------------------------------------------------------------


def lanes(policies: pd.DataFrame) -> tuple[str, ...]:
    """The jurisdictions in the order table 6-2 first lists them (EU, DEU, USA, JPN, KOR, GBR,
    CHN for the 2023 report)."""
    return tuple(dict.fromkeys(policies["jurisdiction"]))


def themes_of(cell: object) -> tuple[str, ...]:
    """``"cluster;sme"`` → ``("cluster", "sme")``."""
    if is_blank(cell):
        return ()
    return tuple(x for x in str(cell).split(";") if x)


def period_bounds(period: str) -> tuple[int, int]:
    """``"2005-2021"`` → ``(2005, 2021)``."""
    m = _PERIOD.fullmatch(period)
    if not m:
        raise ValueError(f"not a period: {period!r}")
    return int(m[1]), int(m[2])


def periods(policies: pd.DataFrame) -> tuple[str, ...]:
    """The table's periods present, in vocabulary order, then any other in time order."""
    present = set(policies["period"])
    known = [p for p in POLICY_PERIODS if p in present]
    return tuple(known + sorted(present - set(known), key=period_bounds))


def year_in_period(year: object, period: str) -> bool | None:
    """Whether a policy's year lies in the table's period (None without a year)."""
    if is_blank(year):
        return None
    lo, hi = period_bounds(period)
    return lo <= int(year) <= hi  # type: ignore[arg-type]


def marker_theme(themes: Sequence[str], chosen: Sequence[str] = ()) -> str:
    """The theme a policy's marker shows: its first theme among those filtered for, else its
    first-listed theme."""
    for theme in themes:
        if theme in chosen:
            return theme
    return themes[0] if themes else THEMES[0]


# --- search and filters ----------------------------------------------------------------------


def _compact(text: str) -> str:
    return "".join(text.split())


def search_mask(policies: pd.DataFrame, query: str) -> pd.Series:
    """Policies whose Chinese or English name contains ``query`` (case and width folded,
    blanks ignored: ``地平线2020`` finds ``欧盟地平线 2020 计划``)."""
    q = _compact(normalize_text(query))
    if not q:
        return pd.Series(True, index=policies.index)
    text = policies["name_zh"].map(normalize_text) + "\n" + policies["name_en"].map(normalize_text)
    return text.map(_compact).str.contains(q, regex=False)


def filter_policies(policies: pd.DataFrame, filters: PolicyFilters) -> pd.DataFrame:
    """The policies that pass every filter (table order kept). A policy passes the theme filter
    when it has any of the chosen themes; the period filter is the table's period."""
    mask = pd.Series(True, index=policies.index)
    if filters.jurisdictions:
        mask &= policies["jurisdiction"].isin(filters.jurisdictions)
    if filters.themes:
        chosen = set(filters.themes)
        mask &= policies["themes"].map(lambda c: bool(chosen & set(themes_of(c))))
    if filters.periods:
        mask &= policies["period"].isin(filters.periods)
    if filters.query:
        mask &= search_mask(policies, filters.query)
    return policies[mask]


# --- label widths ----------------------------------------------------------------------------

_NARROW = set("fijlrtI.,:;'!|()[] ")
_WIDE = set("mwMW@%")


def text_width(text: str, font_px: float = LABEL_FONT_PX, bold: bool = False) -> float:
    """Estimated rendered width of ``text`` in pixels (CJK and full-width characters 1 em,
    Latin by letter class), padded by ``WIDTH_SLACK`` (and ``BOLD_SLACK`` for bold)."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        elif ch in _NARROW:
            em += 0.32
        elif ch in _WIDE:
            em += 0.88
        elif ch.isupper() or ch.isdigit():
            em += 0.66
        else:
            em += 0.56
    return em * font_px * WIDTH_SLACK * (BOLD_SLACK if bold else 1.0)


def shorten(text: str, max_px: float | None = None, font_px: float = LABEL_FONT_PX) -> str:
    """``text`` cut (with ``…``) so that it is at most ``max_px`` (``MAX_LABEL_PX``) wide."""
    max_px = MAX_LABEL_PX if max_px is None else max_px
    text = " ".join(str(text).split())
    if text_width(text, font_px) <= max_px:
        return text
    limit = max_px - text_width(ELLIPSIS, font_px)
    out = ""
    for ch in text:
        if text_width(out + ch, font_px) > limit:
            break
        out += ch
    return out.rstrip(" ,;:(（、-–") + ELLIPSIS


# --- placement -------------------------------------------------------------------------------


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return not (a[1] + ITEM_PAD_PX <= b[0] or a[0] >= b[1] + ITEM_PAD_PX)


@dataclass
class _Item:
    """One policy on a row: its marker's and (if shown) its label's horizontal span in px."""

    policy_id: str
    marker: tuple[float, float]
    side: str | None
    label: tuple[float, float] | None


def _fits(row: list[_Item], span: tuple[float, float]) -> bool:
    return not any(
        _overlaps(span, it.marker) or (it.label is not None and _overlaps(span, it.label))
        for it in row
    )


@dataclass(frozen=True)
class _Geometry:
    x0: float  # the x-axis starts half a year before the first year
    ppy: float  # pixels per year
    dated_end_px: float  # labels of dated policies end before this (the "no year" separator)
    no_year_px: float | None


def _geometry(
    year_span: tuple[int, int], no_year_column: bool, plot_px: float, label_px: float
) -> _Geometry:
    first, last = year_span
    years = last - first + 1
    marker_r = MARKER_PX / 2
    right = NO_YEAR_GAP_PX + marker_r + LABEL_GAP_PX + label_px + END_PAD_PX
    ppy = (plot_px - (right if no_year_column else END_PAD_PX)) / years
    end = years * ppy + (NO_YEAR_GAP_PX / 2 if no_year_column else 0)
    return _Geometry(
        first - 0.5, ppy, end, years * ppy + NO_YEAR_GAP_PX if no_year_column else None
    )


def _pack_lane(
    dated: Sequence[tuple[str, int]],
    widths: dict[str, float],
    geo: _Geometry,
    cap: int,
    title_px: float,
) -> tuple[list[tuple[str, int, str | None]], int]:
    """Rows for one lane's dated policies (``(policy_id, year)`` in year order): ``(policy_id,
    row, side)`` (side None: no room for the label) and the number of rows used.

    Taken in year order, each policy goes to the first of ``cap`` rows where its marker and its
    label fit (label right of the marker if there is room, else left), else to the first row
    where its marker alone fits. If none has room for the marker, the labels in its way on the
    least crowded row are taken out; only a lane-year with more than ``cap`` policies opens
    another row. The lane's title takes the left end of its first row.
    """
    rows: list[list[_Item]] = [[] for _ in range(max(cap, 1))]
    if title_px:
        rows[0].append(_Item("", (0.0, title_px), None, None))
    r_m = MARKER_PX / 2
    for pid, year in dated:
        px = (year - geo.x0) * geo.ppy
        w = widths[pid]
        marker = (px - r_m, px + r_m)
        options = []
        if px + r_m + LABEL_GAP_PX + w <= geo.dated_end_px:
            options.append(("right", (px + r_m + LABEL_GAP_PX, px + r_m + LABEL_GAP_PX + w)))
        if px - r_m - LABEL_GAP_PX - w >= 0:
            options.append(("left", (px - r_m - LABEL_GAP_PX - w, px - r_m - LABEL_GAP_PX)))
        item = None
        for row in rows:
            for side, span in options:
                if _fits(row, marker) and _fits(row, span):
                    item, target = _Item(pid, marker, side, span), row
                    break
            if item:
                break
        if item is None:
            free = [row for row in rows if _fits(row, marker)]
            if not free:  # take labels out of the way on the row that loses the fewest
                candidates = [
                    row for row in rows if not any(_overlaps(marker, it.marker) for it in row)
                ]
                if candidates:
                    row = min(
                        candidates,
                        key=lambda r: sum(
                            it.label is not None and _overlaps(marker, it.label) for it in r
                        ),
                    )
                    for it in row:
                        if it.label is not None and _overlaps(marker, it.label):
                            it.side, it.label = None, None
                else:
                    row = []
                    rows.append(row)
                free = [row]
            item, target = _Item(pid, marker, None, None), free[0]
        target.append(item)
    out = [(it.policy_id, i, it.side) for i, row in enumerate(rows) for it in row if it.policy_id]
    used = max((i + 1 for i, row in enumerate(rows) if any(it.policy_id for it in row)), default=0)
    return out, used


def layout_timeline(
    shown: pd.DataFrame,
    names: dict[str, str],
    *,
    lane_order: Sequence[str],
    year_span: tuple[int, int],
    no_year_column: bool,
    plot_px: float = MIN_PLOT_PX,
    row_budget: int = ROW_BUDGET,
    lane_titles: dict[str, str] | None = None,
    label_px: float = MAX_LABEL_PX,
) -> Timeline:
    """Place every policy of ``shown`` exactly once.

    ``names`` maps ``policy_id`` to its label text (cut here to ``label_px``); ``lane_order``: the
    lanes to draw (a lane may be empty); ``year_span`` fixes the x-axis (the whole table's first
    and last year, so filters do not move the axis); ``no_year_column`` reserves the column for
    policies without a year. Dated policies are taken by year, then in table order, and put on
    the first row of their lane where marker and label fit (label right of the marker if there
    is room, else left). Each lane needs at least its tallest lane-year stack and its undated
    list in rows; the rows per lane are chosen so that the chart shows the most labels within
    ``row_budget`` rows. A label that still finds no room is left out (its marker stays; the
    name is in the hover and the details). Markers of one
    lane-year always stack on separate rows. ``lane_titles`` (drawn at the left end of each
    lane's first row, in ``TITLE_FONT_PX`` bold) keep that space free.
    """
    geo = _geometry(year_span, no_year_column, plot_px, label_px)
    labels = {pid: shorten(text, label_px) for pid, text in names.items()}
    widths = {pid: text_width(text) for pid, text in labels.items()}
    by_lane: dict[str, tuple[list[tuple[str, int]], list[str]]] = {c: ([], []) for c in lane_order}
    for pid, code, year in zip(
        shown["policy_id"], shown["jurisdiction"], shown["year"], strict=True
    ):
        if code in by_lane:
            if is_blank(year):
                by_lane[code][1].append(pid)
            else:
                by_lane[code][0].append((pid, int(year)))
    for dated, _ in by_lane.values():
        dated.sort(key=lambda item: item[1])  # stable: table order within a year

    titles = {c: text_width(s, TITLE_FONT_PX, bold=True) for c, s in (lane_titles or {}).items()}

    def pack(code: str, cap: int) -> tuple[list, int]:
        return _pack_lane(by_lane[code][0], widths, geo, cap, titles.get(code, 0.0))

    def lane_rows(code: str, packed: tuple[list, int]) -> int:
        return max(packed[1], len(by_lane[code][1]), 1)

    def hidden(packed: tuple[list, int]) -> int:
        return sum(side is None for _, _, side in packed[0])

    # Each lane needs its tallest lane-year stack and its undated list anyway. Try every number
    # of rows from there (up to the budget) and keep, over all lanes, the choice that shows the
    # most labels within the budget (a small knapsack over the lanes).
    room = row_budget - LANE_GAP_ROWS * max(len(by_lane) - 1, 0)
    choices: dict[str, dict[int, tuple[list, int]]] = {}
    for code, (dated, undated) in by_lane.items():
        stack = max(Counter(year for _, year in dated).values(), default=0)
        least = max(stack, len(undated), 1)
        options: dict[int, tuple[list, int]] = {}
        for cap in range(least, max(least, int(room)) + 1):
            packed = pack(code, cap)
            rows = lane_rows(code, packed)
            if rows not in options or hidden(packed) < hidden(options[rows]):
                options[rows] = packed
            if hidden(packed) == 0:
                break
        choices[code] = options
    best: dict[int, tuple[int, dict[str, int]]] = {0: (0, {})}  # rows used → (hidden, rows/lane)
    for code, options in choices.items():
        step: dict[int, tuple[int, dict[str, int]]] = {}
        for used, (lost, picks) in best.items():
            for rows, packed in options.items():
                key, value = used + rows, (lost + hidden(packed), {**picks, code: rows})
                if key not in step or value[0] < step[key][0]:
                    step[key] = value
        best = step
    fitting = {k: v for k, v in best.items() if k <= room} or {min(best): best[min(best)]}
    _, picks = min(fitting.values(), key=lambda v: (v[0], sum(v[1].values())))
    packed = {code: choices[code][picks[code]] for code in by_lane}

    records: list[dict] = []
    lane_list: list[Lane] = []
    top = 0.0
    no_year_x = geo.x0 + geo.no_year_px / geo.ppy if geo.no_year_px is not None else None
    for code in lane_order:
        placed, n_dated_rows = packed[code]
        dated, undated = by_lane[code]
        years = dict(dated)
        for pid, row, side in placed:
            records.append(_record(pid, code, row, top, float(years[pid]), side, labels, True))
        for row, pid in enumerate(undated):
            records.append(_record(pid, code, row, top, no_year_x, "right", labels, False))
        n_rows = max(n_dated_rows, len(undated), 1)
        lane_list.append(Lane(code, top, n_rows))
        top += n_rows + LANE_GAP_ROWS

    columns = ["policy_id", "lane", "row", "x", "y", "side", "label", "dated"]
    return Timeline(
        points=pd.DataFrame.from_records(records, columns=columns),
        lanes=tuple(lane_list),
        first_year=year_span[0],
        last_year=year_span[1],
        x_range=(geo.x0, geo.x0 + plot_px / geo.ppy),
        no_year_x=no_year_x,
        separator_x=geo.x0 + geo.dated_end_px / geo.ppy if no_year_column else None,
        y_extent=(top - LANE_GAP_ROWS) if lane_list else 1.0,
        label_px=label_px,
    )


def best_timeline(shown: pd.DataFrame, names: dict[str, str], **kwargs: object) -> Timeline:
    """:func:`layout_timeline` with the longest labels of ``LABEL_WIDTHS`` that leave no label
    out; the shortest if even those leave some out (a crowded view)."""
    widths = sorted(LABEL_WIDTHS)
    best = layout_timeline(shown, names, label_px=widths[0], **kwargs)  # type: ignore[arg-type]
    for label_px in widths[1:]:
        if best.hidden:
            break
        wider = layout_timeline(shown, names, label_px=label_px, **kwargs)  # type: ignore[arg-type]
        if wider.hidden:
            break
        best = wider
    return best


def _record(
    pid: str,
    lane: str,
    row: int,
    top: float,
    x: float | None,
    side: str | None,
    labels: dict[str, str],
    dated: bool,
) -> dict:
    return {
        "policy_id": pid,
        "lane": lane,
        "row": row,
        "x": x,
        "y": top + row,
        "side": side,
        "label": labels[pid] if side else "",
        "dated": dated,
    }


# --- theme × period --------------------------------------------------------------------------


def theme_period_counts(policies: pd.DataFrame) -> pd.DataFrame:
    """Per theme and table period: ``count`` of policies with that theme, ``total`` policies in
    the period and ``share`` = count / total. Every theme × period pair, zeros included; a policy
    with several themes counts once for each."""
    rows = []
    for period in periods(policies):
        sub = policies[policies["period"] == period]
        tags = [set(themes_of(c)) for c in sub["themes"]]
        for theme in THEMES:
            n = sum(theme in s for s in tags)
            rows.append(
                {
                    "theme": theme,
                    "period": period,
                    "count": n,
                    "total": len(sub),
                    "share": n / len(sub) if len(sub) else float("nan"),
                }
            )
    return pd.DataFrame(rows, columns=["theme", "period", "count", "total", "share"])


@dataclass(frozen=True)
class ClaimCheck:
    """One theme the report's comparison names: its count and share in both periods and whether
    the direction of change agrees with the claim (``agrees`` None: unchanged)."""

    theme: str
    claimed_for: str
    early: tuple[int, int, float]  # count, total, share
    late: tuple[int, int, float]
    agrees: bool | None


def check_claim(counts: pd.DataFrame) -> list[ClaimCheck]:
    """Compare each claimed theme's share between the earlier and the recent period. A theme
    claimed for a period agrees when its share is higher in that period than in the other."""
    present = list(dict.fromkeys(counts["period"]))
    if not all(p in present for p in REPORT_CLAIM) or len(REPORT_CLAIM) != 2:
        return []
    early_p, late_p = REPORT_CLAIM  # dict order: earlier period first
    idx = counts.set_index(["theme", "period"])
    out = []
    for period, themes in REPORT_CLAIM.items():
        for theme in themes:
            e, lt = idx.loc[(theme, early_p)], idx.loc[(theme, late_p)]
            diff = float(lt["share"]) - float(e["share"])
            if abs(diff) < SAME_SHARE:
                agrees = None
            else:
                agrees = (diff > 0) == (period == late_p)
            out.append(
                ClaimCheck(
                    theme,
                    period,
                    (int(e["count"]), int(e["total"]), float(e["share"])),
                    (int(lt["count"]), int(lt["total"]), float(lt["share"])),
                    agrees,
                )
            )
    return out


def share_text(share: float) -> str:
    """``0.2131`` → ``21%``."""
    return f"{share:.0%}"


# --- jurisdictions, regions and the map --------------------------------------------------------


def jurisdiction_continent(code: str, clusters: pd.DataFrame) -> str | None:
    """The continent of a jurisdiction: ``EU`` for the EU, else the continent the report assigns
    the country's clusters (None if the country has no named cluster)."""
    if code == "EU":
        return "EU"
    conts = clusters.loc[clusters["country"] == code, "continent"]
    return None if conts.empty else str(conts.mode().iloc[0])


def regional_lanes(
    sections: pd.DataFrame, lane_order: Sequence[str], clusters: pd.DataFrame
) -> list[tuple[pd.Series, tuple[str, ...]]]:
    """Chapter 4's regional policy sections in report order, each with its continent's lanes."""
    regional = sections[sections["kind"] == "regional_policy"]
    out = []
    for _, sec in regional.iterrows():
        codes = tuple(j for j in lane_order if jurisdiction_continent(j, clusters) == sec.continent)
        out.append((sec, codes))
    return out


def regional_section(code: str, sections: pd.DataFrame, clusters: pd.DataFrame) -> pd.Series | None:
    """The chapter 4 regional policy section for a jurisdiction's continent, if any."""
    continent = jurisdiction_continent(code, clusters)
    hit = sections[(sections["kind"] == "regional_policy") & (sections["continent"] == continent)]
    return None if hit.empty else hit.iloc[0]


def map_countries(code: str, clusters: pd.DataFrame) -> tuple[str, ...]:
    """The countries whose clusters the map shows for a jurisdiction: the country itself, or the
    EU member states with a named cluster for the EU (empty if none)."""
    present = set(clusters["country"])
    wanted = EU_MEMBERS if code == "EU" else {code}
    return tuple(sorted(wanted & present))


def theme_names(cell: object, lang: Lang) -> str:
    """``"cluster;sme"`` → ``集群发展、中小企业`` / ``Clusters, SMEs``."""
    return join_list((t(f"theme.{x}", lang) for x in themes_of(cell)), lang)


def period_name(period: str, lang: Lang) -> str:
    """``前期（2005–2021年）`` / ``Earlier period (2005–2021)``; an unknown period as printed."""
    key = f"policies.period.{period}"
    return t(key, lang) if key in catalogue() else period


def year_text(year: object, year_source: object, lang: Lang) -> str:
    """The year and where it comes from: ``2012 (year from the public record, not the report)``."""
    if is_blank(year):
        return t("policies.year.none", lang)
    kind = "report" if year_source == "report" else "public"
    return t(f"policies.year.{kind}", lang, year=int(year))  # type: ignore[call-overload]


def provenance_name(source: object, lang: Lang) -> str:
    """``report`` / ``public record`` in words; empty stays empty."""
    if is_blank(source):
        return ""
    return t(f"policies.provenance.{str(source).replace(' ', '_')}", lang)


def policy_table(policies: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The policies as shown and downloaded: both names, localised jurisdiction, period, year and
    its source, themes; the note as in the data (English); table order."""

    def col(key: str) -> str:
        return t(f"policies.col.{key}", lang)

    return pd.DataFrame(
        {
            col("jurisdiction"): [country_name(j, lang) for j in policies["jurisdiction"]],
            col("name_zh"): policies["name_zh"].to_list(),
            col("name_en"): policies["name_en"].to_list(),
            col("period"): [period_name(p, lang) for p in policies["period"]],
            col("year"): pd.array(policies["year"].to_list(), dtype="Int64"),
            col("year_source"): [provenance_name(s, lang) for s in policies["year_source"]],
            col("themes"): [theme_names(c, lang) for c in policies["themes"]],
            col("note"): policies["note"].to_list(),
            col("source"): [cite(r, lang) for r in policies["source_ref"]],
            col("id"): policies["policy_id"].to_list(),
        }
    )


def scope_text(codes: Sequence[str], n: int, all_lanes: Sequence[str], lang: Lang) -> str:
    """``全部 75 项政策`` or ``美国、德国的 28 项政策``: which policies a count covers."""
    if not codes or set(codes) >= set(all_lanes):
        return t("policies.theme.scope_all", lang, n=n)
    names = join_list((country_name(c, lang) for c in codes), lang)
    return t("policies.theme.scope_some", lang, n=n, lanes=names)


def claim_caption(counts: pd.DataFrame, scope: str, lang: Lang) -> list[str]:
    """Sentences stating, in numbers from ``counts``, how the report's comparison holds up."""
    checks = check_claim(counts)
    if not checks:
        return [t("policies.claim.none", lang)]
    early_p, late_p = REPORT_CLAIM
    totals = counts.drop_duplicates("period").set_index("period")["total"]
    n_early, n_late = int(totals[early_p]), int(totals[late_p])
    out = [t("policies.claim.intro", lang, scope=scope, n_early=n_early, n_late=n_late)]

    def item(c: ClaimCheck) -> str:
        return t(
            "policies.claim.item",
            lang,
            theme=t(f"theme.{c.theme}", lang),
            early_n=c.early[0],
            early_total=c.early[1],
            early_share=share_text(c.early[2]),
            late_n=c.late[0],
            late_total=c.late[1],
            late_share=share_text(c.late[2]),
        )

    for period, key in ((early_p, "early"), (late_p, "late")):
        items = [item(c) for c in checks if c.claimed_for == period]
        out.append(t(f"policies.claim.{key}", lang, items=join_list(items, lang, "clause")))
    for verdict, key in ((True, "agree"), (False, "disagree"), (None, "same")):
        themes = [t(f"theme.{c.theme}", lang) for c in checks if c.agrees is verdict]
        if themes:
            out.append(t(f"policies.claim.{key}", lang, themes=join_list(themes, lang)))
    if 0 < n_late < SMALL_PERIOD:
        out.append(t("policies.claim.small", lang, n=n_late, pp=round(100 / n_late)))
    return out


def picked_ids(event: object) -> list[str]:
    """The ``policy_id`` of every point picked in a plotly selection event (``customdata``)."""
    try:
        points = event["selection"]["points"] or []  # type: ignore[index]
    except (KeyError, TypeError):
        return []
    return [
        p["customdata"]
        for p in points
        if isinstance(p, dict) and isinstance(p.get("customdata"), str)
    ]


def year_source_counts(policies: pd.DataFrame) -> dict[str, int]:
    """How many years come from the report, the public record, or are not established."""
    return {
        "report": int((policies["year_source"] == "report").sum()),
        "public": int((policies["year_source"] == "public record").sum()),
        "none": int(policies["year"].isna().sum()),
    }


def period_counts(policies: pd.DataFrame, codes: Sequence[str]) -> dict[str, int]:
    """Policies of the jurisdictions ``codes`` per table period (every known period listed)."""
    sub = policies[policies["jurisdiction"].isin(codes)]
    return {p: int((sub["period"] == p).sum()) for p in POLICY_PERIODS}
