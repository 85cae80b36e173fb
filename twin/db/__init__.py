"""Database access: the embedded PostGIS cluster, engines, migrations and read routing."""

from .engine import engine_for, get_app_engine, with_driver
from .errors import CONNECTION_ERRORS, database_unavailable
from .routing import ReadRouter, format_lsn, parse_lsn

__all__ = ["CONNECTION_ERRORS", "ReadRouter", "database_unavailable", "engine_for",
           "format_lsn", "get_app_engine", "parse_lsn", "with_driver"]
