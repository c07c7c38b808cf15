"""The printable indicator report: what the .xlsx and .pdf writers print, built by `reports.services`
and read by `reports.pdf` and `reports.xlsx` without database access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trainer.core.errors import N_
from trainer.documents.layout import Letterhead
from trainer.reports.queries import OfficerRow

# The table's columns: (key, Vietnamese header). Then one column per curriculum and per target group.
# Marked for the catalogue: the dashboard shows them translated, the documents as they are.
MAIN_COLUMNS = (
    ("courses", N_("Số lớp")), ("sessions", N_("Số buổi")), ("hours_delivered", N_("Số giờ")),
    ("enrolled", N_("Lượt người ghi danh")), ("trainee_turns", N_("Lượt người tham dự")),
    ("completed_turns", N_("Lượt người hoàn thành")), ("trained_officers", N_("Số người được bồi dưỡng")),
    ("female", N_("Nữ")), ("ethnic_minority", N_("Dân tộc thiểu số")),
    ("communes_with_trained_officer", N_("Số xã có người được bồi dưỡng")), ("communes_total", N_("Tổng số xã")),
    ("officers_in_post", N_("Số cán bộ cần bồi dưỡng")), ("coverage_percent", N_("Tỷ lệ được bồi dưỡng (%)")),
    ("registered", N_("Số người trong danh sách")),
)
COMMUNE_COUNTS = ("communes_with_trained_officer", "communes_total")  # blank on a commune's own row
TARGET_GROUP_SHORT = {
    "commune_culture_officer": N_("Công chức VH-XH xã"), "party_info_staff": N_("Cán bộ TT-TT khối Đảng"),
    "mass_org_staff": N_("Cán bộ MTTQ, đoàn thể"), "info_manager": N_("Quản lý nhà nước TT&TT"),
    "press_staff": N_("Báo chí, TT đối ngoại"), "other": N_("Khác"),
}
GENDER_LABELS = {"female": "Nữ", "male": "Nam"}
# Under the table of both documents: which figure counts what.
NOTES = ("Ghi chú: Lượt người ghi danh: số lượt ghi danh vào các lớp trong kỳ (không tính người rút tên trước "
         "khi khai giảng). Lượt người tham dự: những lượt có dự ít nhất một buổi (người vắng cả lớp không được tính). "
         "Lượt người hoàn thành: những lượt đạt điều kiện hoàn thành của lớp. Số người được bồi dưỡng: số người "
         "(không trùng lặp) đã hoàn thành ít nhất một lớp trong kỳ và không bị thu hồi giấy chứng nhận; một người "
         "hoàn thành hai chương trình được tính một lần trong tổng số và một lần ở mỗi chương trình. Số cán bộ cần "
         "bồi dưỡng: số liệu chính thức do đơn vị nhập cho năm báo cáo. Tỷ lệ được bồi dưỡng = số người được bồi "
         "dưỡng / số cán bộ cần bồi dưỡng. Số người trong danh sách: số người đã nhập vào trainer, chỉ để đối chiếu.")


def figure(figures: dict[str, Any], key: str) -> int | float | None:
    """One value of a table row: a figure or the registry size; None (a blank cell) where undefined: a
    coverage without a headcount, and the commune counts of a commune ("Tổng số xã: 1" says nothing)."""
    if key == "registered":
        return figures["registry"]["registered"]
    if key in COMMUNE_COUNTS and (figures.get("unit") or {}).get("level") == "commune":
        return None
    return figures[key]


@dataclass(frozen=True)
class TableRow:
    """One line of the report's table: a label and the figures of `indicator_report` (JSON shape)."""

    label: str
    figures: dict[str, Any]


@dataclass(frozen=True)
class ReportDocument:
    """Everything the .xlsx and .pdf print; built from the report, rendered without database access."""

    letterhead: Letterhead
    number: str  # "Số: .../BC-VHTT"
    place_date: str  # "Tân Yên, ngày 05 tháng 01 năm 2025"
    summary: str
    area: str  # "Địa bàn: Huyện Tân Yên"
    curricula: tuple[str, ...]
    rows: tuple[TableRow, ...]
    total: TableRow
    officers: tuple[OfficerRow, ...] = ()
    list_title: str = ""
