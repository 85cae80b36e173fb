"""CAD drawings (DXF, DGN v7) as sources for the importer and the zoning plans.

:func:`read_cad` turns a drawing into the importer's :class:`~twin.io.source.Source`
through a CAD mapping (:func:`read_cad_map`, :data:`STARTER_MAP`);
:func:`read_entities` gives the raw entities (zoning plans read zones,
texts and boundaries from them).
"""

from .cad_map import STARTER_MAP, read_cad_map
from .entities import CAD_SUFFIXES, Entities, read_entities
from .reader import DEFAULT_LABEL_DISTANCE, read_cad

__all__ = [
    "CAD_SUFFIXES",
    "DEFAULT_LABEL_DISTANCE",
    "STARTER_MAP",
    "Entities",
    "read_cad",
    "read_cad_map",
    "read_entities",
]
