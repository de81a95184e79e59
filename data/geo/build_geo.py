"""Build the shipped country shapes from Natural Earth (npm package ``world-atlas@2``).

Run by hand, never by the app (the app reads only the files this writes)::

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python data/geo/build_geo.py /tmp/package

Reads ``countries-110m.json`` and ``countries-50m.json`` (TopoJSON, ids = ISO 3166-1 numeric) and
writes beside this script:

- ``countries_110m.geojson``: shapes for drawing; properties ``iso3``, ``name_en``; polygons
  crossing ±180° split, coordinates rounded to 3 decimals; Antarctica left out (no cluster is
  there and Web Mercator cannot draw the pole). The same bytes go to
  ``static/countries_110m.json``: the map's browser fetches that file once from the app's own
  static route instead of receiving the shapes with every update. Their outlines, as line
  segments (``components.geo.border_segments``), go to ``static/borders_110m.json`` for the
  map's border layer.
- ``country_bbox.csv``: ``iso3, min_lon, min_lat, max_lon, max_lat`` from the 50m shapes (which
  hold small countries such as Singapore), for tests.

Pure Python: no dependency beyond pycountry (numeric → alpha-3).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from components.geo import (  # noqa: E402
    borders_json,
    decode_arcs,
    geometry_polygons,
    round_ring,
    split_polygon,
)

# Entities without an ISO numeric id in Natural Earth: its own ADM0_A3 codes.
NE_CODES = {
    "Kosovo": "KOS",
    "N. Cyprus": "CYN",
    "Somaliland": "SOL",
    "Indian Ocean Ter.": "IOA",
    "Siachen Glacier": "KAS",
}
LEFT_OUT = {"ATA"}  # not drawn; still in the bounding boxes


def iso3(geometry: dict) -> str:
    """The alpha-3 code of a TopoJSON country (Natural Earth's code where ISO has none)."""
    numeric = geometry.get("id")
    if numeric is None:
        return NE_CODES[geometry["properties"]["name"]]
    return pycountry.countries.get(numeric=numeric).alpha_3


def countries(path: Path) -> list[tuple[str, str, list]]:
    """``(iso3, name, polygons)`` per country, polygons split at ±180°."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    out = []
    for geom in topology["objects"]["countries"]["geometries"]:
        polys = [p for poly in geometry_polygons(geom, arcs) for p in split_polygon(poly)]
        out.append((iso3(geom), geom["properties"]["name"], polys))
    return out


def feature(code: str, name: str, polys: list) -> dict:
    """A GeoJSON feature with rounded coordinates (rings left with < 4 points dropped)."""
    rounded = []
    for poly in polys:
        rings = [round_ring(r) for r in poly]
        rings = [[list(p) for p in r] for r in rings if len(r) >= 4]
        if rings:
            rounded.append(rings)
    geometry = (
        {"type": "Polygon", "coordinates": rounded[0]}
        if len(rounded) == 1
        else {"type": "MultiPolygon", "coordinates": rounded}
    )
    return {"type": "Feature", "properties": {"iso3": code, "name_en": name}, "geometry": geometry}


def main(src: Path) -> None:
    """Write both files from the world-atlas package folder ``src``."""
    features = [
        feature(code, name, polys)
        for code, name, polys in countries(src / "countries-110m.json")
        if code not in LEFT_OUT
    ]
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    (HERE / "countries_110m.geojson").write_text(text + "\n", encoding="utf-8")
    # The same bytes, served to the browser by the app's static route (the map fetches it once).
    (HERE.parent.parent / "static" / "countries_110m.json").write_text(
        text + "\n", encoding="utf-8"
    )
    # Their outlines as line segments, for the map's border layer (components.geo.border_segments).
    (HERE.parent.parent / "static" / "borders_110m.json").write_text(
        borders_json(collection), encoding="utf-8"
    )

    boxes: dict[str, list[float]] = {}
    for code, _, polys in countries(src / "countries-50m.json"):
        pts = [p for poly in polys for p in poly[0]]
        box = [min(p[0] for p in pts), min(p[1] for p in pts)]
        box += [max(p[0] for p in pts), max(p[1] for p in pts)]
        if code in boxes:  # e.g. Australia and Ashmore and Cartier Is. share 036
            old = boxes[code]
            box = [
                min(old[0], box[0]),
                min(old[1], box[1]),
                max(old[2], box[2]),
                max(old[3], box[3]),
            ]
        boxes[code] = box
    with (HERE / "country_bbox.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["iso3", "min_lon", "min_lat", "max_lon", "max_lat"])
        for code in sorted(boxes):
            writer.writerow([code, *(f"{v:.3f}" for v in boxes[code])])
    print(f"{len(features)} shapes, {len(boxes)} bounding boxes written to {HERE}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/package"))
