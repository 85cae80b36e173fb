"""The rows of one bulk write, turned into COPY text chunk by chunk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .cells import ewkb_hex, lines, text_cell, text_column
from .communes import communes_at

__all__ = ["Rows", "chunks"]


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

    def __len__(self) -> int:
        return len(self.shapes)

    @property
    def names(self) -> list[str]:
        """Columns named in the COPY, in the order of :meth:`feature_text`."""
        return [*self.values, "geom", *self.constant]

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


def chunks(rows: Rows, size: int) -> Iterator[tuple[int, str]]:
    """``(number of rows, COPY text)`` per chunk of ``size`` rows."""
    for start in range(0, len(rows), size):
        part = slice(start, start + size)
        rows.fill_communes(part)
        yield min(size, len(rows) - start), rows.feature_text(part)
