"""Users, roles and API tokens of the twin.

Rules about who may do what live in :mod:`twin.auth.roles` (pure);
accounts and tokens in :mod:`twin.auth.users`; failed sign-ins counted in
:mod:`twin.auth.throttle`; ``twin users`` is the CLI.
"""

from .models import User
from .roles import (
    ANONYMOUS,
    CAPABILITIES,
    ROLES,
    Principal,
    default_anonymous_layers,
    has,
    is_device,
    require,
    require_read,
    require_write,
    sees_personal,
)
from .throttle import failed as login_failed
from .throttle import seconds_to_wait
from .throttle import succeeded as login_succeeded
from .users import authenticate, dummy_hash, end_sessions, user_for_token

__all__ = [
    "ANONYMOUS",
    "CAPABILITIES",
    "ROLES",
    "Principal",
    "User",
    "authenticate",
    "default_anonymous_layers",
    "dummy_hash",
    "end_sessions",
    "has",
    "is_device",
    "login_failed",
    "login_succeeded",
    "require",
    "require_read",
    "require_write",
    "seconds_to_wait",
    "sees_personal",
    "user_for_token",
]
