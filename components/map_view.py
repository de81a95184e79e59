"""Map explorer logic: filters, search, the pydeck map, the profile of one cluster. No ``st.*``.

Tooltips: Streamlit (1.67) fills the ``{field}`` placeholders of a pydeck ``html`` tooltip with
HTML-escaped values (``&<>"'``), so the tooltip columns hold plain text (control characters
dropped) and the template is ours; pre-escaping them here would show ``&amp;`` to readers. Every
value reaches the template as element text, never inside an attribute, ``href`` or ``src``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd
import pydeck as pdk

from components.captions import cite
from components.charts import FONT_FAMILY, SECTOR_COLORS, hex_to_rgb
from components.geo import fit_view, haversine_km
from components.i18n import Lang, continent_name, country_name, other, sector_name, t
from components.safe import escape_html

if TYPE_CHECKING:
    from components.data import Bundle

# The 27 member states of the European Union since 1 February 2020 (europa.eu, "EU countries").
# pycountry has no EU flag, so the list is kept here.
EU_MEMBERS: frozenset[str] = frozenset(
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU "
    "SVK SVN ESP SWE".split()
)

LAYER_OCEAN = "ocean"
LAYER_COUNTRIES = "countries"
LAYER_CLUSTERS = "clusters"
LAYER_SELECTED = "selected"

OCEAN_RGB = [234, 241, 247]
LAND_RGB = [218, 222, 227]
BORDER_RGB = [255, 255, 255]
POINT_ALPHA = 230
HIGHLIGHT_RGBA = [31, 41, 51, 200]
SELECTED_RGBA = [17, 24, 39, 255]
MUTED = "color:#52606d"  # secondary text in the profile card
PIXELS = pdk.types.String("pixels")  # a plain string would become a JS expression
MAP_WIDTH, MAP_HEIGHT = 560, 480  # what fit_view assumes: the chart spans 3/5 of a wide page

MIN_ZOOM = 0.0  # the whole world fits a ~560 px column only below zoom 0.5
FIT_MAX_ZOOM = 5.0  # one cluster: its country and neighbours stay in view

JITTER_MIN_DEG = 0.1  # radius of the circle duplicates are spread on
JITTER_GAP_DEG = 0.15  # wanted distance between neighbours on that circle

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Filters:
    """What the reader chose: empty tuples mean no filter, ``query`` is free text."""

    continents: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    query: str = ""


# --- search and filters --------------------------------------------------------------------------


def normalize_text(text: object) -> str:
    """Text as compared by the search: NFKC (full-width → ASCII), case-folded, blanks collapsed."""
    if _is_blank(text):
        return ""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def search_index(clusters: pd.DataFrame, organizations: pd.DataFrame) -> pd.Series:
    """Per ``cluster_id``, the searchable text: names, lead industries, organisation names."""
    cols = ["name_zh", "name_en", "lead_industry_zh", "lead_industry_en"]
    own = clusters.set_index("cluster_id")[cols].fillna("").astype(str)
    text = own.apply(lambda r: "\n".join(normalize_text(v) for v in r), axis=1)
    if len(organizations):
        orgs = organizations.assign(
            _t=organizations["name_zh"].map(normalize_text)
            + "\n"
            + organizations["name_en"].map(normalize_text)
        )
        per = orgs.groupby("cluster_id")["_t"].agg("\n".join)
        text = text + "\n" + per.reindex(text.index).fillna("")
    return text.rename("search")


def apply_filters(clusters: pd.DataFrame, filters: Filters, index: pd.Series) -> pd.DataFrame:
    """The clusters that pass every filter (row order kept)."""
    mask = pd.Series(True, index=clusters.index)
    if filters.continents:
        mask &= clusters["continent"].isin(filters.continents)
    if filters.countries:
        mask &= clusters["country"].isin(filters.countries)
    if filters.sectors:
        mask &= clusters["sector"].isin(filters.sectors)
    query = normalize_text(filters.query)
    if query:
        hits = index.reindex(clusters["cluster_id"]).fillna("").str.contains(query, regex=False)
        mask &= hits.to_numpy()
    return clusters[mask]


def country_options(clusters: pd.DataFrame, continents: Sequence[str], lang: Lang) -> list[str]:
    """Countries with a named cluster in ``continents`` (all when empty), by localised name."""
    sub = clusters[clusters["continent"].isin(continents)] if continents else clusters
    return sorted(sub["country"].unique(), key=lambda c: (country_name(c, lang), c))


# --- points --------------------------------------------------------------------------------------


def jitter_duplicates(clusters: pd.DataFrame) -> pd.DataFrame:
    """Add ``x``/``y`` drawing positions: exact duplicate coordinates spread on a small circle.

    Deterministic: duplicates are ordered by ``cluster_id`` and placed clockwise from north. Points
    with unique coordinates keep them exactly.
    """
    out = clusters.copy()
    out["x"] = out["lon"].astype(float)
    out["y"] = out["lat"].astype(float)
    for _, group in out.groupby(["lat", "lon"], sort=False):
        n = len(group)
        if n < 2:
            continue
        radius = max(JITTER_MIN_DEG, JITTER_GAP_DEG / (2 * math.sin(math.pi / n)))
        lat0 = float(group["lat"].iloc[0])
        stretch = 1 / max(math.cos(math.radians(lat0)), 0.2)
        for k, idx in enumerate(group.sort_values("cluster_id").index):
            angle = 2 * math.pi * k / n
            out.at[idx, "y"] = round(lat0 + radius * math.cos(angle), 5)
            out.at[idx, "x"] = round(
                float(group["lon"].iloc[0]) + radius * stretch * math.sin(angle), 5
            )
    return out


def _plain(value: object) -> str:
    """Text for a tooltip column: no control characters, no NaN."""
    if _is_blank(value):
        return ""
    return _CONTROL.sub(" ", str(value)).strip()


def sector_rgba(sector: str) -> list[int]:
    """The sector's colour as deck.gl RGBA."""
    return [*hex_to_rgb(SECTOR_COLORS[sector]), POINT_ALPHA]


