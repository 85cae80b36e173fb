"""The photo table (schema ``ops``): each photo, its thumbnail and what it shows.

Photos live in PostgreSQL (``bytea``) rather than in files beside it: one
backup holds them with the inspections and incidents they document, a
restore to a moment brings back exactly the photos of that moment, and the
database's roles guard them like the rest.  ``subject`` names what the
photo is of (``water_valve/WTR-VLV-000001``, ``inspection_water_valve_exercise/12``,
``incident/34``); ``layer`` is the asset layer it belongs to (null for an
incident), which decides who may see it.  The same file attached twice to
the same subject is stored once (``sha256``), so a queue sent again from a
phone adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from twin.config import STORAGE_SRID
from twin.models import Base

__all__ = ["CONTENT_TYPES", "KINDS", "Photo"]

KINDS = ("asset", "inspection", "incident")
CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")


def _in(values) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Photo(Base):
    """One photo of an asset, an inspection or an incident."""

    __tablename__ = "photo"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(KINDS)})", name="kind_allowed"),
        CheckConstraint(f"content_type IN ({_in(CONTENT_TYPES)})", name="type_allowed"),
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
        CheckConstraint("bytes = octet_length(data)", name="bytes_match"),
        UniqueConstraint("kind", "subject", "sha256"),
        Index("ix_photo_subject", "kind", "subject"),
        {"schema": "ops"},
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    layer: Mapped[str | None] = mapped_column(Text, comment="asset layer; null: an incident")
    sha256: Mapped[str] = mapped_column(Text, nullable=False)
    content_type: Mapped[str] = mapped_column(Text, nullable=False)
    bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                      comment="EXIF DateTimeOriginal")
    geom = mapped_column(Geometry("POINT", srid=STORAGE_SRID, spatial_index=False),
                         comment="EXIF GPS position")
    caption: Mapped[str | None] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(Text, nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                  server_default=func.now())
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    thumbnail: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
