"""Plain-text tables of a plan: bill of quantities, phases, order, targets.

Money is shown in millions of VND (``M VND``) to keep the columns readable.
"""

from __future__ import annotations

from collections.abc import Sequence

from .phasing import Rollout
from .plan import FiberPlan
from .quantities import BillLine

__all__ = [
    "bill_table",
    "gap_text",
    "order_table",
    "phase_table",
    "plan_report",
    "targets_text",
]

_M = 1e6


def _table(header: Sequence[str], rows: Sequence[Sequence], align: str) -> list[str]:
    cells = [list(map(str, header))] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def fmt(row):
        return "  ".join(
            c.ljust(w) if a == "l" else c.rjust(w)
            for c, w, a in zip(row, widths, align, strict=True)
        ).rstrip()

    return [fmt(cells[0]), "  ".join("-" * w for w in widths), *map(fmt, cells[1:])]


def _num(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def bill_table(lines: Sequence[BillLine], title: str = "Bill of quantities") -> list[str]:
    rows = [
        (
            line.item,
            _num(line.quantity, 1 if line.unit.startswith("m") else 0),
            line.unit,
            _num(line.rate_vnd),
            _num(line.cost_vnd / _M, 1),
        )
        for line in lines
    ]
    total = sum(line.cost_vnd for line in lines)
    out = [title, *_table(("item", "quantity", "unit", "rate VND", "cost M VND"), rows, "lrlrr")]
    return [*out, f"total: {_num(total / _M, 1)} M VND ({_num(total)} VND)"]


def phase_table(rollout: Rollout, *, horizon: int | None = None) -> list[str]:
    rows = []
    for p in rollout.phases:
        ratio = p.households_added / p.spent_vnd * _M if p.spent_vnd else 0.0
        mark = "*" if horizon is not None and p.year == horizon else ""
        rows.append(
            (
                f"{p.year}{mark}",
                _num(p.budget_vnd / _M),
                _num(p.spent_vnd / _M),
                p.villages_added,
                _num(p.households_added),
                f"{p.villages_connected} ({p.village_share:.1%})",
                f"{_num(p.households_covered)} ({p.household_share:.1%})",
                f"{ratio:.3f}",
                "" if p.gap_pct is None else f"{p.gap_pct:.2f}",
            )
        )
    header = (
        "year",
        "available M VND",
        "spent M VND",
        "villages +",
        "households +",
        "villages connected",
        "households covered",
        "hh per M VND",
        "gap %",
    )
    title = "Phases (coverage at the end of each year"
    title += f"; * = horizon year {horizon}" if horizon else ""
    title += "; gap: certified, see below)"
    return [title, *_table(header, rows, "lrrrrrrrr")]


def gap_text(plan: FiberPlan) -> list[str]:
    """The certified gap of the whole design and what it means."""
    stats = plan.design.stats
    gap, bound = stats.get("solver_gap_pct"), stats.get("solver_lower_bound")
    if gap is None or bound is None:
        return []
    return [
        f"Certified gap: this plan costs at most {gap:.2f} % more than the cheapest network "
        "joining the same villages over the same roads",
        f"  (routes {_num(stats.get('solver_cost_vnd', 0.0) / _M, 1)} M VND, no network "
        f"joining them costs less than {_num(bound / _M, 1)} M VND; "
        "each phase's gap is that of the network built by the end of its year)",
    ]


def order_table(rollout: Rollout, names: dict[str, str], *, limit: int | None = None) -> list[str]:
    """The extensions in build order with their households per million VND."""
    rows = []
    for e in rollout.extensions[:limit]:
        label = ", ".join(f"{names.get(c, c)} ({c})" for c in e.villages[:3])
        if len(e.villages) > 3:
            label += f" and {len(e.villages) - 3} more"
        rows.append(
            (
                e.order,
                e.year,
                label,
                _num(e.households),
                _num(e.cost_vnd / _M, 1),
                f"{e.households_per_million_vnd:.3f}",
                "branch" if e.whole_branch else "path",
            )
        )
    header = ("#", "year", "villages", "households", "cost M VND", "hh per M VND", "kind")
    out = [
        "Build order (each step: the affordable extension with the most households per VND)",
        *_table(header, rows, "rrlrrrl"),
    ]
    if limit is not None and len(rollout.extensions) > limit:
        out.append(f"... {len(rollout.extensions) - limit} more steps")
    return out


def targets_text(plan: FiberPlan) -> list[str]:
    r, years = plan.rollout, plan.options.years
    share = f"{r.household_target_share:.0%}"

    def when(year):
        if year is None:
            return "not reached"
        return "already met" if year == 0 else f"year {year}"

    out = [
        f"100% of villages: {when(r.year_all_villages)}",
        f"{share} of households: {when(r.year_households_target)}",
        f"annual budget: {_num(r.budget_per_year_vnd / _M, 1)} M VND",
    ]
    if plan.budget_needed_vnd is None:
        out.append(
            f"budget to meet both targets by year {years}: none suffices "
            "(a village cannot be reached)"
        )
    else:
        out.append(
            f"budget to meet both targets by year {years}: "
            f"{_num(plan.budget_needed_vnd / _M, 1)} M VND per year"
        )
    return out


def _rings_text(plan: FiberPlan) -> list[str]:
    if plan.options.redundant_above is None:
        return []
    ok = [r for r in plan.rings if r.feasible]
    out = [
        f"Rings for villages of {plan.options.redundant_above} households or more: "
        f"{len(ok)} of {len(plan.rings)} found"
    ]
    out += [f"  no disjoint second path for {r.village}" for r in plan.rings if not r.feasible]
    if plan.ring_bill:
        out += bill_table(plan.ring_bill, "Bill of quantities of the rings (priced separately)")
    return out


def plan_report(plan: FiberPlan, *, order_limit: int | None = 30) -> str:
    """The whole plan as text: villages, bill, phases, order, targets, rings."""
    villages = plan.design.villages
    count = {
        s: sum(v.status == s for v in villages) for s in ("connected", "planned", "unreachable")
    }
    names = {v.code: v.name for v in villages}
    lines = [
        f"Fibre plan {plan.plan_id}: {len(villages)} villages, "
        f"{sum(v.households for v in villages):,} households",
        f"  connected today {count['connected']}, to connect {count['planned']}, "
        f"unreachable {count['unreachable']}",
        "",
        *bill_table(plan.bill),
        "",
        *phase_table(plan.rollout, horizon=plan.options.years),
        "",
        *targets_text(plan),
        "",
        *gap_text(plan),
        "",
        *order_table(plan.rollout, names, limit=order_limit),
    ]
    rings = _rings_text(plan)
    unreachable = [f"{v.name} ({v.code})" for v in villages if v.status == "unreachable"]
    if unreachable:
        lines += ["", "Unreachable villages: " + ", ".join(unreachable)]
    far = plan.costs.rule("access_roadside_max_m")
    long = [
        f"{v.name} ({v.code}) {v.lead_in_m:,.0f} m"
        for v in plan.design.planned
        if v.lead_in_m > far
    ]
    if long:
        lines += [
            "",
            f"Villages joined by a lead-in over {far:,.0f} m (check the road data): "
            + ", ".join(long),
        ]
    return "\n".join(lines + ([""] + rings if rings else []))
