"""SQLAlchemy models derived from the layer declarations.

One table per feature type (``<schema>.<layer>_<type>``), each with the same
asset core (id from one shared sequence, unique code, status, lifecycle,
ownership, commune, JSONB extras, optimistic-locking version, audit stamps),
the typed attribute columns its declaration lists, and a geometry column
typed and checked by PostGIS.  Nothing here is written by hand per layer: to
add an attribute, edit ``layers/`` and autogenerate a migration.
"""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    Sequence,
    Text,
    column,
    func,
    literal_column,
    or_,
    text,
)
from sqlalchemy.dialects.postgresql import INT8MULTIRANGE, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from layers import LAYERS
from twin.config import STORAGE_SRID
from twin.declare import ASSET_STATUSES, CODE_PATTERN, Attribute, Detail, FeatureType

__all__ = ["ASSET_ID_SEQ", "Base", "BulkLoad", "History", "LayerVersion", "MODELS", "SCHEMAS",
           "attribute_column", "attribute_constraints", "detail_index_name", "detail_indexes",
           "model",
           "not_detail"]

SCHEMAS = ("assets", "base", "audit", "live", "auth", "planning", "ops", "simulation")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


#: One id sequence for every asset, so an id names one asset in the whole twin.
ASSET_ID_SEQ = Sequence("asset_id_seq", schema="assets", metadata=Base.metadata)

_SQL_TYPES = {"text": Text, "integer": Integer, "float": Float, "date": Date,
              "boolean": Boolean}


def _quote_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _core_columns(ft: FeatureType) -> dict:
    return {
        "id": mapped_column(BigInteger, ASSET_ID_SEQ, primary_key=True,
                            server_default=ASSET_ID_SEQ.next_value()),
        "code": mapped_column(Text, nullable=False, unique=True),
        "layer": mapped_column(Text, nullable=False, server_default=ft.layer),
        "status": mapped_column(Text, nullable=False, server_default="in_service"),
        "commissioned_on": mapped_column(Date),
        "decommissioned_on": mapped_column(Date),
        "owner": mapped_column(Text),
        "operator": mapped_column(Text),
        "commune": mapped_column(Text, index=True),
        "extra": mapped_column(JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        "version": mapped_column(Integer, nullable=False, server_default="1"),
        "created_by": mapped_column(Text),
        "created_at": mapped_column(DateTime(timezone=True), nullable=False,
                                    server_default=func.now()),
        "updated_by": mapped_column(Text),
        "updated_at": mapped_column(DateTime(timezone=True), nullable=False,
                                    server_default=func.now()),
    }


def _constraints(ft: FeatureType) -> list:
    cks = [
        CheckConstraint(f"status IN ({_quote_list(ASSET_STATUSES)})", name="status_allowed"),
        CheckConstraint(f"layer = '{ft.layer}'", name="layer_fixed"),
        CheckConstraint(f"code ~ '{CODE_PATTERN}'", name="code_pattern"),
        CheckConstraint("ST_IsValid(geom)", name="geom_valid"),
        CheckConstraint("NOT ST_IsEmpty(geom)", name="geom_not_empty"),
        CheckConstraint("version >= 1", name="version_positive"),
    ]
    return cks + attribute_constraints(ft.attributes)


def attribute_constraints(attributes) -> list[CheckConstraint]:
    """The CHECK constraints of declared ``attributes``: allowed values and bounds."""
    cks = []
    for a in attributes:
        if a.choices:
            cks.append(CheckConstraint(f"{a.name} IN ({_quote_list(a.allowed)})",
                                       name=f"{a.name}_allowed"))
        if a.minimum is not None:
            cks.append(CheckConstraint(f"{a.name} >= {a.minimum}", name=f"{a.name}_min"))
        if a.maximum is not None:
            cks.append(CheckConstraint(f"{a.name} <= {a.maximum}", name=f"{a.name}_max"))
    return cks


def not_detail(detail: Detail, value):
    """SQL true for a feature that is not ``detail`` (``value``: its attribute's column).

    Tiles keep only such features below the detail's zoom, and the detail's
    partial index (:func:`detail_indexes`) holds only them.  The bounds are
    written as constants, never as parameters, so that the planner can see
    that a tile's condition is the index's and read the index.
    """
    if detail.below is not None:
        small = value < literal_column(repr(detail.below))
    else:
        small = or_(*(value == literal_column(_quote_list([v])) for v in detail.values))
    return or_(value.is_(None), ~small)


def detail_index_name(ft: FeatureType, detail: Detail) -> str:
    """The name of ``detail``'s partial index, e.g. ``ix_power_line_geom_z17``."""
    return f"ix_{ft.table}_geom_z{detail.min_zoom}"


def detail_indexes(ft: FeatureType) -> list[Index]:
    """One partial GiST index of ``ft``'s geometry per declared detail: what is kept below it.

    A tile below the detail's zoom reads only the features it carries (the
    0.4 kV drops and service pipes, most of a town's lines, are never read).
    """
    return [
        Index(detail_index_name(ft, d), "geom", postgresql_using="gist",
              postgresql_where=not_detail(d, column(d.attribute)))
        for d in ft.details
    ]


def attribute_column(a: Attribute):
    """The column of declared attribute ``a``: its SQL type, required or not, its unit."""
    return mapped_column(_SQL_TYPES[a.type], nullable=not a.required,
                         comment=f"{a.en}" + (f" [{a.unit}]" if a.unit else ""))


def _model(ft: FeatureType, schema: str) -> type[Base]:
    ns: dict = {
        "__tablename__": ft.table,
        "__table_args__": (*_constraints(ft), *detail_indexes(ft), {"schema": schema}),
        "feature_type": ft,
        **_core_columns(ft),
    }
    for a in ft.attributes:
        ns[a.name] = attribute_column(a)
    ns["geom"] = mapped_column(
        Geometry(ft.geometry.upper(), srid=STORAGE_SRID, spatial_index=True), nullable=False)
    if ft.geometry == "LineString":
        ns["length_m"] = mapped_column(Float, Computed("ST_Length(geom::geography)", persisted=True))
    if ft.geometry in ("Polygon", "MultiPolygon"):
        ns["area_m2"] = mapped_column(Float, Computed("ST_Area(geom::geography)", persisted=True))
    if ft.network == "edge":
        ns["start_node"] = mapped_column(BigInteger, index=True)
        ns["end_node"] = mapped_column(BigInteger, index=True)
    name = "".join(part.title() for part in ft.table.split("_"))
    return type(name, (Base,), ns)


MODELS: dict[str, type[Base]] = {
    ft.table: _model(ft, lyr.schema) for lyr in LAYERS for ft in lyr.feature_types
}


def model(table: str) -> type[Base]:
    """The model of a feature type by its table name, e.g. ``water_pipe``."""
    try:
        return MODELS[table]
    except KeyError:
        raise KeyError(f"unknown feature type {table!r}") from None


class History(Base):
    """Every create, update, delete and revert, with full before/after states.

    ``old``/``new`` hold the whole feature as GeoJSON (geometry included) so a
    past state of the twin can be rebuilt for any moment (time travel).
    """

    __tablename__ = "history"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete', 'revert', 'import')",
                        name="action_allowed"),
        Index("ix_history_feature_time", "feature_type", "asset_id", "changed_at"),
        Index("ix_history_time", "changed_at"),
        {"schema": "audit"},
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    asset_id: Mapped[int] = mapped_column(BigInteger, nullable=False)
    feature_type: Mapped[str] = mapped_column(Text, nullable=False)
    code: Mapped[str] = mapped_column(Text, nullable=False, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    action: Mapped[str] = mapped_column(Text, nullable=False)
    changed_by: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                 server_default=func.clock_timestamp())
    reason: Mapped[str | None] = mapped_column(Text)
    old = Column(JSONB)
    new = Column(JSONB)




