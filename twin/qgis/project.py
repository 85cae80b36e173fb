"""A QGIS project of the twin, written as ``.qgs`` XML from the layer declarations.

The web app has no QGIS, so the project is written here without it (and
opened by the real QGIS in the tests): a group per layer of ``layers/``, a
map layer per feature type with the web map's style, aliases in one language
(Vietnamese by default, English as a variant; the project variable
``twin_lang`` says which), value maps, read-only fields, snapping of each
network's layers at the twin's tolerance, the DEM as a hillshade when one is
registered, and the province's VN-2000 zone as the project's CRS.

Layers read either PostGIS through the ``qgis`` views (the user's own login,
from ``pg_service.conf``) or the twin's OGC API – Features (``via="oapif"``).
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pyproj import CRS

from layers import LAYERS
from twin.config import STORAGE_SRID
from twin.crs import parse_crs, transformer
from twin.db.qgis_views import SCHEMA, view_columns
from twin.declare import FeatureType
from twin.errors import InvalidInput, Problem

from . import styles

__all__ = ["DEFAULT_ZONE", "Dem", "ProjectOptions", "project_qgs", "project_qgz", "write_project"]

#: The demo province's zone (Bắc Giang, central meridian 107°, EPSG:9214).
DEFAULT_ZONE = "vn2000:bac-giang"
_WKB = {"Point": ("Point", "Point"), "LineString": ("Line", "LineString"),
        "Polygon": ("Polygon", "Polygon"), "MultiPolygon": ("Polygon", "MultiPolygon")}
_QGIS_VERSION = "3.22.0-Białowieża"
_AUTHCFG = re.compile(r"[A-Za-z0-9]{7}")


@dataclass(frozen=True)
class Dem:
    """A registered elevation raster: its name and the absolute path of its GeoTIFF."""

    name: str
    path: str


@dataclass(frozen=True)
class ProjectOptions:
    """What the project connects to and how it reads.

    ``via`` is ``"postgis"`` (``service`` names the ``pg_service.conf``
    entry) or ``"oapif"`` (``url`` is the twin's landing page; ``authcfg``
    the id of a QGIS authentication configuration holding an API token,
    optional).  ``lang`` is ``"vi"`` or ``"en"``; ``zone`` a CRS name of
    :func:`twin.crs.parse_crs` for the project; ``snap_tolerance_m`` in
    metres; ``extent`` the initial view as ``(west, south, east, north)`` in
    WGS 84 degrees.
    """

    via: str = "postgis"
    service: str = "twin"
    url: str = ""
    authcfg: str = ""
    lang: str = "vi"
    zone: str = DEFAULT_ZONE
    snap_tolerance_m: float = 1.0
    dem: Dem | None = None
    extent: tuple[float, float, float, float] | None = None
    title: str = ""


def _srs(parent: ET.Element, crs: CRS) -> None:
    """A ``spatialrefsys``: QGIS looks an ``authid`` up only when ``srsid`` is a
    positive number (any: its own ids are not ours to know), else reads the WKT."""
    srs = ET.SubElement(parent, "spatialrefsys")
    ET.SubElement(srs, "wkt").text = crs.to_wkt()
    auth = crs.to_authority()
    if auth:
        ET.SubElement(srs, "srsid").text = "1"
    ET.SubElement(srs, "authid").text = f"{auth[0]}:{auth[1]}" if auth else ""
    ET.SubElement(srs, "description").text = crs.name
    ET.SubElement(srs, "geographicflag").text = "true" if crs.is_geographic else "false"


def layer_id(ft: FeatureType) -> str:
    return f"{ft.table}_twin"


def _quoted(value: str) -> str:
    """A value of a QGIS data source string, quoted as QGIS reads it back."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _datasource(ft: FeatureType, opts: ProjectOptions) -> tuple[str, str]:
    if opts.via == "oapif":
        auth = f" authcfg={opts.authcfg}" if opts.authcfg else ""
        return "OAPIF", (f"pagingEnabled='true' preferCoordinatesForWfsT11='false' "
                         f"restrictToRequestBBOX='1' typename='{ft.table}' "
                         f"url={_quoted(opts.url.rstrip('/') + '/')}{auth}")
    return "postgres", (f"service={_quoted(opts.service)} key='id' "
                        f"srid={STORAGE_SRID} type={_WKB[ft.geometry][1]} "
                        f"checkPrimaryKeyUnicity='0' table=\"{SCHEMA}\".\"{ft.table}\" (geom)")


