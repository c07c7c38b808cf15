"""The indicator report as an .xlsx workbook in the layout of a Vietnamese administrative report.

Sheet "Báo cáo": agency and national title blocks, number and place-and-date, "BÁO CÁO" and the summary,
the numbered table with a totals row, recipients and signature. Sheet "Danh sách": the trained officers
(no ethnicity: it is shown only as a count). Pure: data in, bytes out.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from trainer.core.xlsx import decree30_page, put
from trainer.curricula.models import TARGET_GROUP_LABELS
from trainer.documents.fonts import text
from trainer.documents.layout import NATIONAL_MOTTO, NATIONAL_TITLE
from trainer.reports.document import (
    GENDER_LABELS,
    MAIN_COLUMNS,
    NOTES,
    TARGET_GROUP_SHORT,
    ReportDocument,
    TableRow,
    figure,
)

FONT = "Times New Roman"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_ROW = 10  # first of the two header rows of the table
LIST_COLUMNS = (("STT", 6), ("Họ và tên", 28), ("Giới tính", 10), ("Năm sinh", 10), ("Đơn vị (xã/phường)", 28),
                ("Nhóm đối tượng", 44), ("Chương trình đã hoàn thành", 18))
PRIVACY_NOTE = ("Danh sách có thông tin cá nhân: chỉ dùng để quản lý bồi dưỡng và báo cáo chỉ tiêu Đề án 6; "
                "không chia sẻ ngoài mục đích này.")


def table_columns(doc: ReportDocument) -> list[tuple[str, str, str]]:
    """(key, header, group header) of every figure column, after STT and Đơn vị."""
    columns = [(key, label, "") for key, label in MAIN_COLUMNS]
    columns += [(f"curriculum:{code}", code, "Số người được bồi dưỡng theo chương trình") for code in doc.curricula]
    columns += [(f"group:{group}", label, "Số người được bồi dưỡng theo nhóm đối tượng")
                for group, label in TARGET_GROUP_SHORT.items()]
    return columns


def column_value(figures: dict[str, Any], key: str) -> int | float | None:
    """The value of a table column for one row's figures."""
    if key.startswith("curriculum:"):
        return figures["by_curriculum"].get(key.split(":", 1)[1], 0)
    if key.startswith("group:"):
        return figures["by_target_group"].get(key.split(":", 1)[1], 0)
    return figure(figures, key)


def _put(sheet: Worksheet, row: int, column: int, value: Any, *, bold: bool = False, italic: bool = False,
         size: int = 12, underline: bool = False, align: Alignment | None = None, border: bool = False) -> None:
    """Write one cell; text is a text cell (a name typed as "=..." is never a formula) without the control
    characters an .xlsx cannot hold (core.xlsx)."""
    cell = put(sheet, row, column, value)
    cell.font = Font(name=FONT, bold=bold, italic=italic, size=size, underline="single" if underline else None)
    if align is not None:
        cell.alignment = align
    if border:
        cell.border = BORDER


def _merged(sheet: Worksheet, row: int, first: int, last: int, value: Any, **style: Any) -> None:
    """Write `value` across columns first..last of `row` (centred unless told otherwise)."""
    style.setdefault("align", CENTER)
    _put(sheet, row, first, value, **style)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _heading(sheet: Worksheet, doc: ReportDocument, width: int) -> None:
    """Agency block (left), national title block (right), number and place-and-date, title and summary."""
    left_end, right_start = 4, max(6, width - 8)
    lh = doc.letterhead
    _merged(sheet, 1, 1, left_end, text(lh.parent_agency).upper())
    _merged(sheet, 2, 1, left_end, text(lh.agency).upper(), bold=True, underline=True)
    _merged(sheet, 4, 1, left_end, doc.number, size=13)
    _merged(sheet, 1, right_start, width, NATIONAL_TITLE, bold=True)
    _merged(sheet, 2, right_start, width, NATIONAL_MOTTO, bold=True, size=13, underline=True)
    _merged(sheet, 4, right_start, width, text(doc.place_date), italic=True, size=13)
    _merged(sheet, 6, 1, width, "BÁO CÁO", bold=True, size=14)
    _merged(sheet, 7, 1, width, text(doc.summary), bold=True, size=13)
    _merged(sheet, 8, 1, width, text(doc.area), italic=True)


