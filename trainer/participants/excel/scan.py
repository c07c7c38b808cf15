"""Streaming checks of the XML parts openpyxl is about to parse.

expat reads a part in 64 KB chunks and counts what openpyxl would build from it (rows, cells,
elements, the length of each text), stopping at the first limit: a sheet declaring a million blank
rows is refused after its 10,100th row, at once and with memory bounded by the chunk. Rows
count as the file declares them (an empty `<row r="500000"/>` is row 500,000), so blank rows cannot
slip past the row limit. One `Budget` per upload is shared by every scan of it: openpyxl's cost is
about proportional to the elements it parses, so the budget bounds the time of any accepted file.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.parsers import expat

from openpyxl.utils.cell import range_boundaries

from trainer.core.errors import N_, DomainError
from trainer.participants.excel.package import bad_file, refuse_dtd, thousands

CHUNK = 64 * 1024
MAX_ROW_CELLS = 1_000  # stored cells in one row (Excel allows 16,384 columns; a list of people uses a few dozen)
MAX_TEXT = 32_767  # Excel's own limit on the text of one cell
MAX_MERGES = 20_000
MAX_STRINGS = 100_000  # shared strings: one per distinct text of the workbook (a list of 10,000: about 50,000)
# Each message ends with its advice ("Hãy chép danh sách (chỉ các cột cần thiết) sang tệp mẫu mới rồi tải lên
# lại."), written out so that it is one msgid.


@dataclass
class Budget:
    """What parsing one upload may cost in all; every scan of its sheets draws on it.

    A list of 10,000 people in the template's 9 columns has 90,000 cells and 190,000-280,000 elements;
    at these limits (with the shared strings and style sheet at theirs) openpyxl reads a file in about
    two and a half times the time of such a list.
    """

    cells: int = 150_000  # 10,000 people in 15 columns
    elements: int = 450_000  # rows, cells and what is inside cells
    others: int = 40_000  # everything outside rows: columns, merged ranges, links, validations, formats


@dataclass
class SheetScan:
    """What a sheet's XML declares: its last row, how many rows, and the merged ranges (1-based, inclusive)."""

    last_row: int = 0
    rows: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (min_col, min_row, max_col, max_row)


class _Stop(Exception):
    """The scan has seen what it needed."""


def _corrupt(title: str) -> DomainError:
    """The part's XML is malformed, or its zip data damaged."""
    return bad_file("corrupt_file", N_("Trang “%(sheet)s” của tệp bị hỏng hoặc chưa được tải lên hết. Hãy mở tệp "
                                       "trong Excel để kiểm tra, lưu lại rồi tải lên lần nữa."), sheet=title)


def _run(archive: zipfile.ZipFile, name: str, title: str, handlers: dict[str, Any]) -> None:
    """Feed part `name` to an expat parser with `handlers` until the end or until a handler stops it."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    for attribute, handler in handlers.items():
        setattr(parser, attribute, handler)
    try:
        with archive.open(name) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop:
        return
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, KeyError):
        raise _corrupt(title) from None


def _local(name: str) -> str:
    """An element's name without its namespace prefix ("x:row" → "row")."""
    return name[name.find(":") + 1:]


