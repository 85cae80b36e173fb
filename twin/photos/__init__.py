"""Photos of assets, inspections and incidents: checked, with EXIF time and place, kept.

The public face of the area: what the web pages use.
"""

from .service import MAX_PIXELS, attach_photo, may_see, photo_file, photos_of, subject_of
from .store import photo_ids_of

__all__ = ["MAX_PIXELS", "attach_photo", "may_see", "photo_file", "photo_ids_of", "photos_of",
           "subject_of"]
