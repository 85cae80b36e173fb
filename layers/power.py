"""Power: 110/22 kV substations feed radial 22 kV feeders down to customers.

Protection: a feeder breaker at each feeder head, reclosers and
sectionalisers along the 22 kV feeders (medium voltage), and at each
distribution transformer an LV breaker and a fuse per 0.4 kV outgoing
circuit (low voltage).  A fault is cleared by the nearest device upstream
that clears faults of its level (``clears`` of the node kinds below).
"""

from twin.declare import (
    Attribute,
    Detail,
    FaultLevel,
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
    PLACEMENTS,
    POLE,
    customer_category,
    height,
    households,
    install_year,
    personal_contact,
)

substation = FeatureType(
    "substation", "Trạm biến áp nguồn", "Substation", "Point", "PWR-SUB", network="node",
    attributes=(
        Attribute("name", "text", "Tên", "Name", required=True),
        Attribute("primary_kv", "float", "Điện áp sơ cấp", "Primary voltage", unit="kV"),
        Attribute("secondary_kv", "float", "Điện áp thứ cấp", "Secondary voltage", unit="kV"),
        Attribute("capacity_mva", "float", "Công suất", "Capacity", unit="MVA", minimum=0),
    ),
    style=Style(color="#b10026", radius=10), min_zoom=9,
)
line = FeatureType(
    "line", "Đường dây, cáp điện", "Line / cable segment", "LineString", "PWR-LINE",
    network="edge",
    attributes=(
        Attribute("voltage_kv", "float", "Cấp điện áp", "Voltage", unit="kV", required=True,
                  minimum=0.1, maximum=500),
        Attribute("placement", "text", "Kiểu lắp đặt", "Placement", choices=PLACEMENTS),
        Attribute("conductor", "text", "Loại dây", "Conductor"),
        Attribute("feeder", "text", "Xuất tuyến", "Feeder"),
        install_year(),
    ),
    style=Style(color="#e31a1c", by="voltage_kv", breaks=(1, 35, 500),
                widths=(1, 2.5, 4)),
    min_zoom=12, details=(Detail("voltage_kv", 17, below=1),),  # 0.4 kV, as its customers
)
pole = FeatureType(
    "pole", "Cột điện", "Pole / junction", "Point", "PWR-POLE", network="node",
    attributes=(height(), Attribute("material", "text", "Vật liệu", "Material", choices=choices({
        "concrete": ("Bê tông ly tâm", "Concrete"), "steel": ("Thép", "Steel"),
        "wood": ("Gỗ", "Wood"),
    }))),
    style=Style(color="#7f7f7f", radius=2), min_zoom=16,
)
switch = FeatureType(
    "switch", "Thiết bị đóng cắt", "Switch / breaker / fuse", "Point", "PWR-SW",
    network="node", devices=("breaker",),
    node_kind=KindBy("device_type", {
        "breaker": "breaker", "recloser": "recloser", "sectionaliser": "sectionaliser",
        "fuse": "fuse", "lv_breaker": "lv_breaker",
        "load_break_switch": "switch", "disconnector": "switch",
    }, "switch"),
    attributes=(
        Attribute("device_type", "text", "Loại thiết bị", "Device type", required=True,
                  choices=choices({
                      "breaker": ("Máy cắt", "Circuit breaker"),
                      "recloser": ("Recloser", "Recloser"),
                      "sectionaliser": ("Dao cắt phân đoạn tự động", "Sectionaliser"),
                      "fuse": ("Cầu chì", "Fuse"),
                      "lv_breaker": ("Áptômát tổng hạ áp", "LV breaker"),
                      "load_break_switch": ("Dao cắt có tải", "Load-break switch"),
                      "disconnector": ("Dao cách ly", "Disconnector"),
                  })),
        Attribute("name", "text", "Tên vận hành", "Operating name"),
        Attribute("normal_state", "text", "Trạng thái thường", "Normal state",
                  choices=NORMAL_STATES, required=True),
        Attribute("operable", "boolean", "Thao tác được", "Operable"),
        Attribute("feeder", "text", "Xuất tuyến", "Feeder"),
    ),
    style=Style(color="#ff7f00", by="normal_state",
                colors={"open": "#ffffff", "closed": "#ff7f00"}, radius=4),
    min_zoom=14,
)
transformer = FeatureType(
    "transformer", "Trạm biến áp phân phối", "Distribution transformer", "Point", "PWR-TX",
    network="node",
    attributes=(
        Attribute("rating_kva", "float", "Công suất", "Rating", unit="kVA", minimum=0),
        Attribute("voltage_kv", "float", "Điện áp", "Voltage", unit="kV"),
        Attribute("feeder", "text", "Xuất tuyến", "Feeder"),
    ),
    style=Style(color="#fd8d3c", radius=5), min_zoom=13,
)
customer = FeatureType(
    "customer", "Khách hàng dùng điện", "Customer connection", "Point", "PWR-CUST",
    network="node",
    attributes=(
        customer_category(required=True),
        households(),
        Attribute("supplies", "text", "Cấp điện cho công trình", "Supplies asset (code)"),
        Attribute("address", "text", "Địa chỉ", "Address"),
        *personal_contact(),
    ),
    style=Style(color="#fed976", radius=2), min_zoom=17,
)

LAYER = Layer(
    "power", "Cấp điện", "Power",
    (substation, line, pole, switch, transformer, customer),
    network=Network(
        (
            NodeKind("substation", source=True, terminal=True),
            NodeKind("bus"),
            NodeKind("breaker", stops_when="open", clears=("mv",)),
            NodeKind("recloser", stops_when="open", clears=("mv",)),
            NodeKind("sectionaliser", stops_when="open", clears=("mv",)),
            NodeKind("fuse", stops_when="open", clears=("lv", "mv")),
            NodeKind("lv_breaker", stops_when="open", clears=("lv",)),
            NodeKind("switch", stops_when="open"),
            NodeKind("transformer", terminal=True),
            CUSTOMER,
            POLE,
            JUNCTION,
        ),
        edge_kind="line",
        radial=True,
        levels=(
            FaultLevel("lv", 1.0, "hạ áp", "low voltage"),
            FaultLevel("mv", 35.0, "trung áp", "medium voltage"),
            FaultLevel("hv", 1000.0, "cao áp", "high voltage"),
        ),
    ),
)
