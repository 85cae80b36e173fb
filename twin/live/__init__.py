"""Live state of the city: field devices over MQTT, alarms, incidents, KPIs."""

from .alarms import load_rules
from .board import (
    alarm_rule_titles,
    asset_state_counts,
    asset_state_rows,
    faults_located,
    incident_events,
    incident_rows,
    open_incident_counts,
    open_incidents_located,
    quarantine_rows,
)
from .burst import METHOD as BURST_METHOD
from .checklist import STEP_ACTIONS, STEP_NOTE, tick_step
from .checklist import checklist as incident_checklist
from .decisions import faulty_circuits, fiber_gaps, renewal_ranking, trees_at_risk
from .incidents import EVENT_NOTES, INCIDENT_TITLE, close_incident, get_incident
from .incidents import assign as assign_incident
from .incidents import set_status as set_incident_status
from .kpi import KPIS, UNASSIGNED, kpi_rows
from .models import INCIDENT_STATUSES
from .outage import note_of as outage_note_of
from .quality import TRENDS, completeness
from .quality import trend as quality_trend

__all__ = [
    "BURST_METHOD",
    "EVENT_NOTES",
    "INCIDENT_STATUSES",
    "INCIDENT_TITLE",
    "KPIS",
    "STEP_ACTIONS",
    "STEP_NOTE",
    "TRENDS",
    "UNASSIGNED",
    "alarm_rule_titles",
    "asset_state_counts",
    "asset_state_rows",
    "assign_incident",
    "close_incident",
    "completeness",
    "faults_located",
    "faulty_circuits",
    "fiber_gaps",
    "get_incident",
    "incident_checklist",
    "incident_events",
    "incident_rows",
    "kpi_rows",
    "load_rules",
    "open_incident_counts",
    "open_incidents_located",
    "outage_note_of",
    "quality_trend",
    "quarantine_rows",
    "renewal_ranking",
    "set_incident_status",
    "tick_step",
    "trees_at_risk",
]
