"""Use cases of photos: attach one to an asset, an inspection or an incident; read them.

A photo is checked before it is stored (:func:`~twin.photos.algorithms.read_photo`:
type by its bytes, pixel limit before decoding) and stored with its SHA-256,
its EXIF time and place and a thumbnail.  Who may see photos is the
caller's rule (:func:`may_see`): personal data in a picture (faces, number
plates) is left to the operator, so anonymous readers see none.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from layers import feature_type
from twin.auth import Principal, has
from twin.errors import InvalidInput, NotFound, Problem
from twin.features import get_feature
from twin.inspections import FORMS

from . import store
from .algorithms import PhotoRefused, read_photo
from .tables import KINDS

__all__ = ["MAX_PIXELS", "attach_photo", "may_see", "photo_file", "photos_of", "subject_of"]

#: Most pixels a photo may have (a 48 MP phone camera with room to spare).
MAX_PIXELS = 60_000_000


def subject_of(session: Session, kind: str, ref: str) -> tuple[str, str | None]:
    """``(subject, layer)`` of what ``kind``/``ref`` names; :class:`NotFound` if it is not there.

    ``ref`` is ``<feature table>/<code>`` for an asset, ``<form table>/<id>``
    for an inspection and ``<id>`` for an incident.
    """
    if kind not in KINDS:
        raise NotFound(f"photos are of {', '.join(KINDS)}, not {kind!r}")
    table, _, key = ref.rpartition("/")
    if kind == "asset":
        try:
            ft = feature_type(table)
        except KeyError:
            raise NotFound(f"no feature type {table!r}") from None
        code = get_feature(session, table, key)["id"]
        return f"{table}/{code}", ft.layer
    if not key.isdigit():
        raise NotFound(f"no {kind} {ref!r}")
    if kind == "inspection":
        if table not in FORMS or not store.inspection_exists(session, table, int(key)):
            raise NotFound(f"no inspection {ref!r}")
        return f"{table}/{int(key)}", FORMS[table][0].layer
    if table or not store.incident_exists(session, int(key)):
        raise NotFound(f"no incident {ref!r}")
    return str(int(key)), None


def attach_photo(session: Session, kind: str, ref: str, data: bytes, *, user: str,
                 caption: str | None = None, max_pixels: int = MAX_PIXELS) -> tuple[dict, bool]:
    """Store photo ``data`` of ``kind``/``ref``; ``(description, stored before)``.

    Raises :class:`InvalidInput` when ``data`` is no photo the twin takes.
    """
    subject, layer = subject_of(session, kind, ref)
    try:
        facts = read_photo(data, max_pixels=max_pixels)
    except PhotoRefused as exc:
        raise InvalidInput(f"photo of {kind} {ref} refused",
                           [Problem("file", "photo", str(exc))]) from None
    digest = hashlib.sha256(data).hexdigest()
    earlier = store.find_photo(session, kind, subject, digest)
    if earlier is not None:
        return earlier, True
    return store.add_photo(session, {
        "kind": kind, "subject": subject, "layer": layer, "sha256": digest,
        "content_type": facts.content_type, "bytes": len(data), "width": facts.width,
        "height": facts.height, "taken_at": facts.taken_at,
        "caption": (caption or None) and caption[:500], "uploaded_by": user, "data": data,
        "thumbnail": facts.thumbnail,
    }, facts.position), False


def photos_of(session: Session, kind: str, ref: str) -> list[dict]:
    subject, _ = subject_of(session, kind, ref)
    return store.photos_of(session, kind, subject)


def may_see(principal: Principal) -> bool:
    """Whether ``principal`` may see photos: signed-in readers only (never anonymous)."""
    return not principal.anonymous and has(principal, "read")


def photo_file(session: Session, photo_id: int, *, thumbnail: bool = False
               ) -> tuple[dict, bytes]:
    """A photo's description and bytes (its JPEG thumbnail with ``thumbnail``)."""
    found = store.photo_bytes(session, photo_id, thumbnail=thumbnail)
    if found is None:
        raise NotFound(f"no photo {photo_id}")
    return found
