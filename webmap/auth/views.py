"""``/login``, ``/logout`` and ``/me`` (who am I, my role, my CSRF token)."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf

from twin.auth import users as accounts
from twin.auth.roles import CAPABILITIES

from ..db import get_session
from .setup import SessionUser, anonymous_layers, current_principal

__all__ = ["bp"]

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the login form cannot redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


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


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", next=next_url, error=None)
    data = request.get_json(silent=True) if request.is_json else request.form
    data = data if isinstance(data, dict) or hasattr(data, "get") else {}
    name, password = str(data.get("username") or ""), str(data.get("password") or "")
    user = accounts.authenticate(get_session(), name, password)
    if user is None:
        message = "Wrong user name or password, or the account is disabled."
        if request.is_json:
            return jsonify(
                {
                    "type": "about:blank",
                    "title": "Authentication required",
                    "status": 401,
                    "detail": message,
                }
            ), 401
        return render_template("auth/login.html", next=next_url, error=message), 401
    session.clear()
    login_user(SessionUser(user))
    if request.is_json:
        return jsonify(_me())
    return redirect(next_url)


@bp.route("/logout", methods=["GET", "POST"])
def logout():
    logout_user()
    session.clear()
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(_me())
    return redirect(_safe_next(request.values.get("next")))


@bp.get("/me")
def me():
    return jsonify(_me())
