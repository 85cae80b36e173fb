"""Create, replace, update, delete and revert through the API (OGC API – Features Part 4).

Bodies are GeoJSON Features in the request's ``Content-Crs``; every write
goes through :mod:`twin.edits` (validation, version check, topology and
history in one transaction; the caller commits).  On top of it this module
adds what belongs to the API: the role rules, the ``If-Match`` version, JSON
merge patch (RFC 7396) and the care that a user who cannot see personal
data never overwrites it with the mask they were shown.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from twin import edits
from twin.auth.roles import Principal, require, require_write, sees_personal
from twin.declare import FeatureType
from twin.errors import Conflict, InvalidInput, Problem
from twin.features import PERSONAL_HIDDEN, get_feature, masked, personal_names

from .crs import STORAGE, ApiCrs, to_storage
from .errors import PreconditionRequired
from .schema import system_types

__all__ = [
    "create_item",
    "delete_item",
    "etag",
    "merge_patch",
    "patch_item",
    "replace_item",
    "revert_item",
    "version_from_if_match",
]

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def etag(version: int) -> str:
    """The ETag of a feature: its version, quoted."""
    return f'"{version}"'


def version_from_if_match(header: str | None, *, action: str) -> int:
    """The version an ``If-Match`` header names; 428 when missing or ``*``."""
    if not header or header.strip() == "*":
        raise PreconditionRequired(
            f"{action}: send If-Match with the ETag (version) of the feature you edited, "
            "so that nobody's changes are overwritten"
        )
    match = _ETAG.match(header.split(",")[0])
    if match is None:
        raise PreconditionRequired(f'{action}: If-Match {header!r} is not a version ETag like "3"')
    return int(match.group(1))


def merge_patch(target, patch):
    """RFC 7396 JSON merge patch: ``null`` removes, objects merge, the rest replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _body(body, *, action: str, partial: bool) -> tuple[dict, object]:
    problems = []
    if not isinstance(body, dict):
        raise InvalidInput(
            f"{action}: the body must be a GeoJSON Feature object",
            [Problem("body", "type", "expected a JSON object")],
        )
    if body.get("type", "Feature") != "Feature":
        problems.append(Problem("type", "allowed_values", "must be 'Feature'"))
    props = body.get("properties") or {}
    if not isinstance(props, dict):
        problems.append(Problem("properties", "type", "must be an object"))
    geometry = body.get("geometry")
    if geometry is not None and not isinstance(geometry, dict):
        problems.append(Problem("geometry", "type", "must be a GeoJSON geometry object"))
    if not partial and "geometry" not in body:
        problems.append(Problem("geometry", "required", "a geometry is required"))
    if problems:
        raise InvalidInput(f"{action}: the body is not a valid Feature", problems)
    return props, geometry


def _unmask(props: dict, ft: FeatureType, principal: Principal, current: dict | None) -> dict:
    """Drop masked personal values; for a replace, keep the stored ones."""
    if sees_personal(principal):
        return props
    props = dict(props)
    for name in personal_names(ft):
        if props.get(name) == PERSONAL_HIDDEN or (current is not None and name not in props):
            props.pop(name, None)
            if current is not None:
                props[name] = current["properties"].get(name)
    return props


def _mask(feature: dict, ft: FeatureType, principal: Principal) -> dict:
    return feature if sees_personal(principal) else masked(feature, personal_names(ft))


def _write(ft: FeatureType, principal: Principal, write, *args, **options):
    """Run ``write`` (one of :mod:`twin.edits`) as ``principal``; mask the state
    in a conflict, turn value errors into 422."""
    try:
        return write(*args, user=principal.name, **options)
    except Conflict as exc:
        current = _mask(exc.current, ft, principal) if exc.current else None
        raise Conflict(exc.message, current=current) from exc
    except DataError as exc:
        first = str(exc.orig).splitlines()[0]
        raise InvalidInput(
            f"{ft.table}: rejected by the database: {first}",
            [Problem("feature", "value", first, ft.table)],
        ) from exc


def _result(result, ft: FeatureType, principal: Principal) -> dict:
    feature = _mask(result.feature, ft, principal)
    if result.snapping:
        feature = {**feature, "snapping": result.snapping}
    return feature


