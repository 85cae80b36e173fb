"""Test images made on the spot: a phone-like JPEG with EXIF, a PNG that would unpack huge."""

from __future__ import annotations

import io
import struct
import zlib
from fractions import Fraction

from PIL import Image


def _dms(value: float) -> tuple:
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 4)
    return (Fraction(d), Fraction(m), Fraction(s).limit_denominator(10000))


def phone_jpeg(lon: float = 106.2, lat: float = 21.27, when: str = "2026:12:07 08:15:00",
               *, size=(640, 480), colour=(90, 140, 60)) -> bytes:
    """A JPEG as a phone writes it: GPS position and the time it was taken in EXIF."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = when
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A few hundred bytes announcing ``width`` × ``height`` pixels (1.6 G by default)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + _chunk(b"IEND", b""))
