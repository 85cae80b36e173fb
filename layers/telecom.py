"""Telecom: fiber from points of presence through cabinets to village access nodes."""

from twin.declare import Attribute, FeatureType, KindBy, Layer, Network, NodeKind, Style, choices

from .common import CUSTOMER, JUNCTION, PLACEMENTS, POLE, diameter, height, install_year

OWNER = Attribute("owner_operator", "text", "Đơn vị sở hữu", "Network operator")

cable = FeatureType(
    "cable", "Cáp quang", "Fiber cable", "LineString", "TEL-CBL", network="edge",
    attributes=(
        Attribute("fiber_count", "integer", "Số sợi", "Fiber count", required=True,
                  minimum=1, maximum=3456),
        Attribute("fibers_used", "integer", "Số sợi đã dùng", "Fibers in use", minimum=0),
        Attribute("placement", "text", "Kiểu lắp đặt", "Placement", choices=PLACEMENTS),
        OWNER,
        install_year(),
    ),
    style=Style(color="#6a3d9a", by="placement",
                colors={"underground": "#6a3d9a", "overhead": "#cab2d6", "duct": "#3f007d"}),
    min_zoom=12,
)
duct = FeatureType(
    "duct", "Ống, cống bể cáp", "Duct / conduit", "LineString", "TEL-DUCT",
    attributes=(
        Attribute("ways", "integer", "Số ống", "Ways", minimum=1, maximum=100),
        Attribute("ways_free", "integer", "Số ống còn trống", "Free ways", minimum=0),
        diameter(),
        OWNER,
    ),
    style=Style(color="#9e9ac8", weight=4), min_zoom=14,
)
pole = FeatureType(
    "pole", "Cột treo cáp", "Telecom pole", "Point", "TEL-POLE",
    attributes=(height(), OWNER),
    style=Style(color="#9e9ac8", radius=2), min_zoom=16,
)
cabinet = FeatureType(
    "cabinet", "Tủ cáp, măng xông", "Cabinet / splice closure", "Point", "TEL-CAB",
    network="node", node_kind=KindBy("cabinet_type", {"splice_closure": "splice_closure"}, "cabinet"),
    attributes=(
        Attribute("cabinet_type", "text", "Loại", "Type", choices=choices({
            "cabinet": ("Tủ cáp", "Street cabinet"),
            "splice_closure": ("Măng xông", "Splice closure"),
            "splitter": ("Bộ chia quang", "Splitter"),
        })),
        Attribute("ports", "integer", "Số cổng", "Ports", minimum=0),
        Attribute("power_customer", "text", "Nguồn điện (mã khách hàng)", "Power supply (customer code)"),
    ),
    style=Style(color="#54278f", radius=5), min_zoom=14,
)
pop = FeatureType(
    "pop", "Điểm truy nhập mạng (POP)", "Point of presence", "Point", "TEL-POP",
    network="node",
    attributes=(Attribute("name", "text", "Tên", "Name", required=True), OWNER),
    style=Style(color="#3f007d", radius=9), min_zoom=9,
)
access_node = FeatureType(
    "access_node", "Điểm truy nhập thôn", "Village access node", "Point", "TEL-ACC",
    network="node",
    attributes=(
        Attribute("village", "text", "Thôn (mã)", "Village (code)"),
        Attribute("ports", "integer", "Số cổng", "Ports", minimum=0),
        Attribute("households", "integer", "Số hộ phục vụ", "Households served", minimum=0),
    ),
    style=Style(color="#807dba", radius=5), min_zoom=12,
)

cell_site = FeatureType(
    "cell_site", "Trạm phát sóng di động (BTS)", "Mobile cell site", "Point", "TEL-BTS",
    attributes=(
        Attribute("name", "text", "Tên trạm", "Site name"),
        OWNER,
        Attribute("technology", "text", "Công nghệ", "Technology", required=True,
                  choices=choices({"4g": ("4G (LTE)", "4G (LTE)"), "5g": ("5G (NR)", "5G (NR)")})),
        Attribute("band_mhz", "integer", "Băng tần", "Band", unit="MHz", required=True,
                  minimum=450, maximum=6000),
        Attribute("area_type", "text", "Khu vực", "Setting", choices=choices({
            "urban": ("Đô thị", "Urban"),
            "rural": ("Nông thôn", "Rural"),
        })),
        Attribute("tower_height_m", "float", "Chiều cao cột", "Tower height", unit="m",
                  required=True, minimum=3, maximum=150),
        Attribute("sectors", "integer", "Số sector", "Sectors", minimum=1, maximum=6),
        Attribute("azimuth_deg", "float", "Góc phương vị sector đầu", "First sector azimuth",
                  unit="°", minimum=0, maximum=360),
        Attribute("tilt_deg", "float", "Góc nghiêng anten", "Antenna down-tilt", unit="°",
                  minimum=-10, maximum=20),
        Attribute("power_w", "float", "Công suất phát mỗi sector", "Transmit power per sector",
                  unit="W", minimum=0.1, maximum=400),
    ),
    style=Style(color="#e31a1c", by="technology", colors={"4g": "#fd8d3c", "5g": "#e31a1c"},
                radius=6),
    min_zoom=10,
)

LAYER = Layer(
    "telecom", "Viễn thông", "Telecom",
    (cable, duct, pole, cabinet, pop, access_node, cell_site),
    network=Network(
        (
            NodeKind("pop", source=True, terminal=True),
            NodeKind("cabinet", terminal=True),
            NodeKind("access_node", terminal=True, passes=True),
            NodeKind("splice_closure", passes=True),
            NodeKind("manhole", passes=True),
            POLE,
            CUSTOMER,
            JUNCTION,
        ),
    ),
)
