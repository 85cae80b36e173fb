"""Opening a user's file with GDAL: only the driver its suffix names, nothing it points to.

GDAL picks a driver from a file's content, so an OGR VRT document saved as
``.geojson`` would read any file of the server (``$TWIN_HOME/pg.secret``) or
fetch a ``/vsicurl/`` URL, and dozens of other drivers (GML, KML, WFS ...)
can follow references too.  Every file read for import therefore passes here:

* its suffix names the one driver allowed for it (:data:`DRIVERS`);
* it is a plain local file: no ``/vsi…/`` path, no ``driver:`` or ``scheme://``
  prefix, no archive path (``a.zip!b.shp``);
* its first bytes look like that format (an XML document is not GeoJSON),
  and a GeoJSON names no CRS by a link GDAL would fetch;
* GDAL itself keeps only the allowed drivers registered and no network access
  (:func:`harden_gdal`, process-wide), and the driver it chose is checked
  before any feature is read.

A new format is one line in :data:`DRIVERS` and one in the first bytes it
must start with.  A MapInfo ``.tab`` may be a view or a seamless table
naming other files: only native tables are opened.
"""

from __future__ import annotations

import functools
import mmap
import re
from pathlib import Path

import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from twin.errors import InvalidInput, Problem

__all__ = ["DRIVERS", "GDAL_OPTIONS", "gdal_path", "harden_gdal", "local_file"]

#: File suffix -> the only GDAL driver that may open it.
DRIVERS = {
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".shp": "ESRI Shapefile",
    ".csv": "CSV",
    ".tsv": "CSV",
    ".dxf": "DXF",
    ".dgn": "DGN",
    ".tab": "MapInfo File",
    ".mif": "MapInfo File",
    ".xlsx": "XLSX",
}

#: GDAL settings that keep a file from reaching anything but itself.
GDAL_OPTIONS = {
    # no virtual file system over the network: no extension is allowed
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".twin-no-remote-files",
    # a URL GDAL would fetch anyway (a GeoJSON "crs" link) goes to a proxy in the
    # discard prefix (RFC 6666): no request leaves the machine
    "GDAL_HTTP_PROXY": "[100::1]:9",
    "GDAL_HTTPS_PROXY": "[100::1]:9",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    # SQLite-based files (GeoPackage) may not open other files through views
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    # no Python code in VRTs, no raw memory pointers as datasets
    "GDAL_VRT_ENABLE_PYTHON": "NO",
    "GDAL_MEM_ENABLE_OPEN": "NO",
    # GML (not registered anyway): never resolve remote xlinks
    "GML_SKIP_RESOLVE_ELEMS": "ALL",
    # CAD: block inserts as points with their name and angle (twin.io.cad), closed
    # polylines as polygons
    "DXF_INLINE_BLOCKS": "FALSE",
    "DXF_CLOSED_LINE_AS_POLYGON": "TRUE",
    # a sheet joined to features has its column names in its first row, even
    # when every cell is text (GDAL would guess there is no header)
    "OGR_XLSX_HEADERS": "FORCE",
}

# How each format's files begin (after a byte-order mark and blanks for text).
_MAGIC = {
    "GPKG": (b"SQLite format 3\x00",),
    "ESRI Shapefile": (b"\x00\x00\x27\x0a",),
    "GeoJSON": (b"{",),
    # ASCII DXF opens with a group code (0 SECTION, or 999 and a comment)
    "DXF": (b"AutoCAD Binary DXF", b"0", b"999"),
    # DGN v7: a type 9 (settings) element, 2D or 3D
    "DGN": (b"\x08\x09\xfe\x02", b"\xc8\x09\xfe\x02"),
    "MapInfo File": (b"!table", b"version"),
    "XLSX": (b"PK\x03\x04",),
}
#: Formats whose files are text: the first bytes are compared after blanks, ignoring case.
_TEXT_FORMATS = frozenset({"GeoJSON", "DXF", "MapInfo File"})
_FORMAT_NAMES = {
    "GPKG": "a GeoPackage",
    "ESRI Shapefile": "a shapefile",
    "GeoJSON": "GeoJSON",
    "DXF": "a DXF drawing",
    "DGN": "a DGN (v7) drawing",
    "MapInfo File": "a MapInfo table",
    "XLSX": "an Excel workbook",
}
#: ``Type`` of a MapInfo ``.tab`` GDAL may open: a table of its own, naming no other file.
_MAPINFO_NATIVE = re.compile(rb"^\s*type\s+native\b", re.IGNORECASE | re.MULTILINE)
#: A seamless table is native too, but its rows name the tables to open.
_MAPINFO_SEAMLESS = re.compile(rb"IsSeamless", re.IGNORECASE)


