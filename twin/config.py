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
    other run-time state; ``database_url`` set means an external server.
    ``json_max_mb`` bounds the body of an API request, ``upload_max_mb`` a
    file upload (:mod:`webmap.limits`).
    """

    home: Path = Path("var")
    database_url: str | None = None
    snap_tolerance_m: float = 1.0
    secret_key: str | None = None
    json_max_mb: float = 4.0
    upload_max_mb: float = 256.0
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ=None) -> Settings:
        env = os.environ if environ is None else environ
        home = Path(env.get("TWIN_HOME") or "var").absolute()
        return cls(
            home=home,
            database_url=env.get("DATABASE_URL") or None,
            snap_tolerance_m=float(env.get("TWIN_SNAP_TOLERANCE_M", "1.0")),
            secret_key=env.get("TWIN_SECRET_KEY") or None,
            json_max_mb=float(env.get("TWIN_JSON_MAX_MB", "4")),
            upload_max_mb=float(env.get("TWIN_UPLOAD_MAX_MB", "256")),
        )

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
