"""Reconciliation of urban plans with one another and with existing assets.

Pure analysis: plans, zones, red lines, corridors and assets come in as plain
records with shapely geometries in a metric CRS (metres); findings go out as
plain records.  Loading from the database and projecting from WGS 84 happen at
the edges.
"""
