"""Users, roles and API tokens of the twin.

Rules about who may do what live in :mod:`twin.auth.roles` (pure);
accounts and tokens in :mod:`twin.auth.users`; ``twin users`` is the CLI.
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

__all__ = [
    "ANONYMOUS",
    "CAPABILITIES",
    "ROLES",
    "Principal",
    "User",
    "default_anonymous_layers",
    "has",
    "is_device",
    "require",
    "require_read",
    "require_write",
    "sees_personal",
]
