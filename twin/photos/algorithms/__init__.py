"""Pure photo reading: type by magic bytes, pixel limit, EXIF time and place, thumbnail."""

from .images import PhotoFacts, PhotoRefused, exif_position, exif_time, read_photo, sniff

__all__ = ["PhotoFacts", "PhotoRefused", "exif_position", "exif_time", "read_photo", "sniff"]
