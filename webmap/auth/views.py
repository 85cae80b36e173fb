"""``/login``, ``/logout``, ``/logout/everywhere`` and ``/me`` (who am I, my role, my CSRF token).

Logging in is throttled per account and per address (:mod:`twin.auth.throttle`);
logging out is a POST (a link or an image on another page cannot do it); both
redirect only to paths of this site (:mod:`webmap.auth.redirects`).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf

from twin.auth import (
    CAPABILITIES,
    authenticate,
    end_sessions,
    login_failed,
    login_succeeded,
    seconds_to_wait,
)
from twin.errors import TooManyRequests, Unauthorized
from twin.i18n import N_

from ..db import get_session
from .redirects import same_site_path
from .setup import SessionUser, anonymous_layers, current_principal

__all__ = ["bp"]

bp = Blueprint("auth", __name__, template_folder="templates")

WRONG = N_("Wrong user name or password, or the account is disabled.")
WAIT = N_("Too many failed logins: wait %(seconds)s seconds, then try again.")


def _me() -> dict:
    who = current_principal()
    return {
        "user": who.name,
        "role": who.role,
        "authenticated": not who.anonymous,
        "capabilities": sorted(c for c, roles in CAPABILITIES.items() if who.role in roles),
        "anonymous_layers": sorted(anonymous_layers()),
        "csrf_token": generate_csrf(),
    }


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _credentials() -> tuple[str, str]:
    data = request.get_json(silent=True) if request.is_json else request.form
    data = data if isinstance(data, dict) or hasattr(data, "get") else {}
    return str(data.get("username") or ""), str(data.get("password") or "")


def _refused(next_url: str, status: int, message: str, headers: dict | None = None):
    page = render_template("auth/login.html", next=next_url, error=message)
    return page, status, headers or {}


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = same_site_path(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", next=next_url, error=None)
    name, password = _credentials()
    db, address = get_session(), request.remote_addr
    wait = seconds_to_wait(db, name, address)
    if wait:
        if request.is_json:
            raise TooManyRequests(WAIT % {"seconds": wait}, wait)
        headers = {"Retry-After": str(wait)}
        return _refused(next_url, 429, _(WAIT, seconds=wait), headers)
    user = authenticate(db, name, password)
    if user is None:
        login_failed(db, name, address)
        db.commit()
        if request.is_json:
            raise Unauthorized(WRONG)
        return _refused(next_url, 401, _(WRONG))
    login_succeeded(db, name)
    db.commit()
    session.clear()
    login_user(SessionUser(user))
    if request.is_json:
        return jsonify(_me())
    return redirect(next_url)


def _signed_out():
    logout_user()
    session.clear()
    if _wants_json():
        return jsonify(_me())
    return redirect(same_site_path(request.values.get("next")))


@bp.post("/logout")
def logout():
    return _signed_out()


@bp.post("/logout/everywhere")
def logout_everywhere():
    """End every session of the caller (other browsers and devices included)."""
    who = current_principal()
    if who.anonymous:
        raise Unauthorized("signing out everywhere: log in first")
    db = get_session()
    end_sessions(db, who.name)
    db.commit()
    return _signed_out()


@bp.get("/me")
def me():
    return jsonify(_me())
