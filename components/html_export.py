"""Offline HTML briefing: one self-contained file, usable from a USB stick without a network.

Pure (no ``st.*``). plotly.js is embedded in the file; each chart's figure travels as JSON in a
``<script type="application/json">`` block (``<`` escaped, so no text can close the block);
every text shown is HTML-escaped. No ``src``/``href`` attribute and no CSS ``url()`` points
anywhere: the browser fetches nothing. Keyboard: ← → / Page Up/Down / Home / End turn the slides,
the slide number is kept in the address (``#3``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import plotly.offline
from plotly.io.json import to_json_plotly

from components.charts import FONT_FAMILY
from components.i18n import Lang, t
from components.present import SlideView, slide_figure, slide_text_html
from components.safe import escape_html

HTML_FONT_SCALE = 1.3

_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;background:#fff;color:#1f2933;font-family:FONT}
.slide{display:none;flex-direction:column;height:100vh;padding:3vh 4vw 2vh 4vw}
.slide.on{display:flex}
h1{font-size:clamp(22px,2.6vw,52px);line-height:1.2;margin:0 0 1.5vh 0}
.sub{font-size:clamp(16px,1.5vw,30px);color:#52606d;margin-top:2vh}
.cover h1{font-size:clamp(30px,3.6vw,72px);margin-top:8vh}
.chart{flex:1 1 auto;min-height:0}
ol{font-size:clamp(18px,1.8vw,36px);line-height:1.35;padding-left:1.6em;flex:1 1 auto}
li{margin-bottom:.45em}
footer{display:flex;justify-content:space-between;gap:2em;align-items:center;
  font-size:clamp(12px,1vw,20px);color:#52606d;padding-top:1vh}
footer .nav{white-space:nowrap}
button{font:inherit;background:#f2f5f8;border:1px solid #c9d3dd;border-radius:6px;
  padding:.2em .8em;margin-left:.4em;cursor:pointer}
.hint{font-size:.85em;color:#7b8794;margin-right:1em}
"""

_JS = """
(function(){
  var slides = Array.prototype.slice.call(document.querySelectorAll('.slide'));
  var drawn = {};
  function draw(el){
    var chart = el.querySelector('.chart');
    if(!chart) return;
    if(!drawn[chart.id]){
      var fig = JSON.parse(document.getElementById(chart.id + '-data').textContent);
      Plotly.newPlot(chart, fig.data, fig.layout, {displaylogo:false, responsive:true});
      drawn[chart.id] = true;
    } else { Plotly.Plots.resize(chart); }
  }
  function show(n){
    n = Math.max(1, Math.min(slides.length, n));
    slides.forEach(function(s, i){ s.classList.toggle('on', i === n - 1); });
    draw(slides[n - 1]);
    if(location.hash !== '#' + n){ history.replaceState(null, '', '#' + n); }
    current = n;
  }
  var current = parseInt((location.hash || '#1').slice(1), 10) || 1;
  document.addEventListener('keydown', function(e){
    if(e.altKey || e.ctrlKey || e.metaKey) return;
    var k = e.key;
    var next = ['ArrowRight', 'PageDown', ' ', 'ArrowDown'];
    var prev = ['ArrowLeft', 'PageUp', 'ArrowUp'];
    if(next.indexOf(k) >= 0){ show(current + 1); }
    else if(prev.indexOf(k) >= 0){ show(current - 1); }
    else if(k === 'Home'){ show(1); }
    else if(k === 'End'){ show(slides.length); }
    else { return; }
    e.preventDefault();
  });
  document.querySelectorAll('[data-go]').forEach(function(b){
    b.addEventListener('click', function(){
      show(current + parseInt(b.getAttribute('data-go'), 10));
    });
  });
  window.addEventListener('hashchange', function(){
    show(parseInt(location.hash.slice(1), 10) || 1);
  });
  window.showSlide = show;
  show(current);
})();
"""


def _json_script(obj: object) -> str:
    """JSON safe inside a ``<script>`` block: no ``<``, ``>``, ``&`` can end or open a tag."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _figure_json(view: SlideView) -> dict:
    spec = json.loads(to_json_plotly(slide_figure(view.fig, factor=HTML_FONT_SCALE)))  # type: ignore[arg-type]
    layout = spec.setdefault("layout", {})
    layout.pop("height", None)
    layout["autosize"] = True
    return {"data": spec.get("data", []), "layout": layout}


def build_html(views: Sequence[SlideView], lang: Lang, *, name: str = "") -> str:
    """The slides as one HTML document (plotly.js inside), keyboard navigation included."""
    count = len(views)
    title = name or t("present.deck.cover_title", lang)
    prev, nxt, keys = (
        t("present.prev", lang),
        t("present.next", lang),
        t("present.export.html_keys", lang),
    )
    parts: list[str] = []
    data: list[str] = []
    for n, view in enumerate(views, 1):
        cls = "slide cover" if view.kind == "cover" else "slide"
        body = [f'<section class="{cls}" id="slide-{n}" aria-label="{n} / {count}">']
        body.append(f"<h1>{slide_text_html(view.title)}</h1>")
        if view.subtitle:
            body.append(f'<div class="sub">{slide_text_html(view.subtitle)}</div>')
        if view.kind in ("chart", "cover") and view.fig is not None:
            body.append(f'<div class="chart" id="chart-{n}"></div>')
            data.append(
                f'<script type="application/json" id="chart-{n}-data">'
                f"{_json_script(_figure_json(view))}</script>"
            )
        elif view.kind == "list":
            items = "".join(f"<li>{slide_text_html(i)}</li>" for i in view.items)
            body.append(f"<ol>{items}</ol>")
        if view.fig is None:
            body.append('<div style="flex:1 1 auto"></div>')
        body.append(
            f'<footer><span class="source">{slide_text_html(view.source)}</span>'
            f'<span class="nav"><span class="hint">{escape_html(keys)}</span>'
            f'<button type="button" data-go="-1">{escape_html(prev)}</button>'
            f'<button type="button" data-go="1">{escape_html(nxt)}</button>'
            f' <span class="number">{n} / {count}</span></span></footer>'
        )
        if view.notes:
            body.append(f'<aside hidden class="notes">{escape_html(view.notes)}</aside>')
        body.append("</section>")
        parts.append("".join(body))
    css = _CSS.replace("FONT", FONT_FAMILY.replace('"', "'"))
    return (
        f'<!DOCTYPE html>\n<html lang="{escape_html(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(title)}</title>\n<style>{css}</style>\n"
        f"<script>{plotly.offline.get_plotlyjs()}</script>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n"
        + "\n".join(data)
        + f"\n<script>{_JS}</script>\n</body>\n</html>\n"
    )
