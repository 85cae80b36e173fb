"""Outage analysis pages and JSON endpoints (blueprint ``outage``)."""
