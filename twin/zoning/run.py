"""One run of every plan check, and the planners' decisions carried across runs.

``check_plans`` runs the checks inside each plan, between neighbouring plans of
one level, of each plan against the higher-level plans it falls in, of assets
against each plan and of utility clearances; ``apply_decisions`` then marks the
findings a planner has already resolved or accepted, matched by fingerprint
(kind + involved ids + geometry rounded to 1 m), so a decision holds for as long
as its conflict is unchanged.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Sequence
from functools import partial

import shapely

from twin.i18n import N_, Message
from twin.zoning.assets import AssetTable, asset_table
from twin.zoning.checks_assets import check_assets_against_plan
from twin.zoning.checks_hierarchy import check_against_higher
from twin.zoning.checks_internal import check_plan_internal
from twin.zoning.checks_same_level import are_neighbours, check_same_level
from twin.zoning.clearances import ClearanceRules, check_clearances
from twin.zoning.codes import Compatibility, load_compatibility
from twin.zoning.layout import plan_layout
from twin.zoning.model import FINDING_KINDS, LEVEL_RANK, Asset, Decision, Finding, Plan
from twin.zoning.tolerances import Tolerances

__all__ = [
    "apply_decisions",
    "check_plans",
    "check_steps",
    "decide",
    "sort_findings",
    "stale_decisions",
]

_DEFAULT = Tolerances()
_KIND_ORDER = {kind: order for order, kind in enumerate(FINDING_KINDS)}


def _say(progress: Callable[[str], None] | None, message: Message) -> None:
    if progress is not None:
        progress(str(message))


def _higher_pairs(plans: Sequence[Plan], against: Sequence[Plan]):
    """(lower, higher) pairs of different levels whose planning areas overlap."""
    for lower, higher in itertools.product(plans, against):
        if LEVEL_RANK[higher.level] < LEVEL_RANK[lower.level] and shapely.intersects(
            plan_layout(lower).extent, plan_layout(higher).extent
        ):
            yield lower, higher


def check_steps(
    plans: Sequence[Plan],
    *,
    against: Sequence[Plan] | None = None,
    assets: Sequence[Asset] | AssetTable | None = None,
    existing_roads=None,
    tolerances: Tolerances = _DEFAULT,
    compatibility: Compatibility | None = None,
    clearance_rules: ClearanceRules | None = None,
) -> list[tuple[Message, Callable[[], list[Finding]]]]:
    """The steps of one run, as ``(message, step)`` pairs; ``step()`` gives findings.

    Messages are :class:`twin.i18n.Message`: English as text, and the
    planner page shows them in its reader's language.

    Knowing the steps before running them lets a caller show progress out of
    a known total.  The parameters are those of :func:`check_plans`; deciding
    which plans are neighbours costs the union of each plan's zones, which
    the steps then reuse.
    """
    compatibility = compatibility or load_compatibility()
    steps = _plan_steps(plans, plans if against is None else against, tolerances, compatibility)
    if assets is not None:
        steps += _asset_steps(plans, assets, existing_roads, tolerances, clearance_rules)
    return steps


def _plan_steps(plans: Sequence[Plan], against: Sequence[Plan], tolerances: Tolerances,
                compatibility: Compatibility) -> list[tuple[Message, Callable[[], list[Finding]]]]:
    """Each plan on its own, neighbours of one level together, each plan against
    the higher plans of ``against`` it lies in."""
    steps = [
        (
            Message(N_("checking plan %(plan)s"), {"plan": p.id}),
            partial(check_plan_internal, p, tolerances=tolerances),
        )
        for p in plans
    ]
    for plan_a, plan_b in itertools.combinations(plans, 2):
        if plan_a.level == plan_b.level and are_neighbours(plan_a, plan_b, tolerances=tolerances):
            steps.append(
                (
                    Message(
                        N_("checking neighbours %(plan)s and %(other)s"),
                        {"plan": plan_a.id, "other": plan_b.id},
                    ),
                    partial(
                        check_same_level,
                        plan_a,
                        plan_b,
                        tolerances=tolerances,
                        compatibility=compatibility,
                    ),
                )
            )
    for lower, higher in _higher_pairs(plans, against):
        steps.append(
            (
                Message(
                    N_("checking %(plan)s against %(higher)s"),
                    {"plan": lower.id, "higher": higher.id},
                ),
                partial(
                    check_against_higher,
                    lower,
                    higher,
                    tolerances=tolerances,
                    compatibility=compatibility,
                ),
            )
        )
    return steps


def _asset_steps(plans: Sequence[Plan], assets, existing_roads, tolerances: Tolerances,
                 clearance_rules: ClearanceRules | None
                 ) -> list[tuple[Message, Callable[[], list[Finding]]]]:
    """The assets against each plan, then the utilities' clearances to each other."""
    steps = []
    table = asset_table(assets)
    for plan in plans:
        steps.append(
            (
                Message(N_("checking assets against %(plan)s"), {"plan": plan.id}),
                partial(
                    check_assets_against_plan,
                    plan,
                    table,
                    existing_roads=existing_roads,
                    tolerances=tolerances,
                ),
            )
        )
    steps.append(
        (
            Message(N_("checking utility clearances")),
            partial(check_clearances, table, rules=clearance_rules, tolerances=tolerances),
        )
    )
    return steps


