"""Assets as column arrays, the shape the vectorised plan checks work on.

A province holds about a million assets; the checks read them as aligned numpy
arrays (geometry, feature type, utility class, placement, status, depths,
diameters) built once per run, either from ``Asset`` records or, faster, from
columns a loader already has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from shapely import GeometryType

from twin.zoning.codes import read_data_rows
from twin.zoning.geometry import as_array
from twin.zoning.model import Asset

__all__ = ["AssetTable", "asset_table", "utility_classes"]

_LINES = (GeometryType.LINESTRING, GeometryType.MULTILINESTRING)
_POINTS = (GeometryType.POINT, GeometryType.MULTIPOINT)


@cache
def _packaged_classes() -> Mapping[str, str]:
    return {
        row["feature_type"]: row["utility_class"] for row in read_data_rows("utility_classes.csv")
    }


def utility_classes(path: str | Path | None = None) -> Mapping[str, str]:
    """Feature type → utility class (water, sewer, storm, power, telecom)."""
    if path is None:
        return _packaged_classes()
    return {
        row["feature_type"]: row["utility_class"]
        for row in read_data_rows("utility_classes.csv", path)
    }


def _floats(values) -> np.ndarray:
    return np.array([np.nan if value is None else value for value in values], dtype=float)


@dataclass(frozen=True, eq=False)
class AssetTable:
    """Aligned arrays of assets; ``nan`` where a number is unknown.

    ``classes`` holds the utility class of each asset (``""`` for assets that are
    not part of a utility network, such as trees and poles).
    """

    codes: np.ndarray
    feature_types: np.ndarray
    geometries: np.ndarray
    placements: np.ndarray
    statuses: np.ndarray
    depth_m: np.ndarray
    height_m: np.ndarray
    elevation_m: np.ndarray
    diameter_mm: np.ndarray
    classes: np.ndarray

    @classmethod
    def from_columns(
        cls,
        *,
        codes,
        feature_types,
        geometries,
        placements=None,
        statuses=None,
        depth_m=None,
        height_m=None,
        elevation_m=None,
        diameter_mm=None,
        classes: Mapping[str, str] | None = None,
        utility_class=None,
    ) -> AssetTable:
        """Build a table from columns; missing columns take the ``Asset`` defaults.

        The utility class of an asset comes from ``classes`` (feature type →
        class, the packaged table by default) unless ``utility_class`` gives it
        per asset: a drainage conduit is a sewer or a storm drain by its system.
        """
        n = len(codes)
        mapping = utility_classes() if classes is None else classes

        def column(values, default, dtype=object):
            if values is None:
                return np.full(n, default, dtype=dtype)
            return np.asarray(values, dtype=dtype)

        types = column(feature_types, "")
        by_type = np.array([mapping.get(t, "") for t in types], dtype=object)
        if utility_class is not None:
            given = column(utility_class, "")
            by_type = np.where(given.astype(bool), given, by_type)
        return cls(
            codes=column(codes, ""),
            feature_types=types,
            geometries=as_array(geometries),
            placements=column(placements, "underground"),
            statuses=column(statuses, "existing"),
            depth_m=column(depth_m, np.nan, float),
            height_m=column(height_m, np.nan, float),
            elevation_m=column(elevation_m, np.nan, float),
            diameter_mm=column(diameter_mm, np.nan, float),
            classes=by_type,
        )

    def __len__(self) -> int:
        return len(self.codes)

    def ref(self, index: int) -> str:
        """The qualified id of one asset, ``asset:<code>``."""
        return f"asset:{self.codes[index]}"

    def lines(self) -> np.ndarray:
        """Mask of assets drawn as lines."""
        return np.isin(shapely.get_type_id(self.geometries), _LINES)

    def points(self) -> np.ndarray:
        """Mask of assets drawn as points."""
        return np.isin(shapely.get_type_id(self.geometries), _POINTS)


def asset_table(assets: Sequence[Asset] | AssetTable) -> AssetTable:
    """The assets as an ``AssetTable`` (returned as is when it already is one)."""
    if isinstance(assets, AssetTable):
        return assets
    return AssetTable.from_columns(
        codes=[a.code for a in assets],
        feature_types=[a.feature_type for a in assets],
        geometries=[a.geometry for a in assets],
        placements=[a.placement for a in assets],
        statuses=[a.status for a in assets],
        depth_m=_floats(a.depth_m for a in assets),
        height_m=_floats(a.height_m for a in assets),
        elevation_m=_floats(a.elevation_m for a in assets),
        diameter_mm=_floats(a.diameter_mm for a in assets),
    )
