"""A tiny city with every kind of device, built through the edit service.

Two 22 kV feeders (each behind a breaker) supply three customers, a tank
feeds a row of six water junctions 200 m apart, and a cabinet feeds three
lights.  Codes are fixed so tests can name them.
"""

from __future__ import annotations

from shapely.geometry import LineString, MultiPolygon, Point, box

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


def _box(x0, y0, x1, y1) -> MultiPolygon:
    return MultiPolygon([box(ORIGIN[0] + x0, ORIGIN[1] + y0, ORIGIN[0] + x1, ORIGIN[1] + y1)])


def _areas(session) -> None:
    """A province of two communes (west: power and lighting, east: water) and villages."""
    create_feature(
        session,
        "base_admin_unit",
        {"code": "ADM-P1", "name": "Bắc Ninh", "level": "province"},
        _box(-0.01, -0.01, 0.03, 0.01),
        user=USER,
    )
    for code, name, x0, x1 in (
        ("ADM-C1", "Phường Tây", -0.01, 0.008),
        ("ADM-C2", "Phường Đông", 0.008, 0.03),
    ):
        create_feature(
            session,
            "base_admin_unit",
            {"code": code, "name": name, "level": "commune", "parent_code": "ADM-P1"},
            _box(x0, -0.01, x1, 0.01),
            user=USER,
        )
    villages = (
        ("VIL-1", "ADM-C1", 0.002, 200, 180),
        ("VIL-2", "ADM-C1", 0.004, 150, 0),
        ("VIL-3", "ADM-C2", 0.015, 300, 120),
    )
    for code, commune, dx, households, fiber in villages:
        _node(
            session,
            "base_village",
            code,
            dx,
            0.008,
            name=f"Thôn {code[-1]}",
            commune=commune,
            households=households,
            fiber_households=fiber,
        )
    _node(session, "telecom_access_node", "TEL-ACC-1", 0.002, 0.0085, village="VIL-1")
    _node(
        session,
        "trees_tree",
        "TRE-TREE-1",
        0.001,
        -0.004,
        species_scientific="Khaya",
        condition="good",
        crown_diameter_m=8.0,
    )
    _node(
        session,
        "trees_tree",
        "TRE-TREE-2",
        0.002,
        -0.004,
        species_scientific="Delonix",
        condition="dead",
        crown_diameter_m=4.0,
    )


def make_city(session) -> None:
    """Create the tiny city in ``session`` (the caller commits or rolls back)."""
    _areas(session)
    _power(session)
    _water(session)
    _lighting(session)