@functools.cache
def harden_gdal() -> None:
    """Keep only :data:`DRIVERS` registered in pyogrio's GDAL and apply
    :data:`GDAL_OPTIONS`, once per process.

    GDAL drops the drivers named in ``GDAL_SKIP`` when drivers are registered,
    so they are registered again after it is set.  The twin writes only these
    formats too (:mod:`twin.io.exporter`), so nothing else needs the others.
    """
    from pyogrio._ogr import _register_drivers

    others = (set(pyogrio.list_drivers()) | {"VRT"}) - set(DRIVERS.values())
    pyogrio.set_gdal_config_options({**GDAL_OPTIONS, "GDAL_SKIP": ",".join(sorted(others))})
    _register_drivers()


def _refused(path: Path, rule: str, message: str) -> InvalidInput:
    return InvalidInput(
        f"{path.name}: not opened ({message})", [Problem("file", rule, message, path.name)]
    )


def local_file(path) -> Path:
    """``path`` as an absolute local file, or a refusal naming why not."""
    text = str(path)
    if text.startswith("/vsi") or "://" in text or "!" in text:
        raise _refused(
            Path(text),
            "local_file",
            "only plain local files are read, no /vsi, URL or archive path",
        )
    path = Path(text)
    if not path.is_file():
        raise InvalidInput(
            f"{path}: no such file", [Problem("file", "exists", "no such file", str(path))]
        )
    return path.resolve()


def _sniffed(path: Path, driver: str) -> None:
    """Refuse a file whose first bytes are not those of ``driver``'s format."""
    with path.open("rb") as handle:
        head = handle.read(512)
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    starts = _MAGIC.get(driver)
    if starts is not None:
        folded = text.lower() if driver in _TEXT_FORMATS else b""
        if not (head.startswith(starts) or folded.startswith(starts)):
            seen = "an XML document" if text.startswith(b"<") else "something else"
            raise _refused(
                path,
                "content",
                f"a {path.suffix} file must hold {_FORMAT_NAMES[driver]}, this one holds {seen}",
            )
    elif text.startswith((b"<", b"{", b"\x00")):
        raise _refused(path, "content", f"a {path.suffix} file must hold comma-separated text")


def _no_links(path: Path) -> None:
    """Refuse a GeoJSON whose ``crs`` is a link: GDAL would fetch the URL to read it."""
    if path.stat().st_size == 0:
        return
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b'"href"') >= 0:
            raise _refused(
                path,
                "crs_link",
                'a "crs" given by a link ("href") is not followed: give no crs (WGS 84) '
                "or name it (EPSG), or choose the CRS when importing",
            )


def _native_table(path: Path) -> None:
    """Refuse a MapInfo ``.tab`` that is not a native table: views, seamless
    tables and linked tables name other files (or servers) for GDAL to open."""
    head = path.read_bytes()[:65536]
    if not _MAPINFO_NATIVE.search(head) or _MAPINFO_SEAMLESS.search(head):
        raise _refused(
            path,
            "mapinfo_native",
            "only native MapInfo tables are read (Type NATIVE): a view, seamless or "
            "linked table names other files",
        )


def gdal_path(path) -> tuple[str, str]:
    """The path to hand GDAL for ``path``, and the driver allowed to open it.

    Raises
    ------
    twin.errors.InvalidInput
        Naming the file and the rule: ``exists``, ``local_file``, ``suffix``
        (no driver for it), ``content`` (not that format), ``crs_link`` (a
        GeoJSON CRS to fetch from a URL), ``mapinfo_native`` (a MapInfo view
        or seamless table) or ``driver`` (GDAL recognised another format).
    """
    harden_gdal()
    path = local_file(path)
    driver = DRIVERS.get(path.suffix.lower())
    if driver is None:
        raise _refused(
            path, "suffix", f"{path.suffix or 'no suffix'} is not one of {', '.join(DRIVERS)}"
        )
    _sniffed(path, driver)
    if driver == "GeoJSON":
        _no_links(path)
    if path.suffix.lower() == ".tab":
        _native_table(path)
    try:
        found = pyogrio.read_info(str(path), layer=0).get("driver")
    except (DataSourceError, DataLayerError) as exc:
        raise InvalidInput(
            f"{path.name}: cannot read the file",
            [Problem("file", "readable", str(exc).strip() or type(exc).__name__, path.name)],
        ) from exc
    if found != driver:
        raise _refused(
            path, "driver", f"GDAL reads it as {found}, a {path.suffix} must be {driver}"
        )
    return str(path), driver
