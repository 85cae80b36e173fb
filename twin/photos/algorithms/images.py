"""What a photo is, read safely: its type, size, EXIF time and place, and a thumbnail.

The type is taken from the file's first bytes, never from its name or the
client's word; the pixel count is read from the header and refused above
the limit *before* any pixel is decoded, so a small file that would unpack
into gigabytes (an image bomb) costs nothing.  EXIF gives the moment the
photo was taken (``DateTimeOriginal``, with ``OffsetTimeOriginal`` when the
camera wrote it, otherwise Vietnam's time) and the GPS position in WGS 84.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = ["PhotoFacts", "PhotoRefused", "exif_position", "exif_time", "read_photo", "sniff"]

#: First bytes of the accepted types.
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_VIETNAM = timezone(timedelta(hours=7))
_GPS_IFD, _EXIF_IFD = 0x8825, 0x8769
_DATETIME_ORIGINAL, _OFFSET_ORIGINAL = 36867, 36881
THUMBNAIL_PX = 320


class PhotoRefused(ValueError):
    """The upload is not a photo the twin takes; the message says why."""


@dataclass(frozen=True)
class PhotoFacts:
    """A checked photo: type, size in pixels, EXIF time and position, a JPEG thumbnail."""

    content_type: str
    width: int
    height: int
    taken_at: datetime | None
    position: tuple[float, float] | None
    thumbnail: bytes


def sniff(head: bytes) -> str | None:
    """The content type the first bytes ``head`` announce (JPEG, PNG, WebP), or None.

    >>> sniff(b"\\xff\\xd8\\xff\\xe0...")
    'image/jpeg'
    >>> sniff(b"<svg xmlns=...") is None
    True
    """
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _degrees(dms, ref) -> float:
    d, m, s = (float(x) for x in dms)
    value = d + m / 60 + s / 3600
    return -value if str(ref).upper() in ("S", "W") else value


def exif_position(gps: dict) -> tuple[float, float] | None:
    """``(lon, lat)`` in degrees from an EXIF GPS directory, or None when it has none.

    >>> exif_position({1: "N", 2: (21, 16, 12.0), 3: "E", 4: (106, 12, 0.0)})
    (106.2, 21.27)
    """
    try:
        lat = _degrees(gps[2], gps.get(1, "N"))
        lon = _degrees(gps[4], gps.get(3, "E"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lon, 7), round(lat, 7)


def exif_time(stamp: str | None, offset: str | None = None) -> datetime | None:
    """The moment of an EXIF ``YYYY:MM:DD HH:MM:SS`` stamp (Vietnam's time without an offset).

    >>> exif_time("2026:12:07 08:15:00").isoformat()
    '2026-12-07T08:15:00+07:00'
    >>> exif_time("2026:12:07 08:15:00", "+00:00").isoformat()
    '2026-12-07T08:15:00+00:00'
    """
    if not stamp:
        return None
    try:
        naive = datetime.strptime(str(stamp).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
        zone = datetime.strptime(offset.strip("\x00 "), "%z").tzinfo if offset else _VIETNAM
    except ValueError:
        return None
    return naive.replace(tzinfo=zone)


def _thumbnail(image: Image.Image) -> bytes:
    small = ImageOps.exif_transpose(image)
    small.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    out = io.BytesIO()
    small.convert("RGB").save(out, "JPEG", quality=80)  # no EXIF: the thumbnail carries none
    return out.getvalue()


def read_photo(data: bytes, *, max_pixels: int) -> PhotoFacts:
    """Check ``data`` is a JPEG, PNG or WebP photo of at most ``max_pixels`` and read it.

    Raises :class:`PhotoRefused` naming the rule broken.
    """
    declared = sniff(data[:16])
    if declared is None:
        raise PhotoRefused("not a JPEG, PNG or WebP image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoRefused(f"over the limit of {max_pixels:,} pixels ({exc})") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise PhotoRefused(f"unreadable image: {exc}") from None
    if _FORMATS.get(image.format) != declared:
        raise PhotoRefused(f"the file starts as {declared} but reads as {image.format}")
    width, height = image.size
    if width * height > max_pixels:
        raise PhotoRefused(f"{width} × {height} pixels is over the limit of {max_pixels:,}")
    exif = image.getexif()
    sub = exif.get_ifd(_EXIF_IFD)
    try:
        thumbnail = _thumbnail(image)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoRefused(f"unreadable image: {exc}") from None
    return PhotoFacts(declared, width, height,
                      exif_time(sub.get(_DATETIME_ORIGINAL), sub.get(_OFFSET_ORIGINAL)),
                      exif_position(exif.get_ifd(_GPS_IFD)), thumbnail)
