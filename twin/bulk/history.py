"""``import`` entries of ``audit.history`` built in memory, as COPY text.

Each entry's ``new`` is the feature as :func:`twin.features.row_to_feature`
gives it after the write: every column but the geometry as a property (the
stored value, defaults included), ``feature_type``, and the geometry as
``ST_AsGeoJSON(geom, 9)`` writes it.  Building the JSON here from the values
being copied, instead of reading the rows back in SQL, halves what the
database does per feature; the tests compare both forms column by column.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime

import numpy as np
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer
from sqlalchemy.dialects.postgresql import JSONB

from .cells import (
    COPY_ESCAPES,
    copy_escaped,
    json_default,
    lines,
    plain_text,
    text_cell,
    text_column,
)

__all__ = ["GENERATED", "history_rows", "json_column", "jsonb_order", "kind_of"]

#: Placeholder of a generated column's value (length, area) until it is read back.
GENERATED = "\x00"
_TRUE = {"t", "true", "y", "yes", "on", "1"}
_FALSE = {"f", "false", "n", "no", "off", "0"}
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')


def kind_of(column) -> str:
    """The JSON conversion a table column needs: text, integer, float ..."""
    kinds = (
        (JSONB, "jsonb"),
        (Boolean, "boolean"),
        (Integer, "integer"),
        (BigInteger, "integer"),
        (Float, "float"),
        (DateTime, "timestamp"),
        (Date, "date"),
    )
    return next((kind for cls, kind in kinds if isinstance(column.type, cls)), "text")


def _number(value, convert) -> str:
    try:
        number = convert(value.item() if isinstance(value, np.generic) else value)
    except (TypeError, ValueError):
        return "null"  # the database refuses the row; the text does not matter
    if isinstance(number, float) and not math.isfinite(number):
        return "null" if number != number else json.dumps(str(number).replace("inf", "Infinity"))
    return repr(number)


def _boolean(value) -> str:
    if isinstance(value, str):
        word = value.strip().lower()
        return "true" if word in _TRUE else "false" if word in _FALSE else "null"
    return "true" if value else "false"


def _date(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            return json.dumps(value, ensure_ascii=False)
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[D]").item()
    return f'"{value.isoformat()}"'


def _jsonb(value) -> str:
    if isinstance(value, str):
        return value  # JSON text already, stored as given
    return json.dumps(value, ensure_ascii=False, default=json_default)


def _text_json(values) -> list[str]:
    """JSON strings of text values; one ``json.dumps`` per distinct value needing it."""
    if all(v.__class__ is str or v is None for v in values):
        joined = "".join(v for v in values if v is not None)
        if not _NEEDS_ESCAPE.search(joined):
            return ["null" if v is None else '"' + v + '"' for v in values]
    memo: dict = {}
    out = []
    for v in values:
        text = memo.get(v) if v.__class__ is str else None
        if text is None:
            stored = plain_text(v)
            text = "null" if stored is None else json.dumps(stored, ensure_ascii=False)
            if v.__class__ is str:
                memo[v] = text
        out.append(text)
    return out


def json_column(kind: str, values) -> list[str]:
    """JSON text of the value PostgreSQL stores for each of ``values``.

    ``kind`` is :func:`kind_of` of the column; ``None`` (and NaN in numbers)
    is ``null``, text is what a text column keeps of the value.
    """
    if kind == "text":
        return _text_json(values)
    types = {v.__class__ for v in values}
    if kind == "float" and types <= {float, type(None)}:
        # v - v is 0 for finite numbers only: NaN and infinities take the slow path.
        return [
            "null" if v is None else repr(v) if v - v == 0 else _number(v, float) for v in values
        ]
    if kind == "integer" and types <= {int, type(None)}:
        return ["null" if v is None else str(v) for v in values]
    convert = {
        "integer": lambda v: _number(v, int),
        "float": lambda v: _number(v, float),
        "boolean": _boolean,
        "date": _date,
        "timestamp": lambda v: json.dumps(v, default=json_default),
        "jsonb": _jsonb,
    }[kind]
    return ["null" if v is None else convert(v) for v in values]


def jsonb_order(name: str) -> tuple[int, bytes]:
    """Where PostgreSQL's jsonb keeps a key: shorter keys first, then by bytes."""
    return len(name.encode()), name.encode()


def _document(properties: dict[str, list[str] | str], generated: str | None) -> list:
    """The pieces of the ``properties`` member: literal text and per-row columns.

    Keys come in the order jsonb stores them, which spares the database
    sorting them: a third of its work on each entry.
    """
    pieces: list = []
    ordered = sorted(properties.items(), key=lambda item: jsonb_order(item[0]))
    for k, (name, value) in enumerate(ordered):
        pieces.append(("," if k else "") + f'"{name}":')
        pieces.append(GENERATED if name == generated else value)
    return pieces


def history_rows(
    table: str,
    properties: dict[str, list[str] | str],
    geometry: list[str],
    codes: list[str],
    *,
    user: str | None,
    reason: str | None,
    generated: str | None = None,
) -> list[str]:
    """COPY text lines for ``audit.history`` (asset_id, feature_type, code,
    version, action, changed_by, reason, new), one per feature.

    ``properties`` maps every column (in table order) to the JSON texts of its
    stored values, or to one JSON text shared by all rows; ``geometry`` holds
    :func:`twin.bulk.geojson.geojson_texts`, ``codes`` the codes as text.  A ``generated`` column
    (``length_m``) is left as :data:`GENERATED` for the caller to replace once
    the database has computed it.
    """
    properties = {**properties, "feature_type": json.dumps(table)}
    escaped = {
        k: v.translate(COPY_ESCAPES) if isinstance(v, str) else copy_escaped(v)
        for k, v in properties.items()
    }
    return lines(
        [
            properties["id"],
            f"\t{text_cell(table)}\t",
            text_column(codes),
            "\t",
            properties["version"],
            f"\timport\t{text_cell(user)}\t{text_cell(reason)}\t",
            '{"id":',  # members in jsonb order too
            escaped["code"],
            ',"type":"Feature","geometry":',
            geometry,
            ',"properties":{',
            *_document(escaped, generated),
            "}}\n",
        ]
    )
