"""What the map page needs to know about the layers, derived from ``layers/``.

The browser receives one JSON document (``/map/layers.json``) listing every
layer and feature type with its labels in the user's language, its style and
legend, the zoom from which it is drawn, and the attributes from which edit
forms are generated.  Nothing here is written per layer: a new attribute or a
new style in a declaration shows up on the map without touching this code.
"""

from __future__ import annotations

from flask_babel import gettext as _

from layers import LAYERS
from twin.declare import ASSET_STATUSES, Attribute, Detail, FeatureType, Layer, Style

from ..i18n import current_language, label

__all__ = ["core_fields", "layer_catalog", "legend", "shown_tables", "status_label"]


def core_fields() -> list[dict]:
    """The asset fields every feature type shares, as form field descriptions."""
    status_choices = [{"value": v, "label": status_label(v)} for v in ASSET_STATUSES]
    return [
        {"name": "code", "type": "text", "label": _("Asset code"), "readonly_after_create": True},
        {
            "name": "status",
            "type": "text",
            "label": _("Status"),
            "required": True,
            "choices": status_choices,
        },
        {"name": "commissioned_on", "type": "date", "label": _("Commissioned on")},
        {"name": "decommissioned_on", "type": "date", "label": _("Decommissioned on")},
        {"name": "owner", "type": "text", "label": _("Owner")},
        {"name": "operator", "type": "text", "label": _("Operator")},
    ]


def status_label(value: str | None) -> str:
    """The label of an asset status in the user's language (the value if unknown)."""
    labels = ASSET_STATUSES.get(value or "")
    if labels is None:
        return value or ""
    return labels[0] if current_language() == "vi" else labels[1]


def _attribute(a: Attribute) -> dict:
    field = {
        "name": a.name,
        "type": a.type,
        "label": label(a),
        "unit": a.unit,
        "required": a.required,
        "personal": a.personal,
    }
    if a.minimum is not None:
        field["minimum"] = a.minimum
    if a.maximum is not None:
        field["maximum"] = a.maximum
    if a.choices:
        field["choices"] = [{"value": c.value, "label": label(c)} for c in a.choices]
    return field


def _value_label(ft: FeatureType, name: str, value: str) -> str:
    if name == "status":
        return status_label(value)
    try:
        attribute = ft.attribute(name)
    except KeyError:
        return value
    for choice in attribute.choices:
        if choice.value == value:
            return label(choice)
    return value


def _class_labels(breaks: tuple[float, ...], unit: str | None) -> list[str]:
    suffix = f" {unit}" if unit else ""
    labels, low = [], None
    for high in breaks:
        labels.append(f"≤ {high:g}{suffix}" if low is None else f"{low:g}–{high:g}{suffix}")
        low = high
    return labels


def legend(ft: FeatureType) -> list[dict]:
    """Legend entries of a feature type: one per colour or width class of its style."""
    s: Style = ft.style
    if s.by and s.colors:
        return [
            {"label": _value_label(ft, s.by, value), "color": color, "width": s.weight}
            for value, color in s.colors.items()
        ]
    if s.by and s.breaks:
        unit = ft.attribute(s.by).unit if s.by in {a.name for a in ft.attributes} else None
        widths = s.widths or (s.weight,) * len(s.breaks)
        return [
            {"label": text, "color": s.color, "width": width}
            for text, width in zip(_class_labels(s.breaks, unit), widths, strict=False)
        ]
    return [{"label": label(ft), "color": s.color, "width": s.weight}]


def _detail(ft: FeatureType, d: Detail) -> dict:
    """A detail of ``ft`` as the layer list notes it: what, and from which zoom."""
    if d.below is not None:
        unit = ft.attribute(d.attribute).unit
        what = f"< {d.below:g} {unit}" if unit else f"< {d.below:g}"
    else:
        what = ", ".join(_value_label(ft, d.attribute, v) for v in d.values)
    return {"label": what, "min_zoom": d.min_zoom}


def _style(s: Style) -> dict:
    return {
        "color": s.color,
        "by": s.by,
        "colors": dict(s.colors),
        "breaks": list(s.breaks),
        "widths": list(s.widths),
        "radius": s.radius,
        "weight": s.weight,
        "fill_opacity": s.fill_opacity,
    }


def _feature_type(ft: FeatureType) -> dict:
    return {
        "table": ft.table,
        "name": ft.name,
        "label": label(ft),
        "geometry": ft.geometry,
        "network": ft.network,
        "min_zoom": ft.min_zoom,
        "details": [_detail(ft, d) for d in ft.details],
        "code_prefix": ft.code_prefix,
        "style": _style(ft.style),
        "legend": legend(ft),
        "attributes": [_attribute(a) for a in ft.attributes],
    }


def _layer(lyr: Layer, tile_url: str) -> dict:
    return {
        "name": lyr.name,
        "label": label(lyr),
        "asset": lyr.asset,
        "min_zoom": min(ft.min_zoom for ft in lyr.feature_types),
        "tiles": tile_url.replace("{layer}", lyr.name),
        "types": [_feature_type(ft) for ft in lyr.feature_types],
    }


def layer_catalog(tile_url: str) -> dict:
    """Every layer for the map, labelled in the current language.

    ``tile_url`` is the vector tile template with a ``{layer}`` placeholder.
    """
    return {
        "language": current_language(),
        "core": core_fields(),
        "statuses": [{"value": v, "label": status_label(v)} for v in ASSET_STATUSES],
        "layers": [_layer(lyr, tile_url) for lyr in LAYERS],
    }


def shown_tables(readable: frozenset[str]) -> list[str]:
    """Tables of the ``readable`` layers in the catalogue's order: what the map shows at first."""
    return [ft.table for lyr in LAYERS if lyr.name in readable for ft in lyr.feature_types]
