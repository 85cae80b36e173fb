"""Drawings for the CAD import tests, written with ezdxf in VN-2000 Bắc Giang metres.

The coordinates are those of the published consistency check of the zone
(EPSG:9214): E 416 226.772, N 2 353 402.453 is 21.2731 N, 106.1946 E.
"""

from __future__ import annotations

import ezdxf
import numpy as np
import pyogrio.raw

CRS = "vn2000:bac-giang"
X0, Y0 = 416_226.772, 2_353_402.453
LON0, LAT0 = 106.1946, 21.2731

#: Two pipes (their labels beside them), a valve block at their joint, a hydrant.
PIPES = {
    "D110": [(X0, Y0), (X0 + 120, Y0)],
    "Ø160": [(X0 + 120, Y0), (X0 + 120, Y0 + 80)],
}
VALVE = (X0 + 120, Y0)
HYDRANT = (X0 + 60, Y0 + 30)


def new_drawing():
    doc = ezdxf.new("R2010")
    return doc, doc.modelspace()


def water_drawing(path, *, valve_code="V-01", label_offset=1.5):
    """Pipes on ``CAP_NUOC`` with diameter labels ``label_offset`` m beside them,
    a valve block ``VAN`` (rotated 30°, its code as a block attribute), a
    hydrant block, a title on a layer the mapping does not name."""
    doc, msp = new_drawing()
    for name in ("CAP_NUOC", "CAP_NUOC_TEXT", "KHUNG_TEN"):
        doc.layers.add(name)
    valve = doc.blocks.new("VAN_CHAN")
    valve.add_circle((0, 0), 0.5)
    valve.add_attdef("CODE", (0, 1))
    hydrant = doc.blocks.new("TRU_CUU_HOA")
    hydrant.add_circle((0, 0), 0.8)
    for label, points in PIPES.items():
        msp.add_lwpolyline(points, dxfattribs={"layer": "CAP_NUOC"})
        (x0, y0), (x1, y1) = points
        horizontal = y0 == y1
        mid = ((x0 + x1) / 2, (y0 + y1) / 2)
        at = (mid[0], mid[1] + label_offset) if horizontal else (mid[0] + label_offset, mid[1])
        msp.add_text(label, dxfattribs={"layer": "CAP_NUOC_TEXT", "height": 1.0, "insert": at})
    insert = msp.add_blockref("VAN_CHAN", VALVE, dxfattribs={"layer": "CAP_NUOC", "rotation": 30})
    insert.add_attrib("CODE", valve_code, (VALVE[0], VALVE[1] + 1))
    msp.add_blockref("TRU_CUU_HOA", HYDRANT, dxfattribs={"layer": "CAP_NUOC"})
    msp.add_text("BAN VE MANG CAP NUOC", dxfattribs={"layer": "KHUNG_TEN", "insert": (X0, Y0 - 50)})
    msp.add_line((X0 - 10, Y0 - 60), (X0 + 200, Y0 - 60), dxfattribs={"layer": "KHUNG_TEN"})
    doc.saveas(path)
    return path


def write_sheet(path, **columns):
    """An .xlsx of ``columns`` (name -> values), its first sheet named ``assets``."""
    pyogrio.raw.write(
        str(path),
        None,
        [np.array(values, dtype=object) for values in columns.values()],
        list(columns),
        driver="XLSX",
        layer="assets",
    )
    return path
