"""Cascade of a power outage into the utilities that need electricity.

Pump stations and treatment plants (water, drainage), telecom cabinets and
lighting cabinets are power customers.  When their supplying power
customer goes dark they stop: a stopped water pump station or treatment
plant no longer supplies (and no water passes a stopped pump), so the
parts it alone fed lose water; telecom and lighting lose what the stopped
cabinets fed; a stopped drainage pump station backs up everything draining
to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from twin.errors import InvalidInput, Problem
from twin.network.algorithms.supply import SupplyTree, supply_lost, supply_tree
from twin.network.drainage import flow_graph
from twin.network.impact import CustomerImpact, customer_impact
from twin.network.walk import passable, reach

__all__ = ["CascadeReport", "CascadeStage", "cascade", "cascade_stages"]

ORDER = ("power", "water", "drainage", "telecom", "lighting")


@dataclass
class CascadeStage:
    """One utility's part: ``stopped`` assets and the ``lost`` nodes."""

    utility: str
    stopped: list[str]
    lost_nodes: list[str]
    customers: CustomerImpact = field(default_factory=CustomerImpact)

    def to_dict(self) -> dict:
        return dict(self.__dict__, customers=self.customers.to_dict())


@dataclass
class CascadeReport:
    """Stages in order: power first, then each utility it stopped."""

    stages: list[CascadeStage]

    def to_dict(self) -> dict:
        return {"stages": [s.to_dict() for s in self.stages]}


def _owner(graphs: Mapping, code: str) -> str:
    owners = [u for u, G in graphs.items() if u != "power" and code in G]
    if len(owners) != 1:
        rule = "unknown_asset" if not owners else "ambiguous_asset"
        raise InvalidInput(
            "bad power dependency",
            [
                Problem(
                    "dependencies",
                    rule,
                    f"asset {code!r} is in {len(owners)} of the networks {sorted(graphs)}",
                )
            ],
        )
    return owners[0]


def _lost(utility: str, G, stopped: list[str], supplied: SupplyTree | None) -> set[str]:
    if utility == "drainage":
        F = flow_graph(G)
        rules = passable(barriers=stopped)
        backed_up = set()
        for station in stopped:
            backed_up |= reach(F, [station], rules, direction="backward").nodes
        return backed_up
    return supply_lost(G, supplied or supply_tree(G), stopped)


def cascade(
    graphs: Mapping[str, object],
    dependencies: Mapping[str, str],
    *,
    power_failed: Iterable[str] = (),
    power_dark: Iterable[str] | None = None,
    supplied: Mapping[str, SupplyTree] | None = None,
) -> CascadeReport:
    """Propagate a power outage into water, drainage, telecom and lighting.

    Parameters
    ----------
    graphs : mapping
        Utility name → graph (``"power"`` required).
    dependencies : mapping
        Asset code in another utility → code of the power customer node
        supplying it.
    power_failed : iterable of str, keyword-only
        Failed power assets; the dark part is what loses every path to a
        substation (use ``power_dark`` for a staged view from
        :func:`twin.network.power.power_outage`).
    power_dark : iterable of str, optional, keyword-only
        Power nodes already known to be dark, instead of ``power_failed``.
    supplied : mapping, optional, keyword-only
        Utility → :func:`~twin.network.algorithms.supply.supply_tree` of its
        graph, kept by the caller between analyses; made here for the
        utilities it lacks.

    Returns
    -------
    CascadeReport
    """
    return _cascade(graphs, dependencies, power_failed, power_dark, supplied or {}, {})


def cascade_stages(
    graphs: Mapping[str, object],
    dependencies: Mapping[str, str],
    *,
    power_failed: Iterable[str],
    stages: Mapping[str, Iterable[str]],
    supplied: Mapping[str, SupplyTree] | None = None,
) -> dict[str, CascadeReport]:
    """The cascade at several stages of one fault: stage name -> power nodes
    dark then (e.g. at the trip, until repair) -> its :class:`CascadeReport`.

    A network stopped the same way at two stages is walked once (the water
    behind a city's pump stations is most of the work).  Other arguments as
    :func:`cascade`.
    """
    known: dict = {}
    return {
        name: _cascade(graphs, dependencies, power_failed, dark, supplied or {}, known)
        for name, dark in stages.items()
    }


def _cascade(graphs, dependencies, power_failed, power_dark, supplied, known) -> CascadeReport:
    P = graphs["power"]
    if power_dark is None:
        power_dark = supply_lost(P, supplied.get("power") or supply_tree(P), set(power_failed))
    dark = set(power_dark)
    stages = [
        CascadeStage(
            "power", sorted(set(power_failed)), sorted(dark), customer_impact(P, sorted(dark))
        )
    ]
    stopped: dict[str, list[str]] = {}
    for asset, customer in sorted(dependencies.items()):
        if customer in dark:
            stopped.setdefault(_owner(graphs, asset), []).append(asset)
    for utility in ORDER[1:]:
        if utility not in stopped:
            continue
        key = (utility, tuple(stopped[utility]))
        if key not in known:
            G = graphs[utility]
            lost = sorted(_lost(utility, G, stopped[utility], supplied.get(utility)))
            known[key] = (lost, customer_impact(G, lost))
        lost, impact = known[key]
        stages.append(CascadeStage(utility, stopped[utility], list(lost), impact))
    return CascadeReport(stages)
