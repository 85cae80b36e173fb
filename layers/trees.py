"""Urban trees and green areas."""

from twin.declare import Attribute, FeatureType, Layer, Style, choices

from .common import height
from .inspection_forms import TREE_RISK

tree = FeatureType(
    "tree", "Cây xanh", "Tree", "Point", "TRE-TREE",
    attributes=(
        Attribute("species_scientific", "text", "Tên khoa học", "Scientific name", required=True),
        Attribute("species_vi", "text", "Tên loài", "Vietnamese name"),
        Attribute("trunk_diameter_cm", "float", "Đường kính thân (1,3 m)",
                  "Trunk diameter at 1.3 m", unit="cm", minimum=0, maximum=1000),
        height(),
        Attribute("crown_diameter_m", "float", "Đường kính tán", "Crown diameter", unit="m",
                  minimum=0, maximum=60),
        Attribute("planting_date", "date", "Ngày trồng", "Planting date"),
        Attribute("condition", "text", "Tình trạng", "Condition", choices=choices({
            "good": ("Tốt", "Good"), "fair": ("Trung bình", "Fair"),
            "poor": ("Kém", "Poor"), "dead": ("Chết", "Dead"),
        })),
        Attribute("risk_level", "text", "Mức nguy hiểm", "Risk level", choices=choices({
            "low": ("Thấp", "Low"), "medium": ("Trung bình", "Medium"),
            "high": ("Cao", "High"), "extreme": ("Rất cao", "Extreme"),
        })),
        Attribute("heritage", "boolean", "Cây di sản", "Heritage tree"),
        Attribute("last_inspected", "date", "Ngày kiểm tra gần nhất", "Last inspection"),
        Attribute("address", "text", "Địa chỉ", "Address"),
    ),
    style=Style(color="#33a02c", by="condition",
                colors={"good": "#1a9850", "fair": "#a6d96a", "poor": "#fdae61",
                        "dead": "#d73027"}, radius=3),
    min_zoom=17, inspections=(TREE_RISK,),
)
green_area = FeatureType(
    "green_area", "Khu cây xanh", "Green area", "Polygon", "TRE-GRN",
    attributes=(
        Attribute("name", "text", "Tên", "Name"),
        Attribute("kind", "text", "Loại", "Kind", choices=choices({
            "park": ("Công viên", "Park"), "median": ("Dải phân cách", "Median strip"),
            "square": ("Quảng trường", "Square"), "garden": ("Vườn hoa", "Garden"),
        })),
    ),
    style=Style(color="#66bd63", fill_opacity=0.35), min_zoom=12,
)

LAYER = Layer("trees", "Cây xanh", "Trees", (tree, green_area), open_data=True)
