"""Outage reports for incidents, from the network area's outage service when installed.

The report is stored as plain JSON on the incident: the service's result
(customers and critical facilities cut off, devices to operate, a work
order), the number of customers affected for the SAIDI/SAIFI indices, or a
note saying why there is no analysis.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping

from sqlalchemy.orm import Session

from twin.errors import TwinError
from twin.i18n import N_

from .cameras import cameras_cut_off
from .decisions import Note
from .services import optional

__all__ = ["OUTAGE_SERVICE", "customers_in", "note_of", "outage_report", "plain"]

log = logging.getLogger(__name__)
OUTAGE_SERVICE = "twin.network.service:analyse_outage"

# Why there is no analysis: stored as ``str(note)``, shown translated (see note_of).
UNAVAILABLE = Note(
    N_(
        "outage analysis unavailable: the network outage service (%(service)s) "
        "is not installed in this build"
    ),
    {"service": OUTAGE_SERVICE},
)
NOT_LOCATED = Note(N_("no asset located for the analysis"))
FAILED = N_("outage analysis failed: %(reason)s")


def note_of(stored: str) -> Note | None:
    """The note an outage report's stored ``note`` was written from (None if another text)."""
    for note in (UNAVAILABLE, NOT_LOCATED):
        if stored == str(note):
            return note
    prefix = FAILED.partition("%")[0]
    if stored.startswith(prefix):
        return Note(FAILED, {"reason": stored[len(prefix) :]})
    return None


def plain(obj):
    """Analysis results (dataclasses, sets, tuples) as JSON-ready data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        items = [plain(v) for v in obj]
        return sorted(items, key=str) if isinstance(obj, set | frozenset) else items
    if isinstance(obj, str | int | float | bool) or obj is None:
        return obj
    return str(obj)


def outage_report(session: Session, utility: str, codes: list[str]) -> dict:
    """The outage analysis of ``codes`` failing, or a note when it cannot be had."""
    analyse = optional(OUTAGE_SERVICE)
    base = {"utility": utility, "assets": codes}
    if analyse is None:
        return {**base, "available": False, "note": str(UNAVAILABLE)}
    if not codes:
        return {**base, "available": False, "note": str(NOT_LOCATED)}
    try:
        with session.begin_nested():
            report = plain(analyse(session, codes))
    except Exception as exc:  # the incident opens whatever the analysis does
        log.exception("outage analysis of %s failed", codes)
        message = exc.message if isinstance(exc, TwinError) else type(exc).__name__
        failed = Note(FAILED, {"reason": message})
        return {**base, "available": False, "note": str(failed)}
    return {**base, "available": True, "customers_affected": customers_in(report),
            "cameras": cameras_cut_off(session, report), "report": report}


def customers_in(report) -> int | None:
    """Customers cut off according to an outage report.

    The report's own ``customers`` block comes first; otherwise the first
    customer-impact block found (one with ``customers`` and
    ``customer_nodes``), the impact until repair before the one at the trip.
    """
    own = report.get("customers") if isinstance(report, dict) else None
    if isinstance(own, dict) and isinstance(own.get("customers"), int):
        return own["customers"]
    blocks: list[tuple[str, dict]] = []

    def walk(obj, key=""):
        if isinstance(obj, dict):
            if "customers" in obj and "customer_nodes" in obj:
                blocks.append((key, obj))
            for k, v in obj.items():
                walk(v, k)
        elif isinstance(obj, list):
            for v in obj:
                walk(v, key)

    walk(report)
    if not blocks:
        return None
    blocks.sort(key=lambda b: ("until_repair" not in b[0], "trip" in b[0]))
    return int(blocks[0][1]["customers"])
