"""Zoning plans drawn with ezdxf in VN-2000 Bắc Giang metres (see ``places``)."""

from __future__ import annotations

import ezdxf

from .places import X0, Y0


def _ring(x0, y0, x1, y1):
    return [(X0 + x0, Y0 + y0), (X0 + x1, Y0 + y0), (X0 + x1, Y0 + y1), (X0 + x0, Y0 + y1)]


def plan_drawing(path, blocks, *, boundary=None, hatch=(), texts=None):
    """A plan: ``blocks`` is ``{code: (x0, y0, x1, y1)}`` in metres from the origin,
    each a closed polyline on ``QH_SDD`` with its code written inside (``texts``
    replaces the code written); ``hatch`` codes are also hatched (a zone drawn
    twice); ``boundary`` a rectangle on ``RANH_GIOI``."""
    doc = ezdxf.new("R2010")
    msp = doc.modelspace()
    for name in ("QH_SDD", "QH_KYHIEU", "RANH_GIOI"):
        doc.layers.add(name)
    for code, box in blocks.items():
        msp.add_lwpolyline(_ring(*box), close=True, dxfattribs={"layer": "QH_SDD"})
        if code in hatch:
            fill = msp.add_hatch(dxfattribs={"layer": "QH_SDD"})
            fill.paths.add_polyline_path(_ring(*box), is_closed=True)
        x0, y0, x1, y1 = box
        label = (texts or {}).get(code, code)
        at = (X0 + (x0 + x1) / 2, Y0 + (y0 + y1) / 2)
        msp.add_mtext(label, dxfattribs={"layer": "QH_KYHIEU", "insert": at, "char_height": 2})
    if boundary is not None:
        msp.add_lwpolyline(_ring(*boundary), close=True, dxfattribs={"layer": "RANH_GIOI"})
    doc.saveas(path)
    return path
