"""Pressure after closures, fast: one EPANET project kept open per network and hour.

:func:`~.pressure.pressure_groups` builds and runs a model for every
outage (seconds on a town of 15,000 junctions).  An :class:`OutageSolver`
writes the model once, opens it with the EPANET toolkit in this process
and keeps the solved steady state of the hour; an outage then only closes
its links, solves again from those flows (a few trials), reads the
customers' pressure and delivered demand, and opens the links again.

EPANET keeps closed links as very high resistances, so junctions the
closures cut from every source stay solvable; they are counted as cut off
from the graph of open links, as :func:`~.pressure.pressure_groups` does.
The toolkit is not re-entrant: one solve at a time per solver (a lock).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from twin.errors import InvalidInput, Problem

from .build import RunSettings, build_network
from .pressure import PressureGroups, asked_m3s, connected_part, fed_nodes, links_closed_by
from .records import WaterModel

__all__ = ["OutageSolver"]

# EPANET toolkit codes (epanet2_enums.h).
_EN_DEMAND, _EN_PRESSURE = 9, 11
_EN_INITSETTING, _EN_STATUS, _EN_SETTING = 5, 11, 12


class OutageSolver:
    """Customers cut off, low and fine after closures, at one time of day.

    Parameters
    ----------
    model
        The network as it normally is.
    at_s
        Time of day whose demands are solved, s after midnight.
    service_minimum_m, cut_off_share, minimum_head_m
        As for :func:`~.pressure.pressure_groups`: pressure below the first is
        ``low``; less than the share of the demand delivered is ``cut_off``;
        pressure-driven demand from ``minimum_head_m`` (none) to the service
        minimum (all).
    """

    def __init__(self, model: WaterModel, *, at_s: int, service_minimum_m: float,
                 cut_off_share: float, minimum_head_m: float = 0.0):
        self.model, self.at_s = model, at_s
        self.service_minimum_m, self.cut_off_share = service_minimum_m, cut_off_share
        self.asked = asked_m3s(model, at_s)
        self._graph = _open_graph(model)
        self._sources = [r.code for r in model.reservoirs] + [t.code for t in model.tanks]
        self._lock = threading.Lock()
        # What no open path joins to a source is cut off whatever closes, and
        # EPANET refuses a node no link reaches: the project holds the rest.
        running = connected_part(model, fed_nodes(model))
        self._folder = tempfile.mkdtemp(prefix="twin-outage-")
        try:
            self._en = _open(running, at_s, minimum_head_m, service_minimum_m, self._folder)
        except Exception:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        self._finalizer = weakref.finalize(self, _close, self._en, self._folder)
        inside = {j.code for j in running.junctions}
        self._links = {link.code for link in (*running.pipes, *running.pumps, *running.valves)}
        self._node = {c: self._en.ENgetnodeindex(c) for c in self.asked if c in inside}
        self._active = {v.code for v in model.valves if v.status == "active"}

    def close(self) -> None:
        """Close the EPANET project and remove its files (after a solve under way)."""
        with self._lock:
            self._finalizer()

    def groups(self, closed: Iterable[str]) -> PressureGroups:
        """The pressure groups once the assets ``closed`` are shut (links, or nodes
        whose every link closes)."""
        links = links_closed_by(self.model, closed)
        with self._lock:  # the graph and the project are changed and put back
            fed = self._fed(links) & self._node.keys()
            pressure, got = self._solve(links, [c for c in self.asked if c in fed])
        groups = PressureGroups(at_s=self.at_s, service_minimum_m=self.service_minimum_m)
        groups.cut_off = sorted(c for c in self.asked if c not in fed)
        for code in sorted(pressure):
            if got[code] / 1000.0 < self.cut_off_share * self.asked[code]:
                groups.cut_off.append(code)
            elif pressure[code] < self.service_minimum_m:
                groups.low.append(code)
            else:
                groups.fine.append(code)
        groups.cut_off.sort()
        return groups

    def _fed(self, links: set[str]) -> set[str]:
        G = self._graph
        removed = [(u, v, k) for u, v, k in G.edges(keys=True) if k in links]
        G.remove_edges_from(removed)
        try:
            fed: set[str] = set()
            for s in self._sources:
                if s in G and s not in fed:
                    fed |= nx.node_connected_component(G, s)
        finally:
            G.add_edges_from(removed)
        return fed

    def _solve(self, links: set[str], customers: list[str]):
        en = self._en
        restore = []
        for code in links & self._links:
            index = en.ENgetlinkindex(code)
            if en.ENgetlinkvalue(index, _EN_STATUS) == 0:
                continue  # closed already: nothing to undo
            setting = en.ENgetlinkvalue(index, _EN_INITSETTING) if code in self._active else None
            restore.append((index, setting))
            en.ENsetlinkvalue(index, _EN_STATUS, 0)
        try:
            en.ENrunH()
            pressure = {c: en.ENgetnodevalue(self._node[c], _EN_PRESSURE) for c in customers}
            got = {c: en.ENgetnodevalue(self._node[c], _EN_DEMAND) for c in customers}
        finally:
            for index, setting in restore:
                if setting is None:
                    en.ENsetlinkvalue(index, _EN_STATUS, 1)
                else:  # a control valve: active again at its setting
                    en.ENsetlinkvalue(index, _EN_SETTING, setting)
        return pressure, got


def _open_graph(model: WaterModel) -> nx.MultiGraph:
    G = nx.MultiGraph()
    G.add_nodes_from(j.code for j in model.junctions)
    G.add_nodes_from(r.code for r in model.reservoirs)
    G.add_nodes_from(t.code for t in model.tanks)
    G.add_edges_from((p.start, p.end, p.code) for p in model.pipes if not p.closed)
    G.add_edges_from((p.start, p.end, p.code) for p in model.pumps if not p.closed)
    G.add_edges_from((v.start, v.end, v.code) for v in model.valves if v.status != "closed")
    return G


def _open(model: WaterModel, at_s: int, minimum_head_m: float, required_head_m: float,
          folder: str):
    """The EPANET project of ``model`` at ``at_s``, solved once (the normal state)."""
    import wntr
    from wntr.epanet.toolkit import ENepanet

    settings = RunSettings(duration_s=0, pattern_start_s=at_s, pressure_driven=True,
                           minimum_head_m=minimum_head_m, required_head_m=required_head_m)
    inp = str(Path(folder) / "outage.inp")
    wntr.network.io.write_inpfile(build_network(model, settings), inp, units="LPS",
                                  version=2.2)
    en = ENepanet(version=2.2)
    try:
        en.ENopen(inp, str(Path(folder) / "outage.rpt"), str(Path(folder) / "outage.bin"))
        en.ENopenH()
        en.ENinitH(0)
        en.ENrunH()
    except Exception as exc:  # EPANET errors surface as several exception types
        raise InvalidInput(
            "EPANET could not run the water model",
            [Problem("model", "epanet_run", f"{type(exc).__name__}: {exc}")],
        ) from exc
    return en


def _close(en, folder: str) -> None:
    try:
        en.ENcloseH()
        en.ENclose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
