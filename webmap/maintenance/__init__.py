"""Maintenance on the web: work orders as JSON, and the calendar of open work."""
