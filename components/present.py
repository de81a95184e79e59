"""Slides: the default deck of the report's key findings and the look of a slide. No ``st.*``.

A slide is one idea: a headline sentence, one chart (or a short numbered list), a source line and
its number. :class:`SlideView` is what the presenter page, the PPTX export and the offline HTML
export all draw; :func:`default_deck` builds the report's key findings from the dataset in one
language, every number computed from the data.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from components import overview as ov
from components.captions import cluster_list_source, source_line
from components.charts import FONT_FAMILY, MISSING, apply_layout, frozen
from components.data import Bundle
from components.export import file_stem
from components.heatmap_charts import build_main_heatmap
from components.i18n import Lang, continent_name, join_list, sector_name, t
from components.matrices import location_quotient, source_matrices
from components.safe import escape_html
from components.vocab import CONTINENTS, POLICY_PERIODS, SECTORS

KINDS = ("cover", "chart", "list", "missing")
SLIDE_FONT_SCALE = 1.3  # charts on a slide: type 30% larger than on the pages
TITLE_ROOM = 80  # px of top margin a chart title takes (freed on a slide)
TITLE_FREE_TOP = 20
LQ_STRONG = 1.2  # a sector "concentrates" where its location quotient reaches this
LQ_MIN_CLUSTERS = 10  # continents with fewer clusters are left out of the LQ headline
SHIFT_THEMES = ("digital", "green")
TOP_CONTINENTS = 3
BAR_COLORS = ("#9aa5b1", "#0B5394")  # earlier period, later period


@dataclass(frozen=True, eq=False)
class SlideView:
    """Everything one slide shows.

    ``kind``: ``cover`` (title, subtitle and the key numbers as ``fig``), ``chart`` (``fig``),
    ``list`` (numbered ``items``)
    or ``missing`` (a view that cannot be rebuilt: ``subtitle`` says why). ``link`` is the page
    url_path and query parameters that open the slide's view in the app, if it has one.
    """

    kind: str
    title: str
    source: str = ""
    fig: go.Figure | dict | None = None  # a figure, or its plotly JSON (see :func:`freeze`)
    items: tuple[str, ...] = ()
    subtitle: str = ""
    notes: str = ""
    link: tuple[str, dict[str, str]] | None = None
    table: pd.DataFrame | None = field(default=None, repr=False)


# --- the look of a chart on a slide --------------------------------------------------------------


def _scale_fonts(node: object, factor: float) -> None:
    """Multiply every ``size`` inside any ``*font`` mapping of a figure's JSON, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict):
                size = value.get("size")
                if isinstance(size, int | float):
                    value["size"] = round(size * factor, 1)
                elif isinstance(size, list):
                    value["size"] = [round(s * factor, 1) for s in size]
            _scale_fonts(value, factor)
    elif isinstance(node, list):
        for item in node:
            _scale_fonts(item, factor)


def freeze(view: SlideView) -> SlideView:
    """The view with its figure as plain plotly JSON (a dict): cheap to cache and copy, where a
    ``go.Figure`` takes long to unpickle and to validate again."""
    if isinstance(view.fig, go.Figure):
        return replace(view, fig=copy.deepcopy(view.fig.to_plotly_json()))
    return view


def slide_figure(
    fig: go.Figure | dict, height: int | None = None, factor: float = SLIDE_FONT_SCALE
) -> dict:
    """A copy of ``fig`` for a slide: its title left out (the slide's headline says it), every
    font ``factor`` times larger, axes and margins making room for their labels, ``height`` if
    given.

    The figure's own font sizes (layout, axes, legend, cell text) all grow together, so a chart
    laid out for a page keeps its proportions on a projector. A chart squeezed below the height
    its builder chose gets less of the enlargement (never below the page's own size), so its
    rows and labels do not collide on a small screen. Returns plotly JSON (a dict), which
    ``st.plotly_chart``, kaleido and plotly.js all take.
    """
    spec = copy.deepcopy(fig if isinstance(fig, dict) else fig.to_plotly_json())
    layout = spec.setdefault("layout", {})
    title = layout.pop("title", None)
    margin = layout.setdefault("margin", {})
    if isinstance(title, dict) and title.get("text"):
        margin["t"] = max(TITLE_FREE_TOP, margin.get("t", TITLE_ROOM) - TITLE_ROOM)
    built = layout.get("height")
    if height and isinstance(built, int | float) and built > 0:
        factor = max(1.0, min(factor, factor * height / built))
    layout.setdefault("font", {}).setdefault("size", 16)
    _scale_fonts(spec, factor)
    if isinstance(margin.get("t"), int | float):  # top tick labels grow with their type
        margin["t"] = round(margin["t"] * factor)
    margin.pop("autoexpand", None)  # a page chart's fixed margins: the larger type needs room
    for axis in ("xaxis", "yaxis"):
        layout.setdefault(axis, {}).setdefault("automargin", True)
    if height:
        layout["height"] = height
    layout.pop("width", None)
    return spec


