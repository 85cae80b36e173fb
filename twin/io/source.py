"""What a reader hands to the importer: features of a file, column by column.

Readers of every format (GDAL through pyogrio, CSV, EPANET, SWMM) produce
the same shape, so mapping, validation and writing are written once.  Values
stay in the source's coordinate system and units until the importer maps
them; geometries are shapely objects in an array, attributes are arrays per
field, so a million features never become a million dicts before they must.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from pyproj import CRS

__all__ = ["Source", "SourceTable"]


@dataclass
class SourceTable:
    """The features of one source layer (or one section of a network model).

    Attributes
    ----------
    name : str
        Layer name in the file, or the model section (``pipes``, ``junctions``).
    geometry : numpy.ndarray
        Shapely geometries (object array), in the source coordinate system;
        ``None`` where a feature has none.
    columns : dict of str to numpy.ndarray
        Source field name -> values, one per feature (``None``/NaN is empty).
    labels : list of str or None
        How problems name each feature (``"pipe 10"``); ``None`` names
        features by their 1-based row number (``"row 12"``).
    table : str or None
        Feature type the section must become (network models); ``None`` lets
        ``--layer LAYER:TYPE`` decide.
    ends : tuple of two lists, or None
        Start and end nodes, as ``(table, code)``, of network edges whose
        topology the file states (network models); edges without them are
        snapped to nodes.
    first_row : int
        Rows of the source layer before this one (0-based) when it is a part
        of a bigger layer (:meth:`part`), so rows keep their numbers.
    """

    name: str
    geometry: np.ndarray
    columns: dict[str, np.ndarray]
    labels: list[str] | None = None
    table: str | None = None
    ends: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None = None
    first_row: int = 0

    def __len__(self) -> int:
        return len(self.geometry)

    def label(self, index: int) -> str:
        """The name of feature ``index`` (0-based) in problems and reports."""
        if self.labels is not None:
            return self.labels[index]
        return f"row {self.first_row + index + 1}"

    def part(self, start: int, stop: int) -> SourceTable:
        """Features ``start`` to ``stop`` (0-based, stop excluded) as a table of their own."""
        rows = slice(start, stop)
        return replace(
            self,
            geometry=self.geometry[rows],
            columns={name: values[rows] for name, values in self.columns.items()},
            labels=None if self.labels is None else self.labels[rows],
            ends=None if self.ends is None else (self.ends[0][rows], self.ends[1][rows]),
            first_row=self.first_row + start,
        )


@dataclass
class Source:
    """A file read for import.

    ``crs`` is the coordinate system the file declares (``None``: none);
    ``local`` means coordinates in arbitrary model units (EPANET, SWMM), which
    need ``--crs`` or ``--origin`` to be placed; ``notes`` say what the
    reader assumed or left out, for the preflight report.
    """

    path: str
    format: str
    tables: list[SourceTable]
    crs: CRS | None = None
    local: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(t) for t in self.tables)
