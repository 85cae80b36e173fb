"""Use cases of inspections: record one (through the one write door), list them.

An inspection is made on the version of the asset the inspector saw; the
condition its rule gives and the inspection date are written to the asset
through :func:`twin.edits.update_feature`, so the change has its history,
audit stamps and version like any edit.  When the asset was edited since
that version, the inspection is refused with a :class:`~twin.errors.Conflict`
carrying the asset as it is now: a phone that was offline shows the
difference and never overwrites the newer edit silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from shapely.geometry import Point, shape
from sqlalchemy.orm import Session

from layers import feature_type
from twin.declare import FeatureType, InspectionForm
from twin.edits import update_feature
from twin.errors import Conflict, InvalidInput, NotFound, Problem
from twin.features import get_feature
from twin.validation import validate_answers, validate_geometry

from . import store
from .algorithms import rule_result
from .tables import FORMS, table_name

__all__ = ["Inspection", "InspectionRecord", "asset_inspections", "form_of", "forms_of",
           "inspection_page", "record_inspection"]

_FUTURE_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class Inspection:
    """What the inspector sent: answers made on ``asset_version`` of the asset.

    ``client_id`` is the phone's key of this inspection (sent again after a
    lost reply, it is stored once); ``location`` a GeoJSON Point (lon/lat).
    ``made_on_version`` is set when an inspection refused for a newer edit is
    applied on the current version after the crew looked at it: the version
    it was first made on, which the history entry names.
    """

    answers: dict
    asset_version: int
    inspected_at: datetime | None = None
    location: dict | None = None
    client_id: str | None = None
    made_on_version: int | None = None


@dataclass(frozen=True)
class InspectionRecord:
    """The stored inspection, the asset after it, and whether it had arrived before."""

    inspection: dict
    feature: dict
    repeated: bool = False


def form_of(table: str, form: str) -> tuple[FeatureType, InspectionForm]:
    """The feature type ``table`` and its form ``form``; :class:`NotFound` names both."""
    try:
        ft = feature_type(table)
        return ft, ft.inspection(form)
    except KeyError:
        raise NotFound(f"{table}: no inspection form {form!r}") from None


def forms_of(table: str) -> tuple[FeatureType, tuple[InspectionForm, ...]]:
    """The feature type ``table`` and its forms; :class:`NotFound` when it has none."""
    try:
        ft = feature_type(table)
    except KeyError:
        raise NotFound(f"no feature type {table!r}") from None
    if not ft.inspections:
        raise NotFound(f"{table} declares no inspection form")
    return ft, ft.inspections


def _when(value: datetime | None) -> datetime:
    now = datetime.now(UTC)
    if value is None:
        return now
    if value.tzinfo is None:
        raise InvalidInput("bad inspection time", [
            Problem("inspected_at", "timezone", "the time needs its UTC offset")])
    if value > now + _FUTURE_SLACK:
        raise InvalidInput("bad inspection time", [
            Problem("inspected_at", "future", f"{value.isoformat()} is in the future")])
    return value


def _location(ft: FeatureType, geojson: dict | None) -> Point | None:
    if geojson is None:
        return None
    try:
        point = shape(geojson)
    except Exception as exc:  # shapely raises several types for bad GeoJSON
        raise InvalidInput("unreadable location", [
            Problem("location", "geometry", "a GeoJSON Point (lon, lat) is expected")]) from exc
    if not isinstance(point, Point):
        raise InvalidInput("bad location", [Problem("location", "geometry", "not a Point")])
    _, problems = validate_geometry(_POINT, point, feature=ft.table)
    if problems:
        raise InvalidInput("bad location", problems)
    return point


_POINT = FeatureType("location", "Vị trí", "Location", "Point", "LOC")


def _new_values(ft: FeatureType, form: InspectionForm, feature: dict, result, day: date):
    props = feature["properties"]
    values = {} if result is None else {form.rule.sets: result}
    last = props.get("last_inspected")
    if last is None or date.fromisoformat(last) <= day:
        values["last_inspected"] = day.isoformat()
    return values


def _reason(form: InspectionForm, sent: Inspection) -> str:
    """The history entry's reason; an inspection applied on a newer version says so."""
    reason = f"inspection {form.name}"
    made_on = sent.made_on_version
    if made_on is None:
        return reason
    if made_on >= sent.asset_version:
        raise InvalidInput("bad inspection", [Problem(
            "made_on_version", "before_current",
            f"version {made_on} is not before the version it is applied on "
            f"({sent.asset_version})")])
    return f"{reason}, made on version {made_on}, applied on version {sent.asset_version}"


