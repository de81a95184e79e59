"""Charts drawn as SVG text on the server: no chart library in the browser. No ``st.*``.

The overview's coverage bars are the first thing a reader sees; drawn by plotly they made the
browser fetch and evaluate plotly.js (about 4.7 MB) before the first page was complete. The
builders here take data in and return one ``<svg>`` element as text: every text node and attribute
escaped (``components.safe.escape_svg``), responsive (``viewBox``, ``width="100%"``), the house
font and colours, ``role="img"`` with a ``<title>``, a ``<desc>`` and an ``aria-label`` that states
the numbers. Streamlit's ``st.html`` strips SVG (its sanitiser allows HTML only), so the page shows
it as an image (:func:`as_image`: an ``<img>`` with the SVG as a ``data:`` URI, drawn natively by
the browser). Markdown's own characters in text are written as character references too, so the
same text is also safe wherever markdown might render it.
"""

from __future__ import annotations

import base64
import html
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from components.charts import BASE_FONT_SIZE, FONT_FAMILY
from components.safe import escape_html
from components.safe import escape_svg as svg_text

TEXT_COLOR = "#1f2933"
MUTED_COLOR = "#52606d"
GRID_COLOR = "#e4e7eb"
AXIS_COLOR = "#9aa5b1"
# The element is as wide as its column, its text scaled with it: WIDTH viewBox units are about
# a half-width column at 1280-1440 px (430-480 px), so a 16-unit font is drawn near 16 px there,
# like the house plotly charts; MAX_WIDTH_PX keeps it from growing past 1.5x on wide screens.
WIDTH = 460
MAX_WIDTH_PX = 680
ROW_H = 46  # one category (plotly's chart: 46 px per category)
BAR_H = 32
LABEL_SIZE = BASE_FONT_SIZE  # category labels, legend
VALUE_SIZE = 15  # numbers in and after the bars
TICK_SIZE = 15
LINE_GAP = 1.2  # line height of a wrapped label, in font sizes
HEADROOM = 1.15  # the axis runs to 115 % of the longest bar (room for the total after it)
RIGHT_PAD = 12  # the axis ends this far from the right edge (room for its last tick label)
OUT_GAP = 4  # between a bar's end and a number drawn after it, and between such numbers
TOTAL_GAP = 2  # then before the total (6 after a bar with no number outside)
PILL_PAD = 4  # a number drawn after its bar sits on a tag of its part's colour, this much wider
PILL_H = 21


def text_width(text: str, size: float) -> float:
    """A generous estimate of ``text``'s width at font ``size`` (full-width characters 1 em,
    capitals 0.7 em, others 0.58 em): for layout only, never smaller than the drawn text."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.0
        elif ch.isupper() or ch.isdigit():
            em += 0.7 if ch.isupper() else 0.6
        else:
            em += 0.58
    return em * size


def nice_step(top: float, max_ticks: int = 6) -> int:
    """A tick step of 1, 2 or 5 × 10ⁿ giving at most ``max_ticks`` intervals up to ``top``."""
    top = max(top, 1.0)
    step = 10 ** math.floor(math.log10(top / max_ticks))
    for mult in (1, 2, 5, 10):
        if top / (step * mult) <= max_ticks:
            return max(int(step * mult), 1)
    return max(int(step * 10), 1)  # pragma: no cover - the loop always returns


class Svg(str):
    """SVG text made by a builder of this module (every text in it escaped): the only kind of
    text ``components.display.show_svg`` draws (as an image, :func:`as_image`)."""

    __slots__ = ()


@dataclass(frozen=True)
class Series:
    """One stacked part of every bar: its name (legend), values (one per category), fill colour
    and the colour of the numbers drawn inside it."""

    name: str
    values: tuple[int, ...]
    color: str
    text_color: str = "#ffffff"


def coord(x: float) -> str:
    """A coordinate, short (one decimal at most)."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(
    x: float, y: float, text: str, size: float, *, anchor: str = "start", **attrs: str
) -> str:
    extra = "".join(f' {k.strip("_").replace("_", "-")}="{v}"' for k, v in attrs.items())
    return (
        f'<text x="{coord(x)}" y="{coord(y)}" font-size="{coord(size)}" text-anchor="{anchor}"'
        f' dominant-baseline="central"{extra}>{svg_text(text)}</text>'
    )


