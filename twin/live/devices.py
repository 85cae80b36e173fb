"""Registering field devices against the assets they belong to.

A device id is ``<PREFIX>-<asset code>`` for devices made from the asset
register (one device of a kind per asset).  :func:`register_demo_devices`
fits out whatever city is loaded the way a utility would: controllers on the
remotely managed lights and every cabinet, pressure loggers on hydrants and
on one junction in ``pressure_every``, flow meters at pump stations, tanks
and plants, position/current telemetry on breakers, reclosers and load-break
switches, and one environmental station per commune on a light pole.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from layers import feature_type
from twin.errors import InvalidInput, Problem
from twin.models import MODELS

from .models import Device
from .schema import DEVICE_KINDS

__all__ = ["PREFIXES", "register_demo_devices", "register_device"]

PREFIXES = {
    "luminaire": "LUM",
    "lighting_cabinet": "CAB",
    "pressure_sensor": "PRS",
    "flow_meter": "FLW",
    "breaker": "BRK",
    "env_station": "ENV",
    "camera": "VID",
}


def register_device(
    session: Session,
    device_id: str,
    kind: str,
    asset_table: str,
    asset_code: str,
    *,
    meta: dict | None = None,
) -> Device:
    """Register (or re-register) one device on an existing asset."""
    where = f"device {device_id}"
    if kind not in DEVICE_KINDS:
        raise InvalidInput(
            where,
            [
                Problem(
                    "kind",
                    "allowed_values",
                    f"{kind!r} is not one of {', '.join(DEVICE_KINDS)}",
                    where,
                )
            ],
        )
    allowed = DEVICE_KINDS[kind].asset_tables
    if asset_table not in allowed or asset_table not in MODELS:
        raise InvalidInput(
            where,
            [
                Problem(
                    "asset_table",
                    "allowed_values",
                    f"a {kind} is registered on {', '.join(allowed)}",
                    where,
                )
            ],
        )
    found = session.execute(
        text(f"SELECT 1 FROM assets.{asset_table} WHERE code = :c"), {"c": asset_code}
    ).first()
    if found is None:
        raise InvalidInput(
            where, [Problem("asset_code", "exists", f"no {asset_table} {asset_code!r}", where)]
        )
    device = session.merge(
        Device(
            device_id=device_id,
            kind=kind,
            asset_table=asset_table,
            asset_code=asset_code,
            active=True,
            meta=meta or {},
        )
    )
    session.flush()
    return device


def _insert(
    session: Session,
    kind: str,
    table: str,
    where: str = "TRUE",
    meta: str = "'{}'::jsonb",
    distinct_on: str | None = None,
) -> int:
    prefix = PREFIXES[kind]
    distinct = f"DISTINCT ON ({distinct_on}) " if distinct_on else ""
    order = f"ORDER BY {distinct_on}, code" if distinct_on else ""
    result = session.execute(
        text(
            f"INSERT INTO live.device (device_id, kind, asset_table, asset_code, meta) "
            f"SELECT {distinct}'{prefix}-' || code, '{kind}', '{table}', code, {meta} "
            f"FROM assets.{table} WHERE status = 'in_service' AND {where} {order} "
            "ON CONFLICT (device_id) DO NOTHING"
        )
    )
    return result.rowcount


def _node_tables(kind: str) -> list[str]:
    """Point tables a device ``kind`` is declared on (a meter on a pipe is placed by hand)."""
    return [t for t in DEVICE_KINDS[kind].asset_tables if feature_type(t).network == "node"]


def register_demo_devices(session: Session, *, pressure_every: int = 4) -> dict[str, int]:
    """Fit out the loaded city with devices; returns how many were added per kind."""
    light_meta = (
        "jsonb_build_object('wattage_w', wattage_w, 'cabinet', cabinet, "
        "'circuit', circuit, 'lamp_type', lamp_type)"
    )
    added = {
        "luminaire": _insert(
            session, "luminaire", "lighting_light", "remote_managed IS NOT FALSE", light_meta
        ),
        "lighting_cabinet": _insert(session, "lighting_cabinet", "lighting_cabinet"),
        "pressure_sensor": _insert(session, "pressure_sensor", "water_hydrant")
        + _insert(
            session,
            "pressure_sensor",
            "water_junction",
            "code IN (SELECT code FROM (SELECT code, row_number() OVER (ORDER BY code) "
            f"AS n FROM assets.water_junction) j WHERE n % {int(pressure_every)} = 1 "
            f"OR {int(pressure_every)} = 1)",
        ),
        "flow_meter": sum(
            _insert(session, "flow_meter", t) for t in _node_tables("flow_meter")
        ),
        "breaker": sum(
            _insert(
                session,
                "breaker",
                t,
                "device_type IN ('breaker', 'recloser', 'load_break_switch')",
                "jsonb_build_object('device_type', device_type, 'feeder', feeder)",
            )
            for t in DEVICE_KINDS["breaker"].asset_tables
        ),
        "env_station": _insert(
            session, "env_station", "lighting_light", "commune IS NOT NULL", distinct_on="commune"
        ),
        "camera": _insert(session, "camera", "video_camera", "TRUE",
                          "jsonb_build_object('camera_type', camera_type)"),
    }
    session.flush()
    return added