class _SheetScanner:
    """expat handlers counting a worksheet's rows, cells and elements against the limits."""

    def __init__(self, title: str, budget: Budget, max_row: int | None, stop_after_row: int | None) -> None:
        self.title, self.budget, self.max_row, self.stop_after_row = title, budget, max_row, stop_after_row
        self.scan = SheetScan()
        self.depth_in_row = 0  # 0: outside rows
        self.in_cell = False
        self.row_cells = 0
        self.text = 0
        self.stopping = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        """Count an element, and check rows, cells and merged ranges as they open."""
        local = _local(name)
        if self.depth_in_row:
            self.depth_in_row += 1
            self.budget.elements -= 1
            if local == "c":
                self._cell()
            elif not self.in_cell:
                self.text = 0
        elif local == "row":
            self.depth_in_row = 1
            self.budget.elements -= 1
            self._row(attrs.get("r"))
        else:
            self.budget.others -= 1
            self.text = 0
            if local == "mergeCell":
                self._merge(attrs.get("ref", ""))
        if self.budget.elements < 0 or self.budget.others < 0:
            raise bad_file("too_complex", N_("Trang “%(sheet)s” có quá nhiều thành phần (ô, định dạng, liên kết, ô "
                                             "gộp…) để đọc an toàn. Hãy chép danh sách (chỉ các cột cần thiết) sang "
                                             "tệp mẫu mới rồi tải lên lại."), sheet=self.title)

    def _row(self, number: str | None) -> None:
        """A row opens: its number (declared, or the previous one plus one) must grow and stay under the limit."""
        try:
            row = int(float(number)) if number else self.scan.last_row + 1
        except ValueError:
            raise _corrupt(self.title) from None
        if row <= self.scan.last_row:
            raise bad_file("corrupt_file", N_("Các dòng của trang “%(sheet)s” không theo thứ tự (dòng %(row)s sau dòng "
                                              "%(previous)s); tệp bị hỏng hoặc không do Excel tạo ra. Hãy chép danh "
                                              "sách (chỉ các cột cần thiết) sang tệp mẫu mới rồi tải lên lại."),
                           sheet=self.title, row=row, previous=self.scan.last_row)
        if self.max_row is not None and row > self.max_row:
            raise bad_file("too_many_rows",
                           N_("Trang “%(sheet)s” dùng tới dòng %(row)s, vượt giới hạn %(max)s dòng (tính cả những dòng "
                              "trống đã được định dạng). Hãy xóa các dòng thừa ở cuối bảng (chọn các dòng đó, bấm "
                              "chuột phải, chọn Xóa) hoặc chia danh sách thành nhiều tệp."),
                           sheet=self.title, row=thousands(row), max=thousands(self.max_row))
        self.scan.last_row, self.scan.rows, self.row_cells, self.text = row, self.scan.rows + 1, 0, 0
        if self.stop_after_row is not None and row > self.stop_after_row:
            self.stopping = True  # openpyxl parses this whole row before it stops: so does the scan

    def _cell(self) -> None:
        """A cell opens: count it in its row and in the budget."""
        self.in_cell, self.text = True, 0
        self.row_cells += 1
        self.budget.cells -= 1
        if self.budget.cells < 0:
            raise bad_file("too_many_cells",
                           N_("Tệp có quá nhiều ô dữ liệu (hơn %(max)s ô). Danh sách %(people)s người với các cột của "
                              "tệp mẫu chỉ cần khoảng %(needed)s ô: hãy xóa các cột không cần thiết hoặc chia danh "
                              "sách thành nhiều tệp."),
                           max=thousands(Budget.cells), people=thousands(10_000), needed=thousands(90_000))
        if self.row_cells > MAX_ROW_CELLS:
            raise bad_file("too_many_cells", N_("Dòng %(row)s của trang “%(sheet)s” có hơn %(max)s ô. Hãy chép danh "
                                                "sách (chỉ các cột cần thiết) sang tệp mẫu mới rồi tải lên lại."),
                           row=thousands(self.scan.last_row), sheet=self.title, max=thousands(MAX_ROW_CELLS))

    def _merge(self, ref: str) -> None:
        """A merged range, kept to read headers written over several cells and to fill merged data cells."""
        if len(self.scan.merges) >= MAX_MERGES:
            raise bad_file("too_complex", N_("Trang “%(sheet)s” có hơn %(max)s vùng ô gộp. Hãy chép danh sách (chỉ "
                                             "các cột cần thiết) sang tệp mẫu mới rồi tải lên lại."),
                           sheet=self.title, max=thousands(MAX_MERGES))
        try:
            bounds = range_boundaries(ref)
        except (ValueError, TypeError):
            raise _corrupt(self.title) from None
        if None not in bounds:
            self.scan.merges.append(bounds)  # type: ignore[arg-type]

    def end(self, name: str) -> None:
        """Close cells and rows; stop after the row past `stop_after_row`."""
        if self.depth_in_row:
            self.depth_in_row -= 1
            if self.depth_in_row == 0:
                self.in_cell = False
                if self.stopping:
                    raise _Stop
            elif _local(name) == "c":
                self.in_cell = False

    def chars(self, data: str) -> None:
        """Text of an element (of a whole cell, inside one): at most Excel's 32,767 characters."""
        self.text += len(data)
        if self.text > MAX_TEXT:
            if self.depth_in_row:
                raise bad_file("cell_too_long", N_("Trang “%(sheet)s”, dòng %(row)s: một ô có hơn %(max)s ký tự, nhiều "
                                                   "hơn Excel cho phép. Hãy chép danh sách (chỉ các cột cần thiết) "
                                                   "sang tệp mẫu mới rồi tải lên lại."),
                               sheet=self.title, row=thousands(self.scan.last_row), max=thousands(MAX_TEXT))
            raise bad_file("cell_too_long", N_("Trang “%(sheet)s”, phần đầu: một ô có hơn %(max)s ký tự, nhiều hơn "
                                               "Excel cho phép. Hãy chép danh sách (chỉ các cột cần thiết) sang tệp "
                                               "mẫu mới rồi tải lên lại."), sheet=self.title, max=thousands(MAX_TEXT))


