"""Words of the outage pages in both languages, declared once like the layers.

The crew page, the panel the map page includes and the printed work order
all read :func:`messages` (Vietnamese or English by the request's language).
"""

from __future__ import annotations

from layers import layer
from webmap.i18n import current_language

__all__ = ["MESSAGES", "WORDS", "messages", "reason", "word"]

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
    "offline": ("Tải về để dùng không cần mạng", "Download for offline use"),
    "map": ("Bản đồ khu vực và thiết bị", "Map of the area and the devices"),
    "level": ("Cấp cô lập", "Isolation level"),
    "isolated": ("Vùng cô lập", "Isolated area"),
    "cut_off": ("Mất nước do cô lập", "Cut off by the isolation"),
    "pressure": ("Áp lực nước giờ cao điểm", "Water pressure at the peak hour"),
    "simulating": (
        "Đang mô phỏng áp lực nước và tải lưới điện…",
        "Simulating the water pressure and the feeders' loading…",
    ),
    "pressure_cut_off": ("mất nước", "cut off"),
    "pressure_low": ("áp lực thấp", "low pressure"),
    "pressure_fine": ("đủ áp lực", "enough pressure"),
    "restoration_check": (
        "Cấp lại qua khóa liên lạc, kiểm tra bằng tính trào lưu công suất",
        "Restoration through ties, checked by load flow",
    ),
    "restoration_ok": ("xuất tuyến bên cạnh mang được tải", "the neighbouring feeder carries it"),
    "restoration_alternative": (
        "có khóa gây quá tải hoặc sụt áp, xem phương án thay thế trong phiếu công tác",
        "a tie overloads or drops the voltage, see the alternative in the work order",
    ),
    "restoration_infeasible": (
        "không cấp lại được trong giới hạn cho phép",
        "no restoration within the limits",
    ),
    "ties_marked": ("khóa liên lạc bị đánh dấu", "ties marked"),
    "unavailable": ("Van/thiết bị không thao tác được", "Devices that cannot be operated"),
    "tripped": ("Thiết bị cắt", "Tripped device"),
    "restored": ("Cấp lại qua khóa liên lạc", "Restored through tie"),
    "legend": ("Chú giải", "Legend"),
    "networks": ("Mạng lưới", "Networks"),
    "to_operate": ("Van/thiết bị cần thao tác", "Valve or device to operate"),
    "affected": ("Bị ảnh hưởng", "Affected"),
    "base_map": ("Nền bản đồ", "Base map"),
    "the_outage": ("Sự cố", "The outage"),
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
    "not_found": ("Không có tài sản mang mã {codes}.", "No asset with code {codes}."),
    "forbidden": (
        "Tài khoản này không được phân tích sự cố.",
        "This account may not analyse outages.",
    ),
    "login_needed": ("Hãy đăng nhập để phân tích sự cố.", "Log in to analyse outages."),
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
    # Which device trips and why (twin.network.protection.Trip).
    "trip_on_line": ("trên đường dây {voltage} kV", "on the {voltage} kV line"),
    "trip_at_node": ("tại {fault}", "at {fault}"),
    "trip_clears_fault": (
        "{device} {name} cắt vì sự cố {where} phía sau nó",
        "{device} {name} trips: the fault {where} is behind it",
    ),
    "trip_backup": (
        "Không có thiết bị bảo vệ {level} nào phía trước sự cố {where}; "
        "thiết bị bảo vệ gần nhất, {device} {name}, cắt thay",
        "No {level} protective device is recorded upstream of the fault {where}; "
        "the nearest protective device, {device} {name}, trips instead",
    ),
    "trip_no_protection": (
        "Không có thiết bị bảo vệ nào phía trước sự cố {where}; {device} {name} bị cắt",
        "No protective device is recorded upstream of the fault {where}; "
        "{device} {name} is cut",
    ),
    "customer_list": ("Danh sách khách hàng", "Customers"),
    "show_list": ("Xem danh sách", "Show the list"),
    "next_page": ("Trang sau", "Next page"),
    "done": ("Đã làm", "Done"),
    "ticked_by": ("{by} lúc {at}", "{by} at {at}"),
    "checklist_on": ("Ghi vào sự cố {incident}", "Recorded on incident {incident}"),
    "checklist_none": (
        "Chưa có sự cố đang mở cho tài sản này: các bước chưa được ghi lại.",
        "No open incident on this asset: the steps are not recorded.",
    ),
    "next_device": ("Thiết bị tiếp theo", "Next device"),
    "way": ("{distance}, hướng {direction}", "{distance}, heading {direction}"),
    "open_device": ("Mở trên bản đồ", "Open on the map"),
    "no_location": (
        "Không có vị trí của điện thoại (chưa cho phép định vị): không tính được khoảng cách.",
        "The phone's position is not available (location not allowed): no distance.",
    ),
    "locating": ("Đang xác định vị trí…", "Finding your position…"),
    "all_done": ("Đã làm xong mọi bước.", "Every step is done."),
}

