"""A course's roster (danh sách học viên): the printable PDF and the .xlsx export. Pure: data in, bytes out."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from trainer.core.text import fold
from trainer.core.xlsx import DOCUMENT_FONT, THIN_BORDER, decree30_page, put, titled_table
from trainer.curricula.models import TARGET_GROUP_LABELS
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
    date_range,
    number_later_pages,
    para,
    paragraph_styles,
)

TITLE = "DANH SÁCH HỌC VIÊN"
GENDER_LABELS = {"female": "Nữ", "male": "Nam"}
# Short labels for a narrow column; the .xlsx carries the full ones.
TARGET_GROUP_SHORT = {
    "commune_culture_officer": "Công chức VH-XH xã",
    "party_info_staff": "Cán bộ TT-TT khối Đảng",
    "mass_org_staff": "Cán bộ MTTQ, đoàn thể",
    "info_manager": "Quản lý nhà nước TT&TT",
    "press_staff": "Báo chí, TT đối ngoại",
    "other": "Khác",
}
# Shares of the width: data cells of usual length fit one line; the narrow headers may wrap.
PDF_COLUMNS = (("STT", 0.046), ("Họ và tên", 0.196), ("Giới tính", 0.062), ("Năm sinh", 0.062),
               ("Đơn vị (xã/phường)", 0.165), ("Chức vụ", 0.204), ("Nhóm đối tượng", 0.19), ("Ghi chú", 0.075))
XLSX_COLUMNS = (("STT", 6), ("Mã học viên", 13), ("Họ và tên", 28), ("Giới tính", 10), ("Năm sinh", 10),
                ("Đơn vị (xã/phường)", 26), ("Chức vụ", 26), ("Nhóm đối tượng", 40), ("Điện thoại", 14),
                ("Email", 28), ("Ghi chú", 20))


@dataclass(frozen=True)
class RosterRow:
    """One enrolled participant as the roster prints them."""

    code: str
    full_name: str
    gender: str  # "female" | "male"
    birth_year: int | None
    commune: str
    position: str
    target_group: str  # a TargetGroup code
    phone: str = ""
    email: str = ""
    note: str = ""


@dataclass(frozen=True)
class RosterData:
    """Everything the roster shows; `rows` are the enrolled participants, in any order."""

    letterhead: Letterhead
    course: CourseInfo
    rows: tuple[RosterRow, ...]
    issued_on: date


def name_sort_key(full_name: str) -> tuple[str, str, str]:
    """Vietnamese name order: the given name (last word), then the whole name, accents folded."""
    folded = fold(full_name)
    words = folded.split()
    return (words[-1] if words else "", folded, text(full_name))


def ordered(rows: tuple[RosterRow, ...]) -> list[RosterRow]:
    """Rows in Vietnamese name order (ties: by personal code, so the order is stable)."""
    return sorted(rows, key=lambda row: (*name_sort_key(row.full_name), row.code))


def total_line(rows: tuple[RosterRow, ...]) -> str:
    """"Tổng số: 40 học viên, trong đó nữ: 25"."""
    women = sum(1 for row in rows if row.gender == "female")
    return f"Tổng số: {len(rows)} học viên, trong đó nữ: {women}"


def course_lines(course: CourseInfo) -> list[str]:
    """The lines under the document title: programme, dates and venue."""
    lines = [f"Chương trình: {text(course.curriculum_title)} ({text(course.curriculum_code)})",
             f"Thời gian: {date_range(course.start_date, course.end_date)}"]
    if text(course.venue):
        lines.append(f"Địa điểm: {text(course.venue)}")
    return lines


def _cells(index: int, row: RosterRow) -> list[str]:
    """The printed values of one row, in PDF_COLUMNS order."""
    return [str(index), text(row.full_name), GENDER_LABELS.get(row.gender, ""),
            str(row.birth_year) if row.birth_year else "", text(row.commune), text(row.position),
            TARGET_GROUP_SHORT.get(row.target_group, text(row.target_group)), text(row.note)]


def _table(rows: list[RosterRow], width: float) -> Table:
    """The numbered table; its header row repeats on every page."""
    styles = paragraph_styles()
    centred = {0, 2, 3}
    body = [[Paragraph(para(label), styles["cell_head"]) for label, _ in PDF_COLUMNS]]
    for index, row in enumerate(rows, start=1):
        body.append([Paragraph(para(value), styles["cell_center" if col in centred else "cell"])
                     for col, value in enumerate(_cells(index, row))])
    table = Table(body, colWidths=[share * width for _, share in PDF_COLUMNS], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def render_roster(data: RosterData) -> bytes:
    """The roster as an A4 landscape PDF in the administrative layout. Does no database access."""
    styles = paragraph_styles()
    page = landscape(A4)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                            title=f"{TITLE.capitalize()} - {text(data.course.title)}",
                            author=text(data.letterhead.agency), creator="trainer")
    width = page[0] - MARGIN_LEFT - MARGIN_RIGHT
    story = [HeaderBlock(data.letterhead), Spacer(1, 8 * mm), Paragraph(TITLE, styles["title"]),
             Paragraph(para(data.course.title), styles["subtitle"])]
    story += [Paragraph(para(line), styles["center"]) for line in course_lines(data.course)]
    story += [Spacer(1, 5 * mm), _table(ordered(data.rows), width), Spacer(1, 3 * mm),
              Paragraph(para(total_line(data.rows)), styles["body"]), Spacer(1, 4 * mm),
              SignatureBlock(data.letterhead, data.issued_on)]
    doc.build(story, onLaterPages=number_later_pages)
    return buffer.getvalue()


def _text_cell(sheet, row: int, column: int, value: object) -> None:
    """Write text that Excel must never read as a formula (a name typed as "=..." stays text)."""
    put(sheet, row, column, value)


def render_roster_xlsx(data: RosterData) -> bytes:
    """The roster as a workbook: title rows, a bold header row, one row per participant, frozen panes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách học viên"
    last = get_column_letter(len(XLSX_COLUMNS))
    font, border = DOCUMENT_FONT, THIN_BORDER
    header_row = titled_table(sheet, [TITLE, text(data.course.title), " · ".join(course_lines(data.course))],
                              list(XLSX_COLUMNS))
    for index, item in enumerate(ordered(data.rows), start=1):
        row = header_row + index
        values = [index, text(item.code), text(item.full_name), GENDER_LABELS.get(item.gender, ""),
                  item.birth_year, text(item.commune), text(item.position),
                  TARGET_GROUP_LABELS.get(item.target_group, text(item.target_group)), text(item.phone),
                  text(item.email), text(item.note)]
        for column, value in enumerate(values, start=1):
            _text_cell(sheet, row, column, value)  # text stays text: phones keep their leading 0
            sheet.cell(row=row, column=column).font = Font(name=font)
            sheet.cell(row=row, column=column).border = border
    total_row = header_row + len(data.rows) + 2
    _text_cell(sheet, total_row, 1, total_line(data.rows))
    sheet.cell(row=total_row, column=1).font = Font(name=font, italic=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(data.rows)}"
    decree30_page(sheet, title_rows=f"{header_row}:{header_row}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
