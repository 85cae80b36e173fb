"""QGIS styles of a feature type, from its declaration: the web map's colours.

One function per part of a QGIS layer definition, each an
:class:`xml.etree.ElementTree.Element` that a project (``.qgs``) puts in its
``maplayer`` and a QML document (a GeoPackage's ``layer_styles``) in its
root: the renderer (categorised by the attribute the style names, graduated
by its breaks, else one symbol), field aliases in one language, value maps
of the allowed values, and the fields the twin keeps (read only).
No QGIS is needed to write them.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from twin.declare import ASSET_STATUSES, FeatureType, Style

__all__ = ["READ_ONLY", "aliases", "field_configuration", "qml", "read_only", "renderer"]

#: Fields the twin writes itself: shown, never edited.
READ_ONLY = ("id", "layer", "version", "created_by", "created_at", "updated_by", "updated_at",
             "start_node", "end_node", "length_m", "area_m2")
_CORE_LABELS = {
    "id": ("Mã số trong CSDL", "Database id"), "code": ("Mã tài sản", "Asset code"),
    "layer": ("Lớp", "Layer"), "status": ("Trạng thái", "Status"),
    "commissioned_on": ("Ngày đưa vào sử dụng", "Commissioned on"),
    "decommissioned_on": ("Ngày ngừng sử dụng", "Decommissioned on"),
    "owner": ("Chủ sở hữu", "Owner"), "operator": ("Đơn vị vận hành", "Operator"),
    "commune": ("Xã/phường (mã)", "Commune (code)"), "extra": ("Thông tin thêm", "Extra"),
    "version": ("Phiên bản", "Version"), "created_by": ("Người tạo", "Created by"),
    "created_at": ("Thời điểm tạo", "Created at"), "updated_by": ("Người sửa", "Updated by"),
    "updated_at": ("Thời điểm sửa", "Updated at"),
    "start_node": ("Nút đầu (mã số)", "Start node (id)"),
    "end_node": ("Nút cuối (mã số)", "End node (id)"),
    "length_m": ("Chiều dài (m)", "Length (m)"), "area_m2": ("Diện tích (m²)", "Area (m²)"),
}


def _rgba(color: str, alpha: float = 1.0) -> str:
    h = color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(alpha * 255)}"


def _props(layer: ET.Element, props: dict) -> None:
    for k, v in props.items():
        ET.SubElement(layer, "prop", k=k, v=str(v))


def _symbol_layer(sym: ET.Element, cls: str) -> ET.Element:
    return ET.SubElement(sym, "layer", {"class": cls, "enabled": "1", "pass": "0", "locked": "0"})


def _symbol(ft: FeatureType, s: Style, name: str, color: str, width: float | None = None):
    kind = {"Point": "marker", "LineString": "line"}.get(ft.geometry, "fill")
    sym = ET.Element("symbol", type=kind, name=name, alpha="1", clip_to_extent="1",
                     force_rhr="0")
    if kind == "marker":
        lyr = _symbol_layer(sym, "SimpleMarker")
        _props(lyr, {"name": "circle", "color": _rgba(color), "outline_color": "35,35,35,255",
                     "outline_width": "0.5", "outline_width_unit": "Pixel",
                     "size": round(2 * s.radius, 2), "size_unit": "Pixel"})
    elif kind == "line":
        lyr = _symbol_layer(sym, "SimpleLine")
        _props(lyr, {"line_color": _rgba(color), "line_style": "solid",
                     "line_width": width if width is not None else s.weight,
                     "line_width_unit": "Pixel", "capstyle": "round", "joinstyle": "round"})
    else:
        lyr = _symbol_layer(sym, "SimpleFill")
        _props(lyr, {"color": _rgba(color, s.fill_opacity),
                     "style": "solid" if s.fill_opacity > 0 else "no",
                     "outline_color": _rgba(color), "outline_style": "solid",
                     "outline_width": s.weight, "outline_width_unit": "Pixel"})
    return sym


def _labels(ft: FeatureType, name: str) -> dict[str, tuple[str, str]]:
    if name == "status":
        return ASSET_STATUSES
    try:
        return {c.value: (c.vi, c.en) for c in ft.attribute(name).choices}
    except KeyError:
        return {}


def renderer(ft: FeatureType, lang: str = "vi") -> ET.Element:
    """The ``renderer-v2`` element drawing ``ft`` as the web map does."""
    s = ft.style
    if s.by and s.colors:
        el = ET.Element("renderer-v2", type="categorizedSymbol", attr=s.by, symbollevels="0",
                        enableorderby="0", forceraster="0")
        cats, syms = ET.SubElement(el, "categories"), ET.SubElement(el, "symbols")
        labels = _labels(ft, s.by)
        for i, (value, color) in enumerate(s.colors.items()):
            label = labels.get(value, (value, value))[0 if lang == "vi" else 1]
            ET.SubElement(cats, "category", render="true", symbol=str(i), value=value,
                          label=label)
            syms.append(_symbol(ft, s, str(i), color))
        i = len(s.colors)  # values without a colour of their own: the default colour
        ET.SubElement(cats, "category", render="true", symbol=str(i), value="", label="")
        syms.append(_symbol(ft, s, str(i), s.color))
        return el
    if s.by and s.breaks:
        el = ET.Element("renderer-v2", type="graduatedSymbol", attr=s.by, symbollevels="0",
                        enableorderby="0", forceraster="0", graduatedMethod="GraduatedSize")
        ranges, syms = ET.SubElement(el, "ranges"), ET.SubElement(el, "symbols")
        lower = 0.0
        for i, upper in enumerate(s.breaks):
            width = s.widths[i] if i < len(s.widths) else s.weight
            ET.SubElement(ranges, "range", render="true", symbol=str(i), lower=str(lower),
                          upper=str(upper), label=f"{lower:g} – {upper:g}")
            syms.append(_symbol(ft, s, str(i), s.color, width))
            lower = float(upper)
        return el
    el = ET.Element("renderer-v2", type="singleSymbol", symbollevels="0", enableorderby="0",
                    forceraster="0")
    ET.SubElement(el, "symbols").append(_symbol(ft, s, "0", s.color))
    return el


def _label(ft: FeatureType, name: str, lang: str) -> str:
    if name in _CORE_LABELS:
        vi, en = _CORE_LABELS[name]
    else:
        try:
            a = ft.attribute(name)
        except KeyError:
            return name
        vi, en = a.vi, a.en
        if a.unit:
            vi, en = f"{vi} ({a.unit})", f"{en} ({a.unit})"
    return vi if lang == "vi" else en


def aliases(ft: FeatureType, columns: list[str], lang: str = "vi") -> ET.Element:
    el = ET.Element("aliases")
    for i, name in enumerate(columns):
        if name == "geom":
            continue
        ET.SubElement(el, "alias", field=name, index=str(i), name=_label(ft, name, lang))
    return el


def _option(parent: ET.Element, **attrs) -> ET.Element:
    return ET.SubElement(parent, "Option", attrs)


def field_configuration(ft: FeatureType, columns: list[str], lang: str = "vi") -> ET.Element:
    """Value maps (label -> stored value) for every field with allowed values."""
    el = ET.Element("fieldConfiguration")
    for name in columns:
        labels = _labels(ft, name)
        if not labels:
            continue
        widget = ET.SubElement(ET.SubElement(el, "field", name=name, configurationFlags="None"),
                               "editWidget", type="ValueMap")
        top = _option(ET.SubElement(widget, "config"), type="Map")
        values = _option(top, name="map", type="List")
        for value, (vi, en) in labels.items():
            _option(_option(values, type="Map"), name=vi if lang == "vi" else en, value=value,
                    type="QString")
    return el


def read_only(columns: list[str]) -> ET.Element:
    el = ET.Element("editable")
    for name in columns:
        if name != "geom":
            ET.SubElement(el, "field", name=name, editable="0" if name in READ_ONLY else "1")
    return el


def qml(ft: FeatureType, columns: list[str], lang: str = "vi") -> str:
    """A QML document (QGIS layer style file) for ``ft`` with these ``columns``."""
    root = ET.Element("qgis", version="3.22.0", styleCategories="AllStyleCategories")
    root.extend([renderer(ft, lang), field_configuration(ft, columns, lang),
                 aliases(ft, columns, lang), read_only(columns)])
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode")
