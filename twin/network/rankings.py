"""Valve segments and N-1 criticality of stored networks, as JSON and map layers.

Works on the registry's graphs (current with every committed edit) and the
pure rankings of :mod:`twin.network.criticality`; the geometry of each
segment is the union of its stored lines, so a map can colour the network
by how much an outage there would cut.
"""

from __future__ import annotations

from twin.errors import InvalidInput, Problem
from twin.network.criticality import rank_sections, rank_segments
from twin.network.graph import SWITCHING_KINDS
from twin.network.places import edge_geometries
from twin.network.segments import device_segments

__all__ = ["RANKED_UTILITIES", "criticality", "criticality_geojson", "segments_report"]

RANKED_UTILITIES = ("water", "power")


def segments_report(model) -> dict:
    """Every valve segment: its pipes and nodes by code, length and bounding valves."""
    seg = model.segmentation
    return {
        "segments": [
            {
                "id": i,
                "pipes": edges,
                "nodes": nodes,
                "valves": sorted(seg.segment_devices[i]),
                "length_m": round(float(model.length_m[i]), 2),
                "customers": len(model.customers[i]),
            }
            for i, (nodes, edges) in enumerate(
                zip(seg.segment_nodes, seg.segment_edges, strict=True)
            )
        ],
        "valves": [d.to_dict() for d in sorted(seg.devices.values(), key=lambda d: d.code)],
    }


def criticality(registry, utility: str, *, top: int | None = None, on_progress=None):
    """``(graph, segmentation, ranked entries)`` of ``utility`` (water or power).

    ``on_progress(step, done, total)`` is told of the analysis: ``segmenting``
    (0 then 1 of 1), then ``ranking`` (groups of segments ranked).
    """
    tell = on_progress or (lambda step, done, total: None)
    if utility not in RANKED_UTILITIES:
        raise InvalidInput(
            "no criticality ranking for this network",
            [Problem("layer", "allowed_values", f"{utility!r} is not one of water, power")],
        )
    with registry.graphs([utility]) as graphs:
        G = graphs[utility]
        tell("segmenting", 0, 1)
        if utility == "water":
            model = registry.isolation_model()
            tell("segmenting", 1, 1)
            entries = rank_segments(G, model=model, top=top, on_progress=on_progress)
            return G, model.segmentation, entries
        seg = registry.derived(
            "power", "sections", lambda P: device_segments(P, device_kinds=SWITCHING_KINDS)
        )
        tell("segmenting", 1, 1)
        return G, seg, rank_sections(G, top=top, on_progress=on_progress)


def criticality_geojson(session, G, seg, entries) -> dict:
    """One feature per ranked group: the lines of its segments, with its figures."""
    edges_of = {
        i: [e for s in entry.segments for e in seg.segment_edges[s]]
        for i, entry in enumerate(entries)
    }
    shapes = edge_geometries(session, G, [e for edges in edges_of.values() for e in edges])
    features = []
    for rank, entry in enumerate(entries, start=1):
        lines = [shapes[e]["coordinates"] for e in edges_of[rank - 1] if e in shapes]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "MultiLineString", "coordinates": lines} if lines else None,
                "properties": {
                    "rank": rank,
                    "utility": G.graph["utility"],
                    **entry.to_dict(),
                    "edges": edges_of[rank - 1],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
