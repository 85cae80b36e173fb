"""Files that hold secrets (passwords, keys): owner-only from their first byte.

A file written with ``write_text`` and narrowed with ``chmod`` afterwards is
readable by every local user for a moment, and for good if the process dies
in between.  Here the file is created by :func:`os.open` with mode 0600, the
content is written to a private temporary name, and only then given its real
name (``os.link`` or ``os.replace``), so nobody ever sees a partial secret.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from twin.errors import Forbidden

__all__ = ["PRIVATE_MODE", "read_or_create", "write_private"]

#: Read and write for the owner, nothing for the group or others.
PRIVATE_MODE = 0o600


def _private_temp(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.part")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    return temp


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (replacing it) with mode 0600 from the start."""
    temp = _private_temp(path, text)
    try:
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _read_private(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise Forbidden(
            f"{path} is readable by other users (mode {mode:o}); it holds a secret: "
            "run 'chmod 600' on it or delete it to have a new one made"
        )
    return path.read_text(encoding="utf-8").strip()


def read_or_create(path: Path, make: Callable[[], str]) -> str:
    """The secret kept in ``path``; made by ``make()`` and stored on first use.

    Two processes starting at once agree on one secret: the file appears
    atomically (``os.link`` fails if it exists) and the loser reads the
    winner's.  An existing file readable by others is refused, not used.
    """
    if path.exists():
        return _read_private(path)
    secret = make()
    temp = _private_temp(path, secret + "\n")
    try:
        os.link(temp, path)
    except FileExistsError:
        return _read_private(path)
    finally:
        temp.unlink(missing_ok=True)
    return secret
