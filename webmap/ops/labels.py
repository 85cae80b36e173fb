"""Names of the values the operations pages show, in the user's language.

Statuses and severities are stored as stable English keys (CSV exports keep
them); the pages show them through these filters.  Feature types are named
from their declarations in ``layers/``.
"""

from __future__ import annotations

from flask_babel import gettext, pgettext

from layers import feature_type
from twin.live.kpi import UNASSIGNED

from ..i18n import label

__all__ = [
    "area_name",
    "event_action",
    "feature_label",
    "incident_status",
    "live_status",
    "severity",
]


def _names(kind: str) -> dict[str, str]:
    """Value -> name in the request's language, for one kind of value."""
    if kind == "incident":
        return {
            "open": pgettext("incident", "open"),
            "acknowledged": gettext("acknowledged"),
            "in_progress": gettext("in progress"),
            "resolved": gettext("resolved"),
            "closed": pgettext("incident", "closed"),
            "active": gettext("active"),
            "all": gettext("all"),
        }
    if kind == "event":  # what an incident's timeline records (twin.live.incidents.add_event)
        return {
            "opened": pgettext("event", "opened"),
            "alarm": pgettext("event", "alarm"),
            "alarm_cleared": pgettext("event", "alarm cleared"),
            "assigned": pgettext("event", "assigned"),
            "status": pgettext("event", "status changed"),
            "closed": pgettext("event", "closed"),
        }
    if kind == "severity":
        return {
            "minor": gettext("minor"),
            "major": gettext("major"),
            "critical": gettext("critical"),
        }
    return {  # live states; open and closed are those of a breaker or switch
        "ok": gettext("ok"),
        "fault": gettext("fault"),
        "on": gettext("on"),
        "off": gettext("off"),
        "open": pgettext("breaker", "open"),
        "closed": pgettext("breaker", "closed"),
    }


def incident_status(value: str) -> str:
    return _names("incident").get(value, value)


def event_action(value: str) -> str:
    return _names("event").get(value, value)


def severity(value: str) -> str:
    return _names("severity").get(value, value)


def live_status(value: str) -> str:
    return _names("live").get(value, value)


def feature_label(table: str) -> str:
    """The declared label of a feature type, or its table name if none is declared."""
    try:
        return label(feature_type(table))
    except KeyError:
        return table


def area_name(row: dict) -> str:
    """The name of a KPI row's area: the city total and unassigned rows are words."""
    if row["code"] == "total":
        return gettext("All areas")
    if row["code"] == UNASSIGNED:
        return gettext(UNASSIGNED)
    return row["name"]
