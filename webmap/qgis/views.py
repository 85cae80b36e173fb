"""``/qgis/twin.qgz``: the QGIS project of this twin, for signed-in users.

``?via=oapif`` reads the OGC API of the address the project was fetched
from; the default reads PostGIS with the user's own database login
(``service=twin`` in ``pg_service.conf``).  ``?lang=en`` is the English variant.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from twin.auth import require
from twin.errors import InvalidInput, Problem
from twin.qgis import project_bytes
from webmap.auth.setup import current_principal
from webmap.db import get_session

bp = Blueprint("qgis", __name__)

_CHOICES = {"via": ("postgis", "oapif"), "lang": ("vi", "en")}


def _choice(name: str) -> str:
    value = request.args.get(name, _CHOICES[name][0])
    if value not in _CHOICES[name]:
        raise InvalidInput(f"unknown {name} {value!r}", [Problem(
            name, "allowed_values", f"one of {', '.join(_CHOICES[name])}")])
    return value


@bp.get("/qgis/twin.qgz")
def project():
    require(current_principal(), "read", "the QGIS project")
    data = project_bytes(get_session(), current_app.config["TWIN_SETTINGS"],
                         via=_choice("via"), lang=_choice("lang"), url=request.url_root)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": 'attachment; filename="twin.qgz"'})
