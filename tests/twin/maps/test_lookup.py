"""Pure functions of the map queries."""

from __future__ import annotations

import pytest

from twin.maps.lookup import fold, metres_per_pixel


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đường Hoàng Văn Thụ", "duong hoang van thu"),
        ("Phường Trần Nguyên Hãn", "phuong tran nguyen han"),
        ("NGÔ QUYỀN", "ngo quyen"),
        ("plain", "plain"),
    ],
)
def test_fold_drops_vietnamese_diacritics(text, folded):
    assert fold(text) == folded


def test_a_pixel_halves_with_each_zoom_and_shrinks_with_latitude():
    assert metres_per_pixel(0, 0) == pytest.approx(156543.03392)
    assert metres_per_pixel(21.27, 18) == pytest.approx(metres_per_pixel(21.27, 17) / 2)
    assert metres_per_pixel(21.27, 18) == pytest.approx(0.5565, abs=1e-3)
