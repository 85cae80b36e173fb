"""Folding drops Vietnamese diacritics the way the database's twin_fold does."""

import doctest

import pytest

import twin.search.algorithms.folding as folding
from twin.search import fold


def test_doctests():
    assert doctest.testmod(folding).failed == 0


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