def _arrived_before(session: Session, table: str, form_table: str,
                    client_id: str | None) -> InspectionRecord | None:
    """The inspection the phone keyed ``client_id`` if it is stored already, as a repeat."""
    earlier = store.by_client_id(session, form_table, client_id) if client_id else None
    if earlier is None:
        return None
    feature = get_feature(session, table, earlier["properties"]["asset_code"])
    return InspectionRecord(earlier, feature, repeated=True)


def record_inspection(session: Session, table: str, code: str, form_name: str,
                      sent: Inspection, *, user: str) -> InspectionRecord:
    """Store the inspection ``sent`` of asset ``code`` and set the asset's condition.

    Raises :class:`InvalidInput` for answers breaking the form's checks and
    :class:`Conflict` (with the current asset) when the asset is no longer
    at ``sent.asset_version``.  Nothing is committed here.
    """
    ft, form = form_of(table, form_name)
    form_table = table_name(ft, form)
    if (earlier := _arrived_before(session, table, form_table, sent.client_id)) is not None:
        return earlier
    answers, problems = validate_answers(form.checks, sent.answers or {}, feature=code)
    if problems:
        raise InvalidInput(f"{form_table} {code}: the answers break {len(problems)} rule(s)",
                           problems)
    when, where = _when(sent.inspected_at), _location(ft, sent.location)
    feature = get_feature(session, table, code, for_update=True)
    # The same inspection sent twice at once: the second waited for the asset's lock
    # while the first stored it, and is answered as a repeat.
    if (earlier := _arrived_before(session, table, form_table, sent.client_id)) is not None:
        return earlier
    seen, now_at = sent.asset_version, feature["properties"]["version"]
    if seen != now_at:
        raise Conflict(f"{table} {feature['id']} was changed after the inspection's version "
                       f"{seen} (now {now_at}); look at the change and inspect again", feature)
    result = rule_result(form.rule, ft.attribute(form.rule.sets).allowed, answers)
    values = _new_values(ft, form, feature, result, when.date())
    edited = update_feature(session, table, feature["id"], values, expected_version=seen,
                            user=user, reason=_reason(form, sent)).feature
    stored = store.add_inspection(session, form_table, {
        **answers, "client_id": sent.client_id, "asset_id": feature["properties"]["id"],
        "asset_code": feature["id"], "asset_version": seen, "inspected_at": when,
        "inspected_by": user, "result": result,
    }, where)
    return InspectionRecord(stored, edited)


def asset_inspections(session: Session, table: str, code: str) -> tuple[dict, list[dict]]:
    """The asset ``code`` of ``table`` and its inspections of every form, newest first."""
    feature = get_feature(session, table, code)
    return feature, store.inspections_of(session, feature["properties"]["id"],
                                         store.form_tables_of(table))


def inspection_page(session: Session, form_table: str, *, limit: int, offset: int
                    ) -> tuple[list[dict], int]:
    """A page of one form's inspections (newest first) and how many there are."""
    if form_table not in FORMS:
        raise NotFound(f"no inspection collection {form_table!r}")
    return (store.inspection_items(session, form_table, limit=limit, offset=offset),
            store.count_items(session, form_table))
