"""Street lighting: cabinets feed circuits of poles with luminaires (QCVN 07-7:2023)."""

from twin.declare import Attribute, FeatureType, Layer, Network, NodeKind, Style, choices

from .common import JUNCTION, POLE, condition, height, install_year, last_inspected
from .inspection_forms import LAMP_CHECK

CONTROLS = choices({
    "clock": ("Đồng hồ hẹn giờ", "Time clock"),
    "photocell": ("Tế bào quang điện", "Photocell"),
    "central": ("Điều khiển trung tâm", "Central management"),
})

light = FeatureType(
    "light", "Cột đèn, bộ đèn", "Light pole / luminaire", "Point", "LGT-POLE",
    network="node", devices=("luminaire", "env_station"),
    attributes=(
        Attribute("lamp_type", "text", "Loại đèn", "Lamp type", required=True, choices=choices({
            "led": ("LED", "LED"), "sodium": ("Sodium cao áp", "High-pressure sodium"),
            "metal_halide": ("Metal halide", "Metal halide"),
            "compact_fluorescent": ("Huỳnh quang compact", "Compact fluorescent"),
        })),
        Attribute("wattage_w", "float", "Công suất", "Wattage", unit="W", minimum=1,
                  maximum=2000),
        Attribute("lumens", "float", "Quang thông", "Luminous flux", unit="lm", minimum=0),
        Attribute("colour_temperature_k", "integer", "Nhiệt độ màu", "Colour temperature",
                  unit="K", minimum=1500, maximum=10000),
        height(),
        Attribute("arm_length_m", "float", "Chiều dài cần đèn", "Arm length", unit="m",
                  minimum=0, maximum=10),
        Attribute("cabinet", "text", "Tủ điều khiển (mã)", "Control cabinet (code)"),
        Attribute("circuit", "text", "Lộ chiếu sáng", "Circuit"),
        Attribute("road_class", "text", "Cấp đường chiếu sáng", "Lighting road class",
                  choices=choices({k: (f"Cấp {k}", f"Class {k}") for k in "ABCDE"})),
        Attribute("remote_managed", "boolean", "Quản lý từ xa", "Remotely managed"),
        install_year(),
        condition(),
        last_inspected(),
    ),
    inspections=(LAMP_CHECK,),
    style=Style(color="#ffd92f", by="status",
                colors={"in_service": "#ffd92f", "out_of_service": "#636363",
                        "planned": "#fee391", "abandoned": "#252525"}, radius=3),
    min_zoom=17,
)
cabinet = FeatureType(
    "cabinet", "Tủ điều khiển chiếu sáng", "Lighting cabinet", "Point", "LGT-CAB",
    network="node", node_kind="lighting_cabinet", devices=("lighting_cabinet", "env_station"),
    attributes=(
        Attribute("circuits", "integer", "Số lộ", "Circuits", minimum=1, maximum=24),
        Attribute("control", "text", "Phương thức điều khiển", "Control", choices=CONTROLS),
        Attribute("remote_managed", "boolean", "Quản lý từ xa", "Remotely managed"),
        Attribute("power_customer", "text", "Nguồn điện (mã khách hàng)", "Power supply (customer code)"),
    ),
    style=Style(color="#e6ab02", radius=6), min_zoom=13,
)
cable = FeatureType(
    "cable", "Cáp chiếu sáng", "Lighting cable", "LineString", "LGT-CBL", network="edge",
    attributes=(
        Attribute("circuit", "text", "Lộ chiếu sáng", "Circuit"),
        Attribute("cross_section_mm2", "float", "Tiết diện", "Cross-section", unit="mm²",
                  minimum=0.5, maximum=400),
        Attribute("placement", "text", "Kiểu lắp đặt", "Placement", choices=choices({
            "underground": ("Ngầm", "Underground"), "overhead": ("Nổi", "Overhead"),
        })),
    ),
    style=Style(color="#e6ab02", weight=1.5), min_zoom=16,
)

LAYER = Layer(
    "lighting", "Chiếu sáng", "Street lighting", (light, cabinet, cable),
    network=Network(
        (
            NodeKind("lighting_cabinet", source=True, terminal=True),
            POLE,
            NodeKind("light", terminal=True, passes=True),
            JUNCTION,
            NodeKind("transformer"),
        ),
    ),
)
