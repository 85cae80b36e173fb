"""What an outage report draws: every feature by role, or a light highlight.

:func:`full_map` is the report's complete GeoJSON (the CLI's ``--json``, the
printed work order); :func:`highlight` is what the crew's page draws: the
features of a small layer one by one with their stored geometry and code,
a large layer (a feeder's lines and customers) merged from the graph (see
:mod:`twin.network.highlight`).
"""

from __future__ import annotations

from collections.abc import Mapping

from twin.network.highlight import merged_lines, multipoint
from twin.network.outage import Layer, Outcome
from twin.network.places import edge_geometries, lonlat

__all__ = ["HIGHLIGHT_EACH", "MAP_LIMIT", "all_layers", "full_map", "highlight"]

#: Features drawn per map role; the report says how many more there were.
MAP_LIMIT = 5000
#: Layers of up to this many features are highlighted one feature at a time.
HIGHLIGHT_EACH = 300


def all_layers(graphs, outcome: Outcome) -> list[Layer]:
    """The failed assets' layers, then the outcome's own."""
    G = graphs[outcome.utility]
    lookup = G.graph.get("edges_by_code", {})
    return [
        Layer("failed", outcome.utility, "edge", [c for c in outcome.assets if c in lookup]),
        Layer("failed", outcome.utility, "node", [c for c in outcome.assets if c in G]),
        *outcome.layers,
    ]


def _node_properties(attrs: Mapping) -> dict:
    keys = ("kind", "name", "customers", "households", "critical", "category", "normal_state")
    return {k: attrs[k] for k in keys if attrs.get(k) is not None}


def _feature(geometry, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _each(session, G, layer: Layer, codes: list[str], out_before: set[str] | None) -> list[dict]:
    """One feature per code, with its stored geometry (edges) or position (nodes)."""
    base = {"role": layer.role, "utility": layer.utility}
    if layer.kind == "edge":
        shapes = edge_geometries(session, G, codes)
        return [_feature(shapes[c], **base, code=c) for c in codes if c in shapes]
    places = lonlat(G, codes)
    features = []
    for code in codes:
        if code in places:
            props = {**base, "code": code, **_node_properties(G.nodes[code])}
            if layer.role == "customer" and out_before is not None:
                props["already_out"] = code in out_before
            features.append(_feature({"type": "Point", "coordinates": places[code]}, **props))
    return features


def full_map(session, graphs, outcome: Outcome, out_before: set[str]) -> dict:
    """GeoJSON features by role, and ``[lon, lat]`` of every node drawn."""
    features, locations, truncated = [], {}, {}
    for layer in all_layers(graphs, outcome):
        G = graphs[layer.utility]
        codes = layer.codes[:MAP_LIMIT]
        if len(layer.codes) > MAP_LIMIT:
            truncated[f"{layer.utility}:{layer.role}"] = len(layer.codes) - MAP_LIMIT
        if layer.kind == "node":
            locations.update(lonlat(G, codes))
        features += _each(session, G, layer, codes, out_before)
    return {
        "locations": locations,
        "map": {"type": "FeatureCollection", "features": features},
        "map_truncated": truncated,
    }


_MERGED = {"edge": ("MultiLineString", merged_lines), "node": ("MultiPoint", multipoint)}


def highlight(session, graphs, outcome: Outcome) -> dict:
    """The light GeoJSON of the outage: small layers feature by feature, large ones merged.

    A merged feature has no geometry nor ``code`` but ``count`` (features in
    it) and ``encoded``: ``{"type": "MultiLineString" or "MultiPoint",
    "polylines": [...]}``, encoded polylines (see
    :func:`twin.network.highlight.encode_polyline`) the page decodes.
    """
    features = []
    layers = all_layers(graphs, outcome)
    for layer in layers:
        if not layer.codes:
            continue
        G = graphs[layer.utility]
        if len(layer.codes) <= HIGHLIGHT_EACH:
            features += _each(session, G, layer, layer.codes, None)
            continue
        # A line also drawn in another role of its utility (a faulted section
        # inside the dark area) is drawn there only.
        elsewhere = {
            c
            for other in layers
            if other is not layer and (other.utility, other.kind) == (layer.utility, layer.kind)
            for c in other.codes
        }
        kind, merge = _MERGED[layer.kind]
        polylines = merge(G, [c for c in layer.codes if c not in elsewhere])
        if polylines:
            features.append(
                _feature(
                    None,
                    role=layer.role,
                    utility=layer.utility,
                    count=len(layer.codes),
                    encoded={"type": kind, "polylines": polylines},
                )
            )
    return {"type": "FeatureCollection", "features": features}
