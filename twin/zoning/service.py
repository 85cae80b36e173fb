"""One check of plans stored in the database: load, project, check, store.

The edge of the pure checks: plan versions and assets are read from PostGIS
and projected to the metric VN-2000 zone of the data, ``twin.zoning.run``
finds the conflicts, and the findings go back to the database with the
planners' earlier decisions carried over.  The CLI and the planner page both
call :func:`run_check` (the page in a background thread, in two steps, so the
run exists while it works).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from twin.crs import metric_crs_near
from twin.errors import InvalidInput, Problem
from twin.i18n import N_, Message
from twin.zoning import model, run_store, store, tables
from twin.zoning.asset_source import ASSET_SOURCES, load_assets, load_existing_roads
from twin.zoning.run import apply_decisions, check_steps, sort_findings

__all__ = ["CheckOutcome", "complete_check", "default_against", "run_check", "start_check"]

#: Margin (degrees, about 500 m) around the plans within which assets are read,
#: so that clearances along the plan edge are tested with both utilities.
ASSET_MARGIN_DEG = 0.005

Progress = Callable[[str, int, int], None]


@dataclass
class CheckOutcome:
    """What one run found: the run row, the findings (metric CRS) and step timings (s)."""

    run: tables.CheckRun
    findings: list[model.Finding]
    counts: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)


def _boxes_meet(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def default_against(session: Session, plans: Sequence[tables.Plan]) -> list[tables.Plan]:
    """Plans in force of a higher level than the lowest plan under check, around it."""
    if not plans:
        return []
    lowest = max(model.LEVEL_RANK[p.level] for p in plans)
    names = {p.name for p in plans}
    higher = [
        p
        for p in store.plans_in_force(session, exclude=names)
        if model.LEVEL_RANK[p.level] < lowest
    ]
    if not higher:
        return []
    box = _plans_bounds(session, [p.id for p in plans])
    extents = [(p, _extent(session, [p.id])) for p in higher]
    return [p for p, extent in extents if extent is not None and _boxes_meet(box, extent)]


def start_check(
    session: Session,
    plans: Sequence[tables.Plan],
    against: Sequence[tables.Plan] = (),
    *,
    with_assets: bool = True,
    user: str | None = None,
) -> tables.CheckRun:
    """Record a new run of ``plans`` (checked against ``against``) in state ``running``."""
    if not plans:
        raise InvalidInput(
            "Nothing to check", [Problem("plan", "required", "name at least one plan")]
        )
    return run_store.start_run(session, plans, against, with_assets=with_assets, user=user)


def _extent(session: Session, plan_ids: Sequence[int]):
    """WGS 84 box (west, south, east, north) of the plans' zones and lines; None if empty."""
    parts = [
        select(table.geom.label("geom")).where(table.plan_id.in_(plan_ids))
        for table in (tables.Zone, tables.RedLine, tables.Corridor)
    ]
    every = union_all(*parts).subquery()
    box = session.execute(
        select(
            func.ST_XMin(func.ST_Extent(every.c.geom)),
            func.ST_YMin(func.ST_Extent(every.c.geom)),
            func.ST_XMax(func.ST_Extent(every.c.geom)),
            func.ST_YMax(func.ST_Extent(every.c.geom)),
        )
    ).one()
    return None if box[0] is None else tuple(float(v) for v in box)


def _plans_bounds(session: Session, plan_ids: Sequence[int]):
    box = _extent(session, plan_ids)
    if box is None:
        raise InvalidInput(
            "The plans hold no features", [Problem("plan", "not_empty", "import zones first")]
        )
    return box


def _grown(bounds, margin: float):
    west, south, east, north = bounds
    return (west - margin, south - margin, east + margin, north + margin)