# --- the default deck ----------------------------------------------------------------------------


def qualified(value: float, qualifier: str, unit: str, lang: Lang) -> str:
    """``约 15%`` / ``about 15%``: a fact's value with its qualifier (约/近/超过) and unit."""
    number = f"{value:g}"
    text = t("present.unit.percent", lang, n=number) if unit == "percent" else number
    if qualifier and qualifier != "exact":
        return t(f"present.qualifier.{qualifier}", lang, value=text)
    return text


def build_key_numbers(head: ov.Headline, lang: Lang) -> go.Figure:
    """The report's key numbers side by side, large (the cover slide's chart)."""
    numbers = [
        ("overview.metric_total", head.total),
        ("overview.metric_countries", head.countries),
        ("overview.metric_policies", head.policies),
        ("present.deck.metric_trends", head.trends),
    ]
    fig = go.Figure()
    for i, (key, value) in enumerate(numbers):
        fig.add_trace(
            go.Indicator(
                mode="number",
                value=value,
                number={"font": {"size": 64, "color": "#0B5394"}, "valueformat": "d"},
                title={"text": t(key, lang), "font": {"size": 18, "color": "#52606d"}},
                domain={"x": [i / len(numbers), (i + 1) / len(numbers)], "y": [0, 1]},
            )
        )
    apply_layout(fig, height=220)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def _cover(bundle: Bundle, lang: Lang) -> SlideView:
    head = ov.headline(bundle)
    return SlideView(
        kind="cover",
        title=t("present.deck.cover_title", lang),
        subtitle=t("present.deck.cover_subtitle", lang, publisher=t("app.publisher", lang)),
        fig=build_key_numbers(head, lang),
        source=source_line(lang, ["preface", "figure 2-1", "table 6-2", "ch6"]),
        notes=t("present.deck.cover_notes", lang, total=head.total, trends=head.trends),
    )


def _coverage(bundle: Bundle, lang: Lang) -> SlideView:
    head = ov.headline(bundle)
    cov = ov.coverage(bundle, "continent")
    where = [
        continent_name(c, lang)
        for c, n in zip(cov["continent"], cov["unnamed"], strict=True)
        if n > 0
    ]
    title = t(
        "present.deck.coverage_title",
        lang,
        total=head.total,
        named=head.named,
        unnamed=head.unnamed,
        where=join_list(where, lang) or MISSING,
    )
    parts = ov.gap_parts(bundle, lang)
    return SlideView(
        kind="chart",
        title=title,
        fig=ov.build_coverage_bar(cov, "continent", lang),
        source=source_line(lang, ["figure 2-1"], cluster_list_source(bundle.clusters, lang)),
        notes=t("present.deck.coverage_notes", lang, parts=join_list(parts, lang, "clause")),
        link=("overview", {}),
        table=ov.coverage_table(cov, "continent", lang),
    )


def continent_totals(bundle: Bundle) -> pd.Series:
    """Figure 2-1's clusters per continent, most first (ties in the fixed continent order)."""
    counts = source_matrices(bundle.sector_continent, bundle.clusters)["published"]
    totals = counts.sum(axis=0).reindex(list(CONTINENTS))
    order = sorted(CONTINENTS, key=lambda c: (-int(totals[c]), CONTINENTS.index(c)))
    return totals.reindex(order).astype(int)