def _value(cx: float, cy: float, value: int, color: str) -> str:
    """A part's number centred at ``cx`` (inside its part, or on its tag after the bar)."""
    return _text(
        cx, cy, str(value), VALUE_SIZE, anchor="middle", fill=svg_text(color), class_="value"
    )


def _fits(value: int, width: float) -> bool:
    """Whether ``value``'s number fits inside a part ``width`` wide (with a margin)."""
    return text_width(str(value), VALUE_SIZE) + 6 <= width


def _pill_width(value: int) -> float:
    return text_width(str(value), VALUE_SIZE) + 2 * PILL_PAD


def _layout(
    series: Sequence[Series],
    stacks: Sequence[int],
    totals: Sequence[int],
    ends: Sequence[str],
    room: float,
    longest: float,
) -> tuple[float, list[list[int]]]:
    """The scale (units per count) and, per category, the parts whose number is drawn after
    the bar (too narrow for it): the axis runs to :data:`HEADROOM` x the longest bar, or less
    where a bar, its outside numbers and its total text would pass the right edge. A smaller
    scale can push more numbers out, so this repeats until the two agree."""
    scale = room / (longest * HEADROOM)
    outside: list[list[int]] = []
    for _ in range(32):
        outside = []
        for i, (total, end) in enumerate(zip(totals, ends, strict=True)):
            shown = [(k, s.values[i]) for k, s in enumerate(series) if s.values[i] > 0]
            out = [k for k, v in shown if not _fits(v, v * scale)]
            if len(shown) == 1 and shown[0][1] == total and end == str(total):
                out = []  # a lone part equal to the total: the total after the bar says it
            outside.append(out)
        limit = scale
        for i, out in enumerate(outside):
            trail = OUT_GAP + sum(_pill_width(series[k].values[i]) + OUT_GAP for k in out)
            trail += TOTAL_GAP + text_width(ends[i], VALUE_SIZE)
            longest_i = max(stacks[i], totals[i])
            if longest_i > 0:
                limit = min(limit, (room + RIGHT_PAD - trail) / longest_i)
        if limit >= scale - 1e-9:
            return scale, outside
        scale = max(limit, 1e-6)
    return scale, outside  # pragma: no cover - settles in a few rounds