#: Words the analysis returns as codes: utilities, device and node kinds,
#: kinds of critical facility (``kind_`` + kind, ``utility_`` + utility).
WORDS = {
    "utility_water": ("cấp nước", "water"),
    "utility_drainage": ("thoát nước", "drainage"),
    "utility_power": ("điện", "power"),
    "utility_telecom": ("viễn thông", "telecom"),
    "utility_lighting": ("chiếu sáng", "lighting"),
    "kind_valve": ("van", "valve"),
    "kind_hydrant": ("trụ cứu hỏa", "hydrant"),
    "kind_tank": ("bể chứa", "tank"),
    "kind_reservoir": ("hồ chứa", "reservoir"),
    "kind_treatment_plant": ("nhà máy xử lý", "treatment plant"),
    "kind_pump_station": ("trạm bơm", "pump station"),
    "kind_junction": ("điểm nút", "junction"),
    "kind_meter": ("đồng hồ", "meter"),
    "kind_customer": ("khách hàng", "customer"),
    "kind_service_connection": ("đấu nối khách hàng", "service connection"),
    "kind_breaker": ("máy cắt", "breaker"),
    "kind_recloser": ("máy cắt tự đóng lại", "recloser"),
    "kind_sectionaliser": ("dao cắt phân đoạn", "sectionaliser"),
    "kind_fuse": ("cầu chì", "fuse"),
    "kind_lv_breaker": ("áptômát hạ áp", "LV breaker"),
    "kind_switch": ("dao cách ly", "switch"),
    "kind_transformer": ("máy biến áp", "transformer"),
    "kind_substation": ("trạm biến áp", "substation"),
    "kind_bus": ("thanh cái", "bus"),
    "kind_pole": ("cột", "pole"),
    "kind_light": ("đèn", "light"),
    "kind_lighting_cabinet": ("tủ chiếu sáng", "lighting cabinet"),
    "kind_cabinet": ("tủ cáp", "cabinet"),
    "kind_splice_closure": ("măng xông", "splice closure"),
    "kind_access_node": ("nút truy nhập", "access node"),
    "kind_pop": ("điểm truy nhập (POP)", "point of presence"),
    "kind_manhole": ("hố ga", "manhole"),
    "kind_inlet": ("cửa thu", "inlet"),
    "kind_outfall": ("cửa xả", "outfall"),
    "kind_storage": ("hồ điều hòa", "storage"),
    "kind_hospital": ("bệnh viện", "hospital"),
    "kind_emergency": ("cấp cứu", "emergency"),
    "kind_clinic": ("trạm y tế", "clinic"),
    "kind_dialysis": ("chạy thận", "dialysis"),
    "kind_fire_station": ("phòng cháy chữa cháy", "fire station"),
    "kind_police": ("công an", "police"),
    "kind_water_treatment": ("xử lý nước", "water treatment"),
    "kind_nursing_home": ("viện dưỡng lão", "nursing home"),
    "kind_school": ("trường học", "school"),
    "kind_kindergarten": ("trường mầm non", "kindergarten"),
    "kind_government": ("cơ quan nhà nước", "government office"),
    "compass_n": ("Bắc", "north"),
    "compass_ne": ("Đông Bắc", "north-east"),
    "compass_e": ("Đông", "east"),
    "compass_se": ("Đông Nam", "south-east"),
    "compass_s": ("Nam", "south"),
    "compass_sw": ("Tây Nam", "south-west"),
    "compass_w": ("Tây", "west"),
    "compass_nw": ("Tây Bắc", "north-west"),
}
#: Fault levels, as ``layers/power.py`` names them (``level_`` + level).
WORDS.update(
    {f"level_{lv.name}": (lv.vi, lv.en) for lv in layer("power").network.levels}
)
MESSAGES.update(WORDS)


def word(prefix: str, code: str | None) -> str:
    """A utility or kind code (``word("kind", "valve")``) in the user's language."""
    if not code:
        return ""
    return messages().get(f"{prefix}_{code}", code)


def reason(step: dict) -> str:
    """Why a work-order step is there, in the request's language."""
    text = messages().get(step.get("reason") or "")
    if not text:
        return step.get("note") or ""
    for key, value in step.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def messages() -> dict[str, str]:
    """Every message in the language of the current request."""
    index = 0 if current_language() == "vi" else 1
    return {key: pair[index] for key, pair in MESSAGES.items()}
