"""Official headcounts in Excel: a workbook listing a unit and its children to fill in, and the import of
such a list (or any sheet with a unit-code column and a headcount column) for one year.

The upload goes through the participants' checked reader (zip and part sizes, streamed XML scan); every row
is checked before anything is saved, and a bad row is reported with its row number.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Font

from trainer.core.errors import N_, DomainError, Num, said
from trainer.core.xlsx import put
from trainer.participants.excel.package import bad_file
from trainer.participants.excel.reader import cell_text, checked_workbook, scanned_rows
from trainer.reports.headcounts import HeadcountLine, check_officers

MAX_ROWS = 2_000  # a province's communes, with room
HEADER_ROWS = 10
CODE_HEADERS = ("ma don vi", "ma dv", "ma")
COUNT_HEADERS = ("so can bo can boi duong", "so can bo", "so luong", "officers in post")


def _folded(value: Any) -> str:
    text = unicodedata.normalize("NFD", cell_text(value)).replace("đ", "d").replace("Đ", "D")
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).lower().split())


@dataclass
class RowProblem:
    row: int
    message: str


@dataclass
class HeadcountImport:
    """What an uploaded list would set: unit id → headcount (None: clear), and the rows refused."""

    values: dict[int, int | None] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)


def template_workbook(lines: list[HeadcountLine], year: int) -> bytes:
    """The unit and its children, their codes and names, and what was entered for `year`, to fill in."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số cán bộ cần bồi dưỡng"
    put(sheet, 1, 1, f"SỐ CÁN BỘ THÔNG TIN VÀ TRUYỀN THÔNG CƠ SỞ CẦN BỒI DƯỠNG NĂM {year}").font = Font(bold=True)
    for column, label in enumerate(("Mã đơn vị", "Tên đơn vị", "Số cán bộ cần bồi dưỡng"), start=1):
        put(sheet, 3, column, label).font = Font(bold=True)
    for row, line in enumerate(lines, start=4):
        put(sheet, row, 1, line.unit.code)
        put(sheet, row, 2, line.unit.name)
        if line.officers_in_post is not None:
            sheet.cell(row=row, column=3, value=line.officers_in_post)
    for letter, width in (("A", 12), ("B", 36), ("C", 26)):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(rows: list[tuple[int, list[Any]]]) -> tuple[int, int, int] | None:
    """(header row, code column, count column) of the first row naming both."""
    for number, values in rows[:HEADER_ROWS]:
        folded = [_folded(v) for v in values]
        code = next((i for i, text in enumerate(folded) if text in CODE_HEADERS), None)
        count = next((i for i, text in enumerate(folded) if text in COUNT_HEADERS), None)
        if code is not None and count is not None:
            return number, code, count
    return None


def _code_key(value: Any) -> str:
    """A unit code as typed: "07306", or 7306 when Excel took it for a number (leading zeros lost)."""
    text = cell_text(value).strip()
    return str(int(text)) if text.isdigit() else text


def read_headcounts(fileobj: IO[bytes], lines: list[HeadcountLine]) -> HeadcountImport:
    """The headcounts a workbook gives for the units of `lines` (the page's unit and its children).

    Raises DomainError for a file that cannot be read at all (see reader.checked_workbook) or has no list."""
    units = {_code_key(line.unit.code): line.unit for line in lines}
    result = HeadcountImport()
    with checked_workbook(fileobj) as workbook:
        sheets = [ws for ws in workbook.worksheets if ws.sheet_state == "visible"] or list(workbook.worksheets)
        for ws in sheets:
            rows = scanned_rows(workbook, ws, max_row=MAX_ROWS + HEADER_ROWS, max_col=10)
            found = _header(rows)
            if found is not None:
                break
        else:
            raise bad_file("missing_headers", N_("Không thấy dòng tiêu đề có cột “Mã đơn vị” và cột “Số cán bộ cần "
                                                 "bồi dưỡng”. Hãy dùng tệp mẫu."))
    header_row, code_col, count_col = found
    if rows and rows[-1][0] >= MAX_ROWS + HEADER_ROWS and any(v is not None for v in rows[-1][1]):
        raise bad_file("too_many_rows", N_("Tệp có quá %(max)s dòng; mỗi tệp là danh sách của một đơn vị và các đơn "
                                           "vị trực thuộc."), max=Num(MAX_ROWS))
    seen: dict[int, int] = {}
    for number, values in rows[header_row:]:
        code = values[code_col] if code_col < len(values) else None
        count = values[count_col] if count_col < len(values) else None
        if code is None and count is None:
            continue
        unit = units.get(_code_key(code))
        if unit is None:
            result.problems.append(RowProblem(number, said(N_("Mã đơn vị “%(code)s” không thuộc danh sách của trang "
                                                              "này."), {"code": cell_text(code)})))
            continue
        if unit.id in seen:
            result.problems.append(RowProblem(number, said(N_("Đơn vị %(code)s đã có ở dòng %(row)s."),
                                                           {"code": unit.code, "row": seen[unit.id]})))
            continue
        seen[unit.id] = number
        try:
            typed = count if isinstance(count, int) and not isinstance(count, bool) else cell_text(count)
            if isinstance(count, float) and count.is_integer():
                typed = int(count)
            result.values[unit.id] = check_officers(typed)
        except DomainError as exc:
            result.problems.append(RowProblem(number, exc.said()))
    if not result.values and not result.problems:
        raise bad_file("empty_file", N_("Tệp không có dòng số liệu nào dưới dòng tiêu đề."))
    return result


