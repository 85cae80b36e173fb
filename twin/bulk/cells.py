"""Values in PostgreSQL's COPY text format, column by column.

A column of a million values is converted with one list comprehension, or
passed through unchanged when it is plain text without characters COPY
escapes; geometries become hex EWKB with the storage SRID, the text form
PostGIS reads fastest.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from itertools import repeat

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

from twin.config import STORAGE_SRID
from twin.errors import InvalidInput

__all__ = [
    "COPY_ESCAPES",
    "NULL",
    "POINT_EWKB_SIZE",
    "as_shapes",
    "ewkb_hex",
    "points_ewkb",
    "text_cell",
    "text_column",
]

NULL = "\\N"
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def as_shapes(values, *, multi: bool) -> np.ndarray:
    """Shapely geometries from shapely objects, WKB bytes/hex, WKT or EWKT text.

    ``multi`` makes polygons one-part multipolygons (for MultiPolygon tables).
    """
    values = list(values)
    shapes = np.empty(len(values), dtype=object)
    shapes[:] = values
    if not shapely.is_geometry(shapes).all():
        values = shapes.tolist()
        for i, v in enumerate(values):
            shapes[i] = _shape(v)
    if multi:
        polys = shapely.get_type_id(shapes) == 3
        if polys.any():
            shapes[polys] = [MultiPolygon([p]) for p in shapes[polys]]
    return shapes


def _shape(value) -> BaseGeometry:
    if isinstance(value, BaseGeometry):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return shapely.from_wkb(bytes(value))
    if isinstance(value, str) and value.upper().startswith("SRID="):
        return shapely.from_wkt(value.split(";", 1)[1])
    if isinstance(value, str):
        return shapely.from_wkb(value) if _is_hex(value) else shapely.from_wkt(value)
    raise InvalidInput(f"unreadable geometry of type {type(value).__name__}")


def _is_hex(text: str) -> bool:
    return len(text) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in text[:16])


_POINT_EWKB = np.dtype(
    [("order", "u1"), ("type", "<u4"), ("srid", "<u4"), ("x", "<f8"), ("y", "<f8")]
)


def ewkb_hex(shapes: np.ndarray) -> list[str]:
    """Hex EWKB with the storage SRID for an array of shapely geometries."""
    if len(shapes) and (shapely.get_type_id(shapes) == 0).all() and not shapely.has_z(shapes).any():
        return _points_ewkb_hex(shapes)
    plain = shapely.to_wkb(shapes, hex=True, byte_order=1).tolist()
    # Little-endian WKB of a 2D geometry: "01" + type (4 bytes) + body.  EWKB
    # sets the SRID flag in the type's last byte and puts the SRID after it.
    srid = STORAGE_SRID.to_bytes(4, "little").hex().upper()
    if all(h[8:10] == "00" for h in plain):
        return [f"{h[:8]}20{srid}{h[10:]}" for h in plain]
    shapes = shapely.set_srid(shapes, STORAGE_SRID)
    return shapely.to_wkb(shapes, hex=True, include_srid=True, byte_order=1).tolist()


#: Bytes of the EWKB of one 2D point.
POINT_EWKB_SIZE = _POINT_EWKB.itemsize


def points_ewkb(x: np.ndarray, y: np.ndarray) -> bytes:
    """EWKB (storage SRID) of 2D points, one after the other
    (:data:`POINT_EWKB_SIZE` bytes each), written straight from their
    coordinates (no GEOS writer)."""
    records = np.empty(len(x), dtype=_POINT_EWKB)
    records["order"] = 1
    records["type"] = 0x20000001  # point with the SRID flag
    records["srid"] = STORAGE_SRID
    records["x"] = x
    records["y"] = y
    return records.tobytes()


def _points_ewkb_hex(points: np.ndarray) -> list[str]:
    text = points_ewkb(shapely.get_x(points), shapely.get_y(points)).hex()
    size = 2 * POINT_EWKB_SIZE
    return [text[i : i + size] for i in range(0, len(text), size)]


def _plain_text(value) -> str | None:
    """What PostgreSQL stores for ``value`` in a text column (``None``: NULL)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return str(value)


def text_cell(value) -> str:
    """One value in COPY text format (NULL, escaped text, JSON, ISO dates)."""
    text = _plain_text(value)
    return NULL if text is None else text.translate(COPY_ESCAPES)


def text_column(values: list) -> list[str]:
    """A column in COPY text format, with fast paths for plain numbers and text."""
    kinds = set(map(type, values))  # C-level loops: a million values in hundredths of a second
    if kinds <= {int, float}:
        text = list(map(str, values))
        if float in kinds:
            for i in np.flatnonzero(np.isnan(np.asarray(values, dtype=float))):
                text[i] = NULL
        return text
    if kinds <= {int, float, type(None)}:
        return [NULL if v is None or v != v else str(v) for v in values]
    if kinds == {str}:
        joined = "".join(values)
        if not any(c in joined for c in "\\\t\n\r"):
            return values
    return [text_cell(v) for v in values]


def _json_default(value):
    """``json.dumps`` fallback: ISO dates, numpy scalars as Python values."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot store {type(value).__name__} in JSON")


def copy_escaped(texts: list[str]) -> list[str]:
    """``texts`` with the characters COPY text format escapes escaped (if any)."""
    joined = "".join(texts)
    if any(c in joined for c in "\\\t\n\r"):
        return [t.translate(COPY_ESCAPES) for t in texts]
    return texts


def lines(pieces: list) -> list[str]:
    """Rows made of ``pieces``: text shared by every row, or lists of one text per row.

    The fastest way to glue columns of text in Python: one ``join`` per row.
    """
    merged: list = []
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    if all(isinstance(piece, str) for piece in merged):
        raise ValueError("lines() needs at least one column")
    return list(map("".join, zip(*(repeat(p) if isinstance(p, str) else p for p in merged))))
