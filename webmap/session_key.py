"""The key that signs session cookies: generated once per twin, never a constant.

Whoever knows the key can forge a cookie naming any user, the admin
included.  Without ``TWIN_SECRET_KEY`` the twin makes a random key at first
start and keeps it in ``<home>/session.key`` (mode 0600), so sessions survive
a restart and every installation has its own.  A key set by hand is checked
by :func:`require_strong_key` before the twin listens on a network.
"""

from __future__ import annotations

import ipaddress
import secrets
from pathlib import Path

from twin.errors import InvalidInput, Problem
from twin.private_files import read_or_create

__all__ = ["MIN_KEY_LENGTH", "generated_key", "require_strong_key", "weakness"]

MIN_KEY_LENGTH = 32
#: Words of keys copied from examples and tests; a key containing one is not secret.
_KNOWN_WORDS = ("change-me", "changeme", "change_me", "secret", "password", "example", "default")


def generated_key(home: Path) -> str:
    """The twin's own session key, made at first start in ``home/session.key``."""
    return read_or_create(Path(home) / "session.key", lambda: secrets.token_urlsafe(48))


def weakness(key: str | None) -> str | None:
    """Why ``key`` may not sign sessions on a network, or None when it may."""
    if not key:
        return "no key is set"
    if len(key) < MIN_KEY_LENGTH:
        return f"it has {len(key)} characters, fewer than {MIN_KEY_LENGTH}"
    lowered = key.lower()
    word = next((w for w in _KNOWN_WORDS if w in lowered), None)
    if word is not None:
        return f"it contains {word!r}, like the example keys everyone knows"
    if len(set(key)) < 12:
        return "it repeats too few different characters"
    return None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_strong_key(key: str | None, host: str) -> None:
    """Refuse to listen on ``host`` beyond this machine with a weak session key."""
    reason = weakness(key)
    if reason is None or _loopback(host):
        return
    message = (
        f"refusing to serve on {host} with a weak session key ({reason}): anyone could "
        "forge a session; unset TWIN_SECRET_KEY to use the generated key in "
        "$TWIN_HOME/session.key, or set it to a random value, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
    )
    raise InvalidInput(message, [Problem("TWIN_SECRET_KEY", "strength", reason)])
