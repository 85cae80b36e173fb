"""A versioned cache of utility graphs and of results derived from them.

The loader builds each graph once; every edit is applied with the
incremental functions of :mod:`twin.network.updates` and bumps the version,
which drops the derived results (valve segments, outage models) of that
utility only.  Results are recomputed lazily on the next request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from twin.errors import InvalidInput, NotFound, Problem
from twin.network import updates as g

__all__ = ["GraphCache"]

_OPERATIONS = {
    "upsert_node": g.upsert_node_record,
    "remove_node": g.remove_node_record,
    "upsert_edge": g.upsert_edge_record,
    "remove_edge": g.remove_edge_record,
}


class GraphCache:
    """Graphs by utility, each with a version and memoised derived results.

    Parameters
    ----------
    loader : callable, optional
        ``loader(utility) -> graph``, called the first time a utility is
        asked for (e.g. a function reading PostGIS through
        :func:`twin.network.graph.build_graph`).

    Examples
    --------
    >>> from twin.network.graph import build_graph
    >>> cache = GraphCache(lambda u: build_graph(u, [], []))
    >>> cache.version("water")
    0
    >>> cache.apply("water", "upsert_node", {"code": "J1", "kind": "junction"})
    1
    >>> cache.derived("water", "size", len)
    1
    """

    def __init__(self, loader: Callable[[str], Any] | None = None):
        self._loader = loader
        self._graphs: dict[str, Any] = {}
        self._versions: dict[str, int] = {}
        self._derived: dict[tuple[str, str], tuple[int, Any]] = {}
        self._lock = threading.RLock()

    def set_graph(self, utility: str, G) -> int:
        """Replace the graph of ``utility`` (a full reload); return the version."""
        with self._lock:
            self._graphs[utility] = G
            return self._bump(utility)

    def graph(self, utility: str):
        """The current graph of ``utility``, loading it on first use."""
        with self._lock:
            if utility not in self._graphs:
                if self._loader is None:
                    raise NotFound(f"no {utility} network is loaded")
                self._graphs[utility] = self._loader(utility)
                self._versions.setdefault(utility, 0)
            return self._graphs[utility]

    def version(self, utility: str) -> int:
        """Number of changes applied to ``utility`` since the cache was made."""
        with self._lock:
            self.graph(utility)
            return self._versions[utility]

    def apply(self, utility: str, operation: str, record: Mapping | str) -> int:
        """Apply one edit and return the new version.

        ``operation`` is ``upsert_node`` / ``upsert_edge`` (``record`` is the
        plain record) or ``remove_node`` / ``remove_edge`` (``record`` is the
        code, or a record holding ``code``).
        """
        if operation not in _OPERATIONS:
            raise InvalidInput(
                "unknown graph edit",
                [
                    Problem(
                        "operation",
                        "allowed_values",
                        f"{operation!r} is not one of {', '.join(_OPERATIONS)}",
                    )
                ],
            )
        with self._lock:
            G = self.graph(utility)
            if operation.startswith("remove") and isinstance(record, Mapping):
                record = record["code"]
            _OPERATIONS[operation](G, record)
            return self._bump(utility)

    def derived(self, utility: str, name: str, compute: Callable[[Any], Any]):
        """``compute(graph)`` memoised until the next edit of ``utility``."""
        with self._lock:
            G = self.graph(utility)
            version = self._versions[utility]
            cached = self._derived.get((utility, name))
            if cached is not None and cached[0] == version:
                return cached[1]
            value = compute(G)
            self._derived[(utility, name)] = (version, value)
            return value

    def peek(self, utility: str, name: str):
        """The derived result ``name`` if it is still current, else ``None``."""
        with self._lock:
            cached = self._derived.get((utility, name))
            if cached is not None and cached[0] == self._versions.get(utility):
                return cached[1]
            return None

    def put(self, utility: str, name: str, value) -> None:
        """Store ``value`` as the current derived result ``name`` (a result
        brought up to date by the caller instead of recomputed)."""
        with self._lock:
            self._derived[(utility, name)] = (self._versions[utility], value)

    def _bump(self, utility: str) -> int:
        self._versions[utility] = self._versions.get(utility, -1) + 1
        for key in [k for k in self._derived if k[0] == utility]:
            del self._derived[key]
        return self._versions[utility]
