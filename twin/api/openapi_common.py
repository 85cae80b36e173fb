"""The pieces every part of the OpenAPI document is written with.

References to shared parameters, media-typed content and the problem
responses each operation may give (:rfc:`9457` bodies, listed once under
``components/responses``).
"""

from __future__ import annotations

__all__ = ["ERRORS", "GEOJSON", "PROBLEM", "content", "ref", "responses"]

GEOJSON = "application/geo+json"
PROBLEM = "application/problem+json"

ERRORS = {
    400: "Invalid parameter",
    401: "Log in or send a token",
    403: "Not allowed for this role",
    404: "Not found",
    412: "Stale If-Match version: the body carries the current state",
    422: "Invalid feature: every failed field and rule",
    428: "If-Match required",
}


def ref(name: str) -> dict:
    """A reference to the shared parameter ``name``."""
    return {"$ref": f"#/components/parameters/{name}"}


def content(schema: dict, media: str = "application/json") -> dict:
    """A body of ``media`` type following ``schema``."""
    return {media: {"schema": schema}}


def responses(ok: str, body: dict | None = None, *errors: int) -> dict:
    """The success ``ok`` (``"<code> <description>"``) with its ``body``, and the
    problem responses ``errors`` (HTTP codes of :data:`ERRORS`)."""
    code, description = ok.split(" ", 1)
    out = {code: {"description": description, **({"content": body} if body else {})}}
    out.update({str(e): {"$ref": f"#/components/responses/{e}"} for e in errors})
    return out
