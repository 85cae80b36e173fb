"""Reading photos safely: type from the bytes, pixel limit before decoding, EXIF, thumbnail."""

import io

import pytest
from PIL import Image

from tests.twin.photos.images import phone_jpeg, png_bomb
from twin.photos.algorithms import PhotoRefused, read_photo

LIMIT = 60_000_000


def test_a_phone_photo_gives_its_exif_place_and_time_and_a_small_thumbnail():
    facts = read_photo(phone_jpeg(106.2, 21.27, "2026:12:07 08:15:00"), max_pixels=LIMIT)
    assert facts.content_type == "image/jpeg"
    assert (facts.width, facts.height) == (640, 480)
    assert facts.position == pytest.approx((106.2, 21.27), abs=1e-6)
    assert facts.taken_at.isoformat() == "2026-12-07T08:15:00+07:00"
    thumb = Image.open(io.BytesIO(facts.thumbnail))
    assert thumb.format == "JPEG" and max(thumb.size) == 320
    assert not thumb.getexif().get_ifd(0x8825)


def test_a_photo_without_exif_has_no_place_or_time():
    out = io.BytesIO()
    Image.new("RGB", (20, 10)).save(out, "PNG")
    facts = read_photo(out.getvalue(), max_pixels=LIMIT)
    assert (facts.content_type, facts.position, facts.taken_at) == ("image/png", None, None)


@pytest.mark.parametrize("size", [(40_000, 40_000), (10_000, 10_000), (8_000, 8_000)])
def test_an_image_bomb_is_refused_from_its_header(size):
    with pytest.raises(PhotoRefused, match="over the limit"):
        read_photo(png_bomb(*size), max_pixels=LIMIT)


@pytest.mark.parametrize("data", [
    b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    b"GIF89a" + b"\x00" * 30,
    b"%PDF-1.7",
])
def test_what_is_not_a_jpeg_png_or_webp_is_refused(data):
    with pytest.raises(PhotoRefused, match="not a JPEG"):
        read_photo(data, max_pixels=LIMIT)


def test_a_file_whose_start_lies_about_its_type_is_refused():
    with pytest.raises(PhotoRefused):
        read_photo(b"\xff\xd8\xff" + b"\x89PNG" + b"\x00" * 64, max_pixels=LIMIT)
