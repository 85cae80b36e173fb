"""Water supply: treatment plants and tanks feed pipes through valves to customers."""

from twin.declare import (
    Attribute,
    Detail,
    FeatureType,
    KindBy,
    Layer,
    Network,
    NodeKind,
    Style,
    choices,
)

from .common import (
    CUSTOMER,
    JUNCTION,
    NORMAL_STATES,
    SERVICE_CONNECTION,
    VALVE,
    condition,
    customer_category,
    depth,
    diameter,
    households,
    install_year,
    last_inspected,
    personal_contact,
)
from .inspection_forms import PIPE_CONDITION, VALVE_EXERCISE

PIPE_MATERIALS = choices(
    {
        "hdpe": ("Nhựa HDPE", "HDPE"),
        "upvc": ("Nhựa uPVC", "uPVC"),
        "ductile_iron": ("Gang dẻo", "Ductile iron"),
        "cast_iron": ("Gang xám", "Cast iron"),
        "steel": ("Thép", "Steel"),
        "asbestos_cement": ("Xi măng amiăng", "Asbestos cement"),
    }
)

pipe = FeatureType(
    "pipe", "Ống cấp nước", "Water pipe", "LineString", "WTR-PIPE", network="edge",
    devices=("flow_meter",),
    attributes=(
        diameter(required=True),
        Attribute("material", "text", "Vật liệu", "Material", choices=PIPE_MATERIALS),
        install_year(),
        Attribute("pressure_zone", "text", "Vùng áp lực", "Pressure zone"),
        Attribute("roughness", "float", "Hệ số nhám", "Roughness (Hazen-Williams C)",
                  minimum=1, maximum=200),
        depth(),
        condition(),
        last_inspected(),
    ),
    inspections=(PIPE_CONDITION,),
    style=Style(color="#1f78b4", by="diameter_mm", breaks=(100, 200, 400, 5000),
                widths=(1.5, 2.5, 3.5, 5)),
    # Mains from 13, distribution pipes from 15, service pipes with their meters from 17.
    min_zoom=13,
    details=(Detail("diameter_mm", 15, below=200), Detail("diameter_mm", 17, below=63)),
)
junction = FeatureType(
    "junction", "Điểm nút", "Junction", "Point", "WTR-JCT", network="node",
    devices=("pressure_sensor",),
    attributes=(Attribute("elevation_m", "float", "Cao độ", "Elevation", unit="m"),),
    style=Style(color="#1f78b4", radius=2), min_zoom=16,
)
valve = FeatureType(
    "valve", "Van chặn", "Valve", "Point", "WTR-VLV", network="node",
    devices=("pressure_sensor",),
    attributes=(
        Attribute("valve_type", "text", "Loại van", "Valve type", choices=choices({
            "gate": ("Van cổng", "Gate"), "butterfly": ("Van bướm", "Butterfly"),
            "check": ("Van một chiều", "Check"),
            "prv": ("Van giảm áp", "Pressure reducing"),
        })),
        Attribute("normal_state", "text", "Trạng thái thường", "Normal state",
                  choices=NORMAL_STATES, required=True),
        Attribute("operable", "boolean", "Thao tác được", "Operable"),
        diameter(),
        condition(),
        last_inspected(),
    ),
    inspections=(VALVE_EXERCISE,),
    style=Style(color="#e31a1c", by="normal_state",
                colors={"open": "#33a02c", "closed": "#e31a1c"}, radius=4),
    min_zoom=15,
)
hydrant = FeatureType(
    "hydrant", "Trụ cứu hỏa", "Hydrant", "Point", "WTR-HYD", network="node",
    devices=("pressure_sensor",),
    attributes=(
        Attribute("hydrant_type", "text", "Loại trụ", "Hydrant type", choices=choices({
            "pillar": ("Trụ nổi", "Pillar"), "underground": ("Trụ ngầm", "Underground"),
        })),
        diameter(),
    ),
    style=Style(color="#ff7f00", radius=4), min_zoom=15,
)
pump_station = FeatureType(
    "pump_station", "Trạm bơm", "Pump station", "Point", "WTR-PUMP", network="node",
    devices=("flow_meter",),
    attributes=(
        Attribute("name", "text", "Tên", "Name"),
        Attribute("capacity_m3h", "float", "Công suất", "Capacity", unit="m³/h", minimum=0),
        Attribute("power_kw", "float", "Công suất điện", "Power", unit="kW", minimum=0),
    ),
    style=Style(color="#6a3d9a", radius=7), min_zoom=11,
)
tank = FeatureType(
    "tank", "Bể chứa, đài nước", "Tank / reservoir", "Point", "WTR-TANK", network="node",
    node_kind=KindBy("tank_kind", {"reservoir": "reservoir"}, "tank"), devices=("flow_meter",),
    attributes=(
        Attribute("name", "text", "Tên", "Name"),
        Attribute("tank_kind", "text", "Loại", "Kind", choices=choices({
            "tank": ("Đài nước", "Elevated tank"), "reservoir": ("Bể chứa", "Reservoir"),
        })),
        Attribute("capacity_m3", "float", "Dung tích", "Capacity", unit="m³", minimum=0),
        Attribute("base_elevation_m", "float", "Cao độ đáy", "Base elevation", unit="m"),
    ),
    style=Style(color="#a6cee3", radius=8), min_zoom=11,
)
treatment_plant = FeatureType(
    "treatment_plant", "Nhà máy nước", "Treatment plant", "Point", "WTR-PLANT",
    network="node", devices=("flow_meter",),
    attributes=(
        Attribute("name", "text", "Tên", "Name", required=True),
        Attribute("capacity_m3d", "float", "Công suất", "Capacity", unit="m³/day", minimum=0),
    ),
    style=Style(color="#08306b", radius=10), min_zoom=9,
)
service_connection = FeatureType(
    "service_connection", "Đồng hồ khách hàng", "Service connection / meter", "Point",
    "WTR-SVC", network="node", devices=("pressure_sensor",),
    attributes=(
        customer_category(required=True),
        households(),
        Attribute("meter_id", "text", "Số đồng hồ", "Meter number"),
        Attribute("address", "text", "Địa chỉ", "Address"),
        *personal_contact(),
    ),
    style=Style(color="#a6cee3", radius=2), min_zoom=17,
)

LAYER = Layer(
    "water", "Cấp nước", "Water supply",
    (pipe, junction, valve, hydrant, pump_station, tank, treatment_plant, service_connection),
    network=Network(
        (
            JUNCTION,
            VALVE,
            NodeKind("hydrant", terminal=True, passes=True),
            NodeKind("tank", source=True, terminal=True),
            NodeKind("reservoir", source=True, terminal=True),
            NodeKind("treatment_plant", source=True, terminal=True),
            NodeKind("pump_station", source=True, terminal=True),
            SERVICE_CONNECTION,
            NodeKind("meter", terminal=True, customer=True, passes=True),
            CUSTOMER,
        ),
        edge_kind="pipe",
    ),
)
