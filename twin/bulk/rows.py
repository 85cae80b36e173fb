"""The rows of one bulk write, turned into COPY text chunk by chunk.

A chunk is the text for the feature table and, when the history is kept,
the lines for ``audit.history`` holding each feature as stored: the values
copied, the table's defaults for columns not given (evaluated once by the
database) and, for lines and areas, the generated length or area read back
after the chunk is stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from ..models import model
from .cells import ewkb_hex, lines, text_cell, text_column
from .communes import communes_at
from .geojson import geojson_texts
from .history import GENERATED, history_rows, json_column, kind_of

__all__ = ["Rows", "chunks", "stored_defaults", "with_generated"]


@dataclass
class Rows:
    """Columns of values to copy into ``table``.

    ``values`` maps column names to lists (``id`` and ``code`` included),
    ``constant`` columns hold one value for every row (the user stamps),
    ``shapes`` the shapely geometries in WGS 84.  With ``communes`` (codes
    and polygons), rows without a commune get theirs chunk by chunk.
    """

    table: str
    values: dict[str, list]
    constant: dict[str, object]
    shapes: np.ndarray
    communes: tuple[list[str], np.ndarray] | None = None
    columns: list = field(init=False)

    def __post_init__(self) -> None:
        self.columns = [c for c in model(self.table).__table__.columns if c.name != "geom"]

    def __len__(self) -> int:
        return len(self.shapes)

    @property
    def names(self) -> list[str]:
        """Columns named in the COPY, in the order of :meth:`feature_text`."""
        return [*self.values, "geom", *self.constant]

    @property
    def generated(self) -> str | None:
        """The column the database computes (``length_m``, ``area_m2``), if any."""
        return next((c.name for c in self.columns if c.computed is not None), None)

    def fill_communes(self, rows: slice) -> None:
        """Give the rows ``rows`` that have no commune the one they lie in."""
        if self.communes is None:
            return
        column = self.values["commune"]
        missing = [i for i in range(*rows.indices(len(self))) if column[i] is None]
        if missing:
            found = communes_at(self.shapes[missing], *self.communes)
            for i, code in zip(missing, found, strict=True):
                column[i] = code

    def feature_text(self, rows: slice) -> str:
        """COPY text of the feature rows ``rows``."""
        pieces: list = []
        for values in self.values.values():
            pieces += [text_column(values[rows]), "\t"]
        pieces.append(ewkb_hex(self.shapes[rows]))
        pieces += ["\t" + text_cell(v) for v in self.constant.values()]
        return "".join(lines([*pieces, "\n"]))

    def history_lines(self, rows: slice, defaults: dict[str, str], user, reason) -> list[str]:
        """``audit.history`` COPY lines of the rows ``rows`` (see :func:`history_rows`)."""
        properties: dict[str, list[str] | str] = {}
        for column in self.columns:
            name = column.name
            if name == "id":
                properties[name] = [str(i) for i in self.values["id"][rows]]
            elif name in self.values:
                properties[name] = json_column(kind_of(column), self.values[name][rows])
            elif name in self.constant:
                properties[name] = json_column(kind_of(column), [self.constant[name]])[0]
            else:
                properties[name] = defaults.get(name, "null")
        return history_rows(
            self.table,
            properties,
            geojson_texts(self.shapes[rows]),
            self.values["code"][rows],
            user=user,
            reason=reason,
            generated=self.generated,
        )


def stored_defaults(conn, table: str, given: set[str]) -> dict[str, str]:
    """JSON text of the default the database stores in each column not ``given``.

    The defaults are the table's own (read from the catalog, evaluated in the
    caller's transaction, so ``now()`` is the rows' ``created_at``).
    """
    t = model(table).__table__
    with conn.cursor() as cur:
        cur.execute(
            "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
            "JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = %s::regclass AND a.attgenerated = '' AND NOT a.attisdropped",
            (f'{t.schema}."{t.name}"',),
        )
        wanted = [(name, expr) for name, expr in cur.fetchall() if name not in given]
        if not wanted:
            return {}
        cur.execute("SELECT " + ", ".join(f"to_jsonb({expr})::text" for _, expr in wanted))
        return dict(zip((name for name, _ in wanted), cur.fetchone(), strict=True))


def chunks(
    rows: Rows, defaults: dict[str, str] | None, user, reason, size: int
) -> Iterator[tuple[list[int], str, list[str] | None]]:
    """``(ids, feature text, history lines or None)`` per chunk of ``size`` rows."""
    for start in range(0, len(rows), size):
        part = slice(start, start + size)
        rows.fill_communes(part)
        entries = None
        if defaults is not None:
            entries = rows.history_lines(part, defaults, user, reason)
        yield rows.values["id"][part], rows.feature_text(part), entries


def with_generated(cur, qualified: str, column: str, ids: list[int], entries: list[str]):
    """History lines with the stored value of the generated ``column`` filled in."""
    cur.execute(f"SELECT id, {column} FROM {qualified} WHERE id = ANY(%s)", (ids,))
    stored = dict(cur.fetchall())
    texts = [json.dumps(stored.get(i)) for i in ids]
    return [e.replace(GENERATED, t, 1) for e, t in zip(entries, texts, strict=True)]
