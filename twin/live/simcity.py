"""The simulator's view of the city: registered devices with their parameters, bursts.

Parameters come from the asset register where it has them (a luminaire's
wattage, the lights on a cabinet) and otherwise from a stable hash of the
asset code, so a device behaves the same from one run to the next.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping

import networkx as nx
from sqlalchemy import text
from sqlalchemy.orm import Session

from .simulate import SimDevice

__all__ = ["burst_drops", "load_sim_devices"]


def _unit(code: str) -> float:
    """A number in [0, 1) fixed for ``code``."""
    return (zlib.crc32(code.encode()) % 10_000) / 10_000


def _params(kind: str, code: str, meta: Mapping, cabinet_w: Mapping[str, float]) -> dict:
    u = _unit(code)
    if kind == "luminaire":
        return {"wattage_w": meta.get("wattage_w") or 100.0}
    if kind == "lighting_cabinet":
        return {"connected_w": cabinet_w.get(code) or 2000.0}
    if kind == "pressure_sensor":
        return {"base_bar": round(2.6 + 1.2 * u, 2)}
    if kind == "flow_meter":
        return {"mean_m3h": round(60 + 400 * u, 1)}
    if kind == "breaker":
        return {"base_a": round(120 + 160 * u, 1), "device_type": meta.get("device_type")}
    return {}


def load_sim_devices(session: Session, *, limit: int | None = None) -> list[SimDevice]:
    """The active devices (the first ``limit`` by id, every kind represented)."""
    cabinet_w = dict(
        session.execute(
            text(
                "SELECT cabinet, sum(coalesce(wattage_w, 100)) FROM assets.lighting_light "
                "WHERE cabinet IS NOT NULL GROUP BY cabinet"
            )
        ).all()
    )
    rows = session.execute(
        text(
            "SELECT device_id, kind, asset_code, meta FROM live.device WHERE active "
            "ORDER BY row_number() OVER (PARTITION BY kind ORDER BY device_id), kind"
        )
    ).all()
    if limit is not None:
        rows = rows[:limit]
    return [
        SimDevice(
            r.device_id,
            r.kind,
            r.asset_code,
            _params(r.kind, r.asset_code, r.meta or {}, cabinet_w),
        )
        for r in rows
    ]


def burst_drops(
    G,
    sensors: Mapping[str, str],
    epicentres: list[str],
    *,
    max_drop_bar: float = 1.5,
    length_scale_m: float = 400.0,
    min_drop_bar: float = 0.05,
) -> dict[str, float]:
    """Pressure drop at each sensor for bursts at ``epicentres`` (network nodes).

    ``sensors`` maps a network node code to its device id; the drop fades as
    ``max_drop_bar · exp(-d / length_scale_m)`` with the network distance ``d``
    (metres); drops below ``min_drop_bar`` are left out.
    """
    drops: dict[str, float] = {}
    for node in epicentres:
        if node not in G:
            continue
        dist = nx.single_source_dijkstra_path_length(
            G,
            node,
            cutoff=8 * length_scale_m,
            weight=lambda u, v, d: min((a.get("length_m") or 1.0) for a in d.values()),
        )
        for sensor_node, device_id in sensors.items():
            if sensor_node in dist:
                drop = max_drop_bar * math.exp(-dist[sensor_node] / length_scale_m)
                if drop >= min_drop_bar:
                    drops[device_id] = round(max(drops.get(device_id, 0.0), drop), 3)
    return drops