def _sector_continent(bundle: Bundle, lang: Lang) -> SlideView:
    counts = source_matrices(bundle.sector_continent, bundle.clusters)["published"]
    totals = continent_totals(bundle)
    top = totals.iloc[:TOP_CONTINENTS]
    total = int(totals.sum())
    share = top.sum() / total if total else 0
    title = t(
        "present.deck.sector_continent_title",
        lang,
        top=join_list((f"{continent_name(c, lang)} {int(n)}" for c, n in top.items()), lang),
        share=f"{share:.0%}",
        total=total,
    )
    return SlideView(
        kind="chart",
        title=title,
        fig=build_main_heatmap(counts, "count", "published", lang),
        source=source_line(lang, ["figure 2-1"]),
        notes=t("present.deck.sector_continent_notes", lang),
        link=("heatmap", {}),
    )


def lq_leaders(bundle: Bundle) -> dict[str, list[tuple[str, float]]]:
    """Per continent with at least ``LQ_MIN_CLUSTERS`` clusters, the sectors whose highest
    location quotient (among those continents) is there and reaches ``LQ_STRONG``."""
    counts = source_matrices(bundle.sector_continent, bundle.clusters)["published"]
    lq = location_quotient(counts)
    big = [c for c in CONTINENTS if counts[c].sum() >= LQ_MIN_CLUSTERS]
    leaders: dict[str, list[tuple[str, float]]] = {}
    for sector in SECTORS:
        row = lq.loc[sector, big].dropna()
        if row.empty:
            continue
        best = row.idxmax()
        if row[best] >= LQ_STRONG:
            leaders.setdefault(best, []).append((sector, float(row[best])))
    return {c: leaders[c] for c in CONTINENTS if c in leaders}


def _lq(bundle: Bundle, lang: Lang) -> SlideView:
    counts = source_matrices(bundle.sector_continent, bundle.clusters)["published"]
    leaders = lq_leaders(bundle)
    groups = [
        t(
            "present.deck.lq_group",
            lang,
            sectors=join_list((sector_name(s, lang) for s, _ in items), lang),
            continent=continent_name(c, lang),
        )
        for c, items in leaders.items()
    ]
    detail = [
        f"{sector_name(s, lang)} {continent_name(c, lang)} {v:.2f}"
        for c, items in leaders.items()
        for s, v in items
    ]
    small = [c for c in CONTINENTS if 0 < counts[c].sum() < LQ_MIN_CLUSTERS]
    return SlideView(
        kind="chart",
        title=t("present.deck.lq_title", lang, groups=join_list(groups, lang, "clause")),
        fig=build_main_heatmap(counts, "lq", "published", lang),
        source=source_line(lang, ["figure 2-1"], t("present.deck.lq_computed", lang)),
        notes=t(
            "present.deck.lq_notes",
            lang,
            strong=f"{LQ_STRONG:g}",
            detail=join_list(detail, lang),
            small=join_list((continent_name(c, lang) for c in small), lang) or MISSING,
            n=LQ_MIN_CLUSTERS,
        ),
        link=("heatmap", {"measure": "lq"}),
    )


def theme_shares(policies: pd.DataFrame, themes: tuple[str, ...] = SHIFT_THEMES) -> pd.DataFrame:
    """Per period (``POLICY_PERIODS`` order) and theme: policies, those with the theme, share.

    Columns ``period``, ``theme``, ``policies``, ``with_theme``, ``share``.
    """
    rows = []
    for period in POLICY_PERIODS:
        sub = policies[policies["period"] == period]
        tagged = sub["themes"].fillna("").str.split(";")
        for theme in themes:
            n = int(tagged.map(lambda items, th=theme: th in items).sum())
            rows.append((period, theme, len(sub), n, n / len(sub) if len(sub) else 0.0))
    return pd.DataFrame(rows, columns=["period", "theme", "policies", "with_theme", "share"])


def _direction(before: float, after: float) -> str:
    """``rise``, ``fall`` or ``hold`` (within one percentage point)."""
    if after - before > 0.01:
        return "rise"
    if before - after > 0.01:
        return "fall"
    return "hold"


