"""The operations centre: KPI dashboards, decision support, incidents, exports."""
