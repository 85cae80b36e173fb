"""The network's map layers: criticality ranking and topology problems as GeoJSON.

The use cases behind ``/outage/criticality.geojson`` and
``/outage/topology.geojson``: read the stored graph, run the analysis, give
the answer in WGS 84.
"""

from __future__ import annotations

from pathlib import Path

from twin.network.checks import dem_path, network_problems, problems_geojson
from twin.network.graph import UTILITIES
from twin.network.rankings import criticality, criticality_geojson
from twin.network.records import network_tables
from twin.network.registry import registry_for

__all__ = ["criticality_features", "table_utilities", "topology_features"]


def criticality_features(session, utility: str, *, top: int) -> dict:
    """The ``top`` most critical groups of segments of ``utility`` (water or power)."""
    G, seg, entries = criticality(registry_for(session), utility, top=top)
    return criticality_geojson(session, G, seg, entries)


def topology_features(session, utility: str, *, home: Path | str | None) -> dict:
    """Every topology problem of ``utility``'s stored network; ``home`` finds the elevation model."""
    with registry_for(session).graphs([utility]) as graphs:
        G = graphs[utility]
        problems = network_problems(session, G, dem=dem_path(session, home))
        return problems_geojson(G, problems)


def table_utilities() -> dict[str, str]:
    """Network feature table -> its utility."""
    return {t: u for u in UTILITIES for t in network_tables(u).all}
