"""Network topology and outage impact of the utility networks.

Pure algorithms on networkx graphs that follow the conventions of
:mod:`twin.network.graph`; loaders and adapters build those graphs from
PostGIS rows, EPANET, SWMM or pandapower models.

This module is the area's public face: ``webmap`` uses only what it exports.
The names load on first use, so importing a pure module of the area
(``twin.network.graph``, ``isolation`` …) does not pull in the database side,
and the service, which asks ``twin.simulation``, is not imported while
``twin.simulation`` is itself being imported.
"""

from __future__ import annotations

import importlib

#: Exported name -> the module of the area that defines it.
_FACE = {
    "UTILITIES": "graph",
    "RANKED_UTILITIES": "rankings",
    "criticality_features": "map_layers",
    "table_utilities": "map_layers",
    "topology_features": "map_layers",
    "network_extent": "places",
    "network_features": "places",
    "analyse_outage": "service",
    "outage_highlight": "service",
    "outage_list": "service",
    "outage_simulated": "service",
    "workorder_csv": "workorder",
}
#: Exported name -> (module, its name there), where that name is also a module's
#: (``twin.network.outage_summary``), which the package attribute would be.
_RENAMED = {"summarise_outage": ("service", "outage_summary")}

__all__ = sorted([*_FACE, *_RENAMED])


def __getattr__(name: str):
    if name in _FACE:
        module, there = _FACE[name], name
    elif name in _RENAMED:
        module, there = _RENAMED[name]
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), there)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
