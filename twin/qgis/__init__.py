"""QGIS as a client of the twin: a generated project, styles that travel with exports.

``twin qgis project`` and ``/qgis/twin.qgz`` give a project written from
``layers/`` (:mod:`.project`, no QGIS needed); GeoPackage exports carry the
same styles (:func:`add_layer_styles`).  Personal database logins for QGIS
are in :mod:`twin.auth.db_logins`, the views they read in
:mod:`twin.db.qgis_views`.
"""

from .gpkg_styles import add_layer_styles
from .project import DEFAULT_ZONE, ProjectOptions, project_qgs, project_qgz, write_project
from .service import options_for, project_bytes

__all__ = ["DEFAULT_ZONE", "ProjectOptions", "add_layer_styles", "options_for", "project_bytes",
           "project_qgs", "project_qgz", "write_project"]
