"""Small networks built inline for the network tests."""

from twin.network.graph import build_graph


def make_graph(utility, nodes, edges, **node_attrs):
    """Graph from ``nodes`` = {code: kind or dict} and ``edges`` =
    [(code, start, end, attrs?), ...]; nodes get x = position in the list."""
    node_records = []
    for i, (code, spec) in enumerate(nodes.items()):
        record = {"code": code, "x": float(i), "y": 0.0}
        record.update({"kind": spec} if isinstance(spec, str) else spec)
        record.update(node_attrs.get(code, {}))
        node_records.append(record)
    edge_records = []
    for code, start, end, *rest in edges:
        record = {"code": code, "start_node": start, "end_node": end}
        if rest:
            record.update(rest[0])
        edge_records.append(record)
    return build_graph(utility, node_records, edge_records)


def water_line():
    """R -P1- J1 -P2- V1 -P3- J2 -P4- V2 -P5- J3 (J3 a hospital connection).

    J2 has two service connections (S1 with 3 households, S2 a school).
    """
    nodes = {
        "R": "reservoir",
        "J1": "junction",
        "V1": "valve",
        "J2": "junction",
        "V2": "valve",
        "J3": "junction",
        "S1": {"kind": "service_connection", "households": 3, "category": "residential"},
        "S2": {"kind": "service_connection", "category": "public", "critical": "school"},
        "H": {"kind": "service_connection", "critical": "hospital", "category": "public"},
    }
    edges = [
        ("P1", "R", "J1", {"length_m": 100.0, "diameter_mm": 200.0}),
        ("P2", "J1", "V1", {"length_m": 5.0, "diameter_mm": 200.0}),
        ("P3", "V1", "J2", {"length_m": 50.0, "diameter_mm": 100.0}),
        ("P4", "J2", "V2", {"length_m": 50.0, "diameter_mm": 100.0}),
        ("P5", "V2", "J3", {"length_m": 20.0, "diameter_mm": 100.0}),
        ("C1", "J2", "S1", {"kind": "service_pipe"}),
        ("C2", "J2", "S2", {"kind": "service_pipe"}),
        ("C3", "J3", "H", {"kind": "service_pipe"}),
    ]
    return make_graph("water", nodes, edges)


def telecom_ring():
    """POP1 - K1 - K2 - POP2 ring with access nodes: A1 on K1 (village Dong),
    A2 on K2 (village Tay) and a spur K2 - K3 - A3 (village Bac)."""
    nodes = {
        "POP1": "pop",
        "POP2": "pop",
        "K1": "cabinet",
        "K2": "cabinet",
        "K3": "cabinet",
        "A1": {"kind": "access_node", "village": "Dong"},
        "A2": {"kind": "access_node", "village": "Tay"},
        "A3": {"kind": "access_node", "village": "Bac"},
        "U1": {"kind": "customer", "village": "Bac", "households": 2},
    }
    edges = [
        ("F1", "POP1", "K1"),
        ("F2", "K1", "K2"),
        ("F3", "K2", "POP2"),
        ("F4", "K1", "A1"),
        ("F5", "K2", "A2"),
        ("F6", "K2", "K3"),
        ("F7", "K3", "A3"),
        ("D1", "A3", "U1"),
    ]
    return make_graph("telecom", nodes, edges)


def lighting_two_circuits():
    """Cabinet LC feeds circuit C1 (P1 - L1, P2 - L2) and C2 (P3 - L3)."""
    nodes = {
        "LC": "lighting_cabinet",
        "P1": "pole",
        "P2": "pole",
        "P3": "pole",
        "L1": "light",
        "L2": "light",
        "L3": "light",
    }
    edges = [
        ("E1", "LC", "P1", {"circuit": "C1", "length_m": 30.0}),
        ("E2", "P1", "P2", {"circuit": "C1", "length_m": 30.0}),
        ("E3", "LC", "P3", {"circuit": "C2", "length_m": 25.0}),
        ("S1", "P1", "L1", {"circuit": "C1"}),
        ("S2", "P2", "L2", {"circuit": "C1"}),
        ("S3", "P3", "L3", {"circuit": "C2"}),
    ]
    return make_graph("lighting", nodes, edges)


def two_feeders():
    """S1 -CB1- B1 -SW1- B2 -SW2- B3 -TIE(open)- B4 -CB2- S2, transformers
    with customers at B1, B2 (a hospital) and B3."""
    nodes = {
        "S1": "substation",
        "CB1": "breaker",
        "B1": "bus",
        "SW1": "switch",
        "B2": "bus",
        "SW2": "switch",
        "B3": "bus",
        "TIE": {"kind": "switch", "normal_state": "open"},
        "B4": "bus",
        "CB2": "breaker",
        "S2": "substation",
        "T1": "transformer",
        "T2": "transformer",
        "T3": "transformer",
        "C1": {"kind": "customer", "households": 40},
        "C2": {"kind": "customer", "critical": "hospital"},
        "C3": {"kind": "customer", "households": 25},
    }
    chain = ["S1", "CB1", "B1", "SW1", "B2", "SW2", "B3", "TIE", "B4", "CB2", "S2"]
    edges = [(f"L{i}", a, b, {"length_m": 100.0}) for i, (a, b) in enumerate(zip(chain, chain[1:]))]
    for i in (1, 2, 3):
        edges += [(f"LT{i}", f"B{i}", f"T{i}"), (f"LV{i}", f"T{i}", f"C{i}")]
    return make_graph("power", nodes, edges)