class BulkLoad(Base):
    """One import or generated load of many features, recorded once.

    Writing a history entry per feature would cost the database twice what
    writing the feature does, so a bulk load records who loaded which assets
    (``asset_ids``, ranges of the shared id sequence), when and why.  The
    state each asset had when loaded stays recoverable as in a
    system-versioned table: it is the row as it stands until the asset's
    first edit, whose history entry keeps it as ``old``.
    """

    __tablename__ = "bulk_load"
    __table_args__ = (
        CheckConstraint("action = 'import'", name="action_allowed"),
        CheckConstraint("features > 0", name="features_positive"),
        Index("ix_bulk_load_assets", "asset_ids", postgresql_using="gist"),
        {"schema": "audit"},
    )

    #: Drawn from the history's id sequence: one order for the change feed.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False,
                                    server_default=text("nextval('audit.history_id_seq')"))
    feature_type: Mapped[str] = mapped_column(Text, nullable=False)
    action: Mapped[str] = mapped_column(Text, nullable=False, server_default="import")
    features: Mapped[int] = mapped_column(Integer, nullable=False)
    asset_ids = Column(INT8MULTIRANGE, nullable=False)
    changed_by: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                 server_default=func.clock_timestamp())
    reason: Mapped[str | None] = mapped_column(Text)


class LayerVersion(Base):
    """How many write statements each layer's tables have committed: the tiles' data version.

    Bumped by a statement trigger of every feature table
    (``migrations/sql/layer_versions.sql``) in the writing transaction: the
    row lock orders the bumps as the commits, so a version seen means every
    write up to it is visible.  Tile URLs carry it (``?v=``), so a cache
    keyed by the URL never serves a tile drawn before an edit.
    """

    __tablename__ = "layer_version"
    __table_args__ = ({"schema": "audit"},)

    layer: Mapped[str] = mapped_column(Text, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                 server_default=func.clock_timestamp())
