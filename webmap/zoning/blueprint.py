"""The ``zoning`` blueprint and what its views share: the caller, the job runner, a bbox."""

from __future__ import annotations

from flask import request

from twin.errors import InvalidInput, Problem

from ..auth.setup import current_principal
from ..jobs import pool
from ..pages import app_service, page_blueprint
from .jobs import CheckJobs

__all__ = ["bbox_arg", "bp", "check_jobs", "user_name"]

bp = page_blueprint("zoning", __name__, permission="plan", what="plan reconciliation")


def check_jobs() -> CheckJobs:
    """The app's runner of check runs."""
    return app_service("twin_zoning_jobs", lambda: CheckJobs(pool.runner()))


def user_name() -> str:
    return current_principal().name


def bbox_arg():
    """``?bbox=west,south,east,north`` (lon/lat) as four numbers, or None."""
    text = request.args.get("bbox")
    if not text:
        return None
    try:
        box = tuple(float(v) for v in text.split(","))
    except ValueError:
        box = ()
    if len(box) != 4:
        raise InvalidInput("bbox", [Problem("bbox", "four_numbers", "west,south,east,north")])
    return box
