"""Drainage: gravity conduits between manholes, falling to outfalls at the river."""

from twin.declare import Attribute, Detail, FeatureType, Layer, Network, NodeKind, Style, choices

from .common import (
    CUSTOMER,
    JUNCTION,
    SERVICE_CONNECTION,
    VALVE,
    condition,
    diameter,
    install_year,
    last_inspected,
)
from .inspection_forms import MANHOLE_CHECK

SYSTEMS = choices({
    "storm": ("Thoát nước mưa", "Storm"),
    "sewer": ("Thoát nước thải", "Sewer"),
    "combined": ("Cống chung", "Combined"),
})

conduit = FeatureType(
    "conduit", "Cống, mương thoát nước", "Drain / sewer conduit", "LineString", "DRN-COND",
    network="edge",
    attributes=(
        Attribute("system", "text", "Hệ thống", "System", choices=SYSTEMS, required=True),
        Attribute("shape", "text", "Tiết diện", "Shape", choices=choices({
            "circular": ("Tròn", "Circular"), "rectangular": ("Chữ nhật (hộp)", "Box"),
            "trapezoidal": ("Hình thang", "Trapezoidal"),
            "open_channel": ("Mương hở", "Open channel"),
        })),
        diameter(),
        Attribute("width_mm", "integer", "Chiều rộng", "Width", unit="mm", minimum=10),
        Attribute("height_mm", "integer", "Chiều cao", "Height", unit="mm", minimum=10),
        Attribute("material", "text", "Vật liệu", "Material", choices=choices({
            "concrete": ("Bê tông", "Concrete"), "hdpe": ("Nhựa HDPE", "HDPE"),
            "brick": ("Gạch xây", "Brick"), "upvc": ("Nhựa uPVC", "uPVC"),
        })),
        Attribute("invert_up_m", "float", "Cao độ đáy đầu", "Upstream invert", unit="m"),
        Attribute("invert_down_m", "float", "Cao độ đáy cuối", "Downstream invert", unit="m"),
        install_year(),
    ),
    style=Style(color="#8c510a", by="system",
                colors={"storm": "#35978f", "sewer": "#8c510a", "combined": "#bf812d"},
                weight=2.5),
    min_zoom=13, details=(Detail("diameter_mm", 15, below=1000),),  # trunks first
)
manhole = FeatureType(
    "manhole", "Hố ga", "Manhole", "Point", "DRN-MH", network="node",
    attributes=(
        Attribute("rim_elevation_m", "float", "Cao độ nắp", "Rim elevation", unit="m"),
        Attribute("invert_elevation_m", "float", "Cao độ đáy", "Invert elevation", unit="m"),
        condition(),
        last_inspected(),
    ),
    inspections=(MANHOLE_CHECK,),
    style=Style(color="#8c510a", radius=3), min_zoom=16,
)
inlet = FeatureType(
    "inlet", "Cửa thu nước", "Inlet", "Point", "DRN-INL", network="node",
    attributes=(
        Attribute("inlet_type", "text", "Loại cửa thu", "Inlet type", choices=choices({
            "grate": ("Song chắn", "Grate"), "curb": ("Cửa thu bó vỉa", "Curb"),
        })),
        Attribute("invert_elevation_m", "float", "Cao độ đáy", "Invert elevation", unit="m"),
    ),
    style=Style(color="#35978f", radius=2), min_zoom=17,
)
outfall = FeatureType(
    "outfall", "Cửa xả", "Outfall", "Point", "DRN-OUT", network="node",
    attributes=(
        Attribute("invert_elevation_m", "float", "Cao độ đáy", "Invert elevation", unit="m"),
        Attribute("receiving_water", "text", "Nguồn tiếp nhận", "Receiving water"),
    ),
    style=Style(color="#01665e", radius=6), min_zoom=12,
)
pumping_station = FeatureType(
    "pumping_station", "Trạm bơm thoát nước", "Drainage pumping station", "Point",
    "DRN-PUMP", network="node", node_kind="pump_station",
    attributes=(
        Attribute("name", "text", "Tên", "Name"),
        Attribute("capacity_m3s", "float", "Công suất", "Capacity", unit="m³/s", minimum=0),
    ),
    style=Style(color="#543005", radius=7), min_zoom=11,
)
catchment = FeatureType(
    "catchment", "Lưu vực thoát nước", "Catchment", "Polygon", "DRN-CATCH",
    attributes=(
        Attribute("outlet", "text", "Nút xả", "Outlet node (code)"),
        Attribute("imperviousness_pct", "float", "Tỷ lệ không thấm", "Imperviousness",
                  unit="%", minimum=0, maximum=100),
    ),
    style=Style(color="#80cdc1", fill_opacity=0.15), min_zoom=11,
)

LAYER = Layer(
    "drainage", "Thoát nước", "Drainage",
    (conduit, manhole, inlet, outfall, pumping_station, catchment),
    network=Network(
        (
            NodeKind("manhole", terminal=True, passes=True),
            NodeKind("inlet", terminal=True, passes=True),
            NodeKind("outfall", source=True, terminal=True),
            JUNCTION,
            NodeKind("storage", terminal=True),
            NodeKind("pump_station", terminal=True),
            VALVE,
            NodeKind("treatment_plant", terminal=True),
            SERVICE_CONNECTION,
            CUSTOMER,
        ),
        edge_kind="conduit",
        directed=True,
    ),
)
