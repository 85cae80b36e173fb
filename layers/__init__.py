"""The registry of layers: every feature type of the twin is listed here.

Each module declares one layer (see :mod:`twin.declare`); this registry is the
only list of them, so adding a layer is adding its module to ``LAYERS``.
"""

from twin.declare import FeatureType, Layer

from . import base, drainage, lighting, power, telecom, trees, video, water

LAYERS: tuple[Layer, ...] = (
    trees.LAYER,
    lighting.LAYER,
    water.LAYER,
    drainage.LAYER,
    power.LAYER,
    telecom.LAYER,
    video.LAYER,
    base.LAYER,
)

__all__ = ["LAYERS", "feature_type", "feature_types", "layer"]


def feature_types() -> tuple[FeatureType, ...]:
    """Every feature type of every layer, in registry order."""
    return tuple(ft for lyr in LAYERS for ft in lyr.feature_types)


def layer(name: str) -> Layer:
    for lyr in LAYERS:
        if lyr.name == name:
            return lyr
    raise KeyError(f"unknown layer {name!r}; known: {', '.join(x.name for x in LAYERS)}")


def feature_type(table: str) -> FeatureType:
    """Look a feature type up by its table/collection name, e.g. ``water_pipe``."""
    for ft in feature_types():
        if ft.table == table:
            return ft
    raise KeyError(f"unknown feature type {table!r}")


def _check_registry() -> None:
    prefixes = [ft.code_prefix for ft in feature_types()]
    dupes = {p for p in prefixes if prefixes.count(p) > 1}
    if dupes:
        raise ValueError(f"code prefixes used twice: {sorted(dupes)}")


_check_registry()
