"""Who is calling: a browser session, an API token, or nobody; and CSRF for browsers.

* Browsers log in at ``/login`` and carry a session cookie; their writes
  must send the ``X-CSRFToken`` header (``GET /me`` gives the token).
* Tools send ``Authorization: Bearer <token>`` (or HTTP Basic with the
  token as password); such requests carry no cookie a third-party page could
  ride on, so they are exempt from CSRF.
* A session names the user *and* their session generation
  (``auth.users.session_generation``); a password change, deactivation or
  "sign out everywhere" raises the generation, which ends every session.
* Anonymous callers read the layers listed in ``TWIN_ANONYMOUS_LAYERS``
  (default: the layers declared ``open_data``).
"""

from __future__ import annotations

import base64
import binascii

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from twin.auth import (
    ANONYMOUS,
    Principal,
    User,
    default_anonymous_layers,
    dummy_hash,
    user_for_token,
)
from twin.errors import Unauthorized
from webmap.db import get_session
from webmap.errors import problem_page, wants_page

__all__ = [
    "SessionUser",
    "anonymous_layers",
    "csrf",
    "current_principal",
    "init_app",
    "login_manager",
]

login_manager = LoginManager()
csrf = CSRFProtect()
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SessionUser(UserMixin):
    """The logged-in user as Flask-Login sees it (plain values, no ORM object)."""

    def __init__(self, user: User, *, via_token: bool = False):
        self.id = user.id
        self.name = user.name
        self.role = user.role
        self.generation = user.session_generation
        self.via_token = via_token

    def get_id(self) -> str:
        """What the session cookie keeps: ``<user id>:<session generation>``."""
        return f"{self.id}:{self.generation}"


def _load_session_user(session_id: str):
    """The user of a session cookie, unless disabled or signed out since (checked each request)."""
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return SessionUser(user)


def _token_from(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return decoded.partition(":")[2]
    return None


def _load_token_user(req):
    header = req.headers.get("Authorization")
    if not header:
        return None
    token = _token_from(header)
    user = user_for_token(get_session(), token) if token else None
    if user is None:
        raise Unauthorized("the API token is unknown, revoked or malformed")
    return SessionUser(user, via_token=True)


def current_principal() -> Principal:
    """The :class:`~twin.auth.roles.Principal` of this request."""
    if not current_user or not current_user.is_authenticated:
        return ANONYMOUS
    return Principal(current_user.name, current_user.role, via_token=current_user.via_token)


def anonymous_layers() -> frozenset[str]:
    return frozenset(current_app.config["TWIN_ANONYMOUS_LAYERS"])


def _token_first():
    """An explicit token names the caller even when a session cookie is sent too."""
    if "Authorization" in request.headers:
        g._login_user = _load_token_user(request)  # where Flask-Login keeps the user


def _protect_writes():
    if request.method not in WRITE_METHODS:
        return
    if request.endpoint == "auth.login":
        csrf.protect()
    elif current_user.is_authenticated and not current_user.via_token:
        csrf.protect()


def _csrf_failed(exc: CSRFError):
    if wants_page():  # a form a browser sent (the login page left open too long)
        return problem_page(
            403, explanation=_("The form has expired: load the page again, then send it.")
        )
    body = {
        "type": "about:blank",
        "title": "Forbidden",
        "status": 403,
        "detail": f"CSRF check failed ({exc.description}): browser sessions send the "
        "X-CSRFToken header on writes; GET /me gives the token",
    }
    response = jsonify(body)
    response.status_code = 403
    response.mimetype = "application/problem+json"
    return response


def _unauthorized():
    raise Unauthorized("log in at /login or send 'Authorization: Bearer <token>'")


def init_app(app) -> None:
    app.config.setdefault("TWIN_ANONYMOUS_LAYERS", sorted(default_anonymous_layers()))
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.user_loader(_load_session_user)
    login_manager.request_loader(_load_token_user)
    login_manager.unauthorized_handler(_unauthorized)
    csrf.init_app(app)
    dummy_hash()  # ready before the first login (see twin.auth.users.authenticate)
    app.before_request(_token_first)
    app.before_request(_protect_writes)
    app.register_error_handler(CSRFError, _csrf_failed)