def _vector_layer(ft: FeatureType, label: str, opts: ProjectOptions) -> ET.Element:
    kind, wkb = _WKB[ft.geometry]
    ml = ET.Element("maplayer", type="vector", geometry=kind, wkbType=wkb,
                    minScale="0", maxScale="0", hasScaleBasedVisibilityFlag="0",
                    readOnly="0", autoRefreshEnabled="0", autoRefreshTime="0",
                    refreshOnNotifyEnabled="0", styleCategories="AllStyleCategories")
    provider, source = _datasource(ft, opts)
    ET.SubElement(ml, "id").text = layer_id(ft)
    ET.SubElement(ml, "datasource").text = source
    ET.SubElement(ml, "layername").text = label
    _srs(ET.SubElement(ml, "srs"), CRS.from_epsg(STORAGE_SRID))
    ET.SubElement(ml, "provider", encoding="UTF-8").text = provider
    columns = [c for c in view_columns(ft) if c != "geom"]
    ml.extend([styles.renderer(ft, opts.lang),
               styles.field_configuration(ft, columns, opts.lang),
               styles.aliases(ft, columns, opts.lang), styles.read_only(columns)])
    return ml


def _hillshade(dem: Dem, lang: str) -> ET.Element:
    ml = ET.Element("maplayer", type="raster", hasScaleBasedVisibilityFlag="0",
                    styleCategories="AllStyleCategories")
    ET.SubElement(ml, "id").text = "dem_hillshade_twin"
    ET.SubElement(ml, "datasource").text = dem.path
    ET.SubElement(ml, "layername").text = "Địa hình (bóng đổ)" if lang == "vi" else "Hillshade"
    ET.SubElement(ml, "provider").text = "gdal"
    pipe = ET.SubElement(ml, "pipe")
    ET.SubElement(pipe, "rasterrenderer", type="hillshade", band="1", opacity="0.6",
                  alphaBand="-1", zfactor="1", azimuth="315", angle="45",
                  multidirection="0")
    return ml


def _tree_layer(parent: ET.Element, lid: str, name: str, source: str, provider: str,
                checked: bool = True) -> None:
    ET.SubElement(parent, "layer-tree-layer", id=lid, name=name, source=source,
                  providerKey=provider, expanded="0",
                  checked="Qt::Checked" if checked else "Qt::Unchecked")


def _snapping(parent: ET.Element, opts: ProjectOptions) -> None:
    """Vertex snapping on network layers at the twin's tolerance (metres, project units)."""
    snap = ET.SubElement(parent, "snapping-settings", enabled="1", mode="3", type="1",
                         tolerance=str(opts.snap_tolerance_m), unit="2",
                         intersection_snapping="0", self_snapping="0", scaleDependencyMode="0",
                         minScale="0", maxScale="0")
    individual = ET.SubElement(snap, "individual-layer-settings")
    for lyr in LAYERS:
        for ft in lyr.feature_types:
            ET.SubElement(individual, "layer-setting", id=layer_id(ft),
                          enabled="1" if ft.network else "0", type="1",
                          tolerance=str(opts.snap_tolerance_m), units="2",
                          minScale="0", maxScale="0")


