"""The profile of one cluster: its organisations, the policies of its jurisdictions (EU policies
for EU members), its nearest peers, and the card as escaped HTML. No ``st.*``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from components.geo import haversine_km
from components.i18n import (
    Lang,
    continent_name,
    country_name,
    join_list,
    other,
    punct,
    sector_name,
    t,
)
from components.places import place_text
from components.safe import escape_html, is_blank
from components.sources import cite
from components.vocab import jurisdictions

if TYPE_CHECKING:
    from components.data import Bundle

MUTED = "color:#52606d"  # secondary text in the profile card
NOTE_STYLE = (
    "font-size:13px;background:#fff8e1;border-left:4px solid #b26a00;color:#3e2c00;"
    "padding:5px 9px;margin:4px 0 8px;border-radius:3px"
)  # an honesty note: what we inferred or derived, not the report

# The fact rows that can be derived, by ``derived_fields`` column name → label key.
DERIVED_LABELS: dict[str, str] = {
    "country": "map.col.country",
    "continent": "map.col.continent",
    "sector": "map.col.sector",
    "field_zh": "map.col.field_zh",
    "lead_industry_zh": "map.profile.lead_industry_zh",
    "lead_industry_en": "map.profile.lead_industry_en",
    "place_en": "map.col.place",
    "place_zh": "map.col.place",
    "name_en": "map.col.name_en",
}
# Markers in the English name and the place (in either language) that data/README.md documents;
# a note is shown once however many of its markers match.
MARKERS: dict[str, tuple[str, str]] = {
    "probable identification": ("name_en", "map.profile.note_identification"),
    "not identified": ("name_en", "map.profile.note_not_identified"),
    "(translation)": ("name_en", "map.profile.note_translation"),
    "(inferred": ("place_en", "map.profile.note_place_inferred"),
    "（推断": ("place_zh", "map.profile.note_place_inferred"),
}


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


def _dl(rows: list[tuple[str, object]]) -> str:
    """A two-column definition table; every value escaped, blanks skipped."""
    cells = "".join(
        '<tr><th style="text-align:left;vertical-align:top;padding:2px 10px 2px 0;width:36%;'
        f'font-weight:500;{MUTED}">{escape_html(k)}</th>'
        f'<td style="padding:2px 0">{escape_html(v)}</td></tr>'
        for k, v in rows
        if not is_blank(v)
    )
    style = "border-collapse:collapse;font-size:14px;margin:4px 0 8px;width:100%"
    return f'<table style="{style}">{cells}</table>'


def derived_fields(c: dict) -> list[str]:
    """The columns of this cluster's row that were derived, not transcribed (``derived_fields``)."""
    raw = c.get("derived_fields")
    return [] if is_blank(raw) else [f for f in str(raw).split(";") if f]


def honesty_notes(c: dict, lang: Lang) -> list[str]:
    """Plain-text notes on what in this row is ours rather than the report's: an identification
    or a translation (markers in ``name_en``), an inferred place, fields derived from a table
    title (``derived_fields``)."""
    keys = [key for marker, (column, key) in MARKERS.items() if marker in str(c.get(column) or "")]
    notes = [t(key, lang) for key in dict.fromkeys(keys)]
    if c.get("geo_precision") == "country":
        notes.append(t("map.profile.note_country_only", lang))
    derived = [f for f in derived_fields(c) if f in DERIVED_LABELS]
    if derived:
        labels = [t(DERIVED_LABELS[f], lang) for f in derived]
        source = cite(str(c.get("source_ref", "")), lang)
        notes.append(
            t("map.profile.note_derived", lang, fields=join_list(labels, lang), source=source)
        )
    return notes


def _facts(c: dict, lang: Lang) -> list[tuple[str, object]]:
    """The cluster's own fields, labelled, category names in both languages; a derived field's
    value is marked as such."""
    alt = other(lang)
    annex, precision = c.get("annex_no"), c.get("geo_precision")
    derived = set(derived_fields(c))
    mark = t("map.profile.derived_mark", lang)

    def both(fn: Callable[[str, Lang], str], code: object) -> str:
        return f"{fn(str(code), lang)} · {fn(str(code), alt)}"

    rows = [
        (t("map.col.country", lang), both(country_name, c["country"])),
        (t("map.col.continent", lang), both(continent_name, c["continent"])),
        (t("map.col.sector", lang), both(sector_name, c["sector"])),
        (t("map.col.field_zh", lang), c.get("field_zh")),
        (t("map.profile.lead_industry_zh", lang), c.get("lead_industry_zh")),
        (t("map.profile.lead_industry_en", lang), c.get("lead_industry_en")),
        (t("map.col.place", lang), place_text(c, lang)),
        (
            t("map.col.precision", lang),
            None if is_blank(precision) else t(f"map.precision.{precision}", lang),
        ),
        (
            f"{t('map.col.lat', lang)} / {t('map.col.lon', lang)}",
            f"{float(c['lat']):.3f}, {float(c['lon']):.3f}",
        ),
        (t("map.col.annex_no", lang), None if is_blank(annex) else int(float(annex))),
        (t("map.col.source", lang), cite(str(c.get("source_ref", "")), lang)),
        (t("map.col.cluster_id", lang), c.get("cluster_id")),
    ]
    columns = ["country", "continent", "sector", "field_zh", "lead_industry_zh", "lead_industry_en"]
    return [
        (
            label,
            f"{value} {mark}"
            if i < len(columns) and columns[i] in derived and not is_blank(value)
            else value,
        )
        for i, (label, value) in enumerate(rows)
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
            extra = [] if is_blank(o.country) else [country_name(str(o.country), lang)]
            extra.append(cite(str(o.source_ref), lang))
            line += f' <span style="{MUTED};font-size:12px">({h("; ".join(extra))})</span>'
            inv = getattr(o, f"innovations_{lang}")
            if not is_blank(inv):
                label = t("map.profile.innovations", lang) + punct("colon", lang)
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
        year = "" if is_blank(pol.year) else f"{int(float(pol.year))} · "
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
        + "".join(f'<div style="{NOTE_STYLE}">{h(n)}</div>' for n in honesty_notes(c, lang))
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