def point_rows(points: pd.DataFrame, lang: Lang) -> list[dict]:
    """The scatter layer's data: position, colour and tooltip text per cluster."""
    alt = other(lang)
    rows = []
    for r in points.itertuples(index=False):
        rows.append(
            {
                "cluster_id": r.cluster_id,
                "x": float(r.x),
                "y": float(r.y),
                "color": sector_rgba(r.sector),
                "tt_name": _plain(getattr(r, f"name_{lang}")),
                "tt_alt": _plain(getattr(r, f"name_{alt}")),
                "tt_country": _plain(country_name(r.country, lang)),
                "tt_sector": _plain(sector_name(r.sector, lang)),
                "tt_industry": _plain(getattr(r, f"lead_industry_{lang}")),
            }
        )
    return rows


def tooltip(lang: Lang) -> dict:
    """The pydeck tooltip: our template, data only through ``{tt_*}`` placeholders in text."""
    label = escape_html(t("map.tooltip_industry", lang))
    sep = "：" if lang == "zh" else ": "
    html_tpl = (
        '<div style="font-weight:600;font-size:15px">{tt_name}</div>'
        '<div style="font-size:12px;color:#52606d;margin-bottom:4px">{tt_alt}</div>'
        "<div>{tt_country} · {tt_sector}</div>"
        f"<div>{label}{sep}{{tt_industry}}</div>"
    )
    style = {
        "backgroundColor": "white",
        "color": "#1f2933",
        "fontFamily": FONT_FAMILY,
        "fontSize": "13px",
        "border": "1px solid #cbd2d9",
        "borderRadius": "6px",
        "padding": "8px 10px",
        "maxWidth": "320px",
        "boxShadow": "0 2px 6px rgba(0,0,0,.15)",
    }
    return {"html": html_tpl, "style": style}


def initial_view(points: pd.DataFrame) -> pdk.ViewState:
    """A view that fits every point (the whole world when there is none)."""
    lat, lon, zoom = fit_view(
        list(points["x"]) if len(points) else [],
        list(points["y"]) if len(points) else [],
        width=MAP_WIDTH,
        height=MAP_HEIGHT,
        padding=24,
        min_zoom=MIN_ZOOM,
        max_zoom=FIT_MAX_ZOOM,
    )
    return pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom, min_zoom=0, max_zoom=10)


