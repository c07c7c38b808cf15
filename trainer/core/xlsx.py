"""Text-only cells for every .xlsx trainer writes.

openpyxl turns a string that starts with "=" into a formula and "#N/A" into an error cell, and refuses
(IllegalCharacterError, hence a 500) a string holding a control character. People's names, positions and
titles must come back exactly as typed and never run: every string goes into a cell typed as text, with
Excel's quote prefix when it starts like a formula (= + - @, tab, carriage return) so that editing the cell
keeps it text too. Control characters that XML cannot hold (stored before `core.text.clean_text` refused
them) are dropped rather than failing the whole export.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def xlsx_safe(value: Any) -> Any:
    """`value` with the characters an .xlsx cannot hold removed when it is a string; else unchanged."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def as_text(cell: Cell) -> Cell:
    """Make a string cell plain text: never a formula nor an error value."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write `value` at (row, column) of a normal worksheet, strings as text; returns the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = xlsx_safe(value)
    return as_text(cell)


def text_cell(sheet: Any, value: Any) -> Cell:
    """A cell for a write-only worksheet's `append`, strings as text."""
    return as_text(WriteOnlyCell(sheet, value=xlsx_safe(value)))


def text_row(sheet: Any, values: list[Any]) -> list[Any]:
    """A row for a write-only worksheet's `append`: each plain value made a text-safe cell."""
    return [as_text(v) if isinstance(v, Cell) else text_cell(sheet, v) for v in values]


def append_text(sheet: Worksheet, values: list[Any]) -> None:
    """`sheet.append(values)` on a normal worksheet, strings as text."""
    sheet.append([xlsx_safe(v) for v in values])
    for cell in sheet[sheet.max_row]:
        as_text(cell)


def text_only(workbook: Workbook) -> Workbook:
    """Make every string cell of a normal workbook text (a last pass before saving)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
    return workbook


MM = 1 / 25.4  # openpyxl's margins are in inches


def decree30_page(sheet: Worksheet, *, title_rows: str | None = None, landscape: bool = True,
                  fit_width: bool = True) -> None:
    """Print setup of an administrative document (Decree 30/2020/NĐ-CP, Annex I): A4, margins top and bottom
    20 mm, left 30 mm, right 15 mm, page numbers in Arabic centred in the top margin from page 2 on, the table's
    header rows (`title_rows`, e.g. "10:11") repeated on every page, the width fitted to one page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_margins.top = sheet.page_margins.bottom = 20 * MM
    sheet.page_margins.left, sheet.page_margins.right = 30 * MM, 15 * MM
    sheet.page_margins.header, sheet.page_margins.footer = 8 * MM, 8 * MM
    sheet.HeaderFooter.differentFirst = True  # page 1 carries no number
    sheet.oddHeader.center.text = "&P"
    sheet.oddHeader.center.font = "Times New Roman,Regular"
    sheet.oddHeader.center.size = 13
    if title_rows:
        sheet.print_title_rows = title_rows
    if fit_width:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True


DOCUMENT_FONT = "Times New Roman"
THIN_BORDER = Border(left=Side(style="thin"), right=Side(style="thin"), top=Side(style="thin"),
                     bottom=Side(style="thin"))


def titled_table(sheet: Worksheet, titles: list[str], columns: list[tuple[str, float]]) -> int:
    """A document's table head: the title lines centred across the table's width (the first in 14 pt, the
    first two bold), a blank line, then the header row (bold, centred, bordered) giving each column its width.
    Returns the header row's number."""
    last = get_column_letter(len(columns))
    for row, value in enumerate(titles, start=1):
        cell = put(sheet, row, 1, value)
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell.font = Font(name=DOCUMENT_FONT, bold=row < 3, size=14 if row == 1 else 12)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    header_row = len(titles) + 2
    for column, (label, width) in enumerate(columns, start=1):
        cell = put(sheet, header_row, column, label)
        cell.font = Font(name=DOCUMENT_FONT, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = THIN_BORDER
        sheet.column_dimensions[get_column_letter(column)].width = width
    return header_row
