"""WNTR's own valve segments, the reference the twin's segmentation is checked against."""

from __future__ import annotations


def wntr_partition(G_directed, valve_layer) -> set[frozenset]:
    """The segments WNTR finds in a directed network graph, as sets of
    ``("node", name)`` and ``("edge", name)``."""
    import wntr

    node_seg, link_seg, _ = wntr.metrics.valve_segments(G_directed, valve_layer)
    parts = {}
    for name, s in node_seg.items():
        parts.setdefault(s, set()).add(("node", name))
    for name, s in link_seg.items():
        parts.setdefault(s, set()).add(("edge", name))
    return {frozenset(p) for p in parts.values()}
