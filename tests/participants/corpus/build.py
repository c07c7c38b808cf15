"""The import corpus: the files people (and attackers) upload, built by code rather than committed.

Small files are built in memory with openpyxl, as Excel users make them; hostile ones are an
ordinary workbook with one part replaced by a generated stream (`replace_parts`). The large ones
(a zip bomb, a million blank rows, 10,000 people) are written to a test's tmp_path.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.participants.helpers import HEADERS, row

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MB = 1024 * 1024
Part = bytes | Callable[[], Iterable[bytes]]


def saved(workbook: Workbook) -> bytes:
    """A workbook's .xlsx bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def listing(rows: list[list[Any]], *, title: str = "Danh sách") -> Workbook:
    """A workbook whose one sheet holds the template header and `rows`."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    return workbook


def replace_parts(base: bytes, target: Path | io.BytesIO, parts: dict[str, Part], *,
                  content_types: dict[str, str] | None = None, level: int = 6) -> None:
    """Copy the zip `base` to `target`, with `parts` replaced or added (bytes, or a generator of chunks
    streamed into the zip) and `content_types` overrides (part name → type) added to [Content_Types].xml."""
    with zipfile.ZipFile(io.BytesIO(base)) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as out:
        names = [i.filename for i in source.infolist()]
        for name in names + [n for n in parts if n not in names]:
            data: Part = parts[name] if name in parts else source.read(name)
            if name == "[Content_Types].xml" and content_types:
                overrides = "".join(f'<Override PartName="/{p}" ContentType="{t}"/>' for p, t in content_types.items())
                data = bytes(data).replace(b"</Types>", overrides.encode() + b"</Types>")  # type: ignore[arg-type]
            if isinstance(data, bytes):
                out.writestr(name, data)
            else:
                with out.open(name, "w") as stream:
                    for chunk in data():
                        stream.write(chunk)


def sheet_xml(rows: Callable[[], Iterator[bytes]], *, dimension: str | None = None,
              after: bytes = b"") -> Callable[[], Iterator[bytes]]:
    """A worksheet part streaming the `<row>` elements of `rows`."""
    def chunks() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'.encode()
        if dimension:
            yield f'<dimension ref="{dimension}"/>'.encode()
        yield b"<sheetData>"
        batch: list[bytes] = []
        for element in rows():
            batch.append(element)
            if len(batch) >= 10_000:
                yield b"".join(batch)
                batch.clear()
        yield b"".join(batch) + b"</sheetData>" + after + b"</worksheet>"
    return chunks


def inline_row(number: int, values: list[str]) -> bytes:
    """A `<row>` of inline strings."""
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'.encode()


def header_and_person() -> Iterator[bytes]:
    """The template's header row and one valid person, as rows 1 and 2."""
    yield inline_row(1, HEADERS)
    yield inline_row(2, [str(v or "") for v in row(phone="0912000501")])


# --- hostile files --------------------------------------------------------------------------------


