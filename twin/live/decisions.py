"""Decision support: what to renew first, where fiber lags, which circuits fail.

Each function returns plain rows for a table, best candidates first, and
says where a figure comes from when an optional service is missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from twin.i18n import N_, Message

from .services import optional, pipe_criticality

__all__ = [
    "CRITICALITY_SERVICE",
    "FIBER_COST_SERVICE",
    "INSPECTED_LIFE",
    "Note",
    "faulty_circuits",
    "fiber_gaps",
    "renewal_entry",
    "renewal_ranking",
]

SERVICE_LIFE = Path(__file__).parent / "data" / "service_life.json"
CRITICALITY_SERVICE = "twin.network.rankings:criticality"
FIBER_COST_SERVICE = "twin.fiber.service:gap_costs"
LAMP_RULES = ("lamp_out",)
#: The share of its service life an inspected condition stands for (good … failed).
INSPECTED_LIFE = {"good": 0.25, "fair": 0.6, "poor": 0.9, "failed": 1.2}


@dataclass(frozen=True)
class Note(Message):
    """Where a figure comes from: an English message (marked for the catalogue)
    and its values, so each page shows it in its reader's language.

    ``missing`` says the figure is not available.
    """

    missing: bool = False


def _service_life() -> dict[str, float]:
    return json.loads(SERVICE_LIFE.read_text(encoding="utf-8"))["water_pipe"]


def renewal_entry(pipe: dict, life: dict[str, float], criticality: float, this_year: int) -> dict:
    """One pipe's row of the renewal ranking: score = (1 + criticality) × condition.

    ``pipe`` has ``code``, ``commune``, ``material``, ``install_year``,
    ``diameter_mm``, ``length_m`` and ``bursts`` (burst incidents in five
    years), and may have ``inspected_condition`` and ``last_inspected`` (an
    inspection's grade and date); ``life`` is the service life in years by
    material (``unknown`` for the rest).  Condition is the share of its life
    the inspected grade stands for (:data:`INSPECTED_LIFE`) where the pipe
    was inspected, otherwise age / service life (0.5 when the age is
    unknown), plus one per burst; ``condition_from`` says which.

    >>> life = {"hdpe": 50, "unknown": 50}
    >>> pipe = {"code": "P1", "commune": "X", "material": "hdpe", "install_year": 2000,
    ...         "diameter_mm": 200, "length_m": 12.34, "bursts": 1}
    >>> row = renewal_entry(pipe, life, 2.0, 2025)
    >>> row["condition"], row["score"], row["condition_from"]
    (1.5, 4.5, 'age')
    >>> renewal_entry({**pipe, "inspected_condition": "poor"}, life, 2.0, 2025)["condition"]
    1.9
    """
    age = this_year - pipe["install_year"] if pipe["install_year"] else None
    years = life.get(pipe["material"] or "unknown", life["unknown"])
    inspected = INSPECTED_LIFE.get(pipe.get("inspected_condition"))
    worn = inspected if inspected is not None else (age / years if age is not None else 0.5)
    condition = worn + pipe["bursts"]
    crit = float(criticality)
    return {
        "code": pipe["code"],
        "commune": pipe["commune"],
        "material": pipe["material"],
        "age_years": age,
        "service_life_years": years,
        "bursts_5y": pipe["bursts"],
        "diameter_mm": pipe["diameter_mm"],
        "length_m": round(pipe["length_m"] or 0, 1),
        "criticality": round(crit, 3),
        "condition": round(condition, 3),
        "condition_from": "age" if inspected is None else "inspection",
        "inspected_on": pipe.get("last_inspected") if inspected is not None else None,
        "score": round((1 + crit) * condition, 3),
    }


def renewal_ranking(session: Session, *, top: int = 25) -> tuple[list[dict], Note]:
    """Water pipes to renew first: (1 + criticality) × condition, with the method used.

    Condition is the consumed share of the material's service life: from the
    pipe's inspected condition where it was inspected, otherwise its age /
    life (from ``data/service_life.json``); raised by one for each burst
    incident on the pipe in five years.  Criticality is the network
    service's households-weighted N-1 score when installed, otherwise the
    pipe diameter in hundreds of millimetres (a bigger main feeds more); the
    one added keeps a pipe that cuts nobody off ranked by its condition.
    """
    life = _service_life()
    rows = session.execute(
        text(
            "SELECT p.code, p.material, p.install_year, p.diameter_mm, p.length_m, "
            "p.condition AS inspected_condition, p.last_inspected, "
            "coalesce(u.name, p.commune) AS commune, "
            "(SELECT count(*) FROM live.incident i WHERE i.outage -> 'assets' ? p.code "
            " AND i.opened_at >= now() - interval '5 years') AS bursts "
            "FROM assets.water_pipe p LEFT JOIN base.base_admin_unit u ON u.code = p.commune "
            "WHERE p.status = 'in_service'"
        )
    ).all()
    criticality = pipe_criticality(session)
    if criticality is not None:
        method = Note(
            N_(
                "N-1 criticality of the pipe's isolation group (households and critical "
                "facilities cut off)"
            )
        )
    else:
        criticality = {r.code: (r.diameter_mm or 100) / 100 for r in rows}
        method = Note(
            N_(
                "criticality from diameter (network criticality service %(service)s "
                "not installed)"
            ),
            {"service": CRITICALITY_SERVICE},
        )
    this_year = date.today().year
    out = [renewal_entry(r._asdict(), life, criticality.get(r.code, 0.0), this_year) for r in rows]
    out.sort(key=lambda x: (-x["score"], x["code"]))
    return out[:top], method


def _cost_note(costs) -> Note:
    """Where the cost column comes from, or why it is empty."""
    if costs is None:
        return Note(
            N_(
                "Plan cost unavailable: no fiber plan has been run yet; make one with the "
                "command 'twin fiber plan' or on the fiber plan page (/fiber/), and the "
                "newest plan fills this column"
            ),
            missing=True,
        )
    # Raw values (an aware time, VND as a number): the page writes them the reader's way.
    values = {"plan": costs.plan_id, "when": costs.saved or "?"}
    if not costs.unallocated_vnd:
        return Note(
            N_(
                "Cost from fiber plan %(plan)s of %(when)s: each extension of its build "
                "order charged to the villages it connects, by households; rings excluded"
            ),
            values,
        )
    return Note(
        N_(
            "Cost from fiber plan %(plan)s of %(when)s: each extension of its build "
            "order charged to the villages it connects, by households; rings excluded; "
            "%(vnd)s VND of trunk laid ahead of its villages is not charged to a commune"
        ),
        {**values, "vnd": round(costs.unallocated_vnd)},
    )


def fiber_gaps(
    session: Session, *, home: str | Path, target_households_pct: float = 80.0, top: int = 25
) -> tuple[list[dict], Note]:
    """Communes furthest from the fiber targets, and what closing the gap costs.

    A village has fiber when an access node in service names it (planned
    ones do not count, as in the KPI).  The cost is that of the newest fiber
    plan saved under ``home`` (``TWIN_HOME``), from the optional planning
    service: None for a commune the plan does not know; the note names the plan.
    """
    rows = session.execute(
        text(
            "SELECT v.commune, u.name, count(*) AS villages, count(*) FILTER (WHERE EXISTS ("
            " SELECT 1 FROM assets.telecom_access_node a WHERE a.village = v.code"
            " AND a.status = 'in_service')) AS connected, "
            "sum(v.households) AS households, sum(coalesce(v.fiber_households, 0)) AS fiber "
            "FROM base.base_village v LEFT JOIN base.base_admin_unit u ON u.code = v.commune "
            "GROUP BY v.commune, u.name"
        )
    ).all()
    service = optional(FIBER_COST_SERVICE)
    if service is None:
        costs = None
        note = Note(
            N_("Plan cost unavailable: fiber planning service %(service)s not installed"),
            {"service": FIBER_COST_SERVICE},
            missing=True,
        )
    else:
        costs = service(home)
        note = _cost_note(costs)
    out = []
    for r in rows:
        hh = r.households or 0
        pct = 100.0 * r.fiber / hh if hh else None
        missing_hh = max(0, round(target_households_pct / 100 * hh - r.fiber))
        cost = costs.cost_vnd.get(r.commune) if costs is not None else None
        unreachable = costs.unreachable.get(r.commune) if costs is not None else None
        out.append(
            {
                "commune": r.commune,
                "name": r.name,
                "villages": r.villages,
                "villages_without_fiber": r.villages - r.connected,
                "households": hh,
                "fiber_pct": None if pct is None else round(pct, 1),
                "households_to_target": missing_hh,
                "cost_vnd": None if cost is None else round(cost),
                "villages_unreachable": unreachable,
                "cost_plan": costs.plan_id if costs is not None else None,
            }
        )
    out.sort(
        key=lambda x: (-x["villages_without_fiber"], -x["households_to_target"], str(x["commune"]))
    )
    return out[:top], note


def faulty_circuits(session: Session, *, days: int = 30, top: int = 25) -> list[dict]:
    """Lighting circuits with the most lamp faults raised in the last ``days``."""
    rows = session.execute(
        text(
            "SELECT l.circuit, l.cabinet, min(coalesce(u.name, l.commune)) AS commune, "
            "count(DISTINCT a.id) AS faults, "
            "count(DISTINCT l.code) AS lamps_faulted, "
            "(SELECT count(*) FROM assets.lighting_light x WHERE x.circuit = l.circuit "
            " AND x.cabinet IS NOT DISTINCT FROM l.cabinet) AS lamps "
            "FROM live.alarm a JOIN assets.lighting_light l ON l.code = a.asset_code "
            "LEFT JOIN base.base_admin_unit u ON u.code = l.commune "
            "WHERE a.rule_id = ANY(:rules) AND a.raised_at >= now() - make_interval(days => :days) "
            "AND l.circuit IS NOT NULL GROUP BY l.circuit, l.cabinet "
            "ORDER BY faults DESC, l.circuit LIMIT :top"
        ),
        {"rules": list(LAMP_RULES), "days": days, "top": top},
    )
    return [dict(r._mapping) for r in rows]
