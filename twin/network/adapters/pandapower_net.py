"""pandapower networks to twin power graphs.

Reads a ``pandapowerNet`` by duck typing (its DataFrames), so the module
works without importing pandapower.  Buses become ``bus`` nodes; external
grids become ``substation`` nodes (the sources); lines become ``line``
edges; transformers become ``transformer`` nodes between their buses;
switches become device nodes (``CB`` → ``breaker``, others → ``switch``)
placed between the bus and the element they switch; loads become
``customer`` nodes.  Codes are ``"bus:<index>"``, ``"line:<index>"``,
``"trafo:<index>"``, ``"switch:<index>"``, ``"load:<index>"`` ...

Topology matches ``pandapower.topology.create_nxgraph(net,
respect_switches=True)``: an open line or transformer switch cuts that
element off at its bus, an open bus-bus switch separates two buses.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from twin.network.graph import build_graph

__all__ = ["graph_from_pandapower"]

_SWITCH_KINDS = {"CB": "breaker"}


def _xy(geo, project):
    if not isinstance(geo, str) or not geo:
        return None, None
    lon, lat = json.loads(geo)["coordinates"][:2]
    return project(lon, lat) if project else (float(lon), float(lat))


class _Builder:
    def __init__(self, net, project):
        self.net = net
        self.project = project
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        # (element type, element index, bus) -> switch node code
        self.switch_at: dict[tuple[str, int, int], str] = {}

    def node(self, code, kind, bus=None, **attrs):
        x, y = (None, None)
        if bus is not None and "geo" in self.net.bus:
            x, y = _xy(self.net.bus.at[bus, "geo"], self.project)
        self.nodes.append({"code": code, "kind": kind, "x": x, "y": y, **attrs})

    def connector(self, code, a, b, **attrs):
        self.edges.append(
            {
                "code": code,
                "kind": "connector",
                "start_node": a,
                "end_node": b,
                "length_m": 0.0,
                **attrs,
            }
        )

    def end(self, element, index, bus) -> str:
        """Node an element's end attaches to: its switch if any, else its bus."""
        return self.switch_at.get((element, int(index), int(bus)), f"bus:{bus}")


def _buses_and_sources(b: _Builder) -> None:
    net = b.net
    for i, row in net.bus.iterrows():
        b.node(
            f"bus:{i}",
            "bus",
            bus=i,
            voltage_kv=float(row.vn_kv),
            name=row.get("name"),
            in_service=bool(row.in_service),
        )
    slack = [("ext_grid", i, row.bus, row.in_service) for i, row in net.ext_grid.iterrows()]
    if "gen" in net and len(net.gen) and "slack" in net.gen:
        slack += [("gen", i, row.bus, row.in_service) for i, row in net.gen.iterrows() if row.slack]
    for table, i, bus, in_service in slack:
        if in_service:
            b.node(f"{table}:{i}", "substation", bus=bus)
            b.connector(f"{table}:{i}:bus", f"{table}:{i}", f"bus:{bus}")


def _switches(b: _Builder) -> None:
    types = {"l": "line", "t": "trafo", "t3": "trafo3w"}
    for i, row in b.net.switch.iterrows():
        code = f"switch:{i}"
        b.node(
            code,
            _SWITCH_KINDS.get(row.get("type"), "switch"),
            bus=row.bus,
            normal_state="closed" if row.closed else "open",
            name=row.get("name"),
        )
        if row.et == "b":
            b.connector(f"{code}:a", f"bus:{row.bus}", code)
            b.connector(f"{code}:b", code, f"bus:{row.element}")
        else:
            b.connector(f"{code}:bus", f"bus:{row.bus}", code)
            b.switch_at[(types[row.et], int(row.element), int(row.bus))] = code


def _branches(b: _Builder) -> None:
    net = b.net
    for i, row in net.line.iterrows():
        b.edges.append(
            {
                "code": f"line:{i}",
                "kind": "line",
                "start_node": b.end("line", i, row.from_bus),
                "end_node": b.end("line", i, row.to_bus),
                "length_m": float(row.length_km) * 1000.0,
                "voltage_kv": float(net.bus.at[row.from_bus, "vn_kv"]),
                "name": row.get("name"),
                "state": "in_service" if row.in_service else "out_of_service",
            }
        )
    for table, sides in (("trafo", ("hv", "lv")), ("trafo3w", ("hv", "mv", "lv"))):
        if table not in net:
            continue
        for i, row in net[table].iterrows():
            code = f"{table}:{i}"
            b.node(
                code, "transformer", bus=row[f"{sides[-1]}_bus"], in_service=bool(row.in_service)
            )
            for side in sides:
                bus = row[f"{side}_bus"]
                b.connector(f"{code}:{side}", b.end(table, i, bus), code)


def _loads(b: _Builder) -> None:
    for i, row in b.net.load.iterrows():
        code = f"load:{i}"
        b.node(
            code,
            "customer",
            bus=row.bus,
            p_mw=float(row.p_mw),
            name=row.get("name"),
            in_service=bool(row.in_service),
        )
        b.connector(f"{code}:bus", f"bus:{row.bus}", code)


def graph_from_pandapower(net, *, project: Callable[[float, float], tuple] | None = None):
    """Power graph of a pandapower network.

    Parameters
    ----------
    net : pandapower.pandapowerNet
    project : callable, optional, keyword-only
        ``project(lon, lat) -> (x, y)`` in metres; without it bus
        coordinates stay WGS 84 degrees and ``G.graph["crs"]`` says so.

    Returns
    -------
    networkx.MultiGraph
    """
    b = _Builder(net, project)
    _buses_and_sources(b)
    _switches(b)
    _branches(b)
    _loads(b)
    G = build_graph("power", b.nodes, b.edges)
    if project is None:
        G.graph["crs"] = "EPSG:4326"
    return G
