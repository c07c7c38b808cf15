"""Exporting a list of participants to .xlsx (streamed by openpyxl's write-only mode)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from trainer.core.xlsx import text_row
from trainer.curricula.models import TARGET_GROUP_LABELS
from trainer.participants.fields import GENDER_LABELS
from trainer.participants.models import Participant

HEADERS = (("STT", 6), ("Mã cá nhân", 12), ("Họ và tên", 28), ("Giới tính", 10), ("Ngày sinh", 12),
           ("Dân tộc thiểu số", 10), ("Số điện thoại", 14), ("Email", 26), ("Mã đơn vị", 10), ("Đơn vị", 30),
           ("Chức vụ", 24), ("Nhóm đối tượng", 48))
CONFIDENTIAL = ("Tài liệu có dữ liệu cá nhân: chỉ dùng cho việc quản lý bồi dưỡng và báo cáo Dự án 6; "
                "không chia sẻ ra ngoài phạm vi này.")


def _minority(value: bool | None) -> str:
    """Có / Không, or empty when unknown."""
    return "" if value is None else ("Có" if value else "Không")


def export_participants(participants: Iterable[Participant], *, title: str, filters: str,
                        exported_at: datetime, exported_by: str) -> tuple[bytes, int]:
    """The workbook bytes and the number of people written; each participant's unit must be loaded."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    for index, (_, width) in enumerate(HEADERS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for text, _ in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for count, person in enumerate(participants, start=1):
        birth = WriteOnlyCell(sheet, value=person.birth_date)
        birth.number_format = "DD/MM/YYYY"
        # Text cells: a name or position typed as "=..." comes back as text, never a formula.
        sheet.append(text_row(sheet, [
            count, person.code, person.full_name, GENDER_LABELS.get(person.gender, ""), birth,
            _minority(person.ethnic_minority), person.phone or "", person.email or "", person.unit.code,
            person.unit.name, person.position, str(TARGET_GROUP_LABELS.get(person.target_group, ""))]))
    about = workbook.create_sheet("Thông tin")
    for row in (("Danh sách", title), ("Bộ lọc", filters or "không"), ("Số người", count),
                ("Xuất lúc", exported_at.strftime("%H:%M %d/%m/%Y")), ("Người xuất", exported_by),
                ("Lưu ý", CONFIDENTIAL)):
        about.append(text_row(about, list(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
