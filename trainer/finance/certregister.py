"""The course's certificate register (sổ cấp giấy chứng nhận) as a workbook: one row per certificate issued,
in register-number order, revoked ones kept and marked. Data in one statement; rendering is pure."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.certificates.models import Certificate
from trainer.core.xlsx import DOCUMENT_FONT, THIN_BORDER, decree30_page, put, titled_table
from trainer.courses.models import Course
from trainer.documents.fonts import text
from trainer.documents.layout import CourseInfo
from trainer.documents.queries import course_info
from trainer.documents.roster import course_lines
from trainer.extensions import db
from trainer.participants.models import Participant

TITLE = "SỔ CẤP GIẤY CHỨNG NHẬN"
COLUMNS = (("STT", 6), ("Số vào sổ", 20), ("Họ và tên", 28), ("Ngày sinh", 12), ("Đơn vị", 28),
           ("Ngày cấp", 12), ("Mã xác minh", 16), ("Ghi chú", 24))


@dataclass(frozen=True)
class RegisterLine:
    """One certificate of the register."""

    serial: str
    full_name: str
    birth_date: date | None
    unit_name: str
    issued_on: date
    code: str
    revoked: bool


@dataclass(frozen=True)
class CertificateRegister:
    """The course and its certificates in register order."""

    course: CourseInfo
    lines: tuple[RegisterLine, ...]


def certificate_register(course: Course) -> CertificateRegister:
    """Every certificate of `course`, revoked ones included, by register number (two statements)."""
    stmt = (select(Certificate).where(Certificate.course_id == course.id)
            .options(joinedload(Certificate.participant).joinedload(Participant.unit))
            .order_by(Certificate.serial_year, Certificate.serial_number))
    lines = tuple(RegisterLine(c.serial, c.participant.full_name, c.participant.birth_date, c.participant.unit.name,
                               c.issued_on, c.code, c.revoked_at is not None) for c in db.session.scalars(stmt))
    return CertificateRegister(course_info(course), lines)


def render_certificate_register_xlsx(data: CertificateRegister) -> bytes:
    """The register as a workbook in the administrative print layout."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ cấp GCN"
    font, border = DOCUMENT_FONT, THIN_BORDER
    header_row = titled_table(sheet, [TITLE, text(data.course.title), " · ".join(course_lines(data.course))],
                              list(COLUMNS))
    for index, line in enumerate(data.lines, start=1):
        values = [index, text(line.serial), text(line.full_name),
                  line.birth_date.strftime("%d/%m/%Y") if line.birth_date else "", text(line.unit_name),
                  line.issued_on.strftime("%d/%m/%Y"), line.code, "Đã thu hồi" if line.revoked else ""]
        for column, value in enumerate(values, start=1):
            cell = put(sheet, header_row + index, column, value)
            cell.font = Font(name=font)
            cell.border = border
    put(sheet, header_row + len(data.lines) + 2, 1,
        f"Tổng số: {sum(not line.revoked for line in data.lines)} giấy chứng nhận còn hiệu lực.").font = Font(
        name=font, italic=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    decree30_page(sheet, title_rows=f"{header_row}:{header_row}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
