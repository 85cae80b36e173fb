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
