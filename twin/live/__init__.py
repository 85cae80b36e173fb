"""Live state of the city: field devices over MQTT, alarms, incidents, KPIs."""

from .alarms import load_rules
from .incidents import EVENT_NOTES, INCIDENT_TITLE
from .kpi import UNASSIGNED
from .models import INCIDENT_STATUSES

__all__ = ["EVENT_NOTES", "INCIDENT_STATUSES", "INCIDENT_TITLE", "UNASSIGNED", "load_rules"]
