"""Outage analysis of stored assets: the one entry point of the web, CLI and live ingest.

:func:`analyse_outage` finds the utility of the failed assets, takes the
current graphs from the process-wide registry (edits committed since the
last analysis applied first, see :mod:`twin.network.registry`), runs the
analysis of that utility (and the cascade of a power outage into water,
drainage, telecom and lighting), and adds what a crew needs: asset
positions for the map, the device operations in order with their
location and street, customers per street, critical facilities, and the
customers already out in incidents still open.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from twin.declare import normal_code
from twin.errors import InvalidInput, Problem
from twin.network.graph import UTILITIES
from twin.network.impact import critical_rank, overlap_with_active
from twin.network.outage import (
    Outcome,
    check_one_utility,
    drainage_outcome,
    lighting_outcome,
    power_outcome,
    telecom_outcome,
    water_outcome,
)
from twin.network.outage_memo import OutageMemo
from twin.network.outage_summary import (
    critical_once,
    light_analysis,
    light_cascade,
    page_of,
    street_groups,
    utility_totals,
)
from twin.network.places import (
    active_outages,
    asset_tables,
    lonlat,
    nearest_streets,
    open_incidents_of,
)
from twin.network.records import utility_of_table
from twin.network.registry import registry_for
from twin.network.report_map import MAP_LIMIT, all_layers, full_map, highlight
from twin.simulation import outage_pressure, restoration_brief, restoration_check

__all__ = [
    "LISTS",
    "MAP_LIMIT",
    "analyse_outage",
    "outage_highlight",
    "outage_list",
    "outage_simulated",
    "outage_summary",
]

#: The lists of an outage that :func:`outage_list` pages.
LISTS = ("customers", "streets", "facilities", "features")
#: Analyses kept for the requests that follow a summary (lists, highlight).
_MEMO = OutageMemo()


def _codes(codes: str | Iterable[str]) -> list[str]:
    # Codes are stored in upper case; a crew may type them in any case.
    codes = [codes] if isinstance(codes, str) else list(codes)
    codes = list(dict.fromkeys(normal_code(c) for c in codes if str(c).strip()))
    if not codes:
        raise InvalidInput(
            "nothing to analyse", [Problem("codes", "required", "give at least one asset code")]
        )
    return codes


def _run(registry, graphs: Mapping, utility: str, codes: list[str], unavailable) -> Outcome:
    if utility == "water":
        model = registry.isolation_model()
        return water_outcome(graphs["water"], codes, model=model, unavailable=unavailable)
    if utility == "power":
        if len(codes) > 1:
            raise InvalidInput(
                "one power fault at a time",
                [Problem("codes", "one_fault", f"got {len(codes)} power assets: {codes}")],
            )
        supplied = registry.supply_trees(graphs)
        return power_outcome(graphs, codes[0], unavailable=unavailable, supplied=supplied)
    run = {"telecom": telecom_outcome, "lighting": lighting_outcome, "drainage": drainage_outcome}
    return run[utility](graphs[utility], codes)


def analyse_outage(
    session,
    codes: str | Iterable[str],
    *,
    unavailable: Iterable[str] = (),
    active_incidents: Mapping[str, Iterable[str]] | None = None,
) -> dict:
    """Analyse the failure of stored assets and build the crew's report.

    Parameters
    ----------
    session : sqlalchemy Session or Connection
        Reads positions, streets and incidents; the graphs come from the
        registry of the same database (committed edits only).
    codes : str or iterable of str
        Failed assets of one utility (one fault for power).
    unavailable : iterable of str, keyword-only
        Valves or switches that cannot be operated now.
    active_incidents : mapping, optional, keyword-only
        Incident code -> customer codes already out; read from
        ``live.incident`` when omitted.

    Returns
    -------
    dict
        JSON-ready: ``utility``, ``assets``, ``analysis`` (the engine's
        report), ``trip`` (power: the device that trips and why, see
        :class:`twin.network.protection.Trip`), ``cascade`` (power), ``customers``, ``customers_out``,
        ``critical``, ``by_street``, ``overlap``, ``work_order``,
        ``locations`` (``[lon, lat]`` by code), ``map`` (GeoJSON features
        with a ``role``), ``network`` (how the graph was refreshed) and
        ``pressure`` (customers cut off, at low pressure and fine after a
        pressure-driven run, see :func:`twin.simulation.outage_pressure`;
        None when no water asset is shut) and ``restoration_check`` (power: each
        proposed tie solved by load flow, the next feasible one where it
        overloads, see :func:`twin.simulation.restoration_check`; None when no
        tie is proposed).
    """
    with _analysed(session, codes, unavailable) as (registry, graphs, entry):
        outcome = entry.outcome
        if active_incidents is None:
            active_incidents = active_outages(session)
        report = _report(session, graphs, outcome, active_incidents)
        report["unavailable"] = sorted({normal_code(c) for c in unavailable})
        report["incidents"] = open_incidents_of(session, outcome.assets)
        report["network"] = _network(registry, outcome.utility)
        report["pressure"] = _pressure(session, entry)
        report["restoration_check"] = _restoration(session, entry, unavailable)
        return report


def _network(registry, utility: str) -> dict:
    return {"refresh": registry.stats()[utility], "version": registry.cache.version(utility)}


def _customer_rows(graphs, outcome: Outcome) -> list[tuple[str, str, dict]]:
    return [
        (utility, code, graphs[utility].nodes[code])
        for utility, impact in outcome.customers
        for code in impact.customer_nodes
    ]


def _report(session, graphs, outcome: Outcome, active: Mapping) -> dict:
    rows = _customer_rows(graphs, outcome)
    customers_out = sorted({code for _, code, _ in rows})
    already = overlap_with_active(customers_out, {c for cs in active.values() for c in cs})
    out_before = set(already.already_out)
    own_utility, own = outcome.customers[0]
    return {
        "utility": outcome.utility,
        "assets": outcome.assets,
        "analysis": outcome.analysis,
        "trip": outcome.analysis.get("trip"),
        "cascade": outcome.cascade,
        "customers": own.to_dict(),
        "cascade_customers": {u: imp.to_dict() for u, imp in outcome.customers[1:]},
        "customers_out": customers_out,
        "critical": _critical(outcome),
        "facilities": critical_once(outcome.customers),
        "by_street": street_groups(rows, _streets(session, graphs, rows), out_before),
        "overlap": _overlap(active, out_before, already.to_dict()),
        "work_order": {"steps": _steps(session, graphs, outcome)},
        **full_map(session, graphs, outcome, out_before),
    }


def _overlap(active: Mapping, out_before: set[str], counted: dict) -> dict:
    return {
        **counted,
        "incidents": {
            code: sorted(set(cs) & out_before)
            for code, cs in sorted(active.items())
            if set(cs) & out_before
        },
    }


def _critical(outcome: Outcome) -> list[dict]:
    found = [
        {**c, "utility": utility} for utility, impact in outcome.customers for c in impact.critical
    ]
    return sorted(found, key=lambda c: (critical_rank(c["kind"]), c["utility"], c["code"]))


def _streets(session, graphs, rows) -> dict[str, dict[str, str]]:
    """Utility -> customer code -> street."""
    return {
        utility: nearest_streets(session, graphs[utility], [c for u, c, _ in rows if u == utility])
        for utility in sorted({u for u, _, _ in rows})
    }


def _steps(session, graphs, outcome: Outcome) -> list[dict]:
    places, streets = {}, {}
    for utility in {s["utility"] for s in outcome.steps}:
        devices = [s["device"] for s in outcome.steps if s["utility"] == utility]
        places[utility] = lonlat(graphs[utility], devices)
        streets[utility] = nearest_streets(session, graphs[utility], devices)
    steps = []
    for order, step in enumerate(outcome.steps, start=1):
        utility, device = step["utility"], step["device"]
        attrs = graphs[utility].nodes.get(device) or {}
        steps.append(
            {
                "order": order,
                **step,
                "kind": attrs.get("kind"),
                "operable": attrs.get("operable", True) is not False,
                "street": streets[utility].get(device),
                "lonlat": places[utility].get(device),
            }
        )
    return steps


@contextmanager
def _analysed(session, codes, unavailable) -> Iterator[tuple]:
    """``(registry, graphs, entry)`` of the outage of ``codes``, analysed once
    per graph version (see :mod:`twin.network.outage_memo`)."""
    codes = _codes(codes)
    unavailable = sorted({normal_code(c) for c in unavailable})
    tables = asset_tables(session, codes)
    utility = check_one_utility(tables, {t: utility_of_table(t) for t in tables.values()})
    registry = registry_for(session)
    needed = UTILITIES if utility == "power" else (utility,)
    with registry.graphs(needed) as graphs:
        versions = tuple(registry.cache.version(u) for u in needed)
        key = (id(registry), tuple(codes), tuple(unavailable), versions)
        entry = _MEMO.get(key, lambda: _run(registry, graphs, utility, codes, unavailable))
        yield registry, graphs, entry


def _pressure(session, entry) -> dict | None:
    return entry.part("pressure", lambda: outage_pressure(session, entry.outcome))


def _restoration(session, entry, unavailable) -> dict | None:
    return entry.part("restoration_check", lambda: restoration_check(
        session, entry.outcome, unavailable={normal_code(c) for c in unavailable}))


def outage_simulated(
    session, codes: str | Iterable[str], *, unavailable: Iterable[str] = ()
) -> dict:
    """What the engines say of an outage, asked apart from the summary because
    they take seconds on a city network while the summary takes a tenth.

    ``pressure``: customers cut off, at low pressure and fine once the valves
    are shut (a pressure-driven run, :func:`twin.simulation.outage_pressure`),
    None when no water asset is shut; ``restoration_check``: the verdict of
    the load flows of the ties the analysis proposes, in brief
    (:func:`twin.simulation.restoration_brief`), None without ties.
    """
    with _analysed(session, codes, unavailable) as (_registry, _graphs, entry):
        return {
            "pressure": _pressure(session, entry),
            "restoration_check": restoration_brief(_restoration(session, entry, unavailable)),
        }


def _already_out(session, outcome: Outcome) -> set[str]:
    active = {c for cs in active_outages(session).values() for c in cs}
    return {c for _, impact in outcome.customers for c in impact.customer_nodes if c in active}


def outage_summary(session, codes: str | Iterable[str], *, unavailable: Iterable[str] = ()) -> dict:
    """The crew's first view of an outage: a summary, light whatever its size.

    Customers and households per utility (``utilities``, never added up
    across utilities), the devices to operate in order, each critical
    facility once with the utilities whose loss hits it, the engine's
    report with long lists cut (``analysis_counts`` gives their lengths),
    the number of rows of each list :func:`outage_list` pages, the open
    incidents on these assets, and the counts by role of
    :func:`outage_highlight`.
    """
    with _analysed(session, codes, unavailable) as (registry, graphs, entry):
        outcome = entry.outcome
        summary = entry.part("summary", lambda: _summary(session, graphs, outcome))
        out_before = _already_out(session, outcome)
        return {
            **summary,
            "utilities": utility_totals(outcome.customers, out_before),
            "already_out": len(out_before),
            "unavailable": sorted({normal_code(c) for c in unavailable}),
            "incidents": open_incidents_of(session, outcome.assets),
            "network": _network(registry, outcome.utility),
        }


def _summary(session, graphs, outcome: Outcome) -> dict:
    analysis, counts = light_analysis(outcome.analysis)
    own = outcome.customers[0][1].to_dict()
    layers = all_layers(graphs, outcome)
    return {
        "utility": outcome.utility,
        "assets": outcome.assets,
        "analysis": analysis,
        "analysis_counts": counts,
        "customers": {k: v for k, v in own.items() if k != "customer_nodes"},
        "cascade": light_cascade(outcome.cascade),
        "critical": critical_once(outcome.customers),
        "work_order": {"steps": _steps(session, graphs, outcome)},
        "lists": {
            "customers": sum(len(i.customer_nodes) for _, i in outcome.customers),
            "facilities": len(critical_once(outcome.customers)),
            "features": sum(len(layer.codes) for layer in layers),
        },
        "highlight": {
            f"{layer.utility}:{layer.role}": len(layer.codes) for layer in layers if layer.codes
        },
    }


def outage_list(
    session,
    codes: str | Iterable[str],
    name: str,
    *,
    unavailable: Iterable[str] = (),
    page: int = 1,
    size: int = 50,
    utility: str | None = None,
) -> dict:
    """Page ``page`` of the list ``name`` of an outage (one of :data:`LISTS`).

    ``customers``: customer nodes with their street; ``streets``: customers
    per utility and street, most first; ``facilities``: critical facilities
    once each; ``features``: every feature of the outage by role.
    ``utility`` keeps the rows of one utility.
    """
    if name not in LISTS:
        raise InvalidInput(
            "unknown list", [Problem("list", "allowed_values", f"one of {', '.join(LISTS)}")]
        )
    with _analysed(session, codes, unavailable) as (_, graphs, entry):
        outcome = entry.outcome
        if name == "facilities":
            rows = critical_once(outcome.customers)
        elif name == "features":
            rows = entry.part("features", lambda: _feature_rows(graphs, outcome))
        else:
            rows = _customer_list(session, graphs, entry, name)
        if utility:
            rows = [r for r in rows if utility in r.get("utilities", [r.get("utility")])]
        return {"list": name, "assets": outcome.assets, **page_of(rows, page, size)}


def _customer_list(session, graphs, entry, name: str) -> list[dict]:
    outcome = entry.outcome
    rows = entry.part("customer_rows", lambda: _customer_rows(graphs, outcome))
    streets = entry.part("streets", lambda: _streets(session, graphs, rows))
    out_before = _already_out(session, outcome)
    if name == "streets":
        groups = street_groups(rows, streets, out_before)
        return [{k: v for k, v in g.items() if k != "customer_nodes"} for g in groups]
    return [
        {
            "utility": utility,
            "code": code,
            "name": attrs.get("name"),
            "customers": int(attrs.get("customers") or 0),
            "households": int(attrs.get("households") or 0),
            "street": streets[utility].get(code),
            "already_out": code in out_before,
        }
        for utility, code, attrs in rows
    ]


def _feature_rows(graphs, outcome: Outcome) -> list[dict]:
    return [
        {"role": layer.role, "utility": layer.utility, "code": code}
        for layer in all_layers(graphs, outcome)
        for code in layer.codes
    ]


def outage_highlight(
    session, codes: str | Iterable[str], *, unavailable: Iterable[str] = ()
) -> dict:
    """The affected area to draw over the map (see :func:`twin.network.report_map.highlight`)."""
    with _analysed(session, codes, unavailable) as (_, graphs, entry):
        return entry.part("highlight", lambda: highlight(session, graphs, entry.outcome))
