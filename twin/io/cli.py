"""``twin asset import`` and ``twin asset export`` (grouped in :func:`asset`)."""

from __future__ import annotations

import getpass
import json
from functools import partial

import click
from sqlalchemy.orm import Session
from tqdm import tqdm

from twin.config import Settings
from twin.db.engine import get_engine, session_scope
from twin.errors import InvalidInput, NotFound, Problem
from twin.plugins import load_optional

from .cad import DEFAULT_LABEL_DISTANCE
from .exporter import FORMATS, export_features
from .georef import UNITS_M, LocalGrid
from .importer import ImportRejected, import_features
from .joins import join_sheet, read_join_sheet
from .mapping import Mapping
from .readers import read_source
from .targets import target_types

__all__ = ["asset", "export_cmd", "import_cmd"]


def _crs_choice(crs, origin, units, origin_xy):
    if origin and crs:
        raise InvalidInput(
            "--crs and --origin exclude each other",
            [
                Problem(
                    "--origin",
                    "one_crs",
                    "give the projection with --crs, or place local "
                    "coordinates with --origin, not both",
                )
            ],
        )
    if origin:
        return LocalGrid.parse(origin, units, origin_xy)
    return crs


def _print_report(report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(report.lines()))


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--layer",
    "target",
    required=True,
    metavar="LAYER[:TYPE]",
    help="Layer (network models, CAD drawings, files whose layers are named like "
    "tables, or the layer's one type whose geometry fits) or feature type, e.g. "
    "water or water:pipe.",
)
@click.option(
    "--crs",
    help="Coordinate system of the file, overriding the one it declares: "
    "EPSG:9214, vn2000:bac-giang, vn2000:utm48, wgs84 ...",
)
@click.option(
    "--origin",
    metavar="LON,LAT",
    help="Place local model coordinates (EPANET, SWMM, CAD) at this lon/lat.",
)
@click.option(
    "--units",
    default="m",
    show_default=True,
    help=f"Local units with --origin: {', '.join(UNITS_M)} or metres per unit.",
)
@click.option(
    "--origin-xy",
    metavar="X,Y",
    help="Local point placed at --origin (default: the centre of the data).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=ATTR[*FACTOR]",
    help="Source field to attribute (FIELD=- drops it). Repeatable.",
)
@click.option(
    "--default",
    "defaults",
    multiple=True,
    metavar="ATTR=VALUE",
    help="Value of ATTR where the source has none. Repeatable.",
)
@click.option(
    "--value",
    "values",
    multiple=True,
    metavar="ATTR:FROM=TO",
    help="Replace a source value of ATTR, e.g. level:2=district. Repeatable.",
)
@click.option("--extra", is_flag=True, help="Keep unmapped fields in the JSONB extra.")
@click.option("--code-prefix", default="", help="Prepended to the codes the file gives.")
@click.option("--source-layer", help="Layer of a multi-layer file to read.")
@click.option(
    "--cad-map",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV cad_layer,block,feature_type[,label_pattern,label_attribute] for a "
    "DXF/DGN drawing (default: the starter mapping of usual Vietnamese layer names).",
)
@click.option(
    "--label-distance",
    type=float,
    help=f"Farthest a drawing's label lies from its feature, in drawing units "
    f"(default {DEFAULT_LABEL_DISTANCE:g}, metres in VN-2000).",
)
@click.option(
    "--join",
    "join_file",
    type=click.Path(exists=True, dir_okay=False),
    help="An .xlsx (or .csv) sheet of attributes joined to the features (with --on).",
)
@click.option(
    "--on",
    "join_on",
    metavar="FIELD[=COLUMN]",
    help="The features' field matching a column of the --join sheet, e.g. code.",
)
@click.option(
    "--allow-outside-vietnam",
    is_flag=True,
    help="Do not treat features outside Vietnam as a wrong coordinate system.",
)
@click.option("--dry-run", is_flag=True, help="Check every feature, write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--max-problems",
    default=20,
    show_default=True,
    help="Features listed per broken rule (the rest are counted).",
)
@click.option("--as-user", "user", help="Name recorded in the history (default: login name).")
@click.option("--reason", help="Reason recorded in the history.")
@click.pass_obj
def import_cmd(
    settings: Settings,
    file,
    target,
    crs,
    origin,
    units,
    origin_xy,
    maps,
    defaults,
    values,
    extra,
    code_prefix,
    source_layer,
    cad_map,
    label_distance,
    join_file,
    join_on,
    allow_outside_vietnam,
    dry_run,
    as_json,
    max_problems,
    user,
    reason,
):
    """Import FILE (GeoPackage, GeoJSON, Shapefile, CSV, MapInfo .tab/.mif, DXF or
    DGN drawing, EPANET or SWMM .inp) into a layer, in one transaction: one bad
    feature and nothing is written.

    With --dry-run every feature is checked (geometry type and validity,
    attribute types and allowed values, required fields, coordinates inside
    Vietnam) and every problem reported, naming the feature and the rule.
    """
    mapping = Mapping.parse(maps, defaults, extra=extra, code_prefix=code_prefix, values=values)
    chosen = _crs_choice(crs, origin, units, origin_xy)
    engine = get_engine(settings)
    with Session(engine) as session:
        _check_writer(session, target, user)
    source = _read(file, source_layer, cad_map, label_distance, join_file, join_on)
    options = dict(
        crs=chosen,
        mapping=mapping,
        check_bounds=not allow_outside_vietnam,
        max_per_rule=max_problems,
        user=user or getpass.getuser(),
        reason=reason,
    )
    try:
        report = _imported(engine, target, source, dry_run=dry_run,
                           snap_tolerance_m=settings.snap_tolerance_m, options=options)
    except ImportRejected as rejected:
        _print_report(rejected.report, as_json)
        raise InvalidInput(
            f"nothing was imported: {rejected.report.problem_total:,} problem(s)"
        ) from None
    _print_report(report, as_json)
    if dry_run and not report.ok:
        raise InvalidInput(f"dry run: {report.problem_total:,} problem(s), nothing written")


