"""Plain node and edge records from stored features, for :func:`~twin.network.graph.build_graph`.

One conversion serves the bulk loader (rows of the feature tables) and the
change feed (features in ``audit.history``), so a graph kept current edit by
edit holds exactly what a full load would give.  Which tables make up each
utility network comes from the layer declarations (``network="node"`` or
``"edge"``); so does the node ``kind``: the feature type's ``node_kind``,
picked by an attribute where one table holds several kinds (tanks and
reservoirs, breakers, fuses and switches, cabinets and splice closures).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from layers import feature_type, layer
from twin.declare_network import STATES
from twin.network.roles import PASS_THROUGH_KINDS, UTILITIES

__all__ = [
    "EXTRA_KEYS",
    "GRAPH_ATTRIBUTES",
    "PASS_THROUGH_KINDS",
    "RENAMED",
    "Facilities",
    "NetworkTables",
    "edge_record",
    "loaded_attributes",
    "network_tables",
    "node_kind",
    "node_record",
    "utility_of_table",
]

#: Stored attribute name -> name in the graph conventions.
RENAMED = {
    "customer_category": "category",
    "invert_elevation_m": "invert_m",
    "invert_up_m": "invert_up",
    "invert_down_m": "invert_down",
}

#: Values of the ``extra`` JSONB the analyses read: the critical facility a
#: customer stands for, and the present position of a device when it differs
#: from its normal state.
EXTRA_KEYS = ("facility", "state")


@dataclass(frozen=True)
class Facilities:
    """Critical facilities (``base_facility``) and the customers standing for them.

    ``kinds`` maps a facility code to ``(kind, name)``; ``linked`` maps a
    customer node code to the facility it was linked to by proximity (a
    customer naming its facility in ``extra["facility"]`` needs no link).
    """

    kinds: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    linked: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NetworkTables:
    """The feature tables of one utility network."""

    utility: str
    nodes: tuple[str, ...]
    edges: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.nodes + self.edges


@cache
def network_tables(utility: str) -> NetworkTables:
    """Node and edge tables of ``utility`` as declared in ``layers/``."""
    if utility not in UTILITIES:
        raise KeyError(f"unknown utility {utility!r}; known: {', '.join(UTILITIES)}")
    types = layer(utility).feature_types
    return NetworkTables(
        utility,
        tuple(ft.table for ft in types if ft.network == "node"),
        tuple(ft.table for ft in types if ft.network == "edge"),
    )


@cache
def utility_of_table(table: str) -> str | None:
    """The utility whose network holds features of ``table`` (None: no network)."""
    for utility in UTILITIES:
        if table in network_tables(utility).all:
            return utility
    return None


_feature_type = cache(feature_type)


def node_kind(table: str, props: Mapping) -> str:
    """Node kind of a feature of ``table`` as its declaration says (``FeatureType.kind_of``)."""
    return _feature_type(table).kind_of(props)


#: Declared attributes the analyses, reports and work orders read; the
#: others (material, install year ...) stay in the database.
GRAPH_ATTRIBUTES = frozenset(
    {
        "name",
        "address",
        "households",
        "customer_category",
        "operable",
        "normal_state",
        "valve_type",
        "device_type",
        "cabinet_type",
        "tank_kind",
        "diameter_mm",
        "pressure_zone",
        "elevation_m",
        "voltage_kv",
        "rating_kva",
        "feeder",
        "supplies",
        "power_customer",
        "system",
        "invert_up_m",
        "invert_down_m",
        "rim_elevation_m",
        "invert_elevation_m",
        "village",
        "circuit",
        "cabinet",
        "wattage_w",
    }
)


@cache
def loaded_attributes(table: str) -> tuple[str, ...]:
    """Declared attributes of ``table`` that go into the graph (never personal data)."""
    return tuple(
        a.name
        for a in feature_type(table).attributes
        if a.name in GRAPH_ATTRIBUTES and not a.personal
    )


def _attributes(table: str, props: Mapping) -> dict:
    out = {}
    for name in loaded_attributes(table):
        value = props.get(name)
        if value is not None:
            out[RENAMED.get(name, name)] = value
    return out


def _extra(props: Mapping) -> Mapping:
    extra = props.get("extra")
    return extra if isinstance(extra, Mapping) else {}


def node_record(
    table: str,
    props: Mapping,
    x: float | None,
    y: float | None,
    facilities: Facilities | None = None,
) -> dict:
    """The node record of one stored feature.

    Parameters
    ----------
    table : str
        Feature table, e.g. ``water_valve``.
    props : mapping
        Column values (``code``, ``status``, ``version``, ``extra`` and the
        declared attributes).
    x, y : float
        Position in metres in the metric CRS of the network.
    facilities : Facilities, optional
        Critical facilities, to mark a customer that stands for one (named
        in its ``extra["facility"]`` or linked by proximity) as critical.
    """
    record = {
        "code": props["code"],
        "kind": node_kind(table, props),
        "x": x,
        "y": y,
        "table": table,
        "version": props.get("version"),
    }
    record.update(_attributes(table, props))
    if props.get("status", "in_service") != "in_service":
        record["status"] = props["status"]
        if record["kind"] not in PASS_THROUGH_KINDS:
            record["in_service"] = False
    extra = _extra(props)
    if extra.get("state") in STATES:
        record["state"] = extra["state"]
    facilities = facilities or Facilities()
    facility = extra.get("facility") or facilities.linked.get(record["code"])
    if facility:
        record["facility"] = facility
        if facility in facilities.kinds:
            kind, name = facilities.kinds[facility]
            record["critical"] = kind
            record["name"] = name
    if "critical" not in record and props.get("customer_category") == "hospital":
        record["critical"] = "hospital"
    return record


def edge_record(table: str, props: Mapping, start: str, end: str) -> dict:
    """The edge record of one stored line feature between node codes ``start`` and ``end``."""
    record = {
        "code": props["code"],
        "start_node": start,
        "end_node": end,
        "state": props.get("status") or "in_service",
        "table": table,
        "version": props.get("version"),
    }
    if props.get("length_m") is not None:
        record["length_m"] = float(props["length_m"])
    record.update(_attributes(table, props))
    return record
