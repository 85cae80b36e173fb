"""Cameras an outage takes down: those whose power supply or telecom link is cut.

A camera names the power customer connection it is fed from and the access
node its stream leaves through (``layers/video.py``); the outage analysis
lists the customer nodes it cuts off, in any utility, so the cameras behind
them are found by those codes.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["cameras_cut_off", "cut_customer_codes"]


def cut_customer_codes(report) -> set[str]:
    """Every code listed under ``customer_nodes`` anywhere in an outage report."""
    found: set[str] = set()
    stack = [report]
    while stack:
        obj = stack.pop()
        if isinstance(obj, dict):
            nodes = obj.get("customer_nodes")
            if isinstance(nodes, list):
                found.update(str(n) for n in nodes)
            stack.extend(obj.values())
        elif isinstance(obj, list):
            stack.extend(obj)
    return found


def cameras_cut_off(session: Session, report) -> list[dict]:
    """Cameras in service fed or linked through a customer node the report cuts off."""
    codes = sorted(cut_customer_codes(report))
    if not codes:
        return []
    rows = session.execute(text(
        "SELECT code, name, camera_type, watches, commune, "
        "CASE WHEN power_customer = ANY(:c) THEN 'power' ELSE 'telecom' END AS cut "
        "FROM assets.video_camera WHERE status = 'in_service' "
        "AND (power_customer = ANY(:c) OR telecom_access = ANY(:c)) ORDER BY code"),
        {"c": codes}).mappings()
    return [dict(r) for r in rows]
