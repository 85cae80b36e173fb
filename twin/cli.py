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


#: Commands of the areas of the twin, as ``name: module:attribute``; each is
#: a group of the area's verbs (``twin asset import``), ``twin run`` (and
#: ``twin db``) apart, which start the whole twin.
COMMANDS = {
    "asset": "twin.io.cli:asset",
    "demo": "twin.demo.cli:demo",
    "web": "webmap.cli:web",
    "users": "twin.auth.cli:users",
    "network": "twin.network.cli:network",
    "fiber": "twin.fiber.cli:fiber",
    "zoning": "twin.zoning.cli:zoning",
    "live": "twin.live.cli:live",
    "jobs": "twin.jobs.cli:jobs",
    "qgis": "twin.qgis.cli:qgis",
    "coverage": "twin.coverage.cli:coverage",
    "simulate": "twin.simulation.cli:simulate",
    "inspections": "twin.inspections.cli:inspections",
    "maintenance": "twin.maintenance.cli:maintenance",
}
#: Old spellings, kept working (hidden from the help) for one release.
ALIASES = {
    "import": ("asset", "import"),
    "export": ("asset", "export"),
    "serve": ("web", "serve"),
    "outage": ("network", "outage"),
}


class TwinGroup(click.Group):
    """Loads area commands lazily; prints :class:`TwinError` cleanly and exits 1."""

    def list_commands(self, ctx):
        present = [n for n in COMMANDS if self._lazy(n) is not None]
        return sorted({*super().list_commands(ctx), *present})

    def get_command(self, ctx, name):
        return super().get_command(ctx, name) or self._lazy(name) or self._alias(ctx, name)

    def _alias(self, ctx, name):
        if name not in ALIASES:
            return None
        area, verb = ALIASES[name]
        group = self.get_command(ctx, area)
        return None if group is None else group.get_command(ctx, verb)

    def resolve_command(self, ctx, args):
        if args and args[0] in ALIASES:
            new = " ".join(ALIASES[args[0]])
            click.secho(
                f"'twin {args[0]}' is now 'twin {new}'; the old spelling goes in the next release.",
                fg="yellow",
                err=True,
            )
        return super().resolve_command(ctx, args)

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