def stacked_bars_svg(
    labels: Sequence[Sequence[str]],
    series: Sequence[Series],
    totals: Sequence[int],
    *,
    title: str,
    desc: str,
    summary: str,
    axis_title: str,
    hover: Sequence[Sequence[str]] = (),
    total_labels: Sequence[str] = (),
) -> Svg:
    """Horizontal stacked bars as one ``<svg>`` element (text).

    ``labels``: per category, its label's lines (top to bottom). ``series``: the stacked parts,
    left to right, each with one value per category; a value is printed inside its part when it
    fits, else after the bar on a small tag of the part's colour (never left out; a lone part
    equal to the total is said by the total). ``totals``: the number printed after each bar
    (drawn at the longer of the total and the stack); ``total_labels``: the text printed there
    instead (optional, one per category). ``title``/``desc``: the element's ``<title>`` and
    ``<desc>``; ``summary``: its ``aria-label`` (the numbers in words); ``axis_title`` under the
    axis; ``hover``: per series, per category, a tooltip for that part (optional). The axis
    leaves room for every text after the bars. Every text is escaped here."""
    n = len(labels)
    if any(len(s.values) != n for s in series) or len(totals) != n:
        raise ValueError("every series and the totals need one value per label")
    if total_labels and len(total_labels) != n:
        raise ValueError("total_labels needs one text per label")
    ends = [str(x) for x in total_labels] if total_labels else [str(v) for v in totals]
    font = svg_text(FONT_FAMILY)
    # Legend: swatches and names on one line, wrapped when they do not fit.
    legend: list[str] = []
    lx, ly = 0.0, LABEL_SIZE * 0.8
    for s in series:
        w = 14 + 6 + text_width(s.name, LABEL_SIZE) + 20
        if lx > 0 and lx + w > WIDTH:
            lx, ly = 0.0, ly + LABEL_SIZE * 1.6
        legend.append(
            f'<rect x="{coord(lx)}" y="{coord(ly - 7)}" width="14" height="14" rx="2"'
            f' fill="{svg_text(s.color)}"/>'
        )
        legend.append(_text(lx + 20, ly, s.name, LABEL_SIZE, fill=TEXT_COLOR, class_="legend"))
        lx += w
    top_y = ly + LABEL_SIZE * 1.4
    # Category labels at the left, right-aligned; the plot to their right.
    label_w = max((text_width(line, LABEL_SIZE) for ls in labels for line in ls), default=0.0)
    label_w = min(label_w, WIDTH * 0.45) + 2
    x0 = label_w + 12
    x1 = WIDTH - RIGHT_PAD  # room for the last tick label
    stacks = [sum(s.values[i] for s in series) for i in range(n)]
    longest = max([*stacks, *totals, 1])
    scale, outside = _layout(series, stacks, totals, ends, x1 - x0, longest)
    # The axis runs to HEADROOM x the longest bar (less if the room is short); the texts after
    # the bars may run on past its end.
    axis_max = min(longest * HEADROOM, (x1 - x0) / scale)
    x1 = x0 + axis_max * scale
    plot_h = ROW_H * n
    y_axis = top_y + plot_h
    step = nice_step(axis_max)
    parts: list[str] = []
    for v in range(0, int(axis_max) + 1, step):  # grid lines and tick labels
        x = x0 + v * scale
        if x + text_width(str(v), TICK_SIZE) / 2 > WIDTH:  # a label the edge would cut
            break
        parts.append(
            f'<line x1="{coord(x)}" y1="{coord(top_y)}" x2="{coord(x)}" y2="{coord(y_axis)}"'
            f' stroke="{GRID_COLOR if v else AXIS_COLOR}" stroke-width="1"/>'
        )
        parts.append(
            _text(
                x, y_axis + 14, str(v), TICK_SIZE, anchor="middle", fill=MUTED_COLOR, class_="tick"
            )
        )
    parts.append(
        f'<line x1="{coord(x0)}" y1="{coord(y_axis)}" x2="{coord(x1)}" y2="{coord(y_axis)}"'
        f' stroke="{AXIS_COLOR}" stroke-width="1"/>'
    )
    parts.append(
        _text(
            (x0 + x1) / 2,
            y_axis + 40,
            axis_title,
            LABEL_SIZE,
            anchor="middle",
            fill=TEXT_COLOR,
            class_="axis-title",
        )
    )
    for i, lines in enumerate(labels):
        cy = top_y + ROW_H * (i + 0.5)
        first = cy - (len(lines) - 1) * LABEL_SIZE * LINE_GAP / 2
        for j, line in enumerate(lines):
            y = first + j * LABEL_SIZE * LINE_GAP
            parts.append(
                _text(label_w, y, line, LABEL_SIZE, anchor="end", fill=TEXT_COLOR, class_="label")
            )
        x = x0
        tips = []
        for k, s in enumerate(series):
            v = s.values[i]
            tips.append(hover[k][i] if k < len(hover) else f"{s.name} {v}")
            if v <= 0:
                continue
            w = v * scale
            parts.append(
                f'<rect x="{coord(x)}" y="{coord(cy - BAR_H / 2)}" width="{coord(w)}"'
                f' height="{BAR_H}"'
                f' fill="{svg_text(s.color)}" class="bar"><title>{svg_text(tips[k])}</title></rect>'
            )
            if _fits(v, w):  # else drawn after the bar (or said by the total)
                parts.append(_value(x + w / 2, cy, v, s.text_color))
            x += w
        # Numbers too wide for their part: after the bar, each on a tag of its part's colour.
        cursor = x0 + max(stacks[i], totals[i]) * scale + OUT_GAP
        for k in outside[i]:
            s, v = series[k], series[k].values[i]
            pw = _pill_width(v)
            parts.append(
                f'<rect x="{coord(cursor)}" y="{coord(cy - PILL_H / 2)}" width="{coord(pw)}"'
                f' height="{PILL_H}" rx="3" fill="{svg_text(s.color)}" class="pill">'
                f"<title>{svg_text(tips[k])}</title></rect>"
            )
            parts.append(_value(cursor + pw / 2, cy, v, s.text_color))
            cursor += pw + OUT_GAP
        parts.append(
            _text(
                cursor + TOTAL_GAP,
                cy,
                ends[i],
                VALUE_SIZE,
                fill=TEXT_COLOR,
                class_="total",
                stroke="#ffffff",  # a halo where the text crosses a grid line
                stroke_width="3",
                paint_order="stroke",
            )
        )
    height = y_axis + 40 + LABEL_SIZE
    return Svg(
        "\n".join(
            [
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {coord(height)}"'
                f' width="100%" role="img" aria-label="{svg_text(summary)}"'
                f' font-family="{font}"'
                f' style="display:block;height:auto;max-width:{MAX_WIDTH_PX}px">',
                f"<title>{svg_text(title)}</title>",
                f"<desc>{svg_text(desc)}</desc>",
                *legend,
                *parts,
                "</svg>",
            ]
        )
    )


