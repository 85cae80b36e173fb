"""The twin's web application: OGC API – Features, vector tiles and the map.

``create_app(settings)`` follows the Flask tutorial: defaults, then the
injected :class:`~twin.config.Settings`, then test overrides.  Each user-facing
area is a blueprint listed in :data:`BLUEPRINTS`; views stay thin and call
into ``twin``.
"""

from __future__ import annotations

from flask import Flask

from twin.config import Settings
from twin.plugins import load_optional

from .session_key import generated_key

__all__ = ["BLUEPRINTS", "create_app"]

#: Blueprints as ``module:attribute``, registered in this order.
BLUEPRINTS = (
    "webmap.auth.views:bp",
    "webmap.api.features:bp",
    "webmap.api.tiles:bp",
    "webmap.map.views:bp",
    "webmap.outage.views:bp",
    "webmap.fiber.views:bp",
    "webmap.zoning.views:bp",
    "webmap.ops.views:bp",
    "webmap.jobs.views:bp",
    "webmap.qgis.views:bp",
    "webmap.simulation.views:bp",
)

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
    for path in BLUEPRINTS:
        bp = load_optional(path)
        if bp is not None:
            app.register_blueprint(bp)
    return app
