"""The change feed: edits recorded in ``audit.history`` applied to a loaded graph.

Every write through :mod:`twin.edits` appends a history row holding the whole
feature after the change (``new``; ``None`` for a delete); a bulk load is
one row of ``audit.bulk_load`` and calls for a reload.  Reading the rows
after the last one applied and turning each into an incremental graph
operation keeps a loaded network current in milliseconds, where a reload
takes seconds.

History ids come from a sequence, so a transaction can commit an id lower
than one already read.  Ids missing below the highest one read are kept as
*pending* and asked for again until they appear or :data:`GAP_PATIENCE_S`
has passed (a rolled-back edit leaves a gap for ever).  A row older than the
element in the graph (lower ``version``) is skipped.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from twin.network import updates as g
from twin.network.graph import edge_conducts
from twin.network.load import fetch_all, project
from twin.network.records import edge_record, network_tables, node_record

__all__ = [
    "BULK_LOAD",
    "GAP_PATIENCE_S",
    "GAP_WINDOW",
    "Change",
    "Feed",
    "apply_changes",
    "attribute_changes",
    "read_changes",
    "touches",
    "watched_tables",
]

#: Seconds a missing history id is waited for before it counts as rolled back.
GAP_PATIENCE_S = 300.0
#: How far below the newest id a full load looks for ids not yet committed.
GAP_WINDOW = 1000
#: The action of a change that stands for a whole bulk load.
BULK_LOAD = "bulk_load"

_FACILITY_TABLE = "base_facility"


@dataclass
class Change:
    """One history row of a watched table; ``new`` is ``None`` for a delete."""

    id: int
    table: str
    code: str
    old_code: str | None
    action: str
    new: dict | None
    old_id: int | None = None


@dataclass
class Feed:
    """Where a graph stands in the change feed."""

    last_id: int = 0
    pending: dict[int, float] = field(default_factory=dict)

    def note_ids(self, ids: Iterable[int], *, now: float | None = None) -> None:
        """Record the ids read: advance ``last_id``, track and expire gaps."""
        now = time.monotonic() if now is None else now
        ids = sorted(set(ids))
        for i in ids:
            self.pending.pop(i, None)
        if ids and ids[-1] > self.last_id:
            seen = set(ids)
            for missing in range(self.last_id + 1, ids[-1]):
                if missing not in seen:
                    self.pending.setdefault(missing, now)
            self.last_id = ids[-1]
        for i, since in list(self.pending.items()):
            if now - since > GAP_PATIENCE_S:
                del self.pending[i]


def watched_tables(utility: str) -> tuple[str, ...]:
    """Tables whose edits change the graph of ``utility`` (facilities make
    customers critical, so water and power watch them too)."""
    tables = network_tables(utility).all
    return tables + ((_FACILITY_TABLE,) if utility in ("water", "power") else ())


def read_changes(conn, feed: Feed, tables: Iterable[str]) -> tuple[list[Change], list[int]]:
    """History rows after ``feed`` for ``tables``, and every id read (any table).

    Only ids are read for rows of other tables: they tell the gaps apart.  A
    bulk load (``audit.bulk_load``, which shares the ids) comes as one
    change with action :data:`BULK_LOAD` and no feature: the graph is
    reloaded, which a big load needs anyway.
    """
    tables = list(tables)
    rows = fetch_all(
        conn,
        "SELECT id, feature_type, code, action, "
        "CASE WHEN feature_type = ANY(%(t)s) THEN new END, "
        "CASE WHEN feature_type = ANY(%(t)s) THEN old->>'id' END, "
        "CASE WHEN feature_type = ANY(%(t)s) THEN (old->'properties'->>'id')::bigint END "
        "FROM audit.history WHERE id > %(after)s OR id = ANY(%(pending)s) "
        f"UNION ALL SELECT id, feature_type, '', '{BULK_LOAD}', NULL, NULL, NULL "
        "FROM audit.bulk_load WHERE id > %(after)s OR id = ANY(%(pending)s) ORDER BY id",
        {"t": tables, "after": feed.last_id, "pending": sorted(feed.pending)},
    )
    wanted = set(tables)
    changes = [Change(r[0], r[1], r[2], r[5], r[3], r[4], r[6]) for r in rows if r[1] in wanted]
    return changes, [r[0] for r in rows]


def _is_newer(G, code: str, version, node: bool) -> bool:
    """Whether a row at ``version`` is not older than the element in ``G``."""
    if node:
        current = G.nodes[code].get("version") if code in G else None
    else:
        ends = G.graph.get("edges_by_code", {}).get(code)
        current = G.edges[(*ends, code)].get("version") if ends else None
    return current is None or version is None or version >= current


def _node_positions(G, changes: list[Change]) -> dict[int, tuple[float, float]]:
    """Projected positions of the node features in ``changes`` (one pyproj call)."""
    points = {
        c.id: c.new["geometry"]["coordinates"]
        for c in changes
        if c.new is not None and (c.new.get("geometry") or {}).get("type") == "Point"
    }
    xs, ys = project(
        G.graph["crs"], [p[0] for p in points.values()], [p[1] for p in points.values()]
    )
    return dict(zip(points, zip(xs.tolist(), ys.tolist(), strict=True), strict=True))


def _apply_node(G, change: Change, xy) -> None:
    ids = G.graph["node_ids"]
    if change.old_code and change.old_code != change.code:
        g.remove_node_record(G, change.old_code)
    if change.new is None:
        G.graph.setdefault("unlinked_edges", []).extend(g.remove_node_record(G, change.code))
        if ids.get(change.old_id) == change.code:
            del ids[change.old_id]
        return
    props = change.new["properties"]
    if not _is_newer(G, change.code, props.get("version"), node=True):
        return
    record = node_record(change.table, props, *xy, G.graph.get("facilities"))
    g.upsert_node_record(G, record)
    ids[props["id"]] = change.code


def _apply_edge(G, change: Change) -> None:
    unlinked = G.graph.setdefault("unlinked_edges", [])
    if change.old_code and change.old_code != change.code:
        g.remove_edge_record(G, change.old_code)
    if change.new is None:
        g.remove_edge_record(G, change.code)
        return
    props = change.new["properties"]
    if not _is_newer(G, change.code, props.get("version"), node=False):
        return
    ids = G.graph["node_ids"]
    start, end = ids.get(props.get("start_node")), ids.get(props.get("end_node"))
    if start is None or end is None or start not in G or end not in G:
        g.remove_edge_record(G, change.code)
        if change.code not in unlinked:
            unlinked.append(change.code)
        return
    if change.code in unlinked:
        unlinked.remove(change.code)
    g.upsert_edge_record(G, edge_record(change.table, props, start, end))


def apply_changes(G, changes: Iterable[Change]) -> int:
    """Apply history rows to graph ``G`` in order; return how many changed it.

    Mutates ``G`` in place: this is the cheap path that keeps a cached graph
    current.  Rows of tables outside the network are ignored; a facility
    change is not handled here (the caller reloads).
    """
    tables = network_tables(G.graph["utility"])
    changes = [c for c in changes if c.table in tables.all]
    positions = _node_positions(G, changes)
    for change in changes:
        if change.table in tables.nodes:
            _apply_node(G, change, positions.get(change.id, (None, None)))
        else:
            _apply_edge(G, change)
    return len(changes)


def attribute_changes(G, changes: Iterable[Change]) -> tuple[set[str], set[str]] | None:
    """Codes of the nodes and edges whose attributes ``changes`` edit, or
    ``None`` when one of them adds, removes or rewires anything.

    Read before the changes are applied: a node must keep its kind and
    whether it passes supply, an edge its two ends and whether it carries
    anything, and no valve point placed on a pipe may change; then derived
    results (valve segments) stay valid and can be patched.
    """
    tables = network_tables(G.graph["utility"])
    placed = {p["code"] for p in G.graph.get("placements", ())}
    ids, lookup = G.graph["node_ids"], G.graph.get("edges_by_code", {})
    nodes, edges = set(), set()
    for c in changes:
        if c.table not in tables.all:
            continue
        if c.new is None or (c.old_code and c.old_code != c.code):
            return None
        props = c.new["properties"]
        if c.table in tables.nodes:
            if c.code not in G or c.code in placed:
                return None
            now = node_record(c.table, props, None, None, G.graph.get("facilities"))
            attrs = G.nodes[c.code]
            if (now["kind"], now.get("in_service", True)) != (
                attrs["kind"],
                attrs.get("in_service", True),
            ):
                return None
            nodes.add(c.code)
            continue
        ends = lookup.get(c.code)
        if ends is None:
            return None
        attrs = G.edges[(*ends, c.code)]
        start, end = ids.get(props.get("start_node")), ids.get(props.get("end_node"))
        carries = edge_conducts({"state": props.get("status") or "in_service"})
        if (start, end, carries) != (attrs["start_node"], attrs["end_node"], edge_conducts(attrs)):
            return None
        edges.add(c.code)
    return nodes, edges


def touches(changes: Iterable[Change], tables: Mapping | Iterable[str]) -> bool:
    """Whether any change is to one of ``tables``."""
    wanted = set(tables)
    return any(c.table in wanted for c in changes)
