"""Database access: the embedded PostGIS cluster, engines and migrations."""

from .engine import get_app_engine
from .errors import CONNECTION_ERRORS, database_unavailable

__all__ = ["CONNECTION_ERRORS", "database_unavailable", "get_app_engine"]
