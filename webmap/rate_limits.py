"""Rate limits of the expensive endpoints, per user (per address for anonymous callers).

Outage analysis, criticality, search, hillshade shading, exports and plan
runs each cost far more than a page; a view about to start such work calls
:func:`charge` with its kind, which counts the request and refuses it with
``429`` and ``Retry-After`` past the kind's limit.  Counting where the work
starts (not before the view) lets a hillshade tile kept on disk or lying
outside the DEM cost nothing.

The counts live in Flask-Limiter's storage (memory unless
``Settings.rate_limit_storage`` names another, such as ``redis://...``),
with one limiter per app.  The limits are ``Settings.rate_limits`` (see
:data:`twin.config.RATE_LIMITS`), read again at each request from
``app.config["TWIN_RATE_LIMITS"]``; ``RATELIMIT_ENABLED = False`` turns
every limit off.  Behind a reverse proxy the address is the proxy's unless
the app is told to trust ``X-Forwarded-For`` (see ``docs/security.md``).
"""

from __future__ import annotations

import math
import time

from flask import current_app, request
from flask_limiter import Limiter
from limits import parse

from twin.errors import TooManyRequests

from .auth.setup import current_principal

__all__ = ["caller", "charge", "init_app"]


def caller() -> str:
    """Who is counted: the signed-in user's name, else the client's address."""
    principal = current_principal()
    if principal.anonymous:
        return f"address:{request.remote_addr or 'unknown'}"
    return f"user:{principal.name}"


def init_app(app) -> None:
    settings = app.config["TWIN_SETTINGS"]
    app.config.setdefault("TWIN_RATE_LIMITS", dict(settings.rate_limits))
    app.config.setdefault("RATELIMIT_STORAGE_URI", settings.rate_limit_storage)
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    for kind, value in app.config["TWIN_RATE_LIMITS"].items():
        try:  # a bad limit stops the start, naming it, rather than the first request
            parse(value)
        except ValueError as exc:
            raise ValueError(f"rate limit {kind!r}: {value!r} is not a limit ({exc})") from exc
    limiter = Limiter(caller, app=app)
    app.extensions["twin_rate_limits"] = limiter


def charge(kind: str) -> None:
    """Count one piece of ``kind`` work for the caller; 429 past the kind's limit."""
    limiter: Limiter = current_app.extensions["twin_rate_limits"]
    value = current_app.config["TWIN_RATE_LIMITS"].get(kind)
    if not limiter.enabled or not value:
        return
    limit = parse(value)
    who = caller()
    if limiter.limiter.hit(limit, "twin", kind, who):
        return
    reset_at, _ = limiter.limiter.get_window_stats(limit, "twin", kind, who)
    wait_s = max(1, math.ceil(reset_at - time.time()))
    raise TooManyRequests(
        f"rate limit of {kind} reached: {value} per caller; try again in {wait_s} s", wait_s
    )