def build_theme_bars(shares: pd.DataFrame, lang: Lang) -> go.Figure:
    """Grouped bars: the share of policies with each theme, one bar per period."""
    fig = go.Figure()
    for i, period in enumerate(POLICY_PERIODS):
        sub = shares[shares["period"] == period]
        n = int(sub["policies"].iloc[0]) if len(sub) else 0
        fig.add_bar(
            x=[t(f"present.theme.{th}", lang) for th in sub["theme"]],
            y=sub["share"],
            name=t("present.deck.period_n", lang, period=period, n=n),
            marker_color=BAR_COLORS[i % len(BAR_COLORS)],
            text=[
                t("present.deck.share_label", lang, share=f"{s:.0%}", k=int(k), n=n)
                for s, k in zip(sub["share"], sub["with_theme"], strict=True)
            ],
            textposition="outside",
            hovertemplate="%{x}: %{y:.0%}<extra>%{fullData.name}</extra>",
        )
    top = float(shares["share"].max()) if len(shares) else 1.0
    apply_layout(fig, height=460)
    fig.update_layout(
        barmode="group",
        yaxis={"tickformat": ".0%", "range": [0, max(top * 1.3, 0.1)], "title": None},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        bargap=0.35,
    )
    return fig


def _policy_shift(bundle: Bundle, lang: Lang) -> SlideView:
    shares = theme_shares(bundle.policies)
    first, last = POLICY_PERIODS[0], POLICY_PERIODS[-1]
    parts = []
    for theme in SHIFT_THEMES:
        s = shares[shares["theme"] == theme].set_index("period")["share"]
        parts.append(
            t(
                f"present.deck.shift_{_direction(s[first], s[last])}",
                lang,
                theme=t(f"present.theme.{theme}", lang),
                before=f"{s[first]:.0%}",
                after=f"{s[last]:.0%}",
            )
        )
    counts = shares.drop_duplicates("period").set_index("period")["policies"]
    table = shares.assign(theme=[t(f"present.theme.{th}", lang) for th in shares["theme"]])
    return SlideView(
        kind="chart",
        title=t(
            "present.deck.policy_title",
            lang,
            parts=join_list(parts, lang, "clause"),
            first=first,
            last=last,
        ),
        fig=build_theme_bars(shares, lang),
        source=source_line(lang, ["table 6-2"], t("present.deck.policy_computed", lang)),
        notes=t(
            "present.deck.policy_notes",
            lang,
            first=first,
            last=last,
            n_first=int(counts[first]),
            n_last=int(counts[last]),
        ),
        table=table,
    )


def asia_share_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """The facts of one metric: the Asia-Pacific developing economies' share of world
    manufacturing value added (region ``apac-dev``, percent), oldest period first."""
    rows = facts[(facts["region"].str.lower() == "apac-dev") & (facts["unit"] == "percent")]
    return rows.sort_values("period").reset_index(drop=True)


