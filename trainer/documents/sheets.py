"""Paper and spreadsheet forms of the attendance register. Pure: data in, bytes out.

The sign-in sheet (danh sách điểm danh) is the paper fallback: one row per participant and a
signature box per session; the organizer enters the marks from it afterwards. The register
.xlsx is the matrix with hours, ratio and completion.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from trainer.core.xlsx import decree30_page, put
from trainer.documents.fonts import text
from trainer.documents.layout import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    CourseInfo,
    HeaderBlock,
    Letterhead,
    SignatureBlock,
    number_later_pages,
    para,
    paragraph_styles,
)
from trainer.documents.roster import course_lines

SIGNIN_TITLE = "DANH SÁCH ĐIỂM DANH HỌC VIÊN"
MARK_SYMBOLS = {"present": "✓", "late": "M", "excused": "P"}  # M: đến muộn; P: vắng có phép
SESSIONS_PER_PAGE = 6  # signature boxes stay wide enough to sign in


@dataclass(frozen=True)
class SheetRow:
    """One participant on a sheet, with their marks per session id ("present", "late" or "excused")."""

    full_name: str
    unit_name: str
    marks: dict[int, str]
    hours_attended: float = 0.0
    attendance_ratio: float = 0.0
    completed: bool = False


@dataclass(frozen=True)
class SheetSession:
    """A session column: its id and its label ("01/10 sáng")."""

    id: int
    label: str
    hours: float = 0.0


@dataclass(frozen=True)
class SheetData:
    """Everything a sign-in sheet or register workbook shows."""

    course: CourseInfo
    letterhead: Letterhead
    sessions: tuple[SheetSession, ...]
    rows: tuple[SheetRow, ...]
    issued_on: date
    scheduled_hours: float = 0.0
    threshold: float = 0.8


def render_signin_sheet(data: SheetData) -> bytes:
    """The paper sign-in sheet, A4 landscape, up to six sessions a page, rows tall enough to sign."""
    styles = paragraph_styles()
    page = landscape(A4)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                            title=f"Danh sách điểm danh - {text(data.course.title)}", creator="trainer")
    width = page[0] - MARGIN_LEFT - MARGIN_RIGHT
    sessions = list(data.sessions) or [SheetSession(0, "Chữ ký")]
    story: list = []
    for start in range(0, len(sessions), SESSIONS_PER_PAGE):
        if start:
            story.append(PageBreak())
        story += [HeaderBlock(data.letterhead), Spacer(1, 6 * mm), Paragraph(SIGNIN_TITLE, styles["title"]),
                  Paragraph(para(data.course.title), styles["subtitle"])]
        story += [Paragraph(para(line), styles["center"]) for line in course_lines(data.course)]
        story += [Spacer(1, 4 * mm), _signin_table(data.rows, sessions[start:start + SESSIONS_PER_PAGE], width,
                                                   styles)]
    story += [Spacer(1, 4 * mm), Paragraph(para(f"Tổng số: {len(data.rows)} học viên."), styles["body"]),
              SignatureBlock(data.letterhead, None, blank_date=True)]  # signed by hand: date left blank
    doc.build(story, onLaterPages=number_later_pages)
    return buffer.getvalue()


def _signin_table(rows: tuple[SheetRow, ...], sessions: list[SheetSession], width: float, styles) -> Table:
    fixed = [0.05 * width, 0.24 * width, 0.2 * width]
    box = (width - sum(fixed)) / len(sessions)
    head = [Paragraph("STT", styles["cell_head"]), Paragraph("Họ và tên", styles["cell_head"]),
            Paragraph("Đơn vị", styles["cell_head"])]
    head += [Paragraph(para(s.label), styles["cell_head"]) for s in sessions]
    body = [[str(i), Paragraph(para(r.full_name), styles["cell"]), Paragraph(para(r.unit_name), styles["cell"])]
            + ["" for _ in sessions] for i, r in enumerate(rows, start=1)]
    table = Table([head, *body], colWidths=[*fixed, *([box] * len(sessions))], repeatRows=1,
                  rowHeights=[None] + [11 * mm] * len(body))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("ALIGN", (0, 0), (0, -1), "CENTER"),
                               ("FONTNAME", (0, 1), (0, -1), paragraph_styles()["cell"].fontName)]))
    return table


def _cell(sheet, row: int, column: int, value, *, bold: bool = False, center: bool = False) -> None:
    cell = put(sheet, row, column, value)  # a name typed as "=..." stays text (core.xlsx)
    cell.font = Font(name="Times New Roman", bold=bold)
    cell.alignment = Alignment(horizontal="center" if center else None, vertical="center", wrap_text=True)
    thin = Side(style="thin")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def render_register_xlsx(data: SheetData) -> bytes:
    """The register as a workbook: participants × sessions (✓, M late, P excused), hours, ratio, completion."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sổ điểm danh"
    heading = ["SỔ ĐIỂM DANH", text(data.course.title), " · ".join(course_lines(data.course)),
               f"Số giờ đã lên lịch: {data.scheduled_hours:g} · Hoàn thành khi tham dự từ "
               f"{data.threshold:.0%} số giờ"]
    headers = ["STT", "Họ và tên", "Đơn vị", *[s.label for s in data.sessions], "Số buổi", "Số giờ", "Tỷ lệ",
               "Hoàn thành"]
    last = get_column_letter(len(headers))
    for row, value in enumerate(heading, start=1):
        put(sheet, row, 1, value).font = Font(name="Times New Roman", bold=row <= 2, size=13)
        sheet.merge_cells(f"A{row}:{last}{row}")
    top = len(heading) + 2
    for column, label in enumerate(headers, start=1):
        _cell(sheet, top, column, label, bold=True, center=True)
    for index, item in enumerate(data.rows, start=1):
        marks = [MARK_SYMBOLS[item.marks[s.id]] if s.id in item.marks else "" for s in data.sessions]
        attended = sum(1 for mark in item.marks.values() if mark != "excused")
        values = [index, text(item.full_name), text(item.unit_name), *marks, attended,
                  item.hours_attended, item.attendance_ratio, "Đạt" if item.completed else "Chưa đạt"]
        for column, value in enumerate(values, start=1):
            _cell(sheet, top + index, column, value, center=column not in (2, 3))
        sheet.cell(row=top + index, column=len(headers) - 1).number_format = "0%"
    put(sheet, top + len(data.rows) + 2, 2, "Ghi chú: ✓ có mặt; M đến muộn; P vắng có phép (không tính giờ học).")
    for column, width in enumerate([6, 28, 26, *[11] * len(data.sessions), 9, 9, 9, 12], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=top + 1, column=4)
    decree30_page(sheet, title_rows=f"{top}:{top}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
