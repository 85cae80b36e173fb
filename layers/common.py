"""Attributes and choices that several layers share, declared once."""

from twin.declare import Attribute, NodeKind, choices

#: Node kinds several networks share, with the same role in each.
JUNCTION = NodeKind("junction", passes=True)
POLE = NodeKind("pole", passes=True)
CUSTOMER = NodeKind("customer", terminal=True, customer=True, passes=True)
SERVICE_CONNECTION = NodeKind("service_connection", terminal=True, customer=True, passes=True)
VALVE = NodeKind("valve", stops_when="closed")

NORMAL_STATES = choices({"open": ("Mở", "Open"), "closed": ("Đóng", "Closed")})

CUSTOMER_CATEGORIES = choices(
    {
        "residential": ("Sinh hoạt", "Residential"),
        "commercial": ("Kinh doanh", "Commercial"),
        "industrial": ("Sản xuất", "Industrial"),
        "institutional": ("Cơ quan, trường học", "Institutional"),
        "hospital": ("Bệnh viện", "Hospital"),
        "utility": ("Công trình hạ tầng", "Utility facility"),
    }
)

PLACEMENTS = choices(
    {
        "underground": ("Ngầm", "Underground"),
        "overhead": ("Nổi", "Overhead"),
        "duct": ("Trong ống/cống bể", "In duct"),
    }
)


def diameter(required: bool = False) -> Attribute:
    return Attribute(
        "diameter_mm", "integer", "Đường kính", "Diameter", unit="mm",
        required=required, minimum=10, maximum=5000,
    )


def households() -> Attribute:
    return Attribute(
        "households", "integer", "Số hộ", "Households", minimum=0, maximum=100000
    )


def customer_category(required: bool = False) -> Attribute:
    return Attribute(
        "customer_category", "text", "Loại khách hàng", "Customer category",
        choices=CUSTOMER_CATEGORIES, required=required,
    )


def personal_contact() -> tuple[Attribute, ...]:
    """Name and phone of a customer: personal data, hidden and stripped."""
    return (
        Attribute("customer_name", "text", "Tên khách hàng", "Customer name", personal=True),
        Attribute("phone", "text", "Số điện thoại", "Phone", personal=True),
    )


def depth() -> Attribute:
    return Attribute("depth_m", "float", "Độ sâu chôn", "Depth of cover", unit="m",
                     minimum=0, maximum=50)


def install_year() -> Attribute:
    return Attribute("install_year", "integer", "Năm lắp đặt", "Install year",
                     minimum=1880, maximum=2100)


def height() -> Attribute:
    return Attribute("height_m", "float", "Chiều cao", "Height", unit="m",
                     minimum=0, maximum=200)


#: Condition of an inspected asset, best first: rules grade answers on this scale.
CONDITIONS = choices({
    "good": ("Tốt", "Good"),
    "fair": ("Trung bình", "Fair"),
    "poor": ("Kém", "Poor"),
    "failed": ("Hỏng", "Failed"),
})


def condition() -> Attribute:
    """The condition an inspection found (set by the form's rule, see ``inspection_forms``)."""
    return Attribute("condition", "text", "Tình trạng", "Condition", choices=CONDITIONS)


def last_inspected() -> Attribute:
    return Attribute("last_inspected", "date", "Ngày kiểm tra gần nhất", "Last inspection")