IMAGE_CLASS = "svg-chart"  # the <img> of :func:`as_image` (tests and the bench find charts by it)
_ARIA_LABEL = re.compile(r'\baria-label="([^"]*)"')


class RawHtml(str):
    """HTML the app wrote, for ``st.html`` as it is: Streamlit runs a plain string through
    ``clean_text`` (a dedent over the whole text: 1.1 ms for a compare map's 41 kB ``<img>``, on
    every rerun) but passes an object's ``_repr_html_`` through unchanged."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def as_image(svg: Svg, *, height: int | None = None) -> RawHtml:
    """``svg`` as one HTML ``<img>`` (the SVG as a ``data:`` URI) for ``st.html``: the browser
    draws it natively. Shown with ``st.markdown(unsafe_allow_html=True)`` the same SVG went
    through the markdown renderer's HTML parser and became React elements: 0.3-0.5 s of the
    browser's main thread on the first page (headless chromium traces, session 12). An image
    runs no script and loads nothing; ``alt`` is the chart's ``aria-label`` (its numbers in
    words), sizing as the inline SVG (its column's width, at most :data:`MAX_WIDTH_PX`). Per-bar
    hover titles are not shown by an image: every number is drawn on the chart. With ``height``
    (a map, :mod:`components.svg_map`) the image is its column's width and that tall. Returned as
    :class:`RawHtml`, so ``st.html`` sends it as written."""
    found = _ARIA_LABEL.search(svg)
    alt = escape_html(html.unescape(found.group(1))) if found else ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    # A map (``height`` given) fills its column at that height; the SVG keeps its frame whole.
    size = (
        f"width:100%;height:{height}px"
        if height is not None
        else f"width:100%;height:auto;max-width:{MAX_WIDTH_PX}px"
    )
    return RawHtml(
        f'<img class="{IMAGE_CLASS}" alt="{alt}" src="data:image/svg+xml;base64,{data}"'
        f' style="display:block;{size}">'
    )
