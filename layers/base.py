"""Base layers: the reference geography that assets lie in (not assets themselves).

Administrative units follow the two-level local government in force since
1 July 2025 (province, commune/ward); former provinces and districts are kept
with their validity dates because plans and older data sets refer to them.
"""

from twin.declare import Attribute, Detail, FeatureType, Layer, Style, choices

admin_unit = FeatureType(
    "admin_unit", "Đơn vị hành chính", "Administrative unit", "MultiPolygon", "ADM",
    attributes=(
        Attribute("name", "text", "Tên", "Name", required=True),
        Attribute("level", "text", "Cấp", "Level", required=True, choices=choices({
            "province": ("Tỉnh/thành phố", "Province"),
            "district": ("Huyện (cũ)", "District (former)"),
            "commune": ("Xã/phường", "Commune / ward"),
        })),
        Attribute("unit_type", "text", "Loại đơn vị", "Unit type"),
        Attribute("gso_code", "text", "Mã thống kê", "GSO code"),
        Attribute("parent_code", "text", "Đơn vị cấp trên (mã)", "Parent unit (code)"),
        Attribute("population", "integer", "Dân số", "Population", minimum=0),
        Attribute("households", "integer", "Số hộ", "Households", minimum=0),
        Attribute("valid_from", "date", "Hiệu lực từ", "Valid from"),
        Attribute("valid_to", "date", "Hiệu lực đến", "Valid to"),
    ),
    style=Style(color="#525252", fill_opacity=0.0, weight=1.5), min_zoom=0,
)
village = FeatureType(
    "village", "Thôn, tổ dân phố", "Village / neighbourhood", "Point", "VIL",
    attributes=(
        Attribute("name", "text", "Tên", "Name", required=True),
        Attribute("commune", "text", "Xã/phường (mã)", "Commune (code)"),
        Attribute("population", "integer", "Dân số", "Population", minimum=0),
        Attribute("households", "integer", "Số hộ", "Households", minimum=0),
        Attribute("fiber_households", "integer", "Số hộ có cáp quang",
                  "Households with fiber", minimum=0),
    ),
    style=Style(color="#252525", radius=4), min_zoom=11,
)
road = FeatureType(
    "road", "Đường giao thông", "Road", "LineString", "RD",
    attributes=(
        Attribute("name", "text", "Tên đường", "Name"),
        Attribute("road_class", "text", "Cấp đường", "Road class", required=True,
                  choices=choices({
                      "highway": ("Quốc lộ, cao tốc", "Highway"),
                      "arterial": ("Đường trục chính", "Arterial"),
                      "street": ("Đường phố", "Street"),
                      "rural": ("Đường liên thôn", "Rural road"),
                      "alley": ("Ngõ, hẻm", "Alley"),
                  })),
        Attribute("width_m", "float", "Bề rộng", "Width", unit="m", minimum=1, maximum=120),
        Attribute("surface", "text", "Mặt đường", "Surface", choices=choices({
            "asphalt": ("Bê tông nhựa", "Asphalt"), "concrete": ("Bê tông xi măng", "Concrete"),
            "gravel": ("Cấp phối", "Gravel"), "earth": ("Đường đất", "Earth"),
        })),
    ),
    style=Style(color="#969696", by="road_class", breaks=(), weight=2,
                colors={"highway": "#fdae6b", "arterial": "#fdd0a2", "street": "#d9d9d9",
                        "rural": "#f0f0f0", "alley": "#f7f7f7"}),
    min_zoom=10, details=(Detail("road_class", 15, values=("alley",)),),
)
building = FeatureType(
    "building", "Công trình, nhà", "Building", "Polygon", "BLD",
    attributes=(
        Attribute("use", "text", "Công năng", "Use", choices=choices({
            "residential": ("Nhà ở", "Residential"), "commercial": ("Thương mại", "Commercial"),
            "industrial": ("Công nghiệp", "Industrial"),
            "public": ("Công trình công cộng", "Public"),
        })),
        Attribute("floors", "integer", "Số tầng", "Floors", minimum=1, maximum=120),
        Attribute("households", "integer", "Số hộ", "Households", minimum=0),
        Attribute("address", "text", "Địa chỉ", "Address"),
    ),
    style=Style(color="#bdbdbd", fill_opacity=0.5, weight=0.5), min_zoom=16,
)
facility = FeatureType(
    "facility", "Công trình thiết yếu", "Critical facility", "Point", "FAC",
    attributes=(
        Attribute("name", "text", "Tên", "Name", required=True),
        Attribute("kind", "text", "Loại", "Kind", required=True, choices=choices({
            "hospital": ("Bệnh viện", "Hospital"), "clinic": ("Trạm y tế", "Clinic"),
            "school": ("Trường học", "School"),
            "government": ("Cơ quan nhà nước", "Government office"),
        })),
        Attribute("capacity", "integer", "Quy mô (giường, học sinh, người)",
                  "Capacity (beds, pupils, staff)", minimum=0),
    ),
    style=Style(color="#d7301f", by="kind",
                colors={"hospital": "#d7301f", "clinic": "#fc8d59", "school": "#4575b4",
                        "government": "#762a83"}, radius=6),
    min_zoom=11,
)
river = FeatureType(
    "river", "Sông, kênh", "River / canal", "LineString", "RIV",
    attributes=(
        Attribute("name", "text", "Tên", "Name"),
        Attribute("width_m", "float", "Bề rộng", "Width", unit="m", minimum=0),
    ),
    style=Style(color="#6baed6", weight=4), min_zoom=8,
)

LAYER = Layer(
    "base", "Nền địa lý", "Base map",
    (admin_unit, village, road, building, facility, river),
    asset=False, open_data=True, schema="base",
)
