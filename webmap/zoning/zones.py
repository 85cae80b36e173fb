"""Zones of a draft plan drawn on the planner page: read, create, change, delete."""

from __future__ import annotations

from flask import Response, jsonify, request

from twin import zoning
from twin.errors import InvalidInput, Problem

from ..db import get_session
from ..pages import json_object
from .blueprint import bbox_arg, bp, user_name

__all__: list[str] = []


@bp.get("/plans/<int:plan_id>/zones")
def zones(plan_id: int):
    return jsonify(zoning.zone_features(get_session(), plan_id, bbox=bbox_arg()))


@bp.post("/plans/<int:plan_id>/zones")
def create_zone(plan_id: int):
    body, session = json_object(), get_session()
    zone = zoning.create_zone(
        session, plan_id, body.get("properties") or {}, body.get("geometry"), user=user_name()
    )
    session.commit()
    return jsonify(zoning.zone_feature(zone)), 201


def _expected_version(body: dict | None = None):
    given = (body or {}).get("version") or request.args.get("version")
    given = given or request.headers.get("If-Match", "").strip('"') or None
    if given is None or not str(given).isdigit():
        raise InvalidInput(
            "the zone's version is required",
            [
                Problem(
                    "version",
                    "required",
                    "send the version you edited (body, ?version= or If-Match)",
                )
            ],
        )
    return int(given)


@bp.patch("/zones/<int:zone_id>")
def update_zone(zone_id: int):
    body, session = json_object(), get_session()
    zone = zoning.update_zone(
        session,
        zone_id,
        expected_version=_expected_version(body),
        properties=body.get("properties"),
        geometry=body.get("geometry"),
        user=user_name(),
    )
    session.commit()
    return jsonify(zoning.zone_feature(zone))


@bp.delete("/zones/<int:zone_id>")
def delete_zone(zone_id: int):
    session = get_session()
    zoning.delete_zone(session, zone_id, expected_version=_expected_version(), user=user_name())
    session.commit()
    return Response(status=204)
