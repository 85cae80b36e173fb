"""Settings of the twin, read from the environment in one place.

Nothing reads the environment at import time: the CLI and ``create_app`` call
:meth:`Settings.from_env` and pass the result on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Settings", "STORAGE_SRID"]

#: Every geometry is stored in WGS 84 lon/lat; lengths and areas are computed
#: on the geography type (metres) or in a VN-2000 projection.
STORAGE_SRID = 4326


@dataclass(frozen=True)
class Settings:
    """Where the data lives and how the twin behaves.

    ``home`` is the folder of the embedded PostGIS cluster (``home/pg``) and
    other run-time state; ``database_url`` set means an external server, on
    which migrations and ``twin db`` commands run as its user (the owner of
    the tables).  ``app_database_url`` is the login of the web app and the
    ingest there, a member of ``twin_write`` that owns nothing (see
    :mod:`twin.db.roles`); unset, they use ``database_url``.
    """

    home: Path = Path("var")
    database_url: str | None = None
    app_database_url: str | None = None
    snap_tolerance_m: float = 1.0
    secret_key: str | None = None
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ=None) -> Settings:
        env = os.environ if environ is None else environ
        home = Path(env.get("TWIN_HOME") or "var").absolute()
        return cls(
            home=home,
            database_url=env.get("DATABASE_URL") or None,
            app_database_url=env.get("TWIN_APP_DATABASE_URL") or None,
            snap_tolerance_m=float(env.get("TWIN_SNAP_TOLERANCE_M", "1.0")),
            secret_key=env.get("TWIN_SECRET_KEY") or None,
        )

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
