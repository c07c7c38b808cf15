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
    ("trainee_turns", N_("Lượt người")), ("trained_officers", N_("Số người được bồi dưỡng")), ("female", N_("Nữ")),
    ("ethnic_minority", N_("Dân tộc thiểu số")),
    ("communes_with_trained_officer", N_("Số xã có người được bồi dưỡng")), ("communes_total", N_("Tổng số xã")),
    ("registered", N_("Số người trong danh sách")), ("coverage", N_("Tỷ lệ được bồi dưỡng (%)")),
)
TARGET_GROUP_SHORT = {
    "commune_culture_officer": N_("Công chức VH-XH xã"), "party_info_staff": N_("Cán bộ TT-TT khối Đảng"),
    "mass_org_staff": N_("Cán bộ MTTQ, đoàn thể"), "info_manager": N_("Quản lý nhà nước TT&TT"),
    "press_staff": N_("Báo chí, TT đối ngoại"), "other": N_("Khác"),
}
GENDER_LABELS = {"female": "Nữ", "male": "Nam"}


def figure(figures: dict[str, Any], key: str) -> int | float | None:
    """One value of a table row: a figure, the registry size, or the coverage in percent (None if undefined)."""
    if key == "registered":
        return figures["registry"]["registered"]
    if key == "coverage":
        coverage = figures["registry"]["coverage"]
        return None if coverage is None else round(coverage * 100, 1)
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
