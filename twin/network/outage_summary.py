"""The light outage report: a summary first, the long lists a page at a time.

A power outage of a feeder cuts thousands of customers and lines; sending
them all at once made the crew's page wait for megabytes.  These functions
turn an analysis into a summary (customers per utility kept apart, critical
facilities once each, short lists only) and cut long lists into pages.
Plain data in, plain data out: no database here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from twin.errors import InvalidInput, Problem
from twin.network.impact import critical_rank

__all__ = [
    "LIST_LIMIT",
    "PAGE_SIZE_MAX",
    "critical_once",
    "light_analysis",
    "light_cascade",
    "page_of",
    "street_groups",
    "utility_totals",
]

#: Lists of the engine's report longer than this are cut to this many in a summary.
LIST_LIMIT = 50
#: The most rows a page of a list may have.
PAGE_SIZE_MAX = 500


def light_analysis(analysis: Mapping, *, limit: int = LIST_LIMIT) -> tuple[dict, dict]:
    """``analysis`` with its long lists cut to ``limit`` items, and their full lengths.

    Nested mappings are cut the same way and lose their ``customer_nodes``
    (the customers are a list of their own).

    >>> light_analysis({"level": 1, "edges": ["a", "b", "c"]}, limit=2)
    ({'level': 1, 'edges': ['a', 'b']}, {'edges': 3})
    """
    light, cut = {}, {}
    for key, value in analysis.items():
        if key == "customer_nodes":
            continue  # the customers list, paged apart
        if isinstance(value, list | tuple):
            if len(value) > limit:
                cut[key] = len(value)
            value = [_light(v, limit) for v in value[:limit]]
        light[key] = _light(value, limit)
    return light, cut


def _light(value, limit: int):
    return light_analysis(value, limit=limit)[0] if isinstance(value, Mapping) else value


def utility_totals(
    customers: Sequence[tuple[str, object]], already_out: Iterable[str] = ()
) -> list[dict]:
    """Customers and households per utility, the failed utility first.

    ``customers`` is ``[(utility, CustomerImpact)]``; a utility's counts are
    never added to another's (a power customer is not a water customer).
    """
    out_before = set(already_out)
    totals = []
    for utility, impact in customers:
        totals.append(
            {
                "utility": utility,
                "customers": impact.customers,
                "households": impact.households,
                "by_category": dict(impact.by_category),
                "critical": len(impact.critical),
                "already_out": sum(c in out_before for c in impact.customer_nodes),
            }
        )
    return totals


def critical_once(customers: Sequence[tuple[str, object]]) -> list[dict]:
    """Each critical facility once, with the utilities whose loss hits it.

    >>> from twin.network.impact import CustomerImpact
    >>> h = {"code": "H1", "kind": "hospital", "name": "BV"}
    >>> critical_once([("power", CustomerImpact(critical=[h])),
    ...                ("water", CustomerImpact(critical=[h]))])
    [{'code': 'H1', 'kind': 'hospital', 'name': 'BV', 'utilities': ['power', 'water']}]
    """
    found: dict[str, dict] = {}
    for utility, impact in customers:
        for facility in impact.critical:
            entry = found.setdefault(facility["code"], {**facility, "utilities": []})
            if utility not in entry["utilities"]:
                entry["utilities"].append(utility)
    return sorted(found.values(), key=lambda c: (critical_rank(c["kind"]), c["code"]))


def light_cascade(cascade: Mapping | None) -> dict | None:
    """The cascade stages with counts instead of node lists."""
    if not cascade:
        return None
    return {
        when: [
            {
                "utility": stage["utility"],
                "stopped": list(stage.get("stopped") or []),
                "lost": len(stage.get("lost_nodes") or []),
                "customers": {
                    "customers": (stage.get("customers") or {}).get("customers", 0),
                    "households": (stage.get("customers") or {}).get("households", 0),
                },
            }
            for stage in stages
        ]
        for when, stages in cascade.items()
    }


def street_groups(
    rows: Iterable[tuple[str, str, Mapping]],
    streets: Mapping[str, Mapping[str, str]],
    already_out: Iterable[str] = (),
) -> list[dict]:
    """Customers per (utility, street), most customers first.

    ``rows`` are ``(utility, node code, node attributes)``; ``streets`` maps
    utility -> node code -> street.  Utilities are never merged in one row.
    """
    out_before = set(already_out)
    groups: dict[tuple[str, str], dict] = {}
    for utility, code, attrs in rows:
        street = streets.get(utility, {}).get(code) or ""
        entry = groups.setdefault(
            (utility, street),
            {"utility": utility, "street": street, "customers": 0, "households": 0,
             "already_out": 0, "customer_nodes": []},
        )  # fmt: skip
        entry["customers"] += int(attrs.get("customers") or 0)
        entry["households"] += int(attrs.get("households") or 0)
        entry["already_out"] += code in out_before
        entry["customer_nodes"].append(code)
    return sorted(groups.values(), key=lambda e: (-e["customers"], e["utility"], e["street"]))


def page_of(items: Sequence, page: int = 1, size: int = 50) -> dict:
    """Page ``page`` (from 1) of ``items``, ``size`` a page, with the totals.

    >>> page_of(list("abcde"), 2, 2)
    {'items': ['c', 'd'], 'page': 2, 'size': 2, 'total': 5, 'pages': 3}
    """
    if page < 1 or not 1 <= size <= PAGE_SIZE_MAX:
        raise InvalidInput(
            "bad page",
            [Problem("page", "range", f"page from 1, size from 1 to {PAGE_SIZE_MAX}")],
        )
    start = (page - 1) * size
    pages = max(1, -(-len(items) // size))
    return {
        "items": list(items[start : start + size]),
        "page": page,
        "size": size,
        "total": len(items),
        "pages": pages,
    }
