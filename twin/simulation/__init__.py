"""Hydraulic simulation of the twin's networks."""
