"""A tiny city with every kind of device, built through the edit service.

Two 22 kV feeders (each behind a breaker) supply three customers, a tank
feeds a row of six water junctions 200 m apart, and a cabinet feeds three
lights.  Codes are fixed so tests can name them.
"""

from __future__ import annotations

from shapely.geometry import LineString, Point

from tests.factories import ORIGIN
from twin.edits import create_feature

USER = "test"


def _pt(dx: float, dy: float) -> Point:
    return Point(ORIGIN[0] + dx, ORIGIN[1] + dy)


def _node(session, table, code, dx, dy, **props):
    create_feature(session, table, {"code": code, **props}, _pt(dx, dy), user=USER)
    return (dx, dy)


def _edge(session, table, code, a, b, **props):
    line = LineString([_pt(*a), _pt(*b)])
    create_feature(session, table, {"code": code, **props}, line, user=USER)


def _power(session) -> None:
    sub = _node(session, "power_substation", "PWR-SUB-1", 0, 0, name="Trạm 110 kV")
    points = {
        "PWR-SW-1": _node(
            session,
            "power_switch",
            "PWR-SW-1",
            0.001,
            0,
            device_type="breaker",
            normal_state="closed",
            feeder="F1",
        ),
        "PWR-TX-1": _node(session, "power_transformer", "PWR-TX-1", 0.003, 0, rating_kva=400),
        "PWR-CUST-1": _node(
            session,
            "power_customer",
            "PWR-CUST-1",
            0.004,
            0.001,
            customer_category="residential",
            households=12,
        ),
        "PWR-CUST-2": _node(
            session,
            "power_customer",
            "PWR-CUST-2",
            0.004,
            -0.001,
            customer_category="hospital",
            households=0,
        ),
        "PWR-SW-2": _node(
            session,
            "power_switch",
            "PWR-SW-2",
            0,
            0.001,
            device_type="breaker",
            normal_state="closed",
            feeder="F2",
        ),
        "PWR-TX-2": _node(session, "power_transformer", "PWR-TX-2", 0, 0.003, rating_kva=250),
        "PWR-CUST-3": _node(
            session,
            "power_customer",
            "PWR-CUST-3",
            0.001,
            0.004,
            customer_category="residential",
            households=30,
        ),
    }
    links = [
        ("PWR-SUB-1", "PWR-SW-1"),
        ("PWR-SW-1", "PWR-TX-1"),
        ("PWR-TX-1", "PWR-CUST-1"),
        ("PWR-TX-1", "PWR-CUST-2"),
        ("PWR-SUB-1", "PWR-SW-2"),
        ("PWR-SW-2", "PWR-TX-2"),
        ("PWR-TX-2", "PWR-CUST-3"),
    ]
    points["PWR-SUB-1"] = sub
    for i, (a, b) in enumerate(links, 1):
        _edge(session, "power_line", f"PWR-LINE-{i}", points[a], points[b], voltage_kv=22.0)


def _water(session) -> None:
    prev = _node(session, "water_tank", "WTR-TANK-1", 0.01, 0, name="Đài nước")
    for i in range(1, 7):
        here = _node(session, "water_junction", f"WTR-JCT-{i}", 0.01 + 0.002 * i, 0)
        _edge(
            session,
            "water_pipe",
            f"WTR-PIPE-{i}",
            prev,
            here,
            diameter_mm=150,
            material="hdpe",
            install_year=1990 + i,
        )
        prev = here
    _node(session, "water_hydrant", "WTR-HYD-1", 0.01 + 0.002 * 6, 0.0001)


def _lighting(session) -> None:
    _node(session, "lighting_cabinet", "LGT-CAB-1", 0, -0.005, circuits=2, remote_managed=True)
    for i in range(1, 4):
        _node(
            session,
            "lighting_light",
            f"LGT-POLE-{i}",
            0.0005 * i,
            -0.005,
            lamp_type="led" if i < 3 else "sodium",
            wattage_w=100.0,
            cabinet="LGT-CAB-1",
            circuit="LGT-CAB-1/1",
            remote_managed=True,
        )


def make_city(session) -> None:
    """Create the tiny city in ``session`` (the caller commits or rolls back)."""
    _power(session)
    _water(session)
    _lighting(session)
