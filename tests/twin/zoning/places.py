"""Where the database tests draw: metres of VN-2000 Bắc Giang around the city centre."""

from shapely import box

from twin.crs import STORAGE_CRS, reproject

CRS = "vn2000:bac-giang"
X0, Y0 = 416_000.0, 2_353_000.0


def at(x0, y0, x1, y1):
    """A box ``x0..x1`` by ``y0..y1`` metres from the origin, in ``CRS``."""
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def shifted(geometry):
    """A geometry drawn in metres from the origin, moved to the origin (``CRS``)."""
    from shapely import affinity

    return affinity.translate(geometry, X0, Y0)


def lonlat(geometry):
    """A geometry in ``CRS`` (metres) as WGS 84 lon/lat."""
    (moved,) = reproject([geometry], CRS, STORAGE_CRS)
    return moved
