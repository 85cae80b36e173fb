"""Words of the outage pages in both languages, declared once like the layers.

The crew page, the panel the map page includes and the printed work order
all read :func:`messages` (Vietnamese or English by the request's language).
"""

from __future__ import annotations

from webmap.i18n import current_language

__all__ = ["MESSAGES", "messages"]

#: key -> (Vietnamese, English)
MESSAGES = {
    "title": ("Phân tích sự cố mạng lưới", "Network outage analysis"),
    "analyse": ("Phân tích sự cố", "Analyse outage"),
    "analysing": ("Đang phân tích…", "Analysing…"),
    "clear": ("Xóa kết quả", "Clear"),
    "pick": (
        "Bấm vào một đường ống, đường dây hay thiết bị trên bản đồ, hoặc nhập mã tài sản.",
        "Click a pipe, line or device on the map, or type an asset code.",
    ),
    "code": ("Mã tài sản", "Asset code"),
    "zoom_in": ("Phóng to để thấy mạng lưới", "Zoom in to see the networks"),
    "customers": ("Khách hàng mất dịch vụ", "Customers out"),
    "households": ("hộ", "households"),
    "already_out": ("đã mất từ sự cố đang xử lý", "already out in open incidents"),
    "steps": ("Thao tác thiết bị theo thứ tự", "Device operations in order"),
    "no_steps": ("Không có thiết bị cần thao tác.", "No device to operate."),
    "cannot_operate": ("Không thao tác được", "Cannot operate"),
    "critical": ("Công trình thiết yếu", "Critical facilities"),
    "streets": ("Khách hàng theo tuyến phố", "Customers per street"),
    "cascade": ("Ảnh hưởng dây chuyền", "Cascade"),
    "stopped": ("ngừng", "stops"),
    "lost": ("mất dịch vụ", "lose service"),
    "workorder": ("Phiếu công tác (in)", "Work order (print)"),
    "csv": ("Tải CSV", "Download CSV"),
    "level": ("Cấp cô lập", "Isolation level"),
    "isolated": ("Vùng cô lập", "Isolated area"),
    "cut_off": ("Mất nước do cô lập", "Cut off by the isolation"),
    "unavailable": ("Van/thiết bị không thao tác được", "Devices that cannot be operated"),
    "tripped": ("Thiết bị cắt", "Tripped device"),
    "restored": ("Cấp lại qua khóa liên lạc", "Restored through tie"),
    "street": ("Tuyến phố", "Street"),
    "order": ("TT", "No."),
    "action": ("Thao tác", "Action"),
    "device": ("Thiết bị", "Device"),
    "position": ("Vị trí (kinh độ, vĩ độ)", "Position (lon, lat)"),
    "note": ("Ghi chú", "Note"),
    "close": ("Đóng", "Close"),
    "open": ("Mở", "Open"),
    "check_open": ("Kiểm tra đã cắt", "Check open"),
    "error": ("Lỗi", "Error"),
    "print": ("In phiếu", "Print"),
    "printed": ("Lập lúc", "Printed at"),
    "assets": ("Tài sản sự cố", "Failed assets"),
    "none": ("không có", "none"),
    "supply_side": ("phía cấp nước: đóng trước", "supply side: close first"),
    "downstream_side": ("phía hạ lưu", "downstream side"),
    "protection_tripped": ("bảo vệ đã cắt", "tripped by the protection"),
    "protection_isolates": (
        "bảo vệ đã cắt; giữ mở để cô lập sự cố",
        "tripped by the protection; keep open to isolate the fault",
    ),
    "isolate": ("cô lập đoạn sự cố", "isolate the fault"),
    "reenergise": ("đóng lại cấp điện đến đoạn cô lập", "re-energise up to the isolated section"),
    "tie": (
        "khóa liên lạc: cấp lại {customers} khách hàng từ {fed_from}",
        "tie: feeds {customers} customers from {fed_from}",
    ),
}


def messages() -> dict[str, str]:
    """Every message in the language of the current request."""
    index = 0 if current_language() == "vi" else 1
    return {key: pair[index] for key, pair in MESSAGES.items()}
