"""The accounts of the twin's private MQTT broker and the files Mosquitto reads.

One account per device kind (``device-<kind>``: may publish only under
``twin/<kind>/``) and one for the ingest (``twin-ingest``: may only read
``twin/#``).  Their random passwords are generated once into
``<home>/mqtt.secret`` (JSON, mode 0600 from creation, outside the broker's
folder so the broker's user never reads them); the broker gets the
PBKDF2-SHA512 hashes (Mosquitto 2.0's ``$7$`` format) and the ACL.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from pathlib import Path

from twin.private_files import write_private

from .schema import DEVICE_KINDS, TOPIC_ROOT

__all__ = [
    "INGEST",
    "acl_text",
    "device_account",
    "load_or_create",
    "password_file_text",
]

INGEST = "twin-ingest"
#: Mosquitto's own default for ``mosquitto_passwd``; the passwords are random
#: 256-bit tokens, so the hash's cost adds nothing against guessing.
PBKDF2_ITERATIONS = 101
_SALT_BYTES = 12


def device_account(kind: str) -> str:
    """The user name the devices of ``kind`` connect with."""
    return f"device-{kind}"


def accounts() -> list[str]:
    return [INGEST, *(device_account(kind) for kind in DEVICE_KINDS)]


def load_or_create(path: Path) -> dict[str, str]:
    """``{user name: password}`` of every account; missing ones are generated and saved."""
    known = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in accounts() if name not in known]
    if missing:
        known.update({name: secrets.token_urlsafe(32) for name in missing})
        write_private(path, json.dumps(known, indent=1) + "\n")
    return known


def _hash(password: str) -> str:
    salt = secrets.token_bytes(_SALT_BYTES)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, PBKDF2_ITERATIONS)
    b64 = base64.b64encode
    return f"$7${PBKDF2_ITERATIONS}${b64(salt).decode()}${b64(digest).decode()}"


def password_file_text(passwords: dict[str, str]) -> str:
    """Mosquitto's ``password_file``: ``user:$7$<iterations>$<salt>$<hash>`` lines."""
    return "".join(f"{user}:{_hash(pw)}\n" for user, pw in sorted(passwords.items()))


def acl_text() -> str:
    """Mosquitto's ``acl_file``: each device kind writes its own subtree, only the ingest reads."""
    lines = [
        "# who may publish and read what (written by twin.live.credentials)",
        f"user {INGEST}",
        f"topic read {TOPIC_ROOT}/#",
    ]
    for kind in DEVICE_KINDS:
        lines += ["", f"user {device_account(kind)}", f"topic write {TOPIC_ROOT}/{kind}/+"]
    return "\n".join(lines) + "\n"
