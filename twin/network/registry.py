"""Process-wide networks per database, kept current from the change feed.

The web app, the CLI and the live ingest all ask :func:`registry_for` for the
networks of their database.  The first request of a utility loads its graph
(:func:`twin.network.load.load_network`); every later one first reads the
history rows committed since (:mod:`twin.network.changes`) and applies them
to the graph, which costs milliseconds, and falls back to a full reload
only when the delta is large or a bulk load (an import), or touches critical
facilities.

Only committed edits are seen: the feed is read on a connection of its own,
so a graph shared by every request never holds work that is later rolled
back.  Analyses run under the registry's lock, so no request reads a graph
while another one applies edits to it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.engine import Engine

from twin.network.algorithms.supply import supply_tree
from twin.network.cache import GraphCache
from twin.network.changes import (
    BULK_LOAD,
    GAP_WINDOW,
    Feed,
    apply_changes,
    attribute_changes,
    read_changes,
    touches,
    watched_tables,
)
from twin.network.graph import UTILITIES, edge_lookup
from twin.network.isolation import isolation_model, updated_model
from twin.network.load import (
    load_network,
    metric_crs,
    relink_edges,
    valve_nodes,
    valve_placements,
)

__all__ = [
    "FULL_RELOAD_MIN_ROWS",
    "FULL_RELOAD_SHARE",
    "NetworkRegistry",
    "Refresh",
    "registry_for",
]

#: A delta longer than both of these (rows; share of the graph's elements)
#: is replaced by a full reload, which is then cheaper than edit by edit.
FULL_RELOAD_MIN_ROWS = 5000
FULL_RELOAD_SHARE = 0.05


@dataclass
class Refresh:
    """What the last refresh of one utility did, and the running totals."""

    mode: str = "none"  # "full", "delta" or "current"
    seconds: float = 0.0
    rows: int = 0
    full_loads: int = 0
    deltas: int = 0
    rows_applied: int = 0
    patched: bool = False
    feed: Feed = field(default_factory=Feed)

    def to_dict(self) -> dict:
        return {
            "mode": self.mode,
            "seconds": self.seconds,
            "rows": self.rows,
            "full_loads": self.full_loads,
            "deltas": self.deltas,
            "rows_applied": self.rows_applied,
            "segments_patched": self.patched,
            "last_history_id": self.feed.last_id,
            "pending_history_ids": len(self.feed.pending),
        }


class NetworkRegistry:
    """The utility graphs of one database, refreshed before each use.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        Used for reads of its own (committed data only).
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self.cache = GraphCache()
        self.refreshes = {u: Refresh() for u in UTILITIES}
        self.crs = None
        self._lock = threading.RLock()

    @contextmanager
    def graphs(
        self, utilities: Iterable[str] = UTILITIES, *, on_table=None
    ) -> Iterator[dict[str, object]]:
        """The current graphs of ``utilities``, held under the lock while in use.

        ``on_table(table, rows)`` is called during full loads (progress bars).
        """
        with self._lock:
            found = {u: self.current(u, on_table=on_table) for u in utilities}
            yield found

    def current(self, utility: str, *, on_table=None):
        """The graph of ``utility`` after applying the committed edits."""
        with self._lock:
            start = time.perf_counter()
            refresh = self.refreshes[utility]
            with self.engine.connect() as conn:
                if self.crs is None:
                    self.crs = metric_crs(conn)
                mode, rows = self._refresh(conn, utility, refresh, on_table)
                conn.rollback()
            refresh.mode, refresh.rows = mode, rows
            refresh.seconds = time.perf_counter() - start
            return self.cache.graph(utility)

    def isolation_model(self):
        """The water isolation model, recomputed only after the graph changed."""
        with self._lock:
            return self.cache.derived(
                "water",
                "isolation",
                lambda G: isolation_model(G, placements=G.graph.get("placements", ())),
            )

    def supply_trees(self, utilities: Iterable[str]) -> dict:
        """Utility -> the walk from its sources before any failure
        (:func:`twin.network.algorithms.supply.supply_tree`) of the graph as
        last refreshed (ask inside :meth:`graphs`), recomputed only after it
        changed; drainage, which flows by gravity, has none."""
        with self._lock:
            return {
                u: self.cache.derived(u, "supply_tree", supply_tree)
                for u in utilities
                if u != "drainage"
            }

    def derived(self, utility: str, name: str, compute):
        """``compute(graph)`` memoised until the next change of ``utility``."""
        with self._lock:
            return self.cache.derived(utility, name, compute)

    def stats(self) -> dict:
        """Refresh figures per utility (what the tests and benchmark read)."""
        with self._lock:
            return {u: r.to_dict() for u, r in self.refreshes.items()}

    def _refresh(self, conn, utility: str, refresh: Refresh, on_table):
        if refresh.full_loads == 0:
            self._full_load(conn, utility, refresh, on_table)
            return "full", 0
        changes, ids = read_changes(conn, refresh.feed, watched_tables(utility))
        refresh.patched = False
        if not changes:
            refresh.feed.note_ids(ids)
            return "current", 0
        G = self.cache.graph(utility)
        size = G.number_of_nodes() + len(edge_lookup(G))  # number_of_edges() counts: O(E)
        if (
            touches(changes, ["base_facility"])
            or any(c.action == BULK_LOAD for c in changes)
            or len(changes) > max(FULL_RELOAD_MIN_ROWS, FULL_RELOAD_SHARE * size)
        ):
            self._full_load(conn, utility, refresh, on_table)
            return "full", len(changes)
        patch = attribute_changes(G, changes) if utility == "water" else None
        model = self.cache.peek("water", "isolation") if patch else None
        applied = apply_changes(G, changes)
        if patch is None:
            relink_edges(conn, G)
            if utility == "water" and touches(changes, ["water_valve", "water_pipe"]):
                G.graph["placements"] = valve_placements(conn, G.graph["node_ids"], valve_nodes(G))
        self.cache.set_graph(utility, G)  # new version: derived results dropped ...
        if model is not None:  # ... except the valve segments when only attributes changed
            nodes, edges = patch
            self.cache.put("water", "isolation", updated_model(G, model, nodes=nodes, edges=edges))
        refresh.patched = model is not None
        refresh.feed.note_ids(ids)
        refresh.deltas += 1
        refresh.rows_applied += applied
        return "delta", applied

    def _full_load(self, conn, utility: str, refresh: Refresh, on_table) -> None:
        """Load in one snapshot, noting the history ids it already contains."""
        conn.rollback()
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        last = conn.execute(
            text(
                "SELECT greatest((SELECT max(id) FROM audit.history), "
                "(SELECT max(id) FROM audit.bulk_load), 0)"
            )
        ).scalar()
        recent = conn.execute(
            text(
                "SELECT id FROM audit.history WHERE id > :low "
                "UNION ALL SELECT id FROM audit.bulk_load WHERE id > :low"
            ),
            {"low": last - GAP_WINDOW},
        ).scalars()
        G = load_network(conn, utility, crs=self.crs, on_table=on_table)
        feed = Feed(last_id=max(last - GAP_WINDOW, 0))
        feed.note_ids(list(recent) + [last] if last else [])
        refresh.feed = feed
        refresh.full_loads += 1
        self.cache.set_graph(utility, G)


_REGISTRIES: dict[str, NetworkRegistry] = {}
_REGISTRIES_LOCK = threading.Lock()


def registry_for(bind) -> NetworkRegistry:
    """The registry of the database behind ``bind`` (Engine, Connection or Session).

    One per database URL in the process, so every request and the live
    ingest share the loaded graphs.
    """
    if hasattr(bind, "get_bind"):
        bind = bind.get_bind()
    engine = getattr(bind, "engine", bind)
    key = engine.url.render_as_string(hide_password=False)
    with _REGISTRIES_LOCK:
        registry = _REGISTRIES.get(key)
        if registry is None:
            registry = _REGISTRIES[key] = NetworkRegistry(engine)
        return registry
