"""Settings of the twin, read from the environment in one place.

Nothing reads the environment at import time: the CLI and ``create_app`` call
:meth:`Settings.from_env` and pass the result on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["HILLSHADE_CACHE_BYTES", "RATE_LIMITS", "SNAP_TOLERANCE_M", "STORAGE_SRID", "Settings"]

#: Every geometry is stored in WGS 84 lon/lat; lengths and areas are computed
#: on the geography type (metres) or in a VN-2000 projection.
STORAGE_SRID = 4326

#: How far (metres, geodesic) a line end written to the twin reaches for a
#: node of its network: the edit service's default and the database
#: trigger's for any other client (``TWIN_SNAP_TOLERANCE_M`` changes the app's).
SNAP_TOLERANCE_M = 1.0

#: How often one user (or one address, for anonymous callers) may start each
#: kind of expensive work, in Flask-Limiter's notation; ``TWIN_RATE_LIMITS``
#: (``kind=limit;kind=limit``) changes some of them.
RATE_LIMITS = {
    "analysis": "60 per minute",  # outage analysis, work orders, criticality
    "outage_page": "300 per minute",  # pages of an outage's lists, its highlight
    "search": "120 per minute",  # the map's search box
    "hillshade": "300 per minute",  # hillshade tiles shaded (not those kept)
    "export": "30 per minute",  # CSV exports and reports
    "run": "10 per minute",  # fibre plan and zoning check runs
}
#: Bytes of hillshade tiles kept on disk (``TWIN_HILLSHADE_CACHE_MB``).
HILLSHADE_CACHE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Where the data lives and how the twin behaves.

    ``home`` is the folder of the embedded PostGIS cluster (``home/pg``) and
    other run-time state; ``database_url`` set means an external server, on
    which migrations and ``twin db`` commands run as its user (the owner of
    the tables).  ``app_database_url`` is the login of the web app and the
    ingest there, a member of ``twin_write`` that owns nothing (see
    :mod:`twin.db.roles`); unset, they use ``database_url``.
    ``json_max_mb`` bounds the body of an API request, ``upload_max_mb`` a
    file upload (:mod:`webmap.body_limits`).  ``trusted_proxies`` is the
    number of reverse proxies in front of the web app whose forwarded client
    address is believed (:mod:`webmap.proxies`).  ``max_in_flight`` bounds
    the requests ``twin web serve`` holds at once (default four per worker
    thread) and ``queue_wait_s`` how long one waits for a worker; past either
    it answers ``503`` (:mod:`webmap.overload`).  ``job_workers`` bounds the
    background jobs one process runs at a time (:mod:`twin.jobs`).
    ``replica_urls`` are hot standbys of the app's database that take the
    web app's reads (:mod:`twin.db.routing`).
    """

    home: Path = Path("var")
    database_url: str | None = None
    app_database_url: str | None = None
    snap_tolerance_m: float = SNAP_TOLERANCE_M
    secret_key: str | None = None
    rate_limits: dict = field(default_factory=lambda: dict(RATE_LIMITS))
    rate_limit_storage: str = "memory://"
    hillshade_cache_bytes: int = HILLSHADE_CACHE_BYTES
    json_max_mb: float = 4.0
    upload_max_mb: float = 256.0
    trusted_proxies: int = 0
    max_in_flight: int | None = None
    queue_wait_s: float = 10.0
    job_workers: int = 2
    replica_urls: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ=None) -> Settings:
        env = os.environ if environ is None else environ
        home = Path(env.get("TWIN_HOME") or "var").absolute()
        return cls(
            home=home,
            database_url=env.get("DATABASE_URL") or None,
            app_database_url=env.get("TWIN_APP_DATABASE_URL") or None,
            snap_tolerance_m=float(env.get("TWIN_SNAP_TOLERANCE_M", SNAP_TOLERANCE_M)),
            secret_key=env.get("TWIN_SECRET_KEY") or None,
            rate_limits={**RATE_LIMITS, **_pairs(env.get("TWIN_RATE_LIMITS", ""))},
            rate_limit_storage=env.get("TWIN_RATE_LIMIT_STORAGE") or "memory://",
            hillshade_cache_bytes=int(
                float(env.get("TWIN_HILLSHADE_CACHE_MB") or HILLSHADE_CACHE_BYTES / 2**20) * 2**20
            ),
            json_max_mb=float(env.get("TWIN_JSON_MAX_MB", "4")),
            upload_max_mb=float(env.get("TWIN_UPLOAD_MAX_MB", "256")),
            trusted_proxies=int(env.get("TWIN_TRUSTED_PROXIES", "0")),
            max_in_flight=int(env["TWIN_MAX_IN_FLIGHT"]) if env.get("TWIN_MAX_IN_FLIGHT") else None,
            queue_wait_s=float(env.get("TWIN_QUEUE_WAIT_S", "10")),
            job_workers=int(env.get("TWIN_JOB_WORKERS", "2")),
            replica_urls=tuple(env.get("DATABASE_REPLICA_URLS", "").replace(",", " ").split()),
        )

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def _pairs(text: str) -> dict[str, str]:
    """``"a=1 per minute;b=2 per hour"`` as a dict (blank parts skipped)."""
    pairs = (part.partition("=") for part in text.split(";") if part.strip())
    return {key.strip(): value.strip() for key, _, value in pairs}
