"""The participants template: Vietnamese headers, the data-protection notice and dropdown lists.

The lists live on a hidden sheet and the dropdowns refer to its ranges: a province's communes run
into the thousands, far past what an inline list (255 characters) can hold, and target-group
labels contain commas.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from trainer.core.xlsx import put
from trainer.curricula.models import TARGET_GROUP_LABELS
from trainer.participants.ethnicity import ETHNIC_GROUPS
from trainer.participants.excel.columns import COLUMNS
from trainer.participants.fields import GENDER_LABELS
from trainer.participants.services import PrivacyNotice

LISTS_SHEET = "DanhMuc"
DATA_ROWS = 5000  # rows that get the dropdowns and text formats
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def unit_label(code: str, name: str) -> str:
    """How a unit is written in the template and read back: "07306 - Thị trấn Nhã Nam"."""
    return f"{code} - {name}"


def _lists_sheet(workbook: Workbook, units: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Write the hidden lists; return the range formula of each list by column key."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    lists = {
        "gender": [GENDER_LABELS[g] for g in GENDER_LABELS],
        "ethnicity": list(ETHNIC_GROUPS),
        "target_group": [str(label) for label in TARGET_GROUP_LABELS.values()],
        "unit": [unit_label(code, name) for code, name in units],
    }
    titles = {"gender": "Giới tính", "ethnicity": "Dân tộc", "target_group": "Nhóm đối tượng", "unit": "Đơn vị"}
    ranges = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=titles[key]).font = _BOLD
        for row, value in enumerate(values, start=2):
            put(sheet, row, index, value)  # names from the database: text cells (core.xlsx)
        ranges[key] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    sheet.sheet_state = "hidden"
    return ranges


def build_template(*, units: Sequence[tuple[str, str]], notice: PrivacyNotice, unit_scope: str) -> bytes:
    """The .xlsx template; `units` are the (code, name) pairs of the units the user may manage."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    last = get_column_letter(len(COLUMNS))
    lines = [("DANH SÁCH CÁN BỘ THAM GIA BỒI DƯỠNG (Dự án 6, Tiểu dự án Giảm nghèo về thông tin)", True),
             (f"{notice.title.upper()} (phiên bản {notice.version})", True),
             *((f"{heading}: {text}", False) for heading, text in notice.items),
             ("Hướng dẫn: cột có dấu (*) là bắt buộc; ngày sinh ghi dạng dd/mm/yyyy (ví dụ 15/03/1985); chọn Giới "
              "tính, Dân tộc, Đơn vị và Nhóm đối tượng từ danh sách. Nhập lại tệp đã nhập thì những người trùng số "
              f"điện thoại được cập nhật, không bị nhân đôi. Đơn vị: {unit_scope}.", False)]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=bold)
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet.row_dimensions[row].height = 15 if bold else 32
    header_row = len(lines) + 2
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.header)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in ("phone", "birth_date"):
            # Text, so 0912... keeps its 0 and 03/04/1985 is not turned into 4 March by a US-locale Excel.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    ranges = _lists_sheet(workbook, units)
    for index, column in enumerate(COLUMNS, start=1):
        if column.key not in ranges:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(type="list", formula1=ranges[column.key], allow_blank=True,
                                    showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                    error=f"Chọn {column.label.lower()} từ danh sách.")
        validation.add(f"{letter}{header_row + 1}:{letter}{header_row + DATA_ROWS}")
        sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
