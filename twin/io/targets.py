"""Which feature type each table of a source becomes, from ``--layer``.

With ``--layer LAYER`` alone, a table named like none of the layer's types
takes the one type whose geometry fits its own (points of the ``trees``
layer are trees); when several fit, the user names one.
"""

from __future__ import annotations

import numpy as np
import shapely

from layers import LAYERS, feature_type, layer
from twin.declare import FeatureType
from twin.errors import InvalidInput, Problem

from .source import Source, SourceTable

__all__ = ["target_types", "targets"]


def _pair(st: SourceTable, wanted, lyr: str, several: bool):
    """``(feature type or None, note or None, problem or None)`` for one source table."""
    if st.table is not None:
        ft = feature_type(st.table)
        if isinstance(wanted, FeatureType) and ft is not wanted:
            return None, f"skipped {len(st)} {st.name}: not {wanted.table}", None
        if ft.layer != lyr:
            return (
                None,
                None,
                Problem(
                    "--layer",
                    "layer",
                    f"{st.name} are {ft.layer} features ({ft.table}), not {lyr}",
                    st.name,
                ),
            )
        return ft, None, None
    if isinstance(wanted, FeatureType):
        if several and st.name != wanted.table:
            return None, f"skipped layer {st.name}: not {wanted.table}", None
        return wanted, None, None
    named = {ft.table: ft for ft in layer(lyr).feature_types}
    if st.name in named:
        return named[st.name], None, None
    shape = _shape(st)
    fits = [ft for ft in layer(lyr).feature_types if _SHAPES.get(ft.geometry) == shape]
    if len(fits) == 1:
        note = (
            f"{st.name}: {shape} features taken as {lyr}:{fits[0].name}, "
            f"the only type of {lyr} with that geometry"
        )
        return fits[0], note, None
    types = ", ".join(f"{lyr}:{ft.name}" for ft in fits or layer(lyr).feature_types)
    return (
        None,
        None,
        Problem(
            "--layer",
            "feature_type",
            f"name the feature type of {st.name}: one of {types}",
            st.name,
        ),
    )


#: The shape each declared geometry type stands for.
_SHAPES = {"Point": "point", "LineString": "line", "Polygon": "polygon", "MultiPolygon": "polygon"}
#: GEOS type ids (Point, LineString, LinearRing, Polygon, Multi...) -> shape.
_SHAPE_OF_ID = {0: "point", 1: "line", 2: "line", 3: "polygon", 4: "point", 5: "line", 6: "polygon"}


def _shape(st: SourceTable) -> str | None:
    """``point``, ``line`` or ``polygon`` when every geometry of ``st`` is one; else None."""
    ids = shapely.get_type_id(st.geometry)
    shapes = {_SHAPE_OF_ID.get(int(i)) for i in np.unique(ids[ids >= 0])}
    return shapes.pop() if len(shapes) == 1 else None


def targets(target: str, source: Source) -> tuple[list[tuple[SourceTable, FeatureType]], list[str]]:
    """Pair each source table with its feature type; ``target`` is ``--layer``.

    ``LAYER`` suits network models, whose sections say their types, and
    files whose layers are named like feature tables (the twin's own
    GeoPackage exports); ``LAYER:TYPE`` (or the table name ``LAYER_TYPE``)
    names the type of a plain file, or keeps only that part of a model.
    """
    wanted = _wanted(target)
    lyr = wanted.layer if isinstance(wanted, FeatureType) else wanted
    pairs, notes, problems = [], [], []
    for st in source.tables:
        ft, note, problem = _pair(st, wanted, lyr, len(source.tables) > 1)
        if ft is not None:
            pairs.append((st, ft))
        notes += [note] if note else []
        problems += [problem] if problem else []
    if problems:
        raise InvalidInput(f"{source.path}: the file does not fit --layer {target}", problems)
    return pairs, notes


def target_types(target: str) -> list[FeatureType]:
    """Every feature type an import into ``target`` (``--layer``) may write."""
    wanted = _wanted(target)
    return [wanted] if isinstance(wanted, FeatureType) else list(layer(wanted).feature_types)


def _wanted(target: str) -> FeatureType | str:
    name = str(target).strip()
    lyr_name, sep, type_name = name.partition(":")
    try:
        if sep:
            return feature_type(f"{lyr_name}_{type_name}")
        if "_" in name and not _is_layer(name):
            return feature_type(name)
        layer(name)
        return name
    except KeyError:
        pass
    known = []
    if _is_layer(lyr_name):
        known = [f"{lyr_name}:{ft.name}" for ft in layer(lyr_name).feature_types]
    known = known or [lyr.name for lyr in LAYERS]
    raise InvalidInput(
        f"unknown --layer {target!r}",
        [Problem("--layer", "known_layer", f"{target!r} is not one of: {', '.join(known)}")],
    )


def _is_layer(name: str) -> bool:
    try:
        layer(name)
        return True
    except KeyError:
        return False