def _table(sheet: Worksheet, doc: ReportDocument, columns: list[tuple[str, str, str]]) -> int:
    """The two header rows, one numbered row per unit and the totals row; returns the totals row's number."""
    top, sub = HEADER_ROW, HEADER_ROW + 1
    for column, label in ((1, "STT"), (2, "Đơn vị")):
        _put(sheet, top, column, label, bold=True, align=CENTER, border=True)
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    groups: dict[str, list[int]] = {}
    for offset, (_, label, group) in enumerate(columns):
        column = 3 + offset
        if group:
            groups.setdefault(group, []).append(column)
            _put(sheet, sub, column, label, bold=True, align=CENTER, border=True)
        else:
            _put(sheet, top, column, label, bold=True, align=CENTER, border=True)
            sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    for group, spanned in groups.items():
        _put(sheet, top, spanned[0], group, bold=True, align=CENTER, border=True)
        sheet.merge_cells(start_row=top, start_column=spanned[0], end_row=top, end_column=spanned[-1])
    for row in range(top, sub + 1):  # merged cells keep the border of every cell they cover
        for column in range(1, 3 + len(columns)):
            sheet.cell(row=row, column=column).border = BORDER
    row = sub
    for index, item in enumerate(doc.rows, start=1):
        row += 1
        _data_row(sheet, row, index, item, columns)
    row += 1
    _data_row(sheet, row, None, doc.total, columns, bold=True)
    return row


def _data_row(sheet: Worksheet, row: int, index: int | None, item: TableRow, columns: list[tuple[str, str, str]],
              *, bold: bool = False) -> None:
    """One row of the table: number, label and the figures."""
    _put(sheet, row, 1, index, align=CENTER, border=True, bold=bold)
    _put(sheet, row, 2, text(item.label), border=True, bold=bold, align=Alignment(vertical="center", wrap_text=True))
    for offset, (key, _, _) in enumerate(columns):
        _put(sheet, row, 3 + offset, column_value(item.figures, key), border=True, bold=bold,
             align=Alignment(horizontal="right", vertical="center"))


def _closing(sheet: Worksheet, doc: ReportDocument, start: int, width: int) -> None:
    """"Nơi nhận:" and the recipients (left), the signer's authority, title and name (right)."""
    lh = doc.letterhead
    _put(sheet, start, 1, "Nơi nhận:", bold=True, italic=True)
    for offset, recipient in enumerate(lh.recipients, start=1):
        _put(sheet, start + offset, 1, text(recipient), size=11)
    right_start = max(6, width - 8)
    lines = [value for value in (text(lh.signer_prefix).upper(), text(lh.signer_title).upper()) if value]
    for offset, value in enumerate(lines):
        _merged(sheet, start + offset, right_start, width, value, bold=True, size=13)
    if text(lh.signer_name):  # room for the signature and the seal above the name
        _merged(sheet, start + len(lines) + 4, right_start, width, text(lh.signer_name), bold=True, size=13)


def _report_sheet(sheet: Worksheet, doc: ReportDocument) -> None:
    """The first sheet: the report itself."""
    sheet.title = "Báo cáo"
    columns = table_columns(doc)
    width = 2 + len(columns)
    _heading(sheet, doc, width)
    total_row = _table(sheet, doc, columns)
    _merged(sheet, total_row + 2, 1, width, NOTES, italic=True, size=11,
            align=Alignment(horizontal="left", vertical="top", wrap_text=True))
    sheet.row_dimensions[total_row + 2].height = 64
    _closing(sheet, doc, total_row + 4, width)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 32
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.row_dimensions[HEADER_ROW + 1].height = 48
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 2, column=3)
    decree30_page(sheet, title_rows=f"{HEADER_ROW}:{HEADER_ROW + 1}")


def _list_sheet(sheet: Worksheet, doc: ReportDocument) -> None:
    """The second sheet: the trained officers, one per row."""
    last = len(LIST_COLUMNS)
    _merged(sheet, 1, 1, last, text(doc.list_title).upper(), bold=True, size=14)
    _merged(sheet, 2, 1, last, text(doc.area), italic=True)
    header = 4
    for column, (label, width) in enumerate(LIST_COLUMNS, start=1):
        _put(sheet, header, column, label, bold=True, align=CENTER, border=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for index, officer in enumerate(doc.officers, start=1):
        values = [index, text(officer.full_name), GENDER_LABELS.get(officer.gender, ""), officer.birth_year,
                  text(officer.commune), TARGET_GROUP_LABELS.get(officer.target_group, officer.target_group),
                  ", ".join(officer.curricula)]
        for column, value in enumerate(values, start=1):
            _put(sheet, header + index, column, value, border=True)
    note_row = header + len(doc.officers) + 2
    _put(sheet, note_row, 1, f"Tổng số: {len(doc.officers)} người", italic=True)
    _put(sheet, note_row + 1, 1, PRIVACY_NOTE, italic=True, size=10)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    if doc.officers:
        sheet.auto_filter.ref = f"A{header}:{get_column_letter(last)}{header + len(doc.officers)}"
    decree30_page(sheet, title_rows=f"{header}:{header}")


def render_report_xlsx(doc: ReportDocument) -> bytes:
    """The workbook: sheet "Báo cáo" and sheet "Danh sách". Does no database access."""
    workbook = Workbook()
    _report_sheet(workbook.active, doc)
    _list_sheet(workbook.create_sheet("Danh sách"), doc)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