def build_deck(
    points: pd.DataFrame,
    countries: dict,
    lang: Lang,
    *,
    view: pdk.ViewState | None = None,
    selected: pd.DataFrame | None = None,
) -> pdk.Deck:
    """The offline map: ocean, country shapes, clusters (one colour per sector), selected ring.

    ``points`` carries ``x``/``y`` from :func:`jitter_duplicates`; ``selected`` (0 or 1 row of it)
    is drawn with a dark ring. No basemap, no tiles, nothing fetched.
    """
    ocean = pdk.Layer(
        "SolidPolygonLayer",
        id=LAYER_OCEAN,
        data=[{"polygon": [[-180, -85], [180, -85], [180, 85], [-180, 85]]}],
        get_polygon="polygon",
        get_fill_color=OCEAN_RGB,
        pickable=False,
    )
    land = pdk.Layer(
        "GeoJsonLayer",
        id=LAYER_COUNTRIES,
        data=countries,
        filled=True,
        stroked=True,
        get_fill_color=LAND_RGB,
        get_line_color=BORDER_RGB,
        line_width_units=PIXELS,
        get_line_width=0.8,
        pickable=False,
    )
    dots = pdk.Layer(
        "ScatterplotLayer",
        id=LAYER_CLUSTERS,
        data=point_rows(points, lang),
        get_position=["x", "y"],
        get_fill_color="color",
        get_line_color=[255, 255, 255, 255],
        radius_units=PIXELS,
        get_radius=7,
        radius_min_pixels=5,
        radius_max_pixels=14,
        stroked=True,
        line_width_units=PIXELS,
        get_line_width=1,
        pickable=True,
        auto_highlight=True,
        highlight_color=HIGHLIGHT_RGBA,
    )
    ring_rows = []
    if selected is not None and len(selected):
        ring_rows = [{"x": float(selected["x"].iloc[0]), "y": float(selected["y"].iloc[0])}]
    ring = pdk.Layer(
        "ScatterplotLayer",
        id=LAYER_SELECTED,
        data=ring_rows,
        get_position=["x", "y"],
        radius_units=PIXELS,
        get_radius=11,
        filled=False,
        stroked=True,
        line_width_units=PIXELS,
        get_line_width=2.5,
        get_line_color=SELECTED_RGBA,
        pickable=False,
    )
    return pdk.Deck(
        layers=[ocean, land, dots, ring],
        initial_view_state=view if view is not None else initial_view(points),
        # No basemap. ``map_style`` stays at pydeck's default ("__MAP_STYLE__"), which Streamlit
        # reads as "none"; ``map_style=None`` would make Streamlit 1.67 fetch a Carto style.
        map_provider=None,
        tooltip=tooltip(lang),
    )


def selected_id(selection: object, layer_id: str = LAYER_CLUSTERS) -> str | None:
    """The ``cluster_id`` of the object picked in a pydeck selection event, if any."""
    try:
        objects = selection["selection"]["objects"].get(layer_id) or []  # type: ignore[index]
        value = objects[0].get("cluster_id") if objects else None
    except (KeyError, TypeError, AttributeError, IndexError):
        return None
    return value if isinstance(value, str) else None


def legend_html(lang: Lang, counts: dict[str, int] | None = None) -> str:
    """A small legend (sector colour swatches, localised, with counts when given)."""
    items = []
    for code, color in SECTOR_COLORS.items():
        n = f" ({counts.get(code, 0)})" if counts is not None else ""
        items.append(
            '<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
            f'<span style="width:12px;height:12px;border-radius:50%;background:{color};'
            'border:1px solid white;box-shadow:0 0 0 1px #9aa5b1;margin-right:6px"></span>'
            f"{escape_html(sector_name(code, lang))}{escape_html(n)}</span>"
        )
    ring = (
        '<span style="display:inline-flex;align-items:center;margin:0 14px 4px 0">'
        '<span style="width:14px;height:14px;border-radius:50%;border:2.5px solid #111827;'
        f'margin-right:6px"></span>{escape_html(t("map.legend_selected", lang))}</span>'
    )
    return (
        f'<div style="font-size:14px;line-height:1.6">'
        f'<div style="font-weight:600;margin-bottom:2px">{escape_html(t("map.legend", lang))}</div>'
        f"{''.join(items)}{ring}</div>"
    )


