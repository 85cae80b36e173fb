"""One fibre plan from start to end: graph, design, rollout, rings, bill.

:func:`make_plan` runs the pure steps on :class:`~twin.fiber.inputs.PlanInputs`
and reports progress as ``(message, done, total)``; the CLI shows it with
tqdm and the web page polls it.  Loading from and writing to the twin happen
outside (:mod:`twin.fiber.load`, :mod:`twin.fiber.writeback`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from twin.i18n import N_

from .budget import budget_to_reach
from .certified import certify_phases
from .costs import CostModel
from .design import Design, design_network
from .inputs import PlanInputs
from .phasing import Rollout, links_of, plan_rollout
from .plan_graph import plan_graph
from .quantities import BillLine, bill_of_quantities, phase_parts, ring_bill
from .redundancy import RingPath, second_paths

__all__ = ["STEPS", "FiberPlan", "PlanOptions", "make_plan"]

Progress = Callable[[str, int, int], object]
#: Progress units: the Steiner search counts for most of the work.
STEPS = {"graph": 10, "design": 60, "rollout": 15, "rings": 10, "bill": 5}


@dataclass(frozen=True)
class PlanOptions:
    """How to plan.

    ``budget_per_year_vnd`` None means: the smallest budget that meets both
    targets by ``years``.  ``redundant_above`` (households) None means no
    rings.  ``time_limit_s`` bounds the Steiner search, seconds.
    """

    years: int = 5
    budget_per_year_vnd: float | None = None
    redundant_above: int | None = None
    household_target_share: float = 0.8
    time_limit_s: float | None = 30.0
    seed: int = 0
    carry_over: bool = True


@dataclass
class FiberPlan:
    """A complete plan: design, rollout, rings and bills (VND)."""

    plan_id: str
    crs: str
    options: PlanOptions
    costs: CostModel
    design: Design
    rollout: Rollout
    bill: list[BillLine]
    phase_bills: dict[int, list[BillLine]]
    rings: list[RingPath] = field(default_factory=list)
    ring_bill: list[BillLine] = field(default_factory=list)
    budget_needed_vnd: float | None = None
    seconds: dict[str, float] = field(default_factory=dict)


class _Meter:
    """Turns step names into ``progress(message, done, 100)`` calls."""

    def __init__(self, progress: Progress | None):
        self.progress = progress or (lambda *a: None)
        self.done = 0
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str, message: str, *, expected_s: float | None = None):
        start, stop = time.perf_counter(), threading.Event()
        self.progress(message, self.done, 100)
        ticker = None
        if expected_s:
            ticker = threading.Thread(
                target=self._tick, args=(name, message, expected_s, stop), daemon=True
            )
            ticker.start()
        try:
            yield
        finally:
            stop.set()
            if ticker is not None:
                ticker.join()
            self.seconds[name] = time.perf_counter() - start
            self.done += STEPS[name]
            self.progress(message, self.done, 100)

    def _tick(self, name: str, message: str, expected_s: float, stop: threading.Event) -> None:
        start = time.perf_counter()
        while not stop.wait(0.5):
            share = min((time.perf_counter() - start) / expected_s, 0.95)
            self.progress(message, self.done + int(STEPS[name] * share), 100)


def make_plan(
    inputs: PlanInputs,
    costs: CostModel,
    options: PlanOptions = PlanOptions(),
    *,
    plan_id: str = "fiber-plan",
    progress: Progress | None = None,
) -> FiberPlan:
    """Design the network, phase it, add rings and price everything.

    Parameters
    ----------
    inputs : PlanInputs
        Roads, villages, buildings, network, in metres.
    costs : CostModel
        Prices and rules.
    options : PlanOptions
        Horizon, budget, rings, search time.
    plan_id : str
        Name the plan's assets carry (``extra.fiber_plan``).
    progress : callable, optional
        Called with ``(message, done, total)`` as the steps advance.
    """
    meter = _Meter(progress)
    with meter.step("graph", N_("building the trench graph")):
        graph = plan_graph(inputs, costs)
    with meter.step("design", N_("solving the Steiner tree"), expected_s=options.time_limit_s):
        design = design_network(graph, costs, time_limit=options.time_limit_s, seed=options.seed)
    with meter.step("rollout", N_("phasing the rollout")):
        rollout, needed = _phased(design, options)
    rings = []
    with meter.step("rings", N_("finding second paths")):
        if options.redundant_above is not None:
            rings = second_paths(design, costs, min_households=options.redundant_above)
    with meter.step("bill", N_("pricing")):
        bill, phases, rings_priced = _priced(design, rollout, rings, costs)
    return FiberPlan(
        plan_id, inputs.crs, options, costs, design, rollout, bill, phases, rings, rings_priced,
        needed, meter.seconds,
    )


def _phased(design: Design, options: PlanOptions) -> tuple[Rollout, float | None]:
    """The rollout by year within the budget (given, or the one that reaches the
    household target), each phase certified; and that budget (``None``: out of reach)."""
    needed = budget_to_reach(
        design,
        years=options.years,
        carry_over=options.carry_over,
        household_target_share=options.household_target_share,
    )
    budget = options.budget_per_year_vnd
    if budget is None:
        budget = needed if needed is not None else design.total_cost_vnd / options.years
    rollout = plan_rollout(
        design,
        budget_per_year_vnd=budget,
        years=options.years,
        household_target_share=options.household_target_share,
        carry_over=options.carry_over,
        links=links_of(design),
    )
    certify_phases(design, rollout, time_limit=options.time_limit_s)
    return rollout, needed


def _priced(design: Design, rollout: Rollout, rings: list[RingPath], costs: CostModel):
    """The bill of the whole network, one per phase's year, and the rings' lines."""
    bill = bill_of_quantities(*phase_parts(design, rollout), costs)
    phases = {
        p.year: bill_of_quantities(*phase_parts(design, rollout, p.year), costs)
        for p in rollout.phases
    }
    return bill, phases, ring_bill(design, rings, costs) if rings else []
