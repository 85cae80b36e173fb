"""What the pages of the areas (fiber plans, plan reconciliation) share.

Each area is a blueprint with its own templates and static files, served
with the vendored front-end libraries (:mod:`webmap.assets`, when
installed), readable only with a role's permission: a browser that is not
logged in is sent to the login form, anything else without the permission
gets the API's 401/403 problem.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, redirect, request, url_for

from twin.auth import require
from twin.errors import InvalidInput, Problem
from twin.plugins import load_optional

from .auth.setup import current_principal

__all__ = ["app_service", "json_object", "page_blueprint", "vendor_link", "with_vendored_assets"]


def with_vendored_assets(state) -> None:
    """``Blueprint.record_once`` hook: the app serves the vendored front-end
    libraries (:mod:`webmap.assets`, when installed)."""
    init_assets = load_optional("webmap.assets:init_app")
    if init_assets is not None:
        init_assets(state.app)


def page_blueprint(name: str, import_name: str, *, permission: str, what: str) -> Blueprint:
    """The blueprint ``name`` at ``/name``, its pages needing ``permission``.

    ``what`` names the area in the refusal ("viewing fibre plans").  The
    blueprint's page view is the endpoint ``page``.
    """
    bp = Blueprint(
        name, import_name, url_prefix=f"/{name}", template_folder="templates",
        static_folder="static",
    )
    bp.record_once(with_vendored_assets)

    @bp.before_request
    def _with_permission():
        who = current_principal()
        if who.anonymous and request.method == "GET" and request.endpoint == f"{name}.page":
            return redirect(url_for("auth.login", next=request.full_path))
        if request.endpoint != f"{name}.static":
            require(who, permission, what)
        return None

    return bp


def app_service(key: str, make: Callable[[], object]):
    """The app's one ``key`` service (a job runner ...), made on first use."""
    service = current_app.extensions.get(key)
    if service is None:
        service = current_app.extensions[key] = make()
    return service


def vendor_link(package: str, path: str) -> str:
    """A front-end library's file: through ``/vendor`` when that area is installed."""
    if "vendor" in current_app.blueprints:
        return url_for("vendor.vendor_file", target=f"{package}/{path}")
    return f"{request.script_root}/vendor/{package}/{path}"


def json_object() -> dict:
    """The request's JSON object body; anything else is refused as invalid input."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(
            "a JSON object is expected", [Problem("body", "json_object", "send JSON")]
        )
    return body
