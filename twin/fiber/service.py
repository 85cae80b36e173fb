"""Run a plan against the twin: load, plan, write back, save the files.

The one sequence the CLI and the web page share.  Reading happens in one
connection, the write-back in one transaction, the files last.  Other areas
read the saved plans through here too (:func:`gap_costs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from twin.db.engine import session_scope
from twin.i18n import N_

from .commune_costs import GapCosts, commune_costs
from .costs import CostModel, load_costs
from .features import plan_features
from .load import load_inputs
from .plan import FiberPlan, PlanOptions, make_plan
from .store import check_plan_id, read_summary, read_villages, save_plan
from .writeback import write_plan

__all__ = ["PlanRun", "gap_costs", "run_plan"]

Progress = Callable[[str, int, int], object]
#: Share of the progress bar (out of 100) for loading, planning and writing.
_LOAD, _PLAN = 5, 85


@dataclass
class PlanRun:
    """A finished run: the plan, what was written to the twin, where the files are."""

    plan: FiberPlan
    written: dict[str, int]
    folder: Path


def run_plan(
    engine,
    home: str | Path,
    options: PlanOptions,
    *,
    plan_id: str,
    user: str | None,
    costs: CostModel | None = None,
    write: bool = True,
    progress: Progress | None = None,
) -> PlanRun:
    """Plan the rollout of the twin behind ``engine`` and store the result.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The twin.
    home : str or Path
        ``TWIN_HOME``: the plan's files go to ``home/fiber/<plan_id>/``.
    options : PlanOptions
        Horizon, budget, rings, time limit.
    plan_id : str
        Name of the plan; a new run replaces the assets and files of the last.
    user : str or None
        Author of the planned assets.
    costs : CostModel, optional
        Default: :func:`twin.fiber.costs.load_costs`.
    write : bool
        Write the planned assets to the twin.
    progress : callable, optional
        ``(message, done, total)`` with total 100.
    """
    check_plan_id(plan_id)
    say = progress or (lambda *a: None)
    say(N_("reading the twin"), 0, 100)
    with engine.connect() as conn:
        inputs = load_inputs(conn)
    plan = make_plan(
        inputs,
        costs or load_costs(),
        options,
        plan_id=plan_id,
        progress=lambda m, d, t: say(m, _LOAD + d * _PLAN // max(t, 1), 100),
    )
    say(N_("writing the planned assets"), _LOAD + _PLAN, 100)
    features = plan_features(plan)
    written = {}
    if write:
        with session_scope(engine) as session:
            written = write_plan(session, plan, user=user, features=features)
    say(N_("saving the files"), 97, 100)
    folder = save_plan(home, plan, features)
    say("done", 100, 100)
    return PlanRun(plan, written, folder)


def gap_costs(home: str | Path) -> GapCosts | None:
    """Cost of connecting each commune's villages under the newest saved plan.

    None when no plan has been saved under ``home`` (``TWIN_HOME``).  A plan
    whose villages table is missing (still being saved) is passed over.  The
    rule is :func:`twin.fiber.commune_costs.commune_costs`'s.  The newest plan
    is found from its files' times and its costs are computed once per saved
    version, not on every page that shows them.
    """
    root = Path(home) / "fiber"
    summaries = root.glob("*/summary.json") if root.is_dir() else []
    for summary in sorted(summaries, key=lambda path: -path.stat().st_mtime):
        villages = summary.parent / f"{summary.parent.name}_villages.csv"
        if villages.is_file():
            return _costs_of(summary.parent, summary.stat().st_mtime, villages.stat().st_mtime)
    return None


@lru_cache(maxsize=8)
def _costs_of(folder: Path, saved: float, _villages_saved: float) -> GapCosts:
    """The costs of the plan in ``folder`` as saved at these times (the cache key)."""
    home, plan_id = folder.parent.parent, folder.name
    return commune_costs(
        read_summary(home, plan_id),
        read_villages(home, plan_id),
        saved=datetime.fromtimestamp(saved, UTC),
    )
