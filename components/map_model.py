"""What the map page shows, computed once per dataset and choice (``components.memo``). No ``st.*``.

Every function takes the dataset (the shared :class:`~components.data.Bundle`) first and only
hashable choices after it (the frozen ``Filters``, ``View``, ``MapFrame``, a language), so a rerun
with the same choices reuses the result instead of recomputing it. Frames are handed out as
shallow copies; the lists and dicts of deck rows are shared between reruns and sessions and are
never changed after they are built (pydeck and ``json`` only read them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from components import map_frame as mf
from components import map_view as mv
from components import profile as pf
from components.filters import Filters, apply_filters, search_index
from components.i18n import Lang
from components.matrices import reconciliation
from components.memo import per_dataset

if TYPE_CHECKING:
    from components.data import Bundle


@per_dataset
def drawn(bundle: Bundle) -> pd.DataFrame:
    """Every cluster with its drawing position (``x``/``y``, duplicates spread)."""
    return mv.jitter_duplicates(bundle.clusters)


@per_dataset
def cluster_ids(bundle: Bundle) -> frozenset[str]:
    """The ids of every cluster (for checking a clicked or linked id)."""
    return frozenset(bundle.clusters["cluster_id"])


@per_dataset
def names(bundle: Bundle, lang: Lang) -> Mapping[str, str]:
    """``{cluster_id: name}`` in ``lang`` (read-only: shared, not copied per rerun)."""
    c = bundle.clusters
    return MappingProxyType(dict(zip(c["cluster_id"], c[f"name_{lang}"], strict=True)))


@per_dataset
def index(bundle: Bundle) -> pd.Series:
    """The search text per cluster (``components.filters.search_index``)."""
    return search_index(bundle.clusters, bundle.organizations)


@per_dataset
def shown(bundle: Bundle, filters: Filters) -> pd.DataFrame:
    """The clusters that pass ``filters``, with their drawing positions."""
    return apply_filters(drawn(bundle), filters, index(bundle))


def grouped(bundle: Bundle, filters: Filters, limit: int) -> bool:
    """Whether the map draws groups: more than ``limit`` (:data:`map_view.GROUP_LIMIT`)
    clusters shown. The functions below take ``limit`` too, so it is part of what they keep."""
    return shown_count(bundle, filters) > limit


@per_dataset
def shown_count(bundle: Bundle, filters: Filters) -> int:
    """How many clusters pass ``filters``."""
    return len(shown(bundle, filters))


@per_dataset
def fitted(bundle: Bundle, filters: Filters, frame: mf.MapFrame) -> mf.MapFrame:
    """``frame`` kept within the world around the view that fits the shown clusters."""
    points = shown(bundle, filters)
    if points.empty:
        return frame
    return mf.within_world(frame, mf.view_state(points["x"], points["y"], frame))


@per_dataset
def view(
    bundle: Bundle,
    filters: Filters,
    frame: mf.MapFrame,
    step: int,
    focus: tuple[float, float] | None,
    nonce: int,
) -> mf.View:
    """The map's view (``components.map_frame.view_state``) for the shown clusters."""
    points = shown(bundle, filters)
    return mf.view_state(points["x"], points["y"], frame, step=step, focus=focus, nonce=nonce)


def _zoom_key(zoom: float) -> float:
    return round(zoom, 4)  # the nonce's millionth does not make a new entry


@per_dataset
def spots(
    bundle: Bundle, filters: Filters, zoom: float, limit: int
) -> Mapping[str, tuple[str, ...]]:
    """Clusters drawn on top of each other at ``zoom`` (none when the map draws groups);
    read-only."""
    if grouped(bundle, filters, limit):
        return MappingProxyType({})
    found = mf.spots(shown(bundle, filters), _zoom_key(zoom))
    return MappingProxyType({k: tuple(v) for k, v in found.items() if v})


@per_dataset
def spot_count(bundle: Bundle, filters: Filters, zoom: float) -> int:
    """How many separate points the eye can count at ``zoom``."""
    return mf.spot_count(shown(bundle, filters), _zoom_key(zoom))


@per_dataset
def point_rows(
    bundle: Bundle, filters: Filters, lang: Lang, zoom: float, limit: int
) -> tuple[dict, ...]:
    """The clusters layer's rows (none when the map draws groups)."""
    if grouped(bundle, filters, limit):
        return ()
    zoom = _zoom_key(zoom)
    return tuple(mv.point_rows(shown(bundle, filters), lang, spots(bundle, filters, zoom, limit)))


