"""What the hydraulic model expects a field device to read: the ``model`` alarm rules' reference.

A pressure logger on a node is compared with the node's pressure, a flow
meter at a pump station or plant with the flow through it, both from the
latest stored water run (``twin simulate water``) at the same time of day
(Asia/Ho_Chi_Minh): runs start at midnight and report hour by hour, so a
reading at 07:40 meets the run's 07:00 state.  The results of one time are
read once and kept; which run is the latest is asked again every few
minutes, so a new run is picked up without restarting the ingest.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy.orm import Session

from twin import simulation

from .alarms import Rule
from .patterns import LOCAL
from .schema import Message

__all__ = ["ModelReference", "expected_reading"]

#: Seconds between two looks for a newer run.
RECHECK_S = 300.0


def expected_reading(rule: Rule, asset_code: str, results: dict) -> float | None:
    """The rule's ``quantity`` at ``asset_code`` in ``results`` (nodes and links by code,
    as :func:`twin.simulation.water_results` gives them) times the rule's ``scale``.

    ``flow_lps`` is the flow of the link of that code (a pump station), else
    the outflow of the node (a plant or tank feeds the network: EPANET gives
    its demand as negative); any other quantity is read from the node.

    >>> rule = Rule("m", "model", "t", "minor", ("flow_meter",),
    ...             {"quantity": "flow_lps", "scale": 3.6})
    >>> expected_reading(rule, "PLANT", {"nodes": {"PLANT": {"demand_lps": -10.0}}, "links": {}})
    36.0
    """
    d = rule.definition
    quantity, scale = d["quantity"], d.get("scale", 1.0)
    link = results.get("links", {}).get(asset_code)
    node = results.get("nodes", {}).get(asset_code)
    if quantity == "flow_lps":
        if link is not None and link.get("flow_lps") is not None:
            return link["flow_lps"] * scale
        if node is not None and node.get("demand_lps") is not None:
            return -node["demand_lps"] * scale
        return None
    if node is None or node.get(quantity) is None:
        return None
    return node[quantity] * scale


class ModelReference:
    """``reference(rule, message)``: the model's value for the message's asset, or None."""

    def __init__(self, engine, *, recheck_s: float = RECHECK_S):
        self.engine = engine
        self.recheck_s = recheck_s
        self._lock = threading.Lock()
        self._run: dict | None = None
        self._checked = -float("inf")
        self._results: dict[tuple[int, int], dict] = {}

    def _latest(self) -> dict | None:
        if time.monotonic() - self._checked >= self.recheck_s:
            with Session(self.engine) as session:
                latest = simulation.runs(session, limit=1)
            self._run = latest[0] if latest else None
            self._checked = time.monotonic()
        return self._run

    def _at(self, run: dict, at_s: int) -> dict:
        step = max(int(run["step_s"] or 3600), 1)
        at_s = min(at_s // step * step, int(run["duration_s"] or 0))
        key = (run["id"], at_s)
        if key not in self._results:
            with Session(self.engine) as session:
                self._results = {key: simulation.water_results(session, run["id"], at_s)}
        return self._results[key]

    def __call__(self, rule: Rule, m: Message) -> float | None:
        local = m.ts.astimezone(LOCAL)
        at_s = local.hour * 3600 + local.minute * 60 + local.second
        with self._lock:
            run = self._latest()
            if run is None:
                return None
            results = self._at(run, at_s)
        return expected_reading(rule, m.asset_code, results)
