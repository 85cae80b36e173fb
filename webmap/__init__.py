"""The twin's web application: OGC API – Features, vector tiles and the map.

``create_app(settings)`` follows the Flask tutorial: defaults, then the
injected :class:`~twin.config.Settings`, then test overrides.  Each user-facing
area is a blueprint listed by :func:`blueprints`, imported (a misspelt area is
an import error, never a silently missing page); views stay thin and call into
``twin``.
"""

from __future__ import annotations

from flask import Flask

from twin.config import Settings
from twin.plugins import load_optional

from .session_key import generated_key

__all__ = ["blueprints", "create_app"]

#: Extensions as ``module:function`` taking the app (login, CSRF, Babel ...).
EXTENSIONS = (
    "webmap.db:init_app",
    "webmap.proxies:init_app",
    "webmap.jobs.pool:init_app",
    "webmap.errors:init_app",
    "webmap.headers:init_app",
    "webmap.body_limits:init_app",
    "webmap.assets:init_app",
    "webmap.auth.setup:init_app",
    "webmap.rate_limits:init_app",
    "webmap.i18n:init_app",
    "webmap.formatting:init_app",
    "webmap.site_nav:init_app",
)


def blueprints() -> tuple:
    """Every area's blueprint, in the order they are registered."""
    from .api import editing  # noqa: F401  (its write routes are on the api blueprint)
    from .api.features import bp as api
    from .api.tiles import bp as tiles
    from .api.tilesets import bp as tilesets
    from .auth.views import bp as auth
    from .fiber.views import bp as fiber
    from .inspections.views import bp as inspections
    from .jobs.views import bp as jobs
    from .maintenance.views import bp as maintenance
    from .map.views import bp as map_page
    from .ops.views import bp as ops
    from .outage.views import bp as outage
    from .photos.views import bp as photos
    from .qgis.views import bp as qgis
    from .simulation.views import bp as simulation
    from .zoning.views import bp as zoning

    return (auth, api, tiles, tilesets, map_page, outage, fiber, zoning, ops, jobs, qgis, simulation,
            inspections, photos, maintenance)


def create_app(settings: Settings | None = None, test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    settings = settings or Settings.from_env()
    app.config.from_mapping(
        TWIN_SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = generated_key(settings.home)
    for path in EXTENSIONS:
        init = load_optional(path)
        if init is not None:
            init(app)
    for bp in blueprints():
        app.register_blueprint(bp)
    return app
