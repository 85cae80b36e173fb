"""Protective headers on every response: a strict Content-Security-Policy and its companions.

The policy lets a page run only the scripts this app serves and the inline
``<script>`` blocks it wrote itself, each carrying the request's nonce
(``{{ csp_nonce() }}`` in templates, :func:`with_nonce` for HTML rendered by
folium).  A script smuggled into a page through data therefore never runs,
even if a value reaches the DOM as HTML.  ``<style>`` blocks need the nonce
too; ``style="..."`` attributes are allowed: templates use a few, markup
built by scripts may carry them, and an attribute can run no code nor load
from another site.

The maps draw with WebGL through MapLibre GL, which runs a web worker.  It
starts the worker from its own module file served by this app
(``/vendor/maplibre-gl/dist/maplibre-gl-worker.mjs``), which ``script-src
'self'`` allows (``worker-src`` falls back to it), so the policy grants no
``blob:`` worker and no ``'unsafe-eval'``.

A view that sets one of these headers itself keeps its own value.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from flask import current_app, g

__all__ = ["SECURITY_HEADERS", "content_security_policy", "csp_nonce", "init_app", "with_nonce"]

#: Headers that are the same on every response.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=(), usb=()",
}

_NONCE_BYTES = 16
#: An inline ``<script>`` (one without ``src``) or a ``<style>`` opening tag.
_INLINE_TAG = re.compile(r"<(script(?![^>]*\bsrc=)|style)\b", re.IGNORECASE)


def csp_nonce() -> str:
    """The nonce of this request, made on first use (a fresh one per request)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(_NONCE_BYTES)
    return nonce


def with_nonce(html: str) -> str:
    """``html`` with this request's nonce on every inline ``<script>`` and ``<style>``."""
    nonce = csp_nonce()
    return _INLINE_TAG.sub(lambda m: f'<{m[1]} nonce="{nonce}"', html)


def _tile_source(url_template: str | None) -> str | None:
    """The CSP source of a raster tile URL template (``{s}`` sub-domains become ``*``)."""
    if not url_template:
        return None
    parts = urlsplit(url_template.replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(nonce: str | None, *, image_sources=()) -> str:
    """The policy: this origin only, inline scripts and style blocks with ``nonce``.

    ``image_sources`` adds origins images may come from (an online basemap).
    """
    inline = f" 'nonce-{nonce}'" if nonce else ""
    directives = (
        "default-src 'self'",
        f"script-src 'self'{inline}",
        f"style-src 'self'{inline}",
        "style-src-attr 'unsafe-inline'",
        " ".join(("img-src 'self' data: blob:", *image_sources)),
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
    return "; ".join(directives)


def _protect(response):
    basemap = current_app.config.get("MAP_ONLINE_BASEMAP") or {}
    source = _tile_source(basemap.get("url"))
    policy = content_security_policy(g.get("csp_nonce"), image_sources=(source,) if source else ())
    response.headers.setdefault("Content-Security-Policy", policy)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app) -> None:
    """Put the headers on every response; templates get ``csp_nonce()``."""
    app.after_request(_protect)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
