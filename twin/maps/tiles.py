"""The map's vector tiles: every shown feature type in one tile, kept until the twin changes.

The page asks for one tile per position holding all the feature types it
shows (``/map/tiles/z/x/y.mvt?t=...``), built by the feature API's own tile
code (:func:`twin.api.tiles.tile_bytes`: one MVT layer per type), areas
first and points last so that points stay on top.

Tiles are kept in memory, named by what they show and by the twin's data
version (:func:`twin.features.data_version`), the newest entry of the audit trail: every write to a feature
table is recorded by the table's trigger (whatever the client) or by the
bulk loader, so a new
version means some feature may have changed and every older tile simply
stops being asked for.  The least recently used tiles are dropped beyond a
byte budget.

A tile is sent gzip-compressed to a client that accepts it: the MVT of a
dense view shrinks to about 30 % (943 to 275 KiB for the city centre),
which counts on a phone's network; the compressed bytes are kept in memory
beside the plain ones, so a tile is compressed once per data version.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from sqlalchemy import text
from sqlalchemy.orm import Session

from layers import feature_type
from twin.api import draw_order, tile_bytes
from twin.features import data_version

__all__ = ["TileMemo", "combined_tile"]


class TileMemo:
    """A thread-safe least-recently-used store of tile bytes, bounded in bytes."""

    def __init__(self, max_bytes: int = 256 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.size = 0
        self._tiles: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            data = self._tiles.get(key)
            if data is not None:
                self._tiles.move_to_end(key)
            return data

    def put(self, key: tuple, data: bytes) -> None:
        if len(data) > self.max_bytes:
            return
        with self._lock:
            old = self._tiles.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._tiles[key] = data
            self.size += len(data)
            while self.size > self.max_bytes:
                _, dropped = self._tiles.popitem(last=False)
                self.size -= len(dropped)

    def __len__(self) -> int:
        return len(self._tiles)


def combined_tile(
    session: Session,
    tables: list[str],
    z: int,
    x: int,
    y: int,
    memo: TileMemo | None = None,
    *,
    detail: int = 0,
    gzipped: bool = False,
) -> bytes:
    """Tile z/x/y of ``tables`` (already checked as readable), from ``memo`` when fresh.

    ``detail`` 1 makes the 512-pixel tile of WebGL clients (see
    :func:`twin.api.tiles.tile_statement`).  ``gzipped`` gives the tile
    gzip-compressed (an empty tile stays empty).
    """
    if not tables:
        return b""
    ordered = tuple(draw_order(tables))
    key = (data_version(session), z, x, y, ordered, detail) if memo is not None else None
    if gzipped:
        packed_key = key and (*key, "gzip")
        if packed_key is not None and (cached := memo.get(packed_key)) is not None:
            return cached
        data = combined_tile(session, tables, z, x, y, memo, detail=detail)
        packed = gzip.compress(data, compresslevel=6, mtime=0) if data else b""
        if packed_key is not None:
            memo.put(packed_key, packed)
        return packed
    if key is not None and (cached := memo.get(key)) is not None:
        return cached
    # A tile is one large but simple statement: PostgreSQL's JIT would spend
    # seconds compiling what runs in a fraction of a second without it, and
    # planning it for every tile costs as much as building it: its generic
    # plan (an index scan per type, whatever the tile) is made once per
    # connection and zoom.
    session.execute(text("SELECT set_config('jit', 'off', true),"
                         " set_config('plan_cache_mode', 'force_generic_plan', true)"))
    data = tile_bytes(session, [feature_type(t) for t in ordered], z, x, y, detail=detail)
    if key is not None:
        memo.put(key, data)
    return data
