"""Users, roles and API tokens of the twin.

Rules about who may do what live in :mod:`twin.auth.roles` (pure);
accounts and tokens in :mod:`twin.auth.users`; ``twin users`` is the CLI.
"""

from .roles import ANONYMOUS, ROLES, Principal

__all__ = ["ANONYMOUS", "ROLES", "Principal"]
