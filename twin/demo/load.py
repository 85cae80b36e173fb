"""Loading the demo city into a database: COPY per table, history, DEM, plans.

Local ids of the generator become asset ids taken in one batch from the
asset sequence (so a fresh database gets ids 1, 2, 3 ... and the codes match
them); codes come from the generator, so they are the same for a seed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import create_engine, pool, text

from layers import feature_types
from twin.config import STORAGE_SRID

from ..bulk import allocate_ids, copy_columns
from ..errors import Conflict
from ..plugins import load_optional
from ..rasters import DEM_NAME
from .dem import write_dem
from .generate import generate_city
from .geo import CRS, polygon_at, to_wgs84
from .records import City, codes_of
from .report import format_report, network_report

__all__ = ["LoadResult", "asset_count", "load", "load_if_empty"]

USER = "demo"
DEM_PATH = Path("rasters") / "dem.tif"
PLANTED_PATH = Path("demo") / "planted_conflicts.json"


@dataclass
class LoadResult:
    scale: str
    seed: int
    counts: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    report: dict = field(default_factory=dict)
    plans_saved: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def asset_count(conn) -> int:
    """Features in every feature table (0 for an empty twin)."""
    parts = [f"(SELECT count(*) FROM {ft_schema(ft)}.{ft.table})" for ft in feature_types()]
    return int(conn.execute(text("SELECT " + " + ".join(parts))).scalar())


def ft_schema(ft) -> str:
    from twin.models import model

    return model(ft.table).__table__.schema


def _wipe(conn) -> None:
    tables = ", ".join(f"{ft_schema(ft)}.{ft.table}" for ft in feature_types())
    conn.execute(text(f"TRUNCATE {tables}, audit.history, audit.bulk_load"))
    conn.execute(text("DELETE FROM base.raster_layer WHERE name = :n"), {"n": DEM_NAME})


def _communes(city: City):
    codes = [c for c, _ in city.communes]
    return codes, shapely.STRtree([g for _, g in city.communes])


def _commune_column(batch, codes, tree) -> list:
    return [codes[i] for i in polygon_at(tree, shapely.point_on_surface(batch.geoms))]


def _batch_columns(batch, id_map: np.ndarray, codes, tree) -> dict:
    cols = {name: batch.column(name) for name in batch.columns}
    cols["id"] = id_map[batch.ids - 1].tolist()
    cols.setdefault("code", codes_of(batch.table, batch.ids))
    for end in ("start_node", "end_node"):
        if end in cols:
            cols[end] = id_map[np.asarray(cols[end], dtype=np.int64) - 1].tolist()
    if batch.table != "base_admin_unit":
        cols["commune"] = _commune_column(batch, codes, tree)
    cols["geom"] = list(to_wgs84(batch.geoms))
    return cols


def _write_features(conn, city: City, *, history: bool, progress) -> None:
    id_map = allocate_ids(conn, city.id_count)
    codes, tree = _communes(city)
    for batch in city.batches:
        copy_columns(
            conn,
            batch.table,
            _batch_columns(batch, id_map, codes, tree),
            user=USER,
            reason=f"demo city ({city.scale}, seed {city.seed})",
            history=history,
            progress=progress,
        )


def _write_planted(city: City, home: Path) -> Path:
    path = home / PLANTED_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"scale": city.scale, "seed": city.seed, "crs": "EPSG:4326", "conflicts": city.planted}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=1), "utf-8")
    return path


def _register_dem(conn, city: City, home: Path) -> None:
    write_dem(city.dem, home / DEM_PATH)
    x0, y0, x1, y1 = city.dem.bounds
    footprint = to_wgs84(shapely.box(x0, y0, x1, y1).segmentize(500))
    conn.execute(text("DELETE FROM base.raster_layer WHERE name = :n"), {"n": DEM_NAME})
    conn.execute(
        text(
            "INSERT INTO base.raster_layer (name, path, crs, resolution_m, description, bounds) "
            f"VALUES (:n, :p, :c, :r, :d, ST_GeomFromText(:b, {STORAGE_SRID}))"
        ),
        {
            "n": DEM_NAME,
            "p": DEM_PATH.as_posix(),
            "c": CRS,
            "r": city.dem.resolution,
            "d": "Elevation model of the demo city (m above sea level), synthetic",
            "b": footprint.wkt,
        },
    )


def _save_plans(conn, city: City, echo) -> int:
    save_plan = load_optional("twin.zoning.store:save_plan")
    if save_plan is None:
        echo("zoning plans: storage not available in this build, plans not saved")
        return 0
    from sqlalchemy.orm import Session

    with Session(bind=conn, join_transaction_mode="create_savepoint") as session:
        for plan in city.plans:
            save_plan(session, plan, crs="vn2000:bac-giang", source="demo", user=USER)
        session.commit()  # releases the savepoint; the caller's transaction commits it all
    return len(city.plans)


def _make_room(conn, replace: bool) -> None:
    existing = asset_count(conn)
    if existing and not replace:
        raise Conflict(
            f"the twin already holds {existing} features: load the demo into an "
            "empty database, or pass --replace to wipe it first"
        )
    if existing:
        _wipe(conn)


def _load_into(conn, city: City, home: Path, *, replace, history, progress, echo, seconds):
    """Features, DEM, plans and planted list in one transaction; the plans saved and report."""
    from tqdm import tqdm

    _make_room(conn, replace)
    started = time.perf_counter()
    with tqdm(total=city.count(), unit="feature", desc="loading", disable=not progress) as bar:
        _write_features(conn, city, history=history, progress=bar.update)
    seconds["copy"] = time.perf_counter() - started
    _register_dem(conn, city, home)
    saved = _save_plans(conn, city, echo)
    _write_planted(city, home)
    started = time.perf_counter()
    report = network_report(conn)
    seconds["report"] = time.perf_counter() - started
    return saved, report


def load(
    url: str,
    *,
    scale: str = "city",
    seed: int = 1,
    home: Path | None = None,
    echo: Callable[[str], object] = print,
    replace: bool = False,
    history: bool = True,
    progress: bool = True,
) -> LoadResult:
    """Generate the demo city and load it into the database at ``url``.

    Refuses (:class:`~twin.errors.Conflict`) when the twin already holds
    features, unless ``replace`` wipes them first.  The DEM is written to
    ``home/rasters/dem.tif`` (``home`` defaults to ``TWIN_HOME``).
    """
    from ..config import Settings

    home = Path(home) if home is not None else Settings.from_env().home
    engine = create_engine(url, poolclass=pool.NullPool)
    if not replace:  # refuse before spending time on the generation
        with engine.connect() as conn:
            _make_room(conn, replace=False)
    started = time.perf_counter()
    city = generate_city(
        scale, seed, progress=(lambda step: echo(f"generating {step} ...")) if progress else None
    )
    seconds = {"generate": time.perf_counter() - started}
    try:
        with engine.begin() as conn:
            saved, report = _load_into(
                conn,
                city,
                home,
                replace=replace,
                history=history,
                progress=progress,
                echo=echo,
                seconds=seconds,
            )
    finally:
        engine.dispose()
    seconds["total"] = time.perf_counter() - started
    result = LoadResult(scale, seed, city.counts(), seconds, report, saved)
    echo(f"loaded {result.total} features ({scale}, seed {seed}) in {seconds['total']:.1f} s")
    echo(format_report(report))
    return result


def load_if_empty(
    url: str,
    *,
    scale: str = "city",
    seed: int = 1,
    echo: Callable[[str], object] = print,
    home: Path | None = None,
):
    """Load the demo city unless the twin already holds features (then return None fast)."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            if asset_count(conn):
                echo("demo city: the database already holds features, nothing loaded")
                return None
    finally:
        engine.dispose()
    return load(url, scale=scale, seed=seed, echo=echo, home=home)
