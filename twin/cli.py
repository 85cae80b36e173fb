"""The ``twin`` command line."""

from __future__ import annotations

import sys

import click

from .config import Settings
from .db.cli import db
from .errors import TwinError
from .plugins import load_optional
from .run import run

__all__ = ["main", "cli"]


#: Commands of the areas of the twin, as ``name: module:attribute``.
COMMANDS = {
    "demo": "twin.demo.cli:demo",
    "import": "twin.io.cli:import_cmd",
    "export": "twin.io.cli:export_cmd",
    "serve": "webmap.cli:serve",
    "users": "twin.auth.cli:users",
    "network": "twin.network.cli:network",
    "outage": "twin.network.cli:outage",
    "fiber": "twin.fiber.cli:fiber",
    "zoning": "twin.zoning.cli:zoning",
    "live": "twin.live.cli:live",
    "jobs": "twin.jobs.cli:jobs",
    "qgis": "twin.qgis.cli:qgis",
    "coverage": "twin.coverage.cli:coverage",
}


class TwinGroup(click.Group):
    """Loads area commands lazily; prints :class:`TwinError` cleanly and exits 1."""

    def list_commands(self, ctx):
        present = [n for n in COMMANDS if self._lazy(n) is not None]
        return sorted({*super().list_commands(ctx), *present})

    def get_command(self, ctx, name):
        return super().get_command(ctx, name) or self._lazy(name)

    @staticmethod
    def _lazy(name):
        path = COMMANDS.get(name)
        return load_optional(path) if path else None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TwinError as exc:
            click.secho(f"Error: {exc.message}", fg="red", err=True)
            ctx.exit(1)


@click.group(cls=TwinGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def cli(ctx):
    """Digital twin of a city's technical infrastructure (water, drainage,
    power, telecom, lighting, trees) on PostGIS.

    The database is DATABASE_URL when set, otherwise an embedded PostGIS
    cluster under TWIN_HOME (default ./var).
    """
    ctx.obj = Settings.from_env()


cli.add_command(db)
cli.add_command(run)


def main(argv=None):
    return cli.main(args=argv, prog_name="twin")


if __name__ == "__main__":
    sys.exit(main())