def check_plans(
    plans: Sequence[Plan],
    *,
    against: Sequence[Plan] | None = None,
    assets: Sequence[Asset] | AssetTable | None = None,
    existing_roads=None,
    tolerances: Tolerances = _DEFAULT,
    decisions: Iterable[Decision] = (),
    compatibility: Compatibility | None = None,
    clearance_rules: ClearanceRules | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Finding]:
    """Every finding for ``plans``, with the planners' earlier decisions applied.

    Parameters
    ----------
    plans : sequence of Plan
        The plans under check, in one metric CRS (m).  Neighbouring plans of the
        same level among them are checked against each other.
    against : sequence of Plan, optional
        Higher-level plans to check ``plans`` against; by default the plans of a
        higher level among ``plans`` themselves.  Pass the plans in force only
        (not superseded ones).
    assets : sequence of Asset or AssetTable, optional
        Existing and planned assets (a province-wide set is fine); without them
        the asset and clearance checks are skipped.
    existing_roads : sequence of polygons, optional
        Today's road land, so that trees on today's pavements are not counted
        as standing in a road widening.
    tolerances : Tolerances
        Thresholds (m, m²) of every check.
    decisions : iterable of Decision
        Earlier decisions, matched to the new findings by fingerprint.
    compatibility, clearance_rules : optional
        Replacements for the packaged tables.
    progress : callable, optional
        Called with a short message before each step (a CLI shows it).

    Returns
    -------
    list of Finding
        Sorted by kind, then plan, then fingerprint.
    """
    steps = check_steps(
        plans,
        against=against,
        assets=assets,
        existing_roads=existing_roads,
        tolerances=tolerances,
        compatibility=compatibility,
        clearance_rules=clearance_rules,
    )
    findings: list[Finding] = []
    for message, step in steps:
        _say(progress, message)
        findings += step()
    return sort_findings(apply_decisions(findings, decisions))


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by kind (in ``FINDING_KINDS`` order), then plans, then fingerprint."""
    return sorted(findings, key=lambda f: (_KIND_ORDER[f.kind], f.plan_ids, f.fingerprint))


def apply_decisions(findings: Iterable[Finding], decisions: Iterable[Decision]) -> list[Finding]:
    """The findings, with status and note taken from the decision of the same fingerprint."""
    by_fingerprint = {decision.fingerprint: decision for decision in decisions}
    result = []
    for finding in findings:
        decision = by_fingerprint.get(finding.fingerprint)
        if decision is not None:
            finding = dataclasses.replace(finding, status=decision.status, note=decision.note)
        result.append(finding)
    return result


def stale_decisions(findings: Iterable[Finding], decisions: Iterable[Decision]) -> list[Decision]:
    """Decisions whose conflict no longer appears unchanged (fixed, or edited since)."""
    current = {finding.fingerprint for finding in findings}
    return [decision for decision in decisions if decision.fingerprint not in current]


def decide(
    finding: Finding, status: str, note: str, *, by: str | None = None, at: str | None = None
) -> Decision:
    """A planner's decision to mark ``finding`` ``resolved`` or ``accepted``, with a note."""
    return Decision(
        fingerprint=finding.fingerprint, status=status, note=note, decided_by=by, decided_at=at
    )
