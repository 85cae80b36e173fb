"""One hierarchy of errors for the twin.

Each error carries its HTTP status, so the web layer maps them in one handler
and the CLI prints the same message and exits non-zero.  Messages name the
feature, the field and the rule; they never carry secrets.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Conflict", "Forbidden", "InvalidInput", "NotFound", "Problem", "RetryLater",
           "TooLarge", "TooManyRequests", "TwinError", "Unauthorized", "Unavailable"]


@dataclass(frozen=True)
class Problem:
    """One failed rule: which feature, which field, which rule, in words."""

    field: str
    rule: str
    message: str
    feature: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        where = f"{self.feature}: " if self.feature else ""
        return f"{where}{self.field}: {self.message} [{self.rule}]"


class TwinError(Exception):
    """Base of every error the twin reports to a user."""

    status = 500
    title = "Internal error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_problem(self) -> dict:
        """An RFC 9457 problem+json body."""
        return {"type": "about:blank", "title": self.title, "status": self.status,
                "detail": self.message}


class NotFound(TwinError):
    status = 404
    title = "Not found"


class InvalidInput(TwinError):
    """Input broke one or more rules; ``problems`` lists every one."""

    status = 422
    title = "Invalid input"

    def __init__(self, message: str, problems: list[Problem] | None = None):
        problems = list(problems or [])
        if problems:
            message = message + "\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(message)
        self.problems = problems

    def to_problem(self) -> dict:
        body = super().to_problem()
        body["problems"] = [p.to_dict() for p in self.problems]
        return body


class Conflict(TwinError):
    """A write based on a stale version; ``current`` is the state now stored."""

    status = 412
    title = "Precondition failed"

    def __init__(self, message: str, current: dict | None = None):
        super().__init__(message)
        self.current = current

    def to_problem(self) -> dict:
        body = super().to_problem()
        if self.current is not None:
            body["current"] = self.current
        return body


class Unauthorized(TwinError):
    status = 401
    title = "Authentication required"


class Forbidden(TwinError):
    status = 403
    title = "Forbidden"


class RetryLater(TwinError):
    """A refusal that passes; ``retry_after_s`` (the ``Retry-After`` header) says when to try again."""

    def __init__(self, message: str, retry_after_s: int):
        super().__init__(message)
        self.retry_after_s = retry_after_s
        self.headers = {"Retry-After": str(retry_after_s)}


class TooManyRequests(RetryLater):
    """Too many attempts or requests from one caller."""

    status = 429
    title = "Too many requests"


class Unavailable(RetryLater):
    """The database is away (stopped, restarting) or too busy to answer in time."""

    status = 503
    title = "Service unavailable"


class TooLarge(TwinError):
    """A request body over the limit of its endpoint (refused before it is read)."""

    status = 413
    title = "Content too large"
