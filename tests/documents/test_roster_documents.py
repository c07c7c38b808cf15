"""The roster: PDF (render_roster) and workbook (render_roster_xlsx), from plain data."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

from openpyxl import load_workbook

from tests.documents.helpers import COURSE, pdf_lines, row
from trainer.documents.roster import name_sort_key, ordered, render_roster, render_roster_xlsx

NAMES = ("Nguyễn Thị Hằng", "Đặng Văn Ước", "Trần Minh Anh", "Lê Văn Ánh")


def _people(count: int) -> list:
    """`count` rows, two women in three."""
    return [row(NAMES[i % len(NAMES)], code=f"P{i:07d}", gender="male" if i % 3 == 0 else "female")
            for i in range(count)]


def test_roster_prints_every_vietnamese_string_exactly(roster_of):
    data = roster_of([row("Nguyễn Thị Hằng", code="P1"),
                      row("Đặng Văn Ước", code="P2", gender="male", commune="Xã Cao Xá", birth_year=1979,
                          position="Cán bộ Đoàn Thanh niên", target_group="mass_org_staff")])
    lines = [line for page in pdf_lines(render_roster(data)) for line in page]
    for expected in ("ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", "PHÒNG VĂN HÓA VÀ THÔNG TIN",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "DANH SÁCH HỌC VIÊN",
                     "Lớp bồi dưỡng kỹ năng thông tin cơ sở năm 2024",
                     "Chương trình: Chương trình bồi dưỡng nghiệp vụ thông tin cơ sở (CT1)",
                     "Thời gian: từ ngày 01/10/2024 đến ngày 03/10/2024", "Địa điểm: Hội trường UBND huyện Tân Yên",
                     "STT", "Họ và tên", "Đơn vị (xã/phường)", "Chức vụ", "Nhóm đối tượng", "Ghi chú",
                     "Nguyễn Thị Hằng", "Nữ", "1985", "Thị trấn Nhã Nam", "Công chức văn hóa - xã hội",
                     "Công chức VH-XH xã", "Đặng Văn Ước", "Nam", "1979", "Xã Cao Xá", "Cán bộ Đoàn Thanh niên",
                     "Cán bộ MTTQ, đoàn thể", "Tổng số: 2 học viên, trong đó nữ: 1",
                     "Tân Yên, ngày 05 tháng 01 năm 2025", "TRƯỞNG PHÒNG"):
        assert expected in lines, expected


def test_roster_draws_nfd_input_as_nfc(roster_of):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    pdf = render_roster(roster_of([row(nfd, commune=unicodedata.normalize("NFD", "Thị trấn Nhã Nam"))]))
    text = "\n".join(line for page in pdf_lines(pdf) for line in page)
    assert "Nguyễn Thị Hằng" in text.splitlines() and "Thị trấn Nhã Nam" in text.splitlines()
    assert unicodedata.is_normalized("NFC", text)


def test_names_sort_by_given_name_then_full_name_without_accents():
    people = [row(name, code=f"P{i}") for i, name in enumerate(NAMES)]
    assert [r.full_name for r in ordered(tuple(people))] == ["Lê Văn Ánh", "Trần Minh Anh", "Nguyễn Thị Hằng",
                                                             "Đặng Văn Ước"]
    assert name_sort_key("Đặng Văn Ước")[:2] == ("uoc", "dang van uoc")


def test_roster_numbers_rows_in_name_order(roster_of):
    lines = pdf_lines(render_roster(roster_of([row(name, code=f"P{i}") for i, name in enumerate(NAMES)])))[0]
    positions = [lines.index(name) for name in ("Lê Văn Ánh", "Trần Minh Anh", "Nguyễn Thị Hằng", "Đặng Văn Ước")]
    assert positions == sorted(positions)
    assert lines[positions[0] - 1] == "1" and lines[positions[3] - 1] == "4"


def test_forty_participants_paginate_with_the_header_row_repeated(roster_of):
    pages = pdf_lines(render_roster(roster_of(_people(40))))
    assert len(pages) >= 2
    for number, lines in enumerate(pages, start=1):
        assert {"Họ và tên", "Đơn vị (xã/phường)", "Nhóm đối tượng"} <= set(lines)
        # Decree 30: page numbers centred at the top, from page 2 on.
        assert (lines[0] == str(number)) == (number > 1)
    everything = [line for lines in pages for line in lines]
    assert all(str(n) in everything for n in range(1, 41))
    assert "Tổng số: 40 học viên, trong đó nữ: 26" in pages[-1]
    assert "DANH SÁCH HỌC VIÊN" in pages[0] and "DANH SÁCH HỌC VIÊN" not in pages[1]


def test_roster_of_nobody_still_prints(roster_of):
    lines = pdf_lines(render_roster(roster_of([])))[0]
    assert "Tổng số: 0 học viên, trong đó nữ: 0" in lines


def test_roster_prints_markup_characters_literally(roster_of):
    course = replace(COURSE, title="Lớp A & B <chiều>")
    lines = pdf_lines(render_roster(roster_of([row(position="Trưởng ban <b>")], course=course)))[0]
    assert "Lớp A & B <chiều>" in lines and "Trưởng ban <b>" in lines


def test_roster_xlsx_has_title_bold_headers_frozen_panes_and_the_data(roster_of):
    data = roster_of([row("Đặng Văn Ước", code="P2", gender="male", phone="0987654321", email=""),
                      row("Nguyễn Thị Hằng", code="P1", birth_year=None)])
    sheet = load_workbook(io.BytesIO(render_roster_xlsx(data))).active
    assert sheet["A1"].value == "DANH SÁCH HỌC VIÊN"
    assert sheet["A2"].value == "Lớp bồi dưỡng kỹ năng thông tin cơ sở năm 2024"
    assert "Thời gian: từ ngày 01/10/2024 đến ngày 03/10/2024" in sheet["A3"].value
    header = [cell.value for cell in sheet[5]]
    assert header == ["STT", "Mã học viên", "Họ và tên", "Giới tính", "Năm sinh", "Đơn vị (xã/phường)", "Chức vụ",
                      "Nhóm đối tượng", "Điện thoại", "Email", "Ghi chú"]
    assert all(cell.font.bold for cell in sheet[5])
    assert sheet.freeze_panes == "A6"
    assert sheet.column_dimensions["C"].width >= 20
    assert [cell.value for cell in sheet[6]][:9] == [
        1, "P1", "Nguyễn Thị Hằng", "Nữ", None, "Thị trấn Nhã Nam", "Công chức văn hóa - xã hội",
        "Công chức văn hóa - xã hội cấp xã phụ trách đài truyền thanh", "0912345600"]
    assert [cell.value for cell in sheet[7]][:5] == [2, "P2", "Đặng Văn Ước", "Nam", 1985]
    assert sheet["I7"].value == "0987654321"  # text: the leading 0 stays
    assert sheet["A9"].value == "Tổng số: 2 học viên, trong đó nữ: 1"


def test_roster_xlsx_never_writes_a_formula(roster_of):
    data = roster_of([row('=HYPERLINK("http://evil.example","x")', position="=1+1")])
    sheet = load_workbook(io.BytesIO(render_roster_xlsx(data))).active
    assert sheet["C6"].value == '=HYPERLINK("http://evil.example","x")' and sheet["C6"].data_type == "s"
    assert sheet["G6"].data_type == "s"