def build_share_bars(rows: pd.DataFrame, lang: Lang) -> go.Figure:
    """One bar per period, labelled with the qualified value (``约 15%``)."""
    labels = [
        qualified(float(r.value), str(r.qualifier), "percent", lang) for r in rows.itertuples()
    ]
    fig = go.Figure(
        go.Bar(
            x=[str(p) for p in rows["period"]],
            y=rows["value"] / 100,
            text=labels,
            textposition="outside",
            marker_color=list(BAR_COLORS[: len(rows)]) if len(rows) <= 2 else BAR_COLORS[1],
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    top = float(rows["value"].max()) / 100 if len(rows) else 1.0
    apply_layout(fig, height=460)
    fig.update_layout(
        yaxis={"tickformat": ".0%", "range": [0, max(top * 1.25, 0.1)], "title": None},
        xaxis={"type": "category", "title": None},
        bargap=0.55,
        showlegend=False,
    )
    return fig


def _asia_share(bundle: Bundle, lang: Lang) -> SlideView | None:
    rows = asia_share_facts(bundle.facts)
    if len(rows) < 2:
        return None
    first, last = rows.iloc[0], rows.iloc[-1]
    metric = str(last[f"metric_{lang}"])
    return SlideView(
        kind="chart",
        title=t(
            f"present.deck.asia_{_direction(float(first['value']), float(last['value']))}",
            lang,
            before=qualified(float(first["value"]), str(first["qualifier"]), "percent", lang),
            after=qualified(float(last["value"]), str(last["qualifier"]), "percent", lang),
            first=first["period"],
            last=last["period"],
        ),
        fig=build_share_bars(rows, lang),
        source=join_list(
            [source_line(lang, sorted(set(rows["source_ref"]))), t("present.deck.unido", lang)],
            lang,
            "clause",
        ),
        notes=t("present.deck.asia_notes", lang, metric=metric),
    )


def _trends(bundle: Bundle, lang: Lang) -> SlideView:
    rows = bundle.trends.sort_values("trend_no")
    return SlideView(
        kind="list",
        title=t("present.deck.trends_title", lang, n=len(rows)),
        items=tuple(str(getattr(r, f"title_{lang}")) for r in rows.itertuples()),
        source=source_line(lang, ["ch6"]),
        notes="\n\n".join(
            [t("present.deck.trends_notes", lang)]
            + [f"{int(r.trend_no)}. {getattr(r, f'summary_{lang}')}" for r in rows.itertuples()]
        ),
        link=("overview", {}),
    )


def _recommendations(bundle: Bundle, lang: Lang) -> SlideView:
    rows = bundle.sections[bundle.sections["kind"] == "recommendation"].sort_values("source_ref")
    refs = sorted(set(rows["source_ref"]))
    return SlideView(
        kind="list",
        title=t("present.deck.recommendations_title", lang, n=len(rows)),
        items=tuple(str(getattr(r, f"title_{lang}")) for r in rows.itertuples()),
        source=source_line(lang, refs[:1] if len(refs) == 1 else ["ch7"]),
        notes="\n\n".join(
            f"{i}. {getattr(r, f'summary_{lang}')}" for i, r in enumerate(rows.itertuples(), 1)
        ),
    )


DECK: tuple[tuple[str, Callable[[Bundle, Lang], SlideView | None]], ...] = (
    ("cover", _cover),
    ("coverage", _coverage),
    ("sector_continent", _sector_continent),
    ("lq", _lq),
    ("policy_shift", _policy_shift),
    ("asia_share", _asia_share),
    ("trends", _trends),
    ("recommendations", _recommendations),
)


def default_deck(bundle: Bundle, lang: Lang) -> list[SlideView]:
    """The report's key findings as slides, in ``lang`` (a slide whose data is missing is left
    out, e.g. another edition without the Asia-Pacific share facts)."""
    slides = [build(bundle, lang) for _, build in DECK]
    return [s for s in slides if s is not None]


# --- the present page's rules: which slide, how tall, what files -------------------------------

DECKS = ("report", "briefing")  # ?deck=: the report's key findings, the reader's briefing
MOVES = ("next", "prev", "first", "last")  # what the keyboard sends
PREVIEW_CHART_HEIGHT = 500  # a slide's chart on the page (not presenting)
MIN_CHART_HEIGHT = 320  # presenter mode never squeezes a chart below this
COVER_CHART_HEIGHT = 260  # the cover's key numbers


def clamp_slide(raw: object, count: int) -> tuple[int, bool]:
    """``(n, ok)``: the 1-based slide to show for ``?slide=raw`` in a deck of ``count``.

    Missing → 1. Not a whole number → 1, not ok. Below 1 → 1, above ``count`` → ``count``,
    not ok. An empty deck shows nothing (0).
    """
    if count <= 0:
        return 0, raw in (None, "")
    if raw is None or raw == "":
        return 1, True
    try:
        n = int(str(raw).strip())
    except ValueError:
        return 1, False
    if n < 1:
        return 1, False
    if n > count:
        return count, False
    return n, True


def move_slide(number: int, move: str, count: int) -> int:
    """The slide a key ``move`` (one of ``MOVES``) turns to from ``number``, within 1..``count``."""
    target = {"next": number + 1, "prev": number - 1, "first": 1, "last": count}[move]
    return max(1, min(count, target))


def slide_to_show(raw: object, move: str | None, count: int) -> tuple[int, bool]:
    """``(n, bad)``: the slide to show for ``?slide=raw`` after a key ``move`` (or None) in a
    deck of ``count``, and whether ``raw`` gets a notice (not a slide of the deck, no key
    pressed). An empty deck shows nothing (0) and gets no notice."""
    number, ok = clamp_slide(raw, count)
    if count <= 0:
        return number, False
    if move:
        return move_slide(number, move, count), False
    return number, not ok


def chart_height(
    view: SlideView, *, presenting: bool, viewport: tuple[int, int] | None = None
) -> int:
    """A slide's chart height: the cover's fixed; in presenter mode, once the window's size is
    known, what fills it (:func:`presenter_chart_height`); else the page preview's."""
    if view.kind == "cover":
        return COVER_CHART_HEIGHT
    if presenting and viewport:
        return presenter_chart_height(view.title, view.source, viewport, MIN_CHART_HEIGHT)
    return PREVIEW_CHART_HEIGHT


def report_figure_id(lang: Lang, n: int) -> tuple:
    """What identifies the report deck's slide ``n`` figure (the memo keeps its chart under it;
    a briefing slide's: :func:`components.briefing.figure_id`)."""
    return ("report", lang, n)


def briefing_title(name: str, lang: Lang) -> str:
    """The briefing's name, or the default name while it has none."""
    return name or t("present.editor.default_name", lang)


def deck_title(deck: str, briefing_name: str, lang: Lang) -> str:
    """The deck's name in its exports: the briefing's (:func:`briefing_title`) or the report
    deck's."""
    if deck == "briefing":
        return briefing_title(briefing_name, lang)
    return t("present.deck.report", lang)


def export_file_name(title: str, today: dt.date, lang: Lang, ext: str) -> str:
    """An exported deck's file name: ``<deck title>_<date>_<lang>.<ext>``."""
    return f"{file_stem(title, today.isoformat(), lang)}.{ext}"


def briefing_file_name(title: str, today: dt.date) -> str:
    """The saved briefing's file name: ``<name>_<date>.json`` (one file for both languages)."""
    return f"{file_stem(title, today.isoformat())}.json"


def slide_image_stem(n: int, lang: Lang) -> str:
    """The stem of a slide chart's PNG (the chart toolbar's download)."""
    return file_stem(f"slide_{n}", lang)


def loaded_message(name: str, n: int, skipped: list[tuple[int, str]], lang: Lang) -> str:
    """What a loaded briefing file says: its name and slides, and the views left out."""
    message = t("present.editor.loaded", lang, name=name or MISSING, n=n)
    if skipped:
        views = ", ".join(view for _, view in skipped)
        message += " " + t("present.skipped", lang, n=len(skipped), views=views)
    return message


# --- slide text as HTML (escaped) ----------------------------------------------------------------


# Presenter mode's type and the room the page takes around the chart (CSS px), measured on
# Streamlit 1.67's wide layout: 96 px above the first element, 5 rem side padding, 16 px gaps.
HEADLINE_VW, HEADLINE_MIN, HEADLINE_MAX = 2.2, 24, 48
PAGE_TOP, PAGE_SIDE, GAP = 96, 80, 16
FOOTER_VW, CONTROLS, BOTTOM = 1.05, 42, 24


def headline_px(viewport_width: int) -> float:
    """The presenter headline's font size at a window width (as the CSS ``clamp`` computes)."""
    return max(HEADLINE_MIN, min(HEADLINE_MAX, viewport_width * HEADLINE_VW / 100))


def _lines(text: str, width: float, size: float) -> int:
    """Lines ``text`` takes in a box ``width`` px wide at ``size`` px (a generous estimate)."""
    per_line = max(1.0, width / (size * 0.55))  # half-width characters per line
    return max(1, math.ceil(text_width(text) / per_line))


def presenter_chart_height(
    title: str, source: str, viewport: tuple[int, int], minimum: int = 300
) -> int:
    """The chart height that fits the whole slide (headline, chart, source line, controls) into
    the window ``viewport`` = (width, height)."""
    width, height = viewport
    inner = width - 2 * PAGE_SIDE
    size = headline_px(width)
    foot = max(14, min(22, width * FOOTER_VW / 100))
    headline = _lines(title, inner, size) * size * 1.2
    footer = _lines(source, inner - 6 * foot, foot) * foot * 1.4
    used = PAGE_TOP + headline + footer + CONTROLS + BOTTOM + 4 * GAP
    return max(minimum, int(height - used))


def text_width(text: str) -> int:
    """Width in half-width units: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# A figure or table id with its word ("figure 2-1", "图 2-1", "table 6-2"): kept on one line.
_REF_ID = re.compile(r"(?:(?:[Ff]igure|[Tt]able|图|表)[ \u00a0]?)?\d+(?:-\d+)+")


def slide_text_html(text: object) -> str:
    """``text`` escaped for HTML, each figure/table id in a span that does not wrap: a drawn
    line never breaks at the id's hyphen ("…(figure 2-" / "1)"). The text itself (what is
    copied, read aloud or exported) is unchanged."""
    raw = "" if text is None else str(text)
    parts, last = [], 0
    for m in _REF_ID.finditer(raw):
        parts.append(escape_html(raw[last : m.start()]))
        parts.append(f'<span style="white-space:nowrap">{escape_html(m.group())}</span>')
        last = m.end()
    parts.append(escape_html(raw[last:]))
    return "".join(parts)


def headline_html(text: str, *, presenting: bool) -> str:
    """The headline sentence, large (sized to the window in presenter mode)."""
    size = (
        f"clamp({HEADLINE_MIN}px, {HEADLINE_VW}vw, {HEADLINE_MAX}px)"
        if presenting
        else "clamp(22px, 1.9vw, 34px)"
    )
    return (
        f'<div role="heading" aria-level="1" class="slide-headline" style="font-size:{size};'
        f"font-weight:700;line-height:1.2;margin:0;font-family:{escape_html(FONT_FAMILY)};"
        f'color:#1f2933">{slide_text_html(text)}</div>'
    )


def list_html(items: tuple[str, ...], *, presenting: bool) -> str:
    """A numbered list in slide type (escaped)."""
    size = "clamp(20px, 1.8vw, 38px)" if presenting else "clamp(17px, 1.3vw, 24px)"
    lis = "".join(f'<li style="margin:0 0 .45em 0">{slide_text_html(i)}</li>' for i in items)
    return (
        f'<ol class="slide-list" style="font-size:{size};line-height:1.35;'
        f'padding-left:1.6em;margin:.4em 0;color:#1f2933">{lis}</ol>'
    )


def cover_html(view: SlideView, *, presenting: bool) -> str:
    """The cover slide: title and subtitle, centred."""
    big = "clamp(34px, 3.6vw, 72px)" if presenting else "clamp(26px, 2.4vw, 42px)"
    small = "clamp(18px, 1.5vw, 30px)" if presenting else "clamp(15px, 1.1vw, 20px)"
    return (
        '<div class="slide-cover" style="padding:4vh 0 2vh 0;color:#1f2933">'
        f'<div style="font-size:{big};font-weight:700;line-height:1.2">'
        f"{slide_text_html(view.title)}</div>"
        f'<div style="font-size:{small};margin-top:1.2em;color:#52606d">'
        f"{slide_text_html(view.subtitle)}</div></div>"
    )


def footer_html(source: str, number: int, count: int, *, presenting: bool) -> str:
    """The source line (left) and the slide number (right)."""
    size = f"clamp(14px, {FOOTER_VW}vw, 22px)" if presenting else "14px"
    return (
        f'<div class="slide-footer" style="display:flex;justify-content:space-between;'
        f'gap:2em;font-size:{size};line-height:1.4;color:#52606d">'
        f'<span class="slide-source">{slide_text_html(source)}</span>'
        f'<span class="slide-number" style="white-space:nowrap">{number} / {count}</span></div>'
    )


def report_deck(bundle: Bundle, lang: Lang) -> tuple[SlideView, ...]:
    """:func:`default_deck` with plain-JSON figures (:func:`freeze`), for keeping."""
    return tuple(freeze(v) for v in default_deck(bundle, lang))


def slide_chart(which: object, height: int, *, fig: dict | go.Figure) -> go.Figure:
    """:func:`slide_figure` of ``fig`` as a figure drawn many times (validated once, frozen).

    ``which`` names the slide's figure for the memo that keeps the result (unused here)."""
    del which
    return frozen(go.Figure(slide_figure(fig, height=height)))
