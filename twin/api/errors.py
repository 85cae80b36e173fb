"""Errors of the API that the core hierarchy does not name (each carries its status)."""

from __future__ import annotations

from twin.errors import InvalidInput, Problem, TwinError

__all__ = ["InvalidParameter", "PreconditionRequired", "bad_parameter"]


class InvalidParameter(InvalidInput):
    """A query parameter or header that cannot be understood (400, not 422)."""

    status = 400
    title = "Invalid parameter"


class PreconditionRequired(TwinError):
    """A write without ``If-Match``: the server cannot rule out a lost update."""

    status = 428
    title = "Precondition required"


def bad_parameter(name: str, rule: str, message: str) -> InvalidParameter:
    """An :class:`InvalidParameter` for one parameter, worded once."""
    return InvalidParameter(f"{name}: {message}", [Problem(name, rule, message)])