class _Clock:
    """Step timings and progress out of a known total."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done = progress, total, 0
        self.timings: dict[str, float] = {}
        self._label, self._start = None, time.perf_counter()

    def step(self, label: Message) -> None:
        self._stop()
        self._label, self._start = str(label), time.perf_counter()
        if self.progress is not None:
            self.progress(label, self.done, self.total)
        self.done += 1

    def _stop(self) -> None:
        if self._label is not None:
            elapsed = time.perf_counter() - self._start
            self.timings[self._label] = round(self.timings.get(self._label, 0.0) + elapsed, 3)

    def finish(self) -> dict[str, float]:
        self._stop()
        self._label = None
        if self.progress is not None:
            self.progress("done", self.total, self.total)
        return self.timings


@dataclass
class _Inputs:
    """What one run checks, loaded and projected to the metric ``crs``."""

    rows: list[tables.Plan]
    higher: list[tables.Plan]
    crs: object
    plans: list[model.Plan]
    against: list[model.Plan]
    assets: object = None
    roads: list | None = None


def _load_inputs(session: Session, run: tables.CheckRun, clock: _Clock) -> _Inputs:
    rows = [store.plan_row(session, plan_id) for plan_id in run.plan_ids]
    higher = [store.plan_row(session, plan_id) for plan_id in run.against_ids]
    clock.step(Message(N_("loading plans")))
    crs = metric_crs_near(_plans_bounds(session, [p.id for p in (*rows, *higher)]))
    inputs = _Inputs(
        rows,
        higher,
        crs,
        store.load_plans(session, rows, crs),
        store.load_plans(session, higher, crs),
    )
    if run.with_assets:
        near = _grown(_plans_bounds(session, [p.id for p in rows]), ASSET_MARGIN_DEG)
        inputs.assets = load_assets(
            session,
            crs,
            bounds=near,
            progress=lambda table: clock.step(Message(N_("loading %(table)s"), {"table": table})),
        )
        clock.step(Message(N_("loading today's roads")))
        inputs.roads = load_existing_roads(session, crs, bounds=near)
    return inputs


def _store(session: Session, run: tables.CheckRun, inputs: _Inputs, found, clock: _Clock):
    fingerprints = {f.fingerprint for f in found}
    decisions = run_store.latest_decisions(session, fingerprints)
    findings = sort_findings(apply_decisions(found, decisions))
    run_store.store_findings(
        session,
        run,
        findings,
        crs=inputs.crs,
        plan_ids={p.name: p.id for p in (*inputs.rows, *inputs.higher)},
        decisions=decisions,
    )
    stale = run_store.stale_decision_count(
        session, [p.name for p in inputs.rows], fingerprints, with_assets=run.with_assets
    )
    counts = run_store.kind_counts(findings)
    run_store.finish_run(
        session,
        run,
        asset_count=None if inputs.assets is None else len(inputs.assets),
        crs=inputs.crs.name,
        counts=counts,
        kept_decisions=len(decisions),
        stale_decisions=stale,
        timings=clock.finish(),
    )
    return CheckOutcome(run, findings, counts, run.timings)


def complete_check(
    session: Session, run: tables.CheckRun, *, progress: Progress | None = None
) -> CheckOutcome:
    """Load, check and store the findings of a started ``run``; marks it done.

    ``progress(message, done, total)`` is called before each step.
    """
    loads = 3 + (len(ASSET_SOURCES) + 1 if run.with_assets else 0)
    clock = _Clock(progress, loads + 2 * len(run.plan_ids) + 2)
    inputs = _load_inputs(session, run, clock)
    clock.step(Message(N_("preparing the checks")))
    steps = check_steps(
        inputs.plans,
        against=[*inputs.plans, *inputs.against],
        assets=inputs.assets,
        existing_roads=inputs.roads,
    )
    clock.total = clock.done + len(steps) + 1
    found: list[model.Finding] = []
    for message, step in steps:
        clock.step(message)
        found += step()
    clock.step(Message(N_("storing findings")))
    return _store(session, run, inputs, found, clock)


def run_check(
    session: Session,
    plans: Sequence[tables.Plan],
    against: Sequence[tables.Plan] | None = None,
    *,
    with_assets: bool = True,
    user: str | None = None,
    progress: Progress | None = None,
) -> CheckOutcome:
    """Check ``plans`` (against ``against``, by default :func:`default_against`) and store it.

    Parameters
    ----------
    session : Session
        The caller commits.
    plans : sequence of planning.plan rows
        The plan versions under check; neighbours of one level among them are
        checked against each other, and lower ones against higher ones.
    against : sequence of planning.plan rows, optional
        Higher-level plans to check against besides those among ``plans``.
    with_assets : bool
        Also check the existing and planned assets near the plans, and their
        clearances.
    user : str, optional
        Who runs the check.
    progress : callable, optional
        ``progress(message, done, total)`` before each step.
    """
    against = default_against(session, plans) if against is None else against
    run = start_check(session, plans, against, with_assets=with_assets, user=user)
    return complete_check(session, run, progress=progress)
