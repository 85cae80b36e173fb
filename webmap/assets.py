"""Front-end libraries installed from npm, served by the app itself.

The map must work with no network at all: every JavaScript and CSS file is
taken from ``node_modules/`` (filled by ``npm ci`` at set-up time) and served
under ``/vendor/<package>/<path>``.  Only the packages named in
``package.json`` are served, so the folder is not exposed as a whole.

Folium links its own copies of Leaflet, jQuery and Bootstrap from CDNs;
:func:`local_folium_assets` gives the local replacements that
:mod:`webmap.map.page` puts in their place.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, send_from_directory, url_for
from werkzeug.exceptions import NotFound

__all__ = ["PROJECT_ROOT", "init_app", "local_folium_assets", "vendor_url"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Files of the packages the map pages load, relative to each package folder.
LEAFLET_JS = ("leaflet", "dist/leaflet.js")
LEAFLET_CSS = ("leaflet", "dist/leaflet.css")
GEOMAN_JS = ("@geoman-io/leaflet-geoman-free", "dist/leaflet-geoman.js")
GEOMAN_CSS = ("@geoman-io/leaflet-geoman-free", "dist/leaflet-geoman.css")

_ONE_DAY_S = 24 * 3600

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


def _served_packages(root: Path) -> frozenset[str]:
    """The dependencies named in ``package.json`` (the only packages served)."""
    manifest = root / "package.json"
    if not manifest.is_file():
        return frozenset()
    return frozenset(json.loads(manifest.read_text(encoding="utf-8")).get("dependencies", {}))


@bp.route("/<path:target>")
def vendor_file(target: str):
    """One file of a served package; scoped names (``@scope/name``) included."""
    packages = current_app.extensions["twin_vendor_packages"]
    parts = target.split("/")
    take = 2 if parts[0].startswith("@") else 1
    package, rest = "/".join(parts[:take]), "/".join(parts[take:])
    if package not in packages or not rest:
        raise NotFound()
    folder = Path(current_app.config["NODE_MODULES"]) / package
    return send_from_directory(folder, rest, max_age=_ONE_DAY_S)


def init_app(app) -> None:
    """Serve ``/vendor/...``; idempotent, so several areas may ask for it."""
    if "twin_vendor_packages" in app.extensions:
        return
    app.config.setdefault("NODE_MODULES", str(PROJECT_ROOT / "node_modules"))
    app.extensions["twin_vendor_packages"] = _served_packages(PROJECT_ROOT)
    app.register_blueprint(bp)
    app.jinja_env.globals["vendor_url"] = vendor_url


def vendor_url(package: str, path: str) -> str:
    """The URL of ``path`` inside npm ``package`` as served by this app."""
    return url_for("vendor.vendor_file", target=f"{package}/{path}")


def local_folium_assets() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(js, css)`` link lists for folium's ``Map.default_js/default_css``.

    Only Leaflet itself is kept: the map pages need neither jQuery nor
    Bootstrap nor the awesome-markers icons folium links by default.
    """
    js = [("leaflet", vendor_url(*LEAFLET_JS))]
    css = [("leaflet_css", vendor_url(*LEAFLET_CSS))]
    return js, css
