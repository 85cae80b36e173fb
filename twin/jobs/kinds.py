"""The kinds of background job: one registration each.

A :class:`Kind` names the function that does the work and, optionally, the
one that tidies up when a job of the kind ends without finishing (failed,
cancelled, or interrupted by a restart) — a zoning check marks its run
failed, an import removes its upload.  The kinds of the twin's areas are
listed in :data:`KINDS` as ``module:attribute`` and loaded when present;
:func:`register` adds one more (a plugin, a test).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from twin.plugins import load_optional

__all__ = ["KINDS", "Kind", "kinds", "register"]


@dataclass(frozen=True)
class Kind:
    """What a job of kind ``name`` does.

    ``run(ctx)`` gets a :class:`twin.jobs.context.JobContext` and returns the
    job's result (plain JSON, or None); it reports progress through
    ``ctx.progress``, which raises :class:`~twin.jobs.context.JobCancelled`
    when the job was cancelled.  ``ended(ctx, error)`` is called once when
    the job ends without finishing, in whichever process notices.
    """

    name: str
    run: Callable
    ended: Callable | None = None


#: The twin's job kinds, as ``name: module:attribute``; adding a kind is one line.
KINDS = {
    "fiber_plan": "twin.fiber.jobs:PLAN",
    "zoning_check": "twin.zoning.jobs:CHECK",
    "file_import": "twin.io.upload_jobs:IMPORT",
    "water_run": "twin.simulation.jobs:RUN",
    "drainage_run": "twin.simulation.jobs:DRAINAGE",
    "power_run": "twin.simulation.power_jobs:RUN",
}

_registered: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add ``kind`` to those every runner of this process takes."""
    _registered[kind.name] = kind
    return kind


def kinds() -> dict[str, Kind]:
    """Every kind present in this build, by name."""
    found = {name: load_optional(path) for name, path in KINDS.items()}
    return {**{n: k for n, k in found.items() if k is not None}, **_registered}