@per_dataset
def group_rows(
    bundle: Bundle, filters: Filters, lang: Lang, zoom: float, limit: int
) -> tuple[dict, ...]:
    """The groups layer's rows when the map draws groups (else none)."""
    if not grouped(bundle, filters, limit):
        return ()
    return tuple(mv.group_rows(mv.group_points(shown(bundle, filters), _zoom_key(zoom)), lang))


@per_dataset
def labels(
    bundle: Bundle,
    filters: Filters,
    lang: Lang,
    at: mf.View,
    frame: mf.MapFrame,
    limit: int,
    selected: str | None = None,
) -> tuple[dict, ...]:
    """The base map's names at ``at`` (``components.map_frame.place_labels``): place names
    (unless the map draws groups), then country names, clear of each other, of the shown
    clusters' dots or groups and of the open cluster ``selected`` (its dot and name)."""
    from components.geo import load_countries

    points = shown(bundle, filters)
    first = list(points["country"].value_counts().index)
    grouped_now = grouped(bundle, filters, limit)
    if grouped_now:
        rows = group_rows(bundle, filters, lang, at.zoom, limit)
        obstacles = [(r["x"], r["y"], r["r"] + 1.5) for r in rows]
    else:
        xs, ys = points["x"].tolist(), points["y"].tolist()
        obstacles = [(x, y, mf.DOT_PX) for x, y in zip(xs, ys, strict=True)]
    name = None
    ring = position(bundle, selected) if selected else None
    if ring is not None and not ring.empty:
        x, y = float(ring["x"].iloc[0]), float(ring["y"].iloc[0])
        obstacles.append((x, y, mf.SELECTED_DOT_PX))
        name = (x, y, str(ring[f"name_{lang}"].iloc[0]))
    placed = mf.place_labels(
        load_countries(),
        points,
        lang,
        at,
        frame,
        first=first,
        obstacles=obstacles,
        selected=name,
        cities=not grouped_now,
    )
    return tuple(placed)


@per_dataset
def sector_counts(bundle: Bundle, filters: Filters) -> tuple[tuple[str, int], ...]:
    """Shown clusters per sector (for the legend)."""
    return tuple(shown(bundle, filters)["sector"].value_counts().items())


@per_dataset
def layer_token(bundle: Bundle, filters: Filters) -> str:
    """The shown ids, joined (``map_view.cluster_layer_id`` hashes them with the pick)."""
    return "\n".join(shown(bundle, filters)["cluster_id"])


@per_dataset
def notes(bundle: Bundle, lang: Lang) -> tuple[str, ...]:
    """What the map cannot show: clusters counted by the report but not named."""
    return tuple(mv.unnamed_notes(reconciliation(bundle), lang))


@dataclass(frozen=True)
class Table:
    """The table tab's data, kept between reruns and handed out as the same objects (not
    copies): ``frame`` (every shown cluster: the CSV; nothing may change it, so a CSV encoded
    for it once can be reused) and ``shown`` (its first :data:`map_view.TABLE_LIMIT` rows as an
    immutable Arrow table: ``st.dataframe`` does not convert it again on every rerun)."""

    frame: pd.DataFrame = field(compare=False)
    shown: pa.Table = field(compare=False)


@per_dataset
def table(bundle: Bundle, filters: Filters, lang: Lang) -> Table:
    """The table tab's data for the shown clusters."""
    frame = mv.table_frame(shown(bundle, filters), lang)
    head = pa.Table.from_pandas(frame.head(mv.TABLE_LIMIT), preserve_index=False)
    return Table(frame, head)


@per_dataset
def card(bundle: Bundle, cluster_id: str, lang: Lang) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The open cluster's profile card (escaped HTML) and its nearby clusters as
    ``(cluster_id, label)``; ``("", ())`` when there is no such cluster."""
    found = pf.profile(bundle, cluster_id)
    if found is None:
        return "", ()
    near = tuple(
        (str(r.cluster_id), pf.nearby_label(r, lang)) for r in found.nearby.itertuples(index=False)
    )
    return pf.profile_html(found, lang), near


@per_dataset
def position(bundle: Bundle, cluster_id: str) -> pd.DataFrame:
    """The drawn row of ``cluster_id`` (empty when there is none)."""
    points = drawn(bundle)
    return points[points["cluster_id"] == cluster_id]


@per_dataset
def is_shown(bundle: Bundle, filters: Filters, cluster_id: str) -> bool:
    """Whether ``cluster_id`` passes ``filters``."""
    return bool((shown(bundle, filters)["cluster_id"] == cluster_id).any())
