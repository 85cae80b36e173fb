"""VN-2000 transformations against published reference values."""

import pytest

from twin.crs import parse_crs, transformer
from twin.errors import InvalidInput

# (lon, lat) WGS 84 → (E, N) in a VN-2000 3° zone, consistency values computed
# with the official 7 parameters (EPSG:6960).
REFERENCE = [
    ("vn2000:bac-giang", (106.1946, 21.2731), (416226.772, 2353402.453)),
    ("vn2000:bac-ninh-cu", (106.0763, 21.1861), (559642.292, 2343664.579)),
    ("EPSG:9214", (106.1946, 21.2731), (416226.772, 2353402.453)),
]


@pytest.mark.parametrize("spec, lonlat, expected", REFERENCE)
def test_wgs84_to_vn2000_matches_reference(spec, lonlat, expected):
    e, n = transformer("wgs84", spec).transform(*lonlat)
    assert e == pytest.approx(expected[0], abs=0.002)
    assert n == pytest.approx(expected[1], abs=0.002)


def test_hand_built_zone_uses_flipped_rotation_signs():
    # 107.0 exists in EPSG; tm3-107.0001 forces the PROJ-string path: within a few m
    # of the EPSG zone (meridian shift only), proving the +towgs84 is right, not 200 m off.
    e1, n1 = transformer("wgs84", "vn2000:bac-giang").transform(107.0, 21.27)
    from twin.crs import _tm3

    e2, n2 = transformer(parse_crs("wgs84"), _tm3(107.0000001)).transform(107.0, 21.27)
    assert abs(e1 - e2) < 0.05 and abs(n1 - n2) < 0.05


def test_round_trip_is_millimetre_exact():
    fwd = transformer("wgs84", "vn2000:quang-ninh")
    back = transformer("vn2000:quang-ninh", "wgs84")
    lon, lat = back.transform(*fwd.transform(107.08, 20.95))
    assert lon == pytest.approx(107.08, abs=1e-8) and lat == pytest.approx(20.95, abs=1e-8)  # 1e-8° ≈ 1 mm


def test_unknown_zone_names_the_known_ones():
    with pytest.raises(InvalidInput) as err:
        parse_crs("vn2000:atlantis")
    assert "bac-giang" in str(err.value)