# --- honesty: what the map cannot show -----------------------------------------------------------


def unnamed_notes(recon: pd.DataFrame, lang: Lang) -> list[str]:
    """One sentence per continent with clusters counted by figure 2-1 but not named in the text.

    ``recon`` is ``components.data.reconciliation(bundle)``: sector, continent, published, named,
    unnamed. Every number is read from it.
    """
    notes = []
    sep = "、" if lang == "zh" else ", "
    rows = recon[recon["unnamed"] > 0]
    for continent, group in rows.groupby("continent", sort=False):
        parts = [
            t("map.unnamed_part", lang, sector=sector_name(r.sector, lang), n=int(r.unnamed))
            for r in group.sort_values(["unnamed", "sector"], ascending=[False, True]).itertuples()
        ]
        notes.append(
            t(
                "map.unnamed_note",
                lang,
                continent=continent_name(str(continent), lang),
                n=int(group["unnamed"].sum()),
                breakdown=sep.join(parts),
            )
        )
    return notes


# --- table ---------------------------------------------------------------------------------------


def table_frame(clusters: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The filtered clusters as shown in the table (and downloaded), localised column names."""

    def col(key: str) -> str:
        return t(f"map.col.{key}", lang)

    ind = f"lead_industry_{lang}"
    out = pd.DataFrame(
        {
            col("cluster_id"): clusters["cluster_id"],
            col("name_zh"): clusters["name_zh"],
            col("name_en"): clusters["name_en"],
            col("country"): clusters["country"].map(lambda c: country_name(c, lang)),
            col("continent"): clusters["continent"].map(lambda c: continent_name(c, lang)),
            col("sector"): clusters["sector"].map(lambda s: sector_name(s, lang)),
            col("lead_industry"): clusters[ind],
            col("field_zh"): clusters["field_zh"],
            col("place"): clusters["place_en"],
            col("precision"): clusters["geo_precision"].map(
                lambda p: t(f"map.precision.{p}", lang)
            ),
            col("lat"): clusters["lat"].astype(float),
            col("lon"): clusters["lon"].astype(float),
            col("source"): clusters["source_ref"].map(lambda r: cite(str(r), lang)),
        }
    )
    return out.reset_index(drop=True)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a byte-order mark, so Excel opens Chinese text correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


# --- profile -------------------------------------------------------------------------------------


def jurisdictions(country: str) -> tuple[str, ...]:
    """Whose policies apply: the country, and the EU for its member states."""
    return (country, "EU") if country in EU_MEMBERS else (country,)


def nearby(clusters: pd.DataFrame, cluster_id: str, n: int = 5) -> pd.DataFrame:
    """The ``n`` nearest other clusters of the same sector, with ``distance_km`` (great circle)."""
    me = clusters.loc[clusters["cluster_id"] == cluster_id]
    if me.empty:
        return clusters.iloc[0:0].assign(distance_km=pd.Series(dtype=float))
    row = me.iloc[0]
    peers = clusters[(clusters["sector"] == row["sector"]) & (clusters["cluster_id"] != cluster_id)]
    dist = [
        haversine_km(float(row["lat"]), float(row["lon"]), float(la), float(lo))
        for la, lo in zip(peers["lat"], peers["lon"], strict=True)
    ]
    peers = peers.assign(distance_km=dist)
    return peers.sort_values(["distance_km", "cluster_id"]).head(n)


@dataclass(frozen=True)
class Profile:
    """Everything the profile panel shows about one cluster."""

    cluster: dict
    organizations: pd.DataFrame
    policies: pd.DataFrame
    nearby: pd.DataFrame
    jurisdictions: tuple[str, ...] = field(default=())


def profile(bundle: Bundle, cluster_id: str) -> Profile | None:
    """The profile of ``cluster_id`` (``None`` when there is no such cluster)."""
    clusters = bundle.clusters
    hit = clusters.loc[clusters["cluster_id"] == cluster_id]
    if hit.empty:
        return None
    row = hit.iloc[0].to_dict()
    orgs = bundle.organizations
    orgs = orgs[orgs["cluster_id"] == cluster_id]
    role_order = {"lead_enterprise": 0, "research_institution": 1}
    orgs = orgs.assign(_o=orgs["role"].map(role_order).fillna(9)).sort_values(["_o", "org_id"])
    where = jurisdictions(str(row["country"]))
    pol = bundle.policies
    pol = pol[pol["jurisdiction"].isin(where)]
    pol = pol.assign(_j=pol["jurisdiction"].map({j: i for i, j in enumerate(where)}))
    pol = pol.sort_values(["_j", "period", "policy_id"])
    return Profile(
        cluster=row,
        organizations=orgs.drop(columns="_o"),
        policies=pol.drop(columns="_j"),
        nearby=nearby(clusters, cluster_id),
        jurisdictions=where,
    )


def _is_blank(value: object) -> bool:
    """None, NaN, ``pd.NA`` or empty/blank text."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return str(value).strip() == ""


def _dl(rows: list[tuple[str, object]]) -> str:
    """A two-column definition table; every value escaped, blanks skipped."""
    cells = "".join(
        '<tr><th style="text-align:left;vertical-align:top;padding:2px 10px 2px 0;width:36%;'
        f'font-weight:500;{MUTED}">{escape_html(k)}</th>'
        f'<td style="padding:2px 0">{escape_html(v)}</td></tr>'
        for k, v in rows
        if not _is_blank(v)
    )
    style = "border-collapse:collapse;font-size:14px;margin:4px 0 8px;width:100%"
    return f'<table style="{style}">{cells}</table>'


def _facts(c: dict, lang: Lang) -> list[tuple[str, object]]:
    """The cluster's own fields, labelled, category names in both languages."""
    alt = other(lang)
    annex, precision = c.get("annex_no"), c.get("geo_precision")

    def both(fn: Callable[[str, Lang], str], code: object) -> str:
        return f"{fn(str(code), lang)} · {fn(str(code), alt)}"

    return [
        (t("map.col.country", lang), both(country_name, c["country"])),
        (t("map.col.continent", lang), both(continent_name, c["continent"])),
        (t("map.col.sector", lang), both(sector_name, c["sector"])),
        (t("map.col.field_zh", lang), c.get("field_zh")),
        (t("map.profile.lead_industry_zh", lang), c.get("lead_industry_zh")),
        (t("map.profile.lead_industry_en", lang), c.get("lead_industry_en")),
        (t("map.col.place", lang), c.get("place_en")),
        (
            t("map.col.precision", lang),
            None if _is_blank(precision) else t(f"map.precision.{precision}", lang),
        ),
        (
            f"{t('map.col.lat', lang)} / {t('map.col.lon', lang)}",
            f"{float(c['lat']):.3f}, {float(c['lon']):.3f}",
        ),
        (t("map.col.annex_no", lang), None if _is_blank(annex) else int(float(annex))),
        (t("map.col.source", lang), cite(str(c.get("source_ref", "")), lang)),
        (t("map.col.cluster_id", lang), c.get("cluster_id")),
    ]


def _orgs_html(orgs: pd.DataFrame, lang: Lang) -> str:
    """Organisations by role: names in both languages, country, source, innovations."""
    h, alt = escape_html, other(lang)
    if orgs.empty:
        return f'<p style="font-size:14px;{MUTED}">{h(t("map.profile.no_orgs", lang))}</p>'
    parts = []
    for role, group in orgs.groupby("role", sort=False):
        title = h(t(f"map.role.{role}", lang))
        parts.append(f'<div style="font-weight:600;font-size:14px;margin-top:4px">{title}</div>')
        items = []
        for o in group.itertuples(index=False):
            line = f"<b>{h(getattr(o, f'name_{lang}'))}</b> · {h(getattr(o, f'name_{alt}'))}"
            extra = [] if _is_blank(o.country) else [country_name(str(o.country), lang)]
            extra.append(cite(str(o.source_ref), lang))
            line += f' <span style="{MUTED};font-size:12px">({h("; ".join(extra))})</span>'
            inv = getattr(o, f"innovations_{lang}")
            if not _is_blank(inv):
                label = t("map.profile.innovations", lang) + ("：" if lang == "zh" else ": ")
                line += f'<div style="font-size:13px">{h(label)}{h(inv)}</div>'
            if getattr(o, "cluster_match", "exact") == "inferred":
                note = t("map.profile.inferred", lang, published=o.cluster_name_zh_published)
                line += f'<div style="font-size:12px;{MUTED}">{h(note)}</div>'
            items.append(f'<li style="margin-bottom:3px">{line}</li>')
        parts.append(_ul(items))
    return "".join(parts)


def _policy_items(policies: pd.DataFrame, lang: Lang) -> str:
    h, alt = escape_html, other(lang)
    items = []
    for pol in policies.itertuples(index=False):
        year = "" if _is_blank(pol.year) else f"{int(float(pol.year))} · "
        meta = f"{country_name(str(pol.jurisdiction), lang)} · {year}{pol.period}"
        items.append(
            f'<li style="margin-bottom:3px">{h(getattr(pol, f"name_{lang}"))}'
            f'<div style="font-size:12px;{MUTED}">{h(getattr(pol, f"name_{alt}"))}'
            f" · {h(meta)}</div></li>"
        )
    return _ul(items)


def _policies_html(p: Profile, lang: Lang) -> str:
    """Policies of the cluster's country (table 6-2); EU policies folded for member states."""
    h = escape_html
    code = str(p.cluster["country"])
    country = country_name(code, lang)
    own = p.policies[p.policies["jurisdiction"] == code]
    eu = p.policies[p.policies["jurisdiction"] == "EU"]
    if own.empty:
        msg = t("map.profile.no_policies", lang, country=country)
        parts = [f'<p style="font-size:14px;{MUTED};margin:0 0 4px">{h(msg)}</p>']
    else:
        parts = [_policy_items(own, lang)]
    if "EU" in p.jurisdictions and not eu.empty:
        summary = t("map.profile.policies_eu", lang, country=country, n=len(eu))
        parts.append(
            f'<details style="font-size:14px"><summary style="cursor:pointer">{h(summary)}'
            f"</summary>{_policy_items(eu, lang)}</details>"
        )
    return "".join(parts)  # the section title cites table 6-2


def _ul(items: list[str]) -> str:
    return f'<ul style="font-size:14px;margin:2px 0 6px 18px;padding:0">{"".join(items)}</ul>'


def profile_html(p: Profile, lang: Lang) -> str:
    """The profile card as HTML for ``st.html``: every data value escaped, no links, no images."""
    c, h = p.cluster, escape_html
    name = (
        f'<div style="font-size:20px;font-weight:600;line-height:1.3">{h(c[f"name_{lang}"])}</div>'
    )
    alt_name = h(c[f"name_{other(lang)}"])
    return (
        '<div style="line-height:1.45">'
        + name
        + f'<div style="font-size:14px;{MUTED};margin-bottom:6px">{alt_name}</div>'
        + _dl(_facts(c, lang))
        + _section(t("map.profile.orgs", lang))
        + _orgs_html(p.organizations, lang)
        + _section(t("map.profile.policies", lang))
        + _policies_html(p, lang)
        + "</div>"
    )


def _section(title: str) -> str:
    return (
        '<div style="font-size:15px;font-weight:600;margin:10px 0 2px;'
        f'border-top:1px solid #e4e7eb;padding-top:8px">{escape_html(title)}</div>'
    )


def nearby_label(row: pd.Series | object, lang: Lang) -> str:
    """Plain-text label of a nearby cluster: distance first (long names get cut), name, country."""
    name = getattr(row, f"name_{lang}")
    km = t("map.profile.km", lang, km=f"{float(row.distance_km):,.0f}")  # type: ignore[union-attr]
    return f"{km} · {name} · {country_name(str(row.country), lang)}"  # type: ignore[union-attr]
