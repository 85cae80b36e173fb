"""The inspection tables (schema ``ops``), one per declared form, derived from ``layers/``.

Each row is one inspection as it was made: which asset and the version of
it the inspector saw, who, when, where the phone was, the answers in typed
columns checked like the asset's attributes, and the value the form's rule
gave.  ``client_id`` is the key the phone gave the inspection, so one sent
twice from an offline queue is stored once.  Rows are never changed or
deleted by the app (the migration revokes it): every inspection is kept.
"""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import BigInteger, DateTime, Identity, Index, Integer, Text, func
from sqlalchemy.orm import mapped_column

from layers import feature_types
from twin.config import STORAGE_SRID
from twin.declare import FeatureType, InspectionForm
from twin.models import Base, attribute_column, attribute_constraints

__all__ = ["FORMS", "SCHEMA", "form_table", "inspection_model", "table_name"]

SCHEMA = "ops"


def table_name(ft: FeatureType, form: InspectionForm) -> str:
    """The table (and API collection) of ``form`` on ``ft``: ``inspection_<table>_<form>``."""
    return f"inspection_{ft.table}_{form.name}"


def _core() -> dict:
    return {
        "id": mapped_column(BigInteger, Identity(), primary_key=True),
        "client_id": mapped_column(Text, unique=True,
                                   comment="the inspecting device's key for this inspection"),
        "asset_id": mapped_column(BigInteger, nullable=False, index=True),
        "asset_code": mapped_column(Text, nullable=False),
        "asset_version": mapped_column(Integer, nullable=False,
                                       comment="version of the asset the inspector saw"),
        "inspected_at": mapped_column(DateTime(timezone=True), nullable=False),
        "inspected_by": mapped_column(Text, nullable=False),
        "received_at": mapped_column(DateTime(timezone=True), nullable=False,
                                     server_default=func.now()),
        "result": mapped_column(Text, comment="the value the form's rule gave"),
        "geom": mapped_column(Geometry("POINT", srid=STORAGE_SRID, spatial_index=True),
                              comment="where the inspection was made"),
    }


def _model(ft: FeatureType, form: InspectionForm) -> type[Base]:
    table = table_name(ft, form)
    ns: dict = {
        "__tablename__": table,
        "__table_args__": (*attribute_constraints(form.checks),
                           Index(f"ix_{table}_time", "inspected_at"), {"schema": SCHEMA}),
        "feature_type": ft,
        "form": form,
        **_core(),
    }
    for a in form.checks:
        ns[a.name] = attribute_column(a)
    name = "".join(part.title() for part in table.split("_"))
    return type(name, (Base,), ns)


#: Every declared form as ``{table name: (feature type, form)}``.
FORMS: dict[str, tuple[FeatureType, InspectionForm]] = {
    table_name(ft, form): (ft, form) for ft in feature_types() for form in ft.inspections
}
_MODELS = {table: _model(ft, form) for table, (ft, form) in FORMS.items()}


def inspection_model(table: str) -> type[Base]:
    """The model of an inspection table, e.g. ``inspection_water_valve_exercise``."""
    try:
        return _MODELS[table]
    except KeyError:
        raise KeyError(f"unknown inspection form {table!r}") from None


def form_table(ft: FeatureType, name: str) -> str:
    """The table of ``ft``'s form ``name``; KeyError if it declares none."""
    return table_name(ft, ft.inspection(name))