def create_item(
    session: Session,
    ft: FeatureType,
    body,
    *,
    principal: Principal,
    content_crs: ApiCrs = STORAGE,
    reason: str | None = None,
    snap_tolerance_m: float = 1.0,
) -> dict:
    """A new feature (POST); returns it as stored, with the snapping report."""
    require_write(principal, ft, "create")
    props, geometry = _body(body, action=f"create in {ft.table}", partial=False)
    props = _unmask(props, ft, principal, None)
    result = _write(
        ft, principal, edits.create_feature, session, ft.table, props,
        to_storage(geometry, content_crs), reason=reason, snap_tolerance_m=snap_tolerance_m,
    )
    return _result(result, ft, principal)


def replace_item(
    session: Session,
    ft: FeatureType,
    code: str,
    body,
    *,
    principal: Principal,
    if_match: str | None,
    content_crs: ApiCrs = STORAGE,
    reason: str | None = None,
    snap_tolerance_m: float = 1.0,
) -> dict:
    """Replace a feature wholesale (PUT) if it is still at the ``If-Match`` version."""
    require_write(principal, ft, "replace")
    version = version_from_if_match(if_match, action=f"replace {ft.table} {code}")
    props, geometry = _body(body, action=f"replace {ft.table} {code}", partial=False)
    current = get_feature(session, ft.table, code)
    props = _unmask(props, ft, principal, current)
    return _update(session, ft, code, props, to_storage(geometry, content_crs), version,
                   principal=principal, reason=reason, replace=True,
                   snap_tolerance_m=snap_tolerance_m)


def patch_item(
    session: Session,
    ft: FeatureType,
    code: str,
    patch,
    *,
    principal: Principal,
    if_match: str | None,
    content_crs: ApiCrs = STORAGE,
    reason: str | None = None,
    snap_tolerance_m: float = 1.0,
) -> dict:
    """Apply a JSON merge patch (PATCH) to a feature at the ``If-Match`` version.

    ``{"properties": {"normal_state": "closed"}}`` changes one field;
    ``null`` clears it; ``extra`` is merged key by key.
    """
    props, geometry = _body(patch, action=f"update {ft.table} {code}", partial=True)
    touched = set(props) - set(system_types(ft)) - {"feature_type"}
    require_write(principal, ft, "update", fields=touched, geometry="geometry" in patch)
    version = version_from_if_match(if_match, action=f"update {ft.table} {code}")
    props = _unmask(props, ft, principal, None)
    if "extra" in props and props["extra"] is not None:
        current = get_feature(session, ft.table, code)
        props["extra"] = merge_patch(current["properties"].get("extra") or {}, props["extra"])
    if "geometry" in patch and geometry is None:
        raise InvalidInput(
            f"update {ft.table} {code}: the geometry cannot be removed",
            [Problem("geometry", "required", "a geometry is required", code)],
        )
    return _update(session, ft, code, props, to_storage(geometry, content_crs), version,
                   principal=principal, reason=reason, replace=False,
                   snap_tolerance_m=snap_tolerance_m)


def _update(
    session, ft, code, props, geometry, version, *, principal, reason, replace, snap_tolerance_m
) -> dict:
    """The update behind PUT and PATCH, its refusals translated for the API."""
    result = _write(
        ft, principal, edits.update_feature, session, ft.table, code, props, geometry,
        expected_version=version, reason=reason, replace=replace,
        snap_tolerance_m=snap_tolerance_m,
    )
    return _result(result, ft, principal)


def delete_item(
    session: Session,
    ft: FeatureType,
    code: str,
    *,
    principal: Principal,
    if_match: str | None,
    reason: str | None = None,
) -> dict:
    """Delete a feature at the ``If-Match`` version; returns its last state."""
    require_write(principal, ft, "delete")
    version = version_from_if_match(if_match, action=f"delete {ft.table} {code}")
    gone = _write(
        ft, principal, edits.delete_feature, session, ft.table, code,
        expected_version=version, reason=reason,
    )
    return _mask(gone, ft, principal)


def revert_item(
    session: Session,
    ft: FeatureType,
    code: str,
    to_version,
    *,
    principal: Principal,
    if_match: str | None,
    reason: str | None = None,
) -> dict:
    """Bring a feature back to an earlier version (admins only; recorded as a revert)."""
    require(principal, "revert", f"revert {ft.table} {code}")
    if isinstance(to_version, bool) or not isinstance(to_version, int) or to_version < 1:
        raise InvalidInput(
            f"revert {ft.table} {code}: which version?",
            [Problem("version", "type", "a version number (1, 2, ...) is required")],
        )
    version = version_from_if_match(if_match, action=f"revert {ft.table} {code}")
    result = _write(
        ft, principal, edits.revert_feature, session, ft.table, code, to_version,
        expected_version=version, reason=reason,
    )
    return _result(result, ft, principal)
