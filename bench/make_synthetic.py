"""Write a SYNTHETIC data folder with N clusters, for the scale benchmarks only (never shipped).

    python bench/make_synthetic.py 1000 10000 100000 [--out bench/results/synthetic] [--seed 42]

Each folder (``<out>/clusters_<N>/``) is a complete dataset: every CSV of ``data/`` is copied, then
``clusters.csv`` is replaced by N synthetic clusters and ``organizations.csv`` by synthetic
organisations that point at them (one per two clusters, as in the real data). Every name says
``SYNTHETIC``; ids are ``synthetic-000042``. Clusters sit around the real city-level clusters'
coordinates (those inside their country's shipped 110m shape: Odense and Istanbul fall just outside
the coarse outline and are skipped), jittered by up to ~0.4° and kept inside that shape (or the
bounding box where the country has no shape, e.g. Singapore), so the loader's schema and the map's
assumptions hold. Deterministic for a given seed. ``components.data.load_bundle`` validates each
folder before the script reports it done.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Synthetic folders are larger than the loader's default bound on rows per file: raise it (the app
# reads the same variable; bench_scale.py passes it to the servers and AppTest children it starts).
ROWS_ENV = {"ATLAS_MAX_ROWS": "200000"}
os.environ.update({k: v for k, v in ROWS_ENV.items() if k not in os.environ})

from components import geo  # noqa: E402
from components.data import SECTORS, load_bundle  # noqa: E402

DATA = ROOT / "data"
DEFAULT_OUT = ROOT / "bench" / "results" / "synthetic"
SEED = 42
MAX_JITTER_DEG = 0.4
SOURCE_REF = "figure 2-1"  # a valid non-annex reference: synthetic rows have no annex_no
ORG_SOURCE_REF = "table 2-10"
SECTOR_EN = {
    "electronics": "electronics",
    "equipment": "high-end equipment",
    "biomed": "biomedicine and medical devices",
    "materials": "new materials",
    "consumer": "consumer goods",
    "nev": "new energy and connected vehicles",
}
MARKER = "SYNTHETIC.json"


def _anchors(clusters: pd.DataFrame, shapes: dict) -> pd.DataFrame:
    """Distinct city-level places of the real data that lie inside their country's shape."""
    city = clusters[clusters["geo_precision"] == "city"]
    cols = ["continent", "country", "lat", "lon", "place_en", "place_zh"]
    places = city[cols].drop_duplicates(["country", "lat", "lon"]).reset_index(drop=True)
    keep = [
        iso not in shapes
        or bool(_inside(np.array([float(lon)]), np.array([float(lat)]), shapes[iso])[0])
        for iso, lat, lon in zip(places["country"], places["lat"], places["lon"], strict=True)
    ]
    return places[keep].reset_index(drop=True)


def _inside(lon: np.ndarray, lat: np.ndarray, polygons: list[geo.Polygon]) -> np.ndarray:
    """Even-odd ray casting over every ring of ``polygons`` (holes included), vectorised."""
    inside = np.zeros(lon.shape, dtype=bool)
    for polygon in polygons:
        for ring in polygon:
            pts = np.asarray(ring, dtype=float)
            x1, y1 = pts[:, 0], pts[:, 1]
            x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
            for ax, ay, bx, by in zip(x1, y1, x2, y2, strict=True):
                if ay == by:
                    continue
                crosses = (ay > lat) != (by > lat)
                x_at = ax + (lat - ay) * (bx - ax) / (by - ay)
                inside ^= crosses & (lon < x_at)
    return inside


def _positions(
    anchor: pd.Series, k: int, rng: np.random.Generator, shapes: dict, boxes: dict
) -> tuple[np.ndarray, np.ndarray]:
    """``k`` points around ``anchor`` inside its country (shape, else bounding box)."""
    lat0, lon0, iso = float(anchor["lat"]), float(anchor["lon"]), anchor["country"]
    lat, lon = np.full(k, lat0), np.full(k, lon0)
    todo = np.arange(k)
    radius = MAX_JITTER_DEG
    for _ in range(8):  # halve the radius for the points that fell outside
        if todo.size == 0:
            break
        cand_lat = lat0 + rng.uniform(-radius, radius, todo.size)
        cand_lon = lon0 + rng.uniform(-radius, radius, todo.size)
        if iso in shapes:
            ok = _inside(cand_lon, cand_lat, shapes[iso])
        else:
            min_lon, min_lat, max_lon, max_lat = boxes[iso]
            ok = (cand_lon >= min_lon) & (cand_lon <= max_lon)
            ok &= (cand_lat >= min_lat) & (cand_lat <= max_lat)
        lat[todo[ok]], lon[todo[ok]] = cand_lat[ok], cand_lon[ok]
        todo = todo[~ok]
        radius /= 2
    return lat, lon  # points never placed stay on the anchor, which is inside too