def zip_bomb(target: Path, *, size: int = 1024 * MB) -> None:
    """A workbook whose one shared string (the first cell of a row) unpacks to `size` bytes: about 4.5 MB on disk."""
    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>'.encode()
        chunk = b"A" * MB
        for _ in range(size // MB):
            yield chunk
        yield b"</t></si></sst>"

    def rows() -> Iterator[bytes]:
        yield from header_and_person()
        yield b'<row r="3"><c r="A3" t="s"><v>0</v></c></row>'

    replace_parts(saved(listing([])), target, {"xl/worksheets/sheet1.xml": sheet_xml(rows),
                                               "xl/sharedStrings.xml": strings},
                  content_types={"xl/sharedStrings.xml": STRINGS_TYPE}, level=1)


def lying_zip_bomb(target: Path, *, size: int = 256 * MB) -> None:
    """A zip bomb whose directory says its sheet holds 4 KB: zipfile must stop there, not unpack 256 MB."""
    buffer = io.BytesIO()

    def rows() -> Iterator[bytes]:
        yield from header_and_person()
        yield b'<row r="3"><c r="A3" t="inlineStr"><is><t>'
        for _ in range(size // MB):
            yield b"A" * MB
        yield b"</t></is></c></row>"

    replace_parts(saved(listing([])), buffer, {"xl/worksheets/sheet1.xml": sheet_xml(rows)}, level=1)
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at:at + name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (4096).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    target.write_bytes(bytes(data))


def blank_row_bomb(target: Path, *, rows: int = 1_000_000, styled_cells: bool = False) -> None:
    """A header, one person, then `rows` declared blank rows (or blank cells with a style, as Excel keeps them)."""
    def elements() -> Iterator[bytes]:
        yield from header_and_person()
        for number in range(3, rows + 3):
            yield f'<row r="{number}"><c r="A{number}" s="0"/></row>'.encode() if styled_cells else \
                f'<row r="{number}"/>'.encode()

    replace_parts(saved(listing([])), target, {"xl/worksheets/sheet1.xml": sheet_xml(elements)})


def far_row(target: Path | io.BytesIO, *, number: int = 1_048_576) -> None:
    """A header and a person, then one blank row at the very bottom of the sheet."""
    def elements() -> Iterator[bytes]:
        yield from header_and_person()
        yield f'<row r="{number}"/>'.encode()

    replace_parts(saved(listing([])), target, {"xl/worksheets/sheet1.xml": sheet_xml(elements,
                                                                                     dimension=f"A1:XFD{number}")})


def hidden_sheet_without_dimension(target: Path, *, rows: int = 1_000_000) -> None:
    """The list on a visible sheet, and a hidden sheet of a million rows that declares no dimension
    (openpyxl reads such a sheet whole when it opens the workbook)."""
    workbook = listing([row(phone="0912000502")])
    workbook.create_sheet("An").sheet_state = "hidden"

    def elements() -> Iterator[bytes]:
        for number in range(1, rows + 1):
            yield f'<row r="{number}"><c r="A{number}"><v>{number}</v></c></row>'.encode()

    replace_parts(saved(workbook), target, {"xl/worksheets/sheet2.xml": sheet_xml(elements)})


def with_doctype(base: bytes) -> bytes:
    """A workbook whose sheet declares an entity expanding a thousandfold (a "billion laughs")."""
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    entities = '<!DOCTYPE worksheet [<!ENTITY a "' + "A" * 1000 + '"><!ENTITY b "' + "&a;" * 1000 + '">]>'
    sheet = sheet.replace(b"<worksheet", entities.encode() + b"<worksheet", 1)
    buffer = io.BytesIO()
    replace_parts(base, buffer, {"xl/worksheets/sheet1.xml": sheet})
    return buffer.getvalue()


def macro_workbook(base: bytes) -> bytes:
    """The same workbook saved as .xlsm: a VBA project and the macro-enabled workbook type."""
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        types = source.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    buffer = io.BytesIO()
    replace_parts(base, buffer, {"[Content_Types].xml": types,
                                 "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)})
    return buffer.getvalue()


def heaviest_accepted(target: Path, *, rows: int = 9_600, columns: int = 15, strings: int = 99_000,
                      styles: int = 24_000) -> None:
    """A file just inside every limit at once: 15 columns of inline text in 9,600 rows, 99,000 shared
    strings and a style sheet of 24,000 formats (the cost of reading any accepted upload is at most this)."""
    base = saved(listing([]))
    with zipfile.ZipFile(io.BytesIO(base)) as source:
        style_sheet = source.read("xl/styles.xml").decode()
    formats = "".join(f'<xf numFmtId="{i % 50}" fontId="0" fillId="0" borderId="0" applyNumberFormat="1" xfId="0"/>'
                      for i in range(styles))
    style_sheet = re.sub(r'<cellXfs count="\d+">.*?</cellXfs>', f'<cellXfs count="{styles}">{formats}</cellXfs>',
                         style_sheet, flags=re.S)

    def elements() -> Iterator[bytes]:
        yield inline_row(1, HEADERS + [f"Ghi chú {i}" for i in range(columns - len(HEADERS))])
        for n in range(2, rows + 2):
            values = [str(v or "") for v in row(full_name=f"Người Thứ {n}", phone=f"0356{n:06d}")]
            yield inline_row(n, values + [f"ghi chú {n}-{i}" for i in range(columns - len(values))])

    def shared() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'.encode()
        for i in range(0, strings, 1000):
            yield "".join(f"<si><t>chuỗi {j}</t></si>" for j in range(i, min(i + 1000, strings))).encode()
        yield b"</sst>"

    replace_parts(base, target, {"xl/worksheets/sheet1.xml": sheet_xml(elements), "xl/styles.xml": style_sheet.encode(),
                                 "xl/sharedStrings.xml": shared}, content_types={"xl/sharedStrings.xml": STRINGS_TYPE})


# --- files real people make -----------------------------------------------------------------------


def ten_thousand(target: Path, *, count: int = 10_000) -> None:
    """`count` valid people (write-only mode, as fast as openpyxl writes)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(HEADERS)
    for i in range(count):
        sheet.append(row(full_name=f"Người Thứ {i}", phone=f"0356{i:06d}", ethnicity="Tày" if i % 2 else "Kinh"))
    workbook.save(target)


def emails_linked(target: Path, *, count: int = 7_000) -> None:
    """`count` people whose e-mail cells Excel turned into links: the sheet's relationships exceed 1 MB."""
    workbook = listing([])
    sheet = workbook.active
    for i in range(count):
        sheet.append(row(full_name=f"Người Thứ {i}", phone=f"0357{i:06d}", email=f"nguoi{i}@example.vn"))
        sheet.cell(row=i + 2, column=6).hyperlink = f"mailto:nguoi{i}@example.vn"
    workbook.save(target)


def birth_dates(*values: Any) -> bytes:
    """One person per birth-date cell value (a serial number, a text, a date)."""
    workbook = listing([row(birth_date=value, phone=f"0912{600 + i:06d}") for i, value in enumerate(values)])
    for cell in workbook.active["C"][1:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "dd/mm/yyyy"
    return saved(workbook)
