"""Turning database constraint violations into errors that name the rule."""

from __future__ import annotations

import re

from sqlalchemy.exc import IntegrityError

from ..declare import CODE_PATTERN
from ..errors import InvalidInput, Problem

__all__ = ["translate_integrity_error"]

_CONSTRAINT = re.compile(r'constraint "([^"]+)"')
_RULES = (
    ("_geom_valid", "geometry", "valid_geometry", "the geometry is not valid (PostGIS ST_IsValid)"),
    ("_geom_not_empty", "geometry", "required", "the geometry is empty"),
    ("_status_allowed", "status", "allowed_values", "unknown status"),
    ("_code", "code", "unique", "this code is already used by another asset"),
    ("_code_pattern", "code", "code_pattern", f"the code must match {CODE_PATTERN}"),
)


def translate_integrity_error(exc: IntegrityError, table: str) -> InvalidInput:
    """An :class:`InvalidInput` naming the table, the field and the broken rule."""
    message = str(exc.orig)
    match = _CONSTRAINT.search(message)
    name = match.group(1) if match else ""
    for suffix, field, rule, text in _RULES:
        if name.endswith(suffix):
            return InvalidInput(f"{table}: rejected by the database",
                                [Problem(field, rule, text, table)])
    m = re.match(rf"ck_{table}_(\w+)_(allowed|min|max)$", name)
    if m:
        rule = {"allowed": "allowed_values", "min": "minimum", "max": "maximum"}[m.group(2)]
        return InvalidInput(f"{table}: rejected by the database",
                            [Problem(m.group(1), rule, f"violates {name}", table)])
    first_line = message.splitlines()[0] if message else "integrity error"
    return InvalidInput(f"{table}: rejected by the database: {first_line}",
                        [Problem("feature", name or "integrity", first_line, table)])
