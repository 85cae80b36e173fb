"""Data exchange: importing files into the twin and exporting layers.

``twin asset import`` / :func:`import_features` read GeoPackage, GeoJSON,
Shapefile, CSV (WKT or lon/lat), MapInfo, CAD drawings (DXF, DGN, through a
layer mapping, :mod:`twin.io.cad`), EPANET and SWMM models, check every feature
(the preflight) and write them in one transaction; ``twin asset export`` /
:func:`export_features` write what the import reads back.
"""

from .archives import unpack_shapefile
from .exporter import ExportReport, export_features
from .importer import ImportRejected, import_features
from .report import ImportReport
from .safe_open import gdal_path

__all__ = [
    "ExportReport",
    "ImportRejected",
    "ImportReport",
    "export_features",
    "gdal_path",
    "import_features",
    "unpack_shapefile",
]
