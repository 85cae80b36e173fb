"""The three sizes of the demo twin and the knobs that make them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CENTRE_LONLAT", "SCALES", "Scale", "scale_named"]

#: Centre of Bắc Giang city (Hoàng Văn Thụ ward), WGS 84 lon/lat.
CENTRE_LONLAT = (106.1946, 21.2731)


@dataclass(frozen=True)
class Scale:
    """Parameters of one demo size; lengths in metres.

    ``districts`` are the GSO codes of the former districts of Bắc Giang that
    receive villages, roads and networks (``None``: every district);
    ``box_half_m`` clips the whole town to a square around the centre.
    """

    name: str
    districts: tuple[str, ...] | None
    box_half_m: float | None
    core_half_m: float
    block_m: float
    seat_core_half_m: float
    building_spacing_m: float
    village_radius_m: float
    villages_per_ward: int
    villages_per_commune: int
    dem_resolution_m: float
    substations: int
    tree_share: float


SCALES = {
    "small": Scale("small", ("213",), 560.0, 560.0, 160.0, 0.0, 34.0, 0.0, 6, 4, 5.0, 1, 0.6),
    "city": Scale("city", ("213",), None, 2300.0, 220.0, 0.0, 44.0, 160.0, 10, 6, 10.0, 3, 0.45),
    "province": Scale(
        "province", None, None, 2300.0, 220.0, 900.0, 19.0, 300.0, 10, 10, 30.0, 3, 0.45
    ),
}


def scale_named(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        from twin.errors import InvalidInput

        raise InvalidInput(f"unknown demo scale {name!r}: use one of {', '.join(SCALES)}") from None
