"""The data version of tiles: what lets a shared cache keep a tile until an edit lands in it.

Every writing statement on a feature table bumps its layer's row in
``audit.layer_version`` (a statement trigger, in the writer's transaction).
The version of a tile is the sum of its layers' versions: it grows with
every edit in them, and a database that shows version ``v`` holds every
edit up to it.  Tile URLs carry it (``?v=``); a tile answered under the
version its database holds may be kept by any cache for as long as it
likes (:func:`cache_control`), since a later edit changes the URL.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["IMMUTABLE_S", "cache_control", "layers_version"]

#: How long a tile answered under its current version may be kept (s): a year.
IMMUTABLE_S = 365 * 24 * 3600

_VERSION_SQL = "SELECT coalesce(sum(version), 0) FROM audit.layer_version WHERE layer = ANY(%s)"


def layers_version(cursor, layers: Iterable[str]) -> int:
    """The data version of ``layers`` as the database of ``cursor`` (psycopg) now holds it."""
    cursor.execute(_VERSION_SQL, (sorted(set(layers)),))
    return int(cursor.fetchone()[0])


def cache_control(asked: int | None, held: int | None, *, shared: bool) -> str:
    """``Cache-Control`` of a tile asked for at version ``asked`` and drawn at ``held``.

    Only a tile drawn at exactly the version of its URL is kept; ``shared``
    says whether a cache shared by many users may keep it (an anonymous
    request), or only the user's own browser.

    >>> cache_control(7, 7, shared=True)
    'public, max-age=31536000, immutable'
    >>> cache_control(7, 8, shared=True)
    'no-cache'
    >>> cache_control(None, 8, shared=False)
    'no-cache'
    """
    if asked is None or asked != held:
        return "no-cache"
    return f"{'public' if shared else 'private'}, max-age={IMMUTABLE_S}, immutable"
