"""Fire flow: what each hydrant gives with its pressure held at the minimum residual.

Each hydrant gets a fixed-head node ``residual_m`` above it, joined by a
short wide pipe that stays closed except while that hydrant is tested: the
flow into it is the flow the network delivers at the residual pressure,
with every other demand as it is at that hour.  One model is written once
and solved once per hydrant through the EPANET toolkit, opening one pipe at
a time and starting each solve from the flows of the one before (EPANET
solves again at the same time without starting over), so a town's hydrants
take a few iterations each, not a model build each.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .build import RunSettings, build_network
from .records import Pipe, Reservoir, WaterModel

__all__ = ["FireFlow", "fire_flows"]

_EN_FLOW, _EN_STATUS = 8, 11
_SUFFIX = ":fire"


@dataclass(frozen=True)
class FireFlow:
    """Flow a hydrant gives at the residual pressure, L/s (0 when even that pressure
    is not there without drawing any), against the requirement."""

    code: str
    available_lps: float
    required_lps: float

    @property
    def meets(self) -> bool:
        return self.available_lps >= self.required_lps


def _with_fire_nodes(model: WaterModel, hydrants: list[str], residual_m: float) -> WaterModel:
    height = {j.code: j.elevation_m for j in model.junctions}
    reservoirs = [Reservoir(h + _SUFFIX, height[h] + residual_m) for h in hydrants]
    pipes = [Pipe(h + _SUFFIX, h, h + _SUFFIX, 1.0, 1.0, 150.0, closed=True) for h in hydrants]
    return dataclasses.replace(
        model, reservoirs=[*model.reservoirs, *reservoirs], pipes=[*model.pipes, *pipes]
    )


def fire_flows(
    model: WaterModel,
    hydrants: Iterable[str],
    *,
    residual_m: float,
    required_lps: float,
    at_s: int = 0,
) -> list[FireFlow]:
    """Fire flow of each hydrant (a junction code of ``model``) at ``at_s``."""
    import wntr
    from wntr.epanet.toolkit import ENepanet

    known = {j.code for j in model.junctions}
    hydrants = [h for h in hydrants if h in known]
    tested = _with_fire_nodes(model, hydrants, residual_m)
    wn = build_network(tested, RunSettings(duration_s=0, pattern_start_s=at_s))
    out = []
    with tempfile.TemporaryDirectory(prefix="twin-fire-") as folder:
        inp = str(Path(folder) / "fire.inp")
        wntr.network.io.write_inpfile(wn, inp, units="LPS", version=2.2)
        en = ENepanet(version=2.2)
        en.ENopen(inp, str(Path(folder) / "fire.rpt"), str(Path(folder) / "fire.bin"))
        try:
            en.ENopenH()
            en.ENinitH(0)
            en.ENrunH()  # the state without fire: every test starts from its flows
            for h in hydrants:
                link = en.ENgetlinkindex(h + _SUFFIX)
                en.ENsetlinkvalue(link, _EN_STATUS, 1)
                en.ENrunH()
                flow = max(en.ENgetlinkvalue(link, _EN_FLOW), 0.0)
                en.ENsetlinkvalue(link, _EN_STATUS, 0)
                out.append(FireFlow(h, round(flow, 2), required_lps))
            en.ENcloseH()
        finally:
            en.ENclose()
    return out
