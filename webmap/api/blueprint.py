"""The ``api`` blueprint that the read views (features) and the writes (editing) share."""

from __future__ import annotations

from flask import Blueprint

__all__ = ["bp"]

bp = Blueprint("api", __name__, template_folder="templates")