def scan_sheet(archive: zipfile.ZipFile, name: str, *, title: str, budget: Budget, max_row: int | None = None,
               stop_after_row: int | None = None) -> SheetScan:
    """Check worksheet part `name` before openpyxl parses it; return what it declares.

    With `stop_after_row`, stop after the first row past it (openpyxl reads a header region so);
    with `max_row`, refuse a row numbered above it. Raises DomainError('too_many_rows' |
    'too_many_cells' | 'too_complex' | 'cell_too_long' | 'corrupt_file' | 'unsafe_file').
    """
    scanner = _SheetScanner(title, budget, max_row, stop_after_row)
    _run(archive, name, title, {"StartElementHandler": scanner.start, "EndElementHandler": scanner.end,
                                "CharacterDataHandler": scanner.chars})
    return scanner.scan


def scan_shared_strings(archive: zipfile.ZipFile, name: str) -> int:
    """Check the shared strings part before openpyxl loads it whole; return how many strings it holds.

    Raises DomainError('too_complex' | 'cell_too_long' | 'corrupt_file' | 'unsafe_file').
    """
    state = {"strings": 0, "elements": 0, "text": 0, "in_string": False}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        state["elements"] += 1
        if _local(tag) == "si":
            state["strings"] += 1
            state["in_string"], state["text"] = True, 0
        elif not state["in_string"]:
            state["text"] = 0
        if state["strings"] > MAX_STRINGS or state["elements"] > 5 * MAX_STRINGS:
            raise bad_file("too_complex", N_("Tệp có quá nhiều chuỗi văn bản khác nhau (giới hạn %(max)s). Hãy chép "
                                             "danh sách (chỉ các cột cần thiết) sang tệp mẫu mới rồi tải lên lại."),
                           max=thousands(MAX_STRINGS))

    def end(tag: str) -> None:
        if _local(tag) == "si":
            state["in_string"] = False

    def chars(data: str) -> None:
        state["text"] += len(data)
        if state["text"] > MAX_TEXT:
            raise bad_file("cell_too_long", N_("Tệp có một ô hơn %(max)s ký tự, nhiều hơn Excel cho phép. Hãy chép "
                                               "danh sách (chỉ các cột cần thiết) sang tệp mẫu mới rồi tải lên lại."),
                           max=thousands(MAX_TEXT))

    _run(archive, name, "chuỗi văn bản dùng chung", {"StartElementHandler": start, "EndElementHandler": end,
                                                     "CharacterDataHandler": chars})
    return int(state["strings"])