def _imported(engine, target: str, source, *, dry_run: bool, snap_tolerance_m: float,
              options: dict):
    """The report of checking ``source`` (``dry_run``: rolled back) or of importing it
    in one committed transaction with a progress bar."""
    if dry_run:
        with Session(engine) as session:
            report = import_features(session, target, source, dry_run=True, **options)
            session.rollback()
        return report
    with (
        tqdm(total=source.count, unit=" features", disable=None) as bar,
        session_scope(engine) as session,
    ):
        return import_features(session, target, source, progress=bar.update,
                               snap_tolerance_m=snap_tolerance_m, **options)


def _read(file, source_layer, cad_map, label_distance, join_file, join_on):
    """The file read for import, with the ``--join`` sheet's columns when one is given."""
    source = read_source(
        file, source_layer=source_layer, cad_map=cad_map, label_distance=label_distance
    )
    if not (join_file or join_on):
        return source
    if not (join_file and join_on):
        missing = "--on" if join_file else "--join"
        raise InvalidInput(
            "--join and --on go together",
            [Problem(missing, "required", "give the sheet with --join and its key with --on")],
        )
    return join_sheet(source, read_join_sheet(join_file, join_on))


def _check_writer(session, target: str, user: str | None) -> None:
    """An import made as a twin account obeys that account's role, as in the API.

    ``--as-user`` naming no account (or the login name by default) is the
    operator's own import, recorded under that name.
    """
    users = load_optional("twin.auth.users")
    if users is None or not user:
        return
    try:
        principal = users.principal_of(users.get_user(session, user))
    except NotFound:
        return
    from twin.auth.roles import require_write

    for ft in target_types(target):
        require_write(principal, ft, "create")


def _check_personal(session, include_personal: bool, user: str | None) -> None:
    """Personal fields leave the twin only for an admin (when users exist)."""
    if not include_personal:
        return
    users = load_optional("twin.auth.users")
    if users is None:
        return
    from twin.auth.roles import require

    if not user:
        raise InvalidInput(
            "--include-personal needs --as-user",
            [Problem("--as-user", "required", "name the admin user who exports personal data")],
        )
    require(users.principal_of(users.get_user(session, user)), "personal", "export personal data")


def _bbox(text: str | None):
    if not text:
        return None
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        raise InvalidInput(
            "--bbox needs four numbers",
            [Problem("--bbox", "syntax", f"{text!r} is not WEST,SOUTH,EAST,NORTH")],
        ) from None
    return w, s, e, n


@click.command("export")
@click.argument("out", type=click.Path(dir_okay=True))
@click.option(
    "--layer",
    "target",
    required=True,
    metavar="LAYER[:TYPE]",
    help="Layer or feature type, e.g. water or water:pipe.",
)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True)
@click.option("--crs", help="Coordinate system of the file (default WGS 84).")
@click.option("--bbox", metavar="W,S,E,N", help="Features intersecting this lon/lat box.")
@click.option("--commune", help="Features of this commune (code).")
@click.option(
    "--include-personal",
    is_flag=True,
    help="Keep personal fields (customer names, phones): admins only.",
)
@click.option("--as-user", "user", help="Who exports (must be an admin for personal data).")
@click.pass_obj
def export_cmd(settings: Settings, out, target, fmt, crs, bbox, commune, include_personal, user):
    """Export a layer or feature type to OUT (a file; a folder for a whole layer in
    a single-table format).  Personal fields are left out unless an admin asks."""
    with Session(get_engine(settings)) as session:
        _check_personal(session, include_personal, user)
        report = export_features(
            session,
            target,
            out,
            fmt=fmt,
            crs=crs,
            bbox=_bbox(bbox),
            commune=commune,
            include_personal=include_personal,
            progress=partial(tqdm, unit="features", leave=False),
        )
    for table, n in report.counts.items():
        click.echo(f"{table:<28} {n:>10,}")
    for table, names in report.stripped.items():
        click.echo(f"personal fields left out of {table}: {', '.join(names)}")
    click.echo("written: " + ", ".join(report.files))


@click.group("asset")
def asset():
    """Assets in and out of the twin: import files, export layers."""


asset.add_command(import_cmd)
asset.add_command(export_cmd)
