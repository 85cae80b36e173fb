"""Names of the values the operations pages show, in the user's language.

Statuses and severities are stored as stable English keys (CSV exports keep
them); the pages show them through these filters.  Feature types are named
from their declarations in ``layers/``.
"""

from __future__ import annotations

from flask import g
from flask_babel import gettext, pgettext

from layers import feature_type
from twin.live import (
    EVENT_NOTES,
    INCIDENT_TITLE,
    STEP_ACTIONS,
    STEP_NOTE,
    UNASSIGNED,
    alarm_rule_titles,
)

from ..db import get_session
from ..i18n import current_language, label

__all__ = [
    "area_name",
    "device_kinds",
    "event_action",
    "event_note",
    "feature_label",
    "incident_status",
    "incident_title",
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
            "step_done": pgettext("event", "step done"),
            "step_undone": pgettext("event", "step undone"),
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
        "unknown": gettext("unknown"),
    }


def device_kinds() -> dict[str, str]:
    """Kinds of live device (twin.live.devices.PREFIXES), as chart legends name them."""
    return {
        "luminaire": gettext("street lights"),
        "lighting_cabinet": gettext("lighting cabinets"),
        "pressure_sensor": gettext("pressure sensors"),
        "flow_meter": gettext("flow meters"),
        "breaker": gettext("breakers"),
        "env_station": gettext("environment stations"),
    }


def incident_status(value: str) -> str:
    return _names("incident").get(value, value)


def event_action(value: str) -> str:
    return _names("event").get(value, value)


def severity(value: str) -> str:
    return _names("severity").get(value, value)


def tree_risks() -> dict[str, str]:
    """A tree's TRAQ risk rating, low to extreme, in the reader's language."""
    return {"low": pgettext("risk", "low"), "medium": pgettext("risk", "medium"),
            "high": pgettext("risk", "high"), "extreme": pgettext("risk", "extreme")}


def tree_risk_reasons() -> dict[str, str]:
    """Why a tree's risk was estimated as it was (``twin.live.algorithms.estimated_risk``)."""
    return {"large": gettext("large"), "very_large": gettext("very large"),
            "old": gettext("old"), "poor": gettext("poor condition"), "dead": gettext("dead"),
            "storm_prone": gettext("a species that falls in storms")}


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


def _rule_titles() -> dict[str, tuple[str, str]]:
    """:func:`twin.live.alarm_rule_titles` in the request's language, read once per request."""
    titles = getattr(g, "twin_rule_titles", None)
    if titles is None:
        titles = g.twin_rule_titles = alarm_rule_titles(get_session(), current_language())
    return titles


def incident_title(incident) -> str:
    """An incident's title in the request's language.

    Incidents opened by a rule are titled ``<rule title>: <asset>`` in
    English when stored (exports and the database keep that); the page shows
    the rule's title in the reader's language (``title_vi`` of the rules
    file).  Other titles are shown as stored.
    """
    get = incident.get if isinstance(incident, dict) else lambda k: getattr(incident, k, None)
    rule, asset, title = get("rule_id"), get("asset_code"), get("title")
    english, shown = _rule_titles().get(rule, (None, None))
    if english is not None and title == INCIDENT_TITLE % {"title": english, "asset": asset}:
        return INCIDENT_TITLE % {"title": shown, "asset": asset}
    return title


def _step_note(event) -> str:
    data = event.data or {}
    action = {
        "close": gettext("Close"),
        "open": gettext("Open"),
        "check_open": gettext("Check open"),
    }
    return gettext(
        STEP_NOTE,
        order=data.get("order", "?"),
        action=action.get(data.get("action"), data.get("action") or ""),
        device=data.get("device", ""),
    )


def event_note(event, incident) -> str:
    """A timeline note in the request's language when the twin wrote it
    (:data:`twin.live.incidents.EVENT_NOTES`); people's notes as written."""
    note, pattern = event.note or "", EVENT_NOTES.get(event.action)
    if event.action in STEP_ACTIONS:
        return _step_note(event)
    if pattern is None:
        return note
    if event.action == "assigned":
        owner = (event.data or {}).get("owner")
        if owner is not None and note == pattern % {"owner": owner}:
            return gettext(pattern, owner=owner)
        return note
    english, shown = _rule_titles().get(incident.rule_id, (None, None))
    if english is None:
        return note
    head = pattern % {"title": english, "asset": ""}
    if not note.startswith(head):
        return note
    return gettext(pattern, title=shown, asset=note[len(head) :])