def _properties(parent: ET.Element, values: dict[str, str]) -> None:
    """Project properties: the CRS switched on (else QGIS ignores ``projectCrs``), variables."""
    props = ET.SubElement(parent, "properties")
    srs = ET.SubElement(props, "SpatialRefSys")
    ET.SubElement(srs, "ProjectionsEnabled", type="int").text = "1"
    variables = ET.SubElement(props, "Variables")
    names = ET.SubElement(variables, "variableNames", type="QStringList")
    vals = ET.SubElement(variables, "variableValues", type="QStringList")
    for k, v in values.items():
        ET.SubElement(names, "value").text = k
        ET.SubElement(vals, "value").text = v


def project_qgs(opts: ProjectOptions) -> str:
    """The ``.qgs`` document of the twin for ``opts``."""
    if opts.via not in ("postgis", "oapif"):
        raise InvalidInput("unknown project variant", [Problem(
            "via", "allowed_values", f"{opts.via!r} is not one of postgis, oapif")])
    if opts.authcfg and not _AUTHCFG.fullmatch(opts.authcfg):
        raise InvalidInput("not a QGIS authentication configuration", [Problem(
            "authcfg", "pattern", f"{opts.authcfg!r}: an id is 7 letters or digits")])
    vi = opts.lang == "vi"
    crs = parse_crs(opts.zone)
    title = opts.title or ("Bản sao số hạ tầng" if vi else "Infrastructure digital twin")
    root = ET.Element("qgis", projectname=title, version=_QGIS_VERSION)
    ET.SubElement(root, "homePath", path="")
    ET.SubElement(root, "title").text = title
    _srs(ET.SubElement(root, "projectCrs"), crs)
    tree = ET.SubElement(root, "layer-tree-group")
    layers_el = ET.Element("projectlayers")
    for lyr in LAYERS:
        group = ET.SubElement(tree, "layer-tree-group", name=lyr.vi if vi else lyr.en,
                              checked="Qt::Checked", expanded="0")
        for ft in lyr.feature_types:
            label = ft.vi if vi else ft.en
            ml = _vector_layer(ft, label, opts)
            layers_el.append(ml)
            _tree_layer(group, layer_id(ft), label, ml.find("datasource").text,
                        ml.find("provider").text)
    if opts.dem is not None:
        ml = _hillshade(opts.dem, opts.lang)
        layers_el.append(ml)
        _tree_layer(tree, "dem_hillshade_twin", ml.find("layername").text, opts.dem.path,
                    "gdal")
    _snapping(root, opts)
    root.append(layers_el)
    _properties(root, {"twin_lang": opts.lang, "twin_via": opts.via,
                      "twin_snap_tolerance_m": str(opts.snap_tolerance_m)})
    if opts.extent is not None:
        _extent(root, crs, opts.extent)
    ET.indent(root)
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
            + ET.tostring(root, encoding="unicode"))


def _extent(root: ET.Element, crs: CRS, lonlat: tuple[float, float, float, float]) -> None:
    t = transformer(CRS.from_epsg(STORAGE_SRID), crs)
    xmin, ymin = t.transform(lonlat[0], lonlat[1])
    xmax, ymax = t.transform(lonlat[2], lonlat[3])
    canvas = ET.SubElement(root, "mapcanvas", name="theMapCanvas")
    ET.SubElement(canvas, "units").text = "meters"
    ext = ET.SubElement(canvas, "extent")
    for k, v in (("xmin", xmin), ("ymin", ymin), ("xmax", xmax), ("ymax", ymax)):
        ET.SubElement(ext, k).text = repr(v)
    _srs(ET.SubElement(canvas, "destinationsrs"), crs)


def project_qgz(opts: ProjectOptions) -> bytes:
    """The project zipped as QGIS saves it (``.qgz``: one ``.qgs`` inside)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("twin.qgs", project_qgs(opts))
    return buf.getvalue()


def write_project(path: Path, opts: ProjectOptions) -> Path:
    """Write ``.qgz`` or ``.qgs`` (by suffix) to ``path``."""
    path = Path(path)
    if path.suffix == ".qgs":
        path.write_text(project_qgs(opts), encoding="utf-8")
    else:
        path.write_bytes(project_qgz(opts))
    return path
