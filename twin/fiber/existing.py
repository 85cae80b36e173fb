"""The existing fibre network as the plan's single root.

Every node reachable from a POP through existing cables is already
connected, and so is every village with an access node among them.  The
plan may branch off any connected POP, cabinet or access node (a short
lead-in from the road), and tap any connected cable with at least
``rule.tap_min_spare_fibers`` spare fibres at a new splice closure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from .inputs import Cable, NetworkNode

__all__ = ["ExistingNetwork", "existing_network"]


@dataclass
class ExistingNetwork:
    """Connected nodes, the villages they serve and the cables the plan may tap.

    ``served`` maps a village code to the code of its connected access node.
    """

    nodes: list[NetworkNode]
    served: dict[str, str]
    tap_cables: list[Cable]


def existing_network(
    nodes: Sequence[NetworkNode], cables: Sequence[Cable], *, min_spare_fibers: int
) -> ExistingNetwork:
    """What of the existing network is fed from a POP.

    Parameters
    ----------
    nodes : sequence of NetworkNode
        POPs, cabinets and access nodes in service.
    cables : sequence of Cable
        Cables in service, joined to nodes by asset id.
    min_spare_fibers : int
        Fewest spare fibres a cable needs to be tapped.
    """
    G = nx.Graph()
    G.add_nodes_from(n.id for n in nodes)
    for cable in cables:
        if cable.start_node in G and cable.end_node in G:
            G.add_edge(cable.start_node, cable.end_node)
    fed: set[int] = set()
    for node in nodes:
        if node.kind == "pop" and node.id not in fed:
            fed |= nx.node_connected_component(G, node.id)
    connected = [n for n in nodes if n.id in fed]
    served = {n.village: n.code for n in connected if n.kind == "access_node" and n.village}
    taps = [
        c
        for c in cables
        if c.start_node in fed and c.end_node in fed and c.spare_fibers >= min_spare_fibers
    ]
    return ExistingNetwork(connected, served, taps)