def synthetic_clusters(n: int, seed: int = SEED) -> pd.DataFrame:
    """``n`` synthetic cluster rows in ``clusters.csv``'s columns (deterministic for ``seed``)."""
    real = pd.read_csv(DATA / "clusters.csv", dtype=str, keep_default_na=False)
    field_zh = real.groupby("sector")["field_zh"].agg(lambda s: s.value_counts().index[0])
    shapes, boxes = geo.country_polygons(geo.load_countries()), geo.load_bboxes()
    anchors = _anchors(real, shapes)
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(anchors), n)
    sector = np.asarray(SECTORS)[rng.integers(0, len(SECTORS), n)]
    lat, lon = np.zeros(n), np.zeros(n)
    for a in np.unique(which):
        rows = np.flatnonzero(which == a)
        lat[rows], lon[rows] = _positions(anchors.iloc[a], rows.size, rng, shapes, boxes)
    place = anchors["place_en"].to_numpy()[which]
    place_zh = anchors["place_zh"].to_numpy()[which]
    nums = [f"{i:06d}" for i in range(1, n + 1)]
    return pd.DataFrame(
        {
            "cluster_id": [f"synthetic-{k}" for k in nums],
            "annex_no": "",
            "name_zh": [f"合成集群 SYNTHETIC {k}" for k in nums],
            "name_en": [f"SYNTHETIC {k} benchmark cluster" for k in nums],
            "continent": anchors["continent"].to_numpy()[which],
            "country": anchors["country"].to_numpy()[which],
            "lead_industry_zh": [f"合成数据（{field_zh[s]}）" for s in sector],
            "lead_industry_en": [f"Synthetic data ({SECTOR_EN[s]})" for s in sector],
            "field_zh": [field_zh[s] for s in sector],
            "sector": sector,
            "lat": np.round(lat, 5),
            "lon": np.round(lon, 5),
            "geo_precision": "city",
            "place_en": [f"SYNTHETIC point near {p}" for p in place],
            "place_zh": [f"SYNTHETIC 靠近{p}的合成点位" for p in place_zh],
            "source_ref": SOURCE_REF,
            "derived_fields": "",  # nothing inferred: every field is synthetic and says so
        }
    )


def synthetic_organizations(clusters: pd.DataFrame) -> pd.DataFrame:
    """One synthetic organisation per two clusters, alternating lead enterprise / institute."""
    picked = clusters.iloc[::2]
    nums = [cid.removeprefix("synthetic-") for cid in picked["cluster_id"]]
    roles = ["lead_enterprise", "research_institution"]
    return pd.DataFrame(
        {
            "org_id": [f"synthetic-org-{k}" for k in nums],
            "cluster_id": picked["cluster_id"].to_numpy(),
            "cluster_match": "exact",
            "cluster_name_zh_published": picked["name_zh"].to_numpy(),
            "name_zh": [f"合成机构 SYNTHETIC ORG {k}" for k in nums],
            "name_en": [f"SYNTHETIC ORG {k}" for k in nums],
            "role": [roles[i % 2] for i in range(len(picked))],
            "country": picked["country"].to_numpy(),
            "innovations_zh": "",
            "innovations_en": "",
            "source_ref": ORG_SOURCE_REF,
        }
    )


def make_folder(n: int, out: Path = DEFAULT_OUT, seed: int = SEED, check: bool = True) -> Path:
    """Write ``<out>/clusters_<n>`` (reused if written by this script with the same n and seed)."""
    folder = out / f"clusters_{n}"
    script = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    params = {"synthetic": True, "clusters": n, "seed": seed, "script": script}
    marker = folder / MARKER
    if marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == params:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for src in DATA.glob("*.csv"):
        shutil.copy2(src, folder / src.name)
    clusters = synthetic_clusters(n, seed)
    for name, frame in (
        ("clusters.csv", clusters),
        ("organizations.csv", synthetic_organizations(clusters)),
    ):
        frame.to_csv(folder / name, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    (folder / "README.md").write_text(
        f"SYNTHETIC benchmark data ({n} clusters, seed {seed}) written by bench/make_synthetic.py."
        "\nNot report data: never ship or cite it.\n",
        encoding="utf-8",
    )
    if check:
        load_bundle(folder)  # raises DataError if the folder breaks the schema
    marker.write_text(json.dumps(params), encoding="utf-8")  # written last: a complete folder
    return folder


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--seed", type=int, default=SEED)
    a = p.parse_args()
    for n in a.sizes:
        print(make_folder(n, a.out, a.seed))


if __name__ == "__main__":
    main()
