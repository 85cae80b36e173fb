"""Video surveillance: traffic, security and number-plate cameras on the street.

A camera's stream address is operator-only (``personal``: hidden from
viewers, from the QGIS views and from exports); the twin stores it but never
opens it.  ``power_customer`` and ``telecom_access`` name the supplies a
camera depends on, so that a feeder trip or a fiber cut can list it.
"""

from twin.declare import Attribute, FeatureType, Layer, Style, choices

camera = FeatureType(
    "camera", "Camera giám sát", "Camera", "Point", "CAM",
    attributes=(
        Attribute("camera_type", "text", "Loại camera", "Camera type", required=True,
                  choices=choices({
                      "traffic": ("Giám sát giao thông", "Traffic"),
                      "security": ("An ninh trật tự", "Security"),
                      "number_plate": ("Nhận dạng biển số", "Number plate"),
                  })),
        Attribute("name", "text", "Tên", "Name"),
        Attribute("mounting_height_m", "float", "Chiều cao lắp đặt", "Mounting height", unit="m",
                  minimum=1, maximum=40),
        Attribute("direction_deg", "float", "Hướng nhìn", "Direction", unit="°",
                  minimum=0, maximum=360),
        Attribute("field_of_view_deg", "float", "Góc nhìn", "Field of view", unit="°",
                  minimum=1, maximum=360),
        Attribute("view_range_m", "float", "Tầm nhìn", "View range", unit="m",
                  minimum=1, maximum=1000),
        Attribute("watches", "text", "Tuyến đường, nút giao giám sát", "Road or intersection watched"),
        Attribute("stream_url", "text", "Địa chỉ luồng video", "Stream address", personal=True),
        Attribute("power_customer", "text", "Nguồn điện (mã khách hàng)",
                  "Power supply (customer code)"),
        Attribute("telecom_access", "text", "Đường truyền (mã điểm truy nhập)",
                  "Telecom link (access node code)"),
    ),
    style=Style(color="#1f78b4", by="camera_type", radius=5,
                colors={"traffic": "#1f78b4", "security": "#6a3d9a", "number_plate": "#ff7f00"}),
    min_zoom=13, devices=("camera",),
)

LAYER = Layer("video", "Camera giám sát", "Cameras", (camera,))
