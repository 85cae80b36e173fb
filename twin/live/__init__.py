"""Live state of the city: field devices over MQTT, alarms, incidents, KPIs."""

from .alarms import load_rules
from .board import (
    asset_state_counts,
    asset_state_rows,
    faults_located,
    incident_events,
    incident_rows,
    open_incident_counts,
    open_incidents_located,
    quarantine_rows,
)
from .checklist import STEP_ACTIONS, STEP_NOTE
from .incidents import EVENT_NOTES, INCIDENT_TITLE
from .kpi import UNASSIGNED
from .models import INCIDENT_STATUSES

__all__ = [
    "EVENT_NOTES",
    "INCIDENT_STATUSES",
    "INCIDENT_TITLE",
    "STEP_ACTIONS",
    "STEP_NOTE",
    "UNASSIGNED",
    "asset_state_counts",
    "asset_state_rows",
    "faults_located",
    "incident_events",
    "incident_rows",
    "load_rules",
    "open_incident_counts",
    "open_incidents_located",
    "quarantine_rows",
]
