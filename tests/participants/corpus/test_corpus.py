"""The import corpus, file by file: a hostile or unusable file gets its Vietnamese message and nothing is
written; the files real people make (hidden sheets, merged headers, dates as serials or dd/mm/yy, NFD
names, 10,000 rows) import correctly."""

from __future__ import annotations

import io
import re
import time
import tracemalloc
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from sqlalchemy import func, select

from tests.participants.corpus import build
from tests.participants.helpers import HEADERS, row, workbook_bytes
from trainer.audit.models import AuditEntry
from trainer.core.errors import DomainError
from trainer.extensions import db
from trainer.participants.excel import reader
from trainer.participants.models import Participant
from trainer.participants.services import import_participants

NOW = datetime.fromisoformat("2025-06-01T09:00:00+07:00")
VIETNAMESE = re.compile("[ăâđêôơưạảãáàặẳẵắằậẩẫấầẹẻẽéèệểễếềịỉĩíìọỏõóòộổỗốồợởỡớờụủũúùựửữứừỵỷỹýỳ]")


def _counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count(Participant.id))),
            db.session.scalar(select(func.count(AuditEntry.id))))


def _run(world, data: bytes, *, dry_run: bool = False):
    return import_participants(io.BytesIO(data), actor=world["org_district"], dry_run=dry_run, now=NOW)


def _refused(world, data: bytes, code: str, *, status: int = 422) -> str:
    """The import refuses the whole file with `code`, a Vietnamese message under `file`, and writes nothing."""
    before = _counts()
    with pytest.raises(DomainError) as err:
        _run(world, data)
    assert (err.value.code, err.value.status) == (code, status), err.value.message
    assert VIETNAMESE.search(err.value.message) and err.value.fields == {"file": err.value.message}
    assert _counts() == before
    return err.value.message


def _people() -> dict[str, Participant]:
    return {p.phone: p for p in db.session.scalars(select(Participant))}


# --- hostile files ----------------------------------------------------------------------------------


def test_zip_bomb_is_refused_from_its_declared_size(app, world, big):
    message = _refused(world, big("zip_bomb").read_bytes(), "unpacked_too_large")
    assert "sharedStrings.xml" in message and "1.024 MB" in message


def test_zip_bomb_that_understates_its_size_is_cut_at_the_declared_size(app, world, big):
    assert "hỏng" in _refused(world, big("lying_zip_bomb").read_bytes(), "corrupt_file")


@pytest.mark.parametrize(("name", "last_row"), [("blank_rows", "10.101"), ("blank_cells", "10.101"),
                                                ("far_row", "1.048.576")])
def test_blank_row_bombs_are_refused_counting_rows_as_declared(app, world, big, name, last_row):
    message = _refused(world, big(name).read_bytes(), "too_many_rows")
    assert f"dòng {last_row}" in message and "dòng trống" in message


def test_a_dtd_with_entities_is_refused(app, world):
    _refused(world, build.with_doctype(workbook_bytes([row()])), "unsafe_file")


def test_rows_out_of_order_are_refused_rather_than_dropped(app, world):
    def rows():
        yield from build.header_and_person()
        yield build.inline_row(2, [str(v or "") for v in row(phone="0912000503")])
    buffer = io.BytesIO()
    build.replace_parts(build.saved(build.listing([])), buffer, {"xl/worksheets/sheet1.xml": build.sheet_xml(rows)})
    assert "không theo thứ tự" in _refused(world, buffer.getvalue(), "corrupt_file")


def test_a_row_of_too_many_cells_is_refused(app, world):
    def rows():
        yield from build.header_and_person()
        yield ('<row r="3">' + "".join(f'<c r="A3"><v>{i}</v></c>' for i in range(1001)) + "</row>").encode()
    buffer = io.BytesIO()
    build.replace_parts(build.saved(build.listing([])), buffer, {"xl/worksheets/sheet1.xml": build.sheet_xml(rows)})
    _refused(world, buffer.getvalue(), "too_many_cells")


@pytest.mark.parametrize("merges", [["A1:XFD1048576"], ["A3:XFD1048576"], [f"A1:B{n}" for n in range(2, 5_000)],
                                    [f"A{n}:B{n}" for n in range(3, 30_000)]])
def test_merged_ranges_made_to_be_slow_are_refused_or_read_quickly(app, world, merges):
    elements = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    after = f'<mergeCells count="{len(merges)}">{elements}</mergeCells>'.encode()
    buffer = io.BytesIO()
    build.replace_parts(build.saved(build.listing([])), buffer,
                        {"xl/worksheets/sheet1.xml": build.sheet_xml(build.header_and_person, after=after)})
    started = time.process_time()
    try:
        _run(world, buffer.getvalue(), dry_run=True)
    except DomainError as exc:
        assert exc.code in ("missing_headers", "empty_file", "too_complex") and VIETNAMESE.search(exc.message)
    assert time.process_time() - started < 2


def test_a_cell_longer_than_excel_allows_is_refused(app, world):
    def rows():  # openpyxl itself cuts a longer text at 32,767 characters
        yield from build.header_and_person()
        yield build.inline_row(3, ["x" * 32_768])
    buffer = io.BytesIO()
    build.replace_parts(build.saved(build.listing([])), buffer, {"xl/worksheets/sheet1.xml": build.sheet_xml(rows)})
    _refused(world, buffer.getvalue(), "cell_too_long")


def test_a_file_over_10_mb_is_refused_before_parsing(app, world, monkeypatch):
    monkeypatch.setattr(reader, "open_package", lambda *a: pytest.fail("looked inside a file over the limit"))
    message = _refused(world, b"PK\x03\x04" + bytes(10 * 1024 * 1024 - 3), "file_too_large", status=413)
    assert "10 MB" in message


# --- files that are no .xlsx --------------------------------------------------------------------------


def test_truncated_zip_is_refused(app, world):
    data = workbook_bytes([row()])
    for cut in (len(data) // 2, len(data) - 10):
        assert "chưa được tải lên hết" in _refused(world, data[:cut], "corrupt_file")


def test_csv_renamed_to_xlsx_is_refused(app, world):
    message = _refused(world, "Họ và tên,Giới tính\nNguyễn Thị Hằng,Nữ\n".encode(), "not_xlsx")
    assert "CSV" in message and ".xlsx" in message


def test_html_saved_as_excel_is_refused(app, world):
    assert "HTML" in _refused(world, b"<html><body><table><tr><td>x</td></tr></table></body></html>", "not_xlsx")


def test_xls_is_refused_with_save_as_xlsx(app, world):
    message = _refused(world, bytes.fromhex("d0cf11e0a1b11ae1") + bytes(2048), "legacy_xls")
    assert ".xls" in message and "Lưu thành" in message and ".xlsx" in message


def test_a_password_protected_workbook_is_refused_with_how_to_remove_it(app, world):
    data = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(512) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    assert "mật khẩu" in _refused(world, data, "encrypted_file")


def test_xlsm_with_macros_is_refused_with_save_as_xlsx(app, world):
    message = _refused(world, build.macro_workbook(workbook_bytes([row()])), "macro_workbook")
    assert "macro" in message and ".xlsx" in message


@pytest.mark.parametrize(("members", "fragment"), [
    ({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"}, ".xlsb"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}, ".ods"),
    ({"hello.txt": "xin chào".encode()}, ".xlsx")])
def test_other_zips_are_refused_by_what_they_are(app, world, members, fragment):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert fragment in _refused(world, buffer.getvalue(), "not_xlsx")


def test_random_bytes_and_an_empty_file_are_refused(app, world):
    _refused(world, bytes(range(256)) * 8, "not_xlsx")
    _refused(world, b"", "empty_file")


# --- workbooks without a usable list ------------------------------------------------------------------


def test_wrong_sheet_is_refused_naming_the_sheets_searched(app, world):
    workbook = Workbook()
    workbook.active.title = "Báo cáo"
    workbook.active.append(["Tên hàng", "Số lượng", "Giá"])
    workbook.active.append(["Bút", 3, 5000])
    message = _refused(world, build.saved(workbook), "missing_headers")
    assert "“Báo cáo”" in message and "Họ và tên" in message


def test_missing_columns_are_named(app, world):
    data = workbook_bytes([["Hà Văn Tú", "Nam", "0912000009", "Tày"]],
                          headers=["Họ và tên", "Giới tính", "Số điện thoại", "Dân tộc"])
    message = _refused(world, data, "missing_headers")
    assert "Đơn vị" in message and "Nhóm đối tượng" in message


def test_empty_sheet_and_header_without_rows_are_refused(app, world):
    _refused(world, workbook_bytes([], headers=[]), "empty_file")
    _refused(world, workbook_bytes([]), "empty_file")


# --- what people make: hidden sheets, merged headers, dates, names -------------------------------------


@pytest.mark.parametrize("layout", ["hidden_after", "hidden_before", "very_hidden_before"])
def test_the_list_is_read_from_the_first_visible_sheet_with_a_header(app, world, layout):
    workbook = build.listing([row(full_name="Người Hiện", phone="0912000701")])
    hidden = workbook.create_sheet("Ẩn", 0 if layout.endswith("before") else None)
    hidden.append(HEADERS)
    hidden.append(row(full_name="Người Ẩn", phone="0912000702"))
    hidden.sheet_state = "veryHidden" if layout.startswith("very") else "hidden"
    result = _run(world, build.saved(workbook))
    assert result.errors == [] and [p.full_name for p in result.participants] == ["Người Hiện"]


def test_a_visible_sheet_of_instructions_before_the_list_is_passed_over(app, world):
    workbook = build.listing([row(full_name="Người Hiện", phone="0912000703")])
    notes = workbook.create_sheet("Hướng dẫn", 0)
    notes.append(["Điền mỗi người một dòng ở trang sau; các cột có dấu (*) là bắt buộc."])
    hidden = workbook.create_sheet("Ẩn", 1)
    hidden.append(HEADERS)
    hidden.append(row(full_name="Người Ẩn", phone="0912000704"))
    hidden.sheet_state = "hidden"
    result = _run(world, build.saved(workbook))
    assert result.errors == [] and [p.full_name for p in result.participants] == ["Người Hiện"]
    assert result.sheet == workbook.worksheets[2].title


def test_a_huge_hidden_sheet_without_dimension_is_never_read(app, world, big):
    result = _run(world, big("hidden_unsized").read_bytes())
    assert result.errors == [] and [p.phone for p in result.participants] == ["0912000502"]


def test_every_email_a_link_as_excel_makes_them_is_read(app, world, big):
    with zipfile.ZipFile(big("emails_linked")) as archive:
        assert archive.getinfo("xl/worksheets/_rels/sheet1.xml.rels").file_size > 1024 * 1024
    sheet = reader.read_workbook(io.BytesIO(big("emails_linked").read_bytes()))
    assert len(sheet.rows) == 7_000 and sheet.rows[-1].values["email"] == "nguoi6999@example.vn"


def _two_row_header(sheet) -> None:
    """STT | Họ và tên (Họ đệm | Tên) | Giới tính (Nam | Nữ) | Ngày sinh | Dân tộc | Liên hệ (Điện thoại | Email) |
    Đơn vị | Nhóm đối tượng, single headers merged down over both rows."""
    sheet.append(["DANH SÁCH HỌC VIÊN"])
    sheet.merge_cells("A1:L1")
    sheet.append(["STT", "Họ và tên", None, "Giới tính", None, "Ngày sinh", "Dân tộc", "Thông tin liên hệ", None,
                  "Đơn vị", "Nhóm đối tượng", "Ghi chú"])
    sheet.append([None, "Họ đệm", "Tên", "Nam", "Nữ", None, None, "Điện thoại", "Email", None, None, None])
    for cells in ("A2:A3", "B2:C2", "D2:E2", "F2:F3", "G2:G3", "H2:I2", "J2:J3", "K2:K3", "L2:L3"):
        sheet.merge_cells(cells)


def test_merged_header_cells_are_understood(app, world):
    workbook = Workbook()
    sheet = workbook.active
    _two_row_header(sheet)
    group = "Công chức văn hóa - xã hội cấp xã phụ trách đài truyền thanh"
    sheet.append([1, "Nguyễn Thị", "Hằng", None, "x", "15/03/1985", "Kinh", "0912000801", None,
                  "07306 - Thị trấn Nhã Nam", group, None])
    sheet.append([2, "Lò Văn", "Pó", "X", None, "02/09/1979", "Thái", "0912000802", "po@example.vn", None, group,
                  None])
    sheet.merge_cells("J4:J5")  # one commune for both: the merged cell holds for each row
    result = _run(world, build.saved(workbook))
    assert result.errors == []
    hang, po = result.participants
    assert (hang.full_name, hang.gender.value, hang.birth_date, hang.unit.code) == \
        ("Nguyễn Thị Hằng", "female", date(1985, 3, 15), "07306")
    assert (po.full_name, po.gender.value, po.email, po.unit.code, po.ethnic_minority) == \
        ("Lò Văn Pó", "male", "po@example.vn", "07306", True)


def test_birth_date_written_under_nam_or_nu_gives_the_gender(app, world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Ngày sinh", None, "Dân tộc", "Số điện thoại", "Đơn vị", "Nhóm đối tượng"])
    sheet.append([None, "Nam", "Nữ"])
    for cells in ("A1:A2", "B1:C1", "D1:D2", "E1:E2", "F1:F2", "G1:G2"):
        sheet.merge_cells(cells)
    sheet.append(["Hà Văn Tú", "01/02/1980", None, "Tày", "0912000811", "07306", "commune_culture_officer"])
    sheet.append(["Đỗ Thị Lan", None, "03/04/1990", "Kinh", "0912000812", "07306", "commune_culture_officer"])
    result = _run(world, build.saved(workbook))
    assert result.errors == []
    assert [(p.gender.value, p.birth_date) for p in result.participants] == \
        [("male", date(1980, 2, 1)), ("female", date(1990, 4, 3))]


def test_a_header_merged_for_layout_over_two_columns_reads_its_first(app, world):
    workbook = build.listing([])
    sheet = workbook.active
    sheet.insert_cols(2)
    sheet.merge_cells("A1:B1")
    sheet.append(row(phone="0912000821")[:1] + [None] + row(phone="0912000821")[1:])
    result = _run(world, build.saved(workbook))
    assert result.errors == [] and result.participants[0].full_name == "Nguyễn Thị Hằng"


def test_dates_as_excel_serials_and_as_dd_mm_yy_text(app, world):
    data = build.birth_dates(31121, 31121.75, "31121", "15/03/85", "5/7/02", "15-03-85", datetime(1985, 3, 15))
    result = _run(world, data)
    assert result.errors == []
    assert [p.birth_date for p in result.participants] == [
        date(1985, 3, 15), date(1985, 3, 15), date(1985, 3, 15), date(1985, 3, 15), date(2002, 7, 5),
        date(1985, 3, 15), date(1985, 3, 15)]


def test_serials_of_a_1904_workbook_use_its_epoch(app, world):
    workbook = build.listing([row(birth_date=29659, phone="0912000831")])
    workbook.epoch = CALENDAR_MAC_1904
    result = _run(world, build.saved(workbook))
    assert result.errors == [] and result.participants[0].birth_date == date(1985, 3, 15)


def test_nfd_names_are_stored_nfc(app, world):
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    assert nfd != "Nguyễn Thị Hằng"
    result = _run(world, workbook_bytes([row(full_name=nfd, phone="0912000841")]))
    person = result.participants[0]
    assert person.full_name == "Nguyễn Thị Hằng" and unicodedata.is_normalized("NFC", person.full_name)
    assert person.name_search == "nguyen thi hang"


@pytest.mark.parametrize("hidden", ["\u200b", "\u200d", "\ufeff", "\u202e"])
def test_zero_width_and_direction_characters_in_a_name_are_a_row_error(app, world, hidden):
    before = _counts()
    result = _run(world, workbook_bytes([row(phone="0912000851"), row(full_name=f"Trần{hidden} Văn Bình")]))
    ((error),) = result.errors
    assert (error.row, error.column, error.code) == (3, "Họ và tên", "invalid_characters")
    assert f"U+{ord(hidden):04X}" in error.message and VIETNAMESE.search(error.message)
    assert result.created == 0 and _counts() == before


def test_ten_thousand_rows_import_within_100_mb_and_one_more_is_refused(app, world, big):
    data = big("ten_thousand").read_bytes()
    db.session.commit()
    tracemalloc.start()
    try:
        result = _run(world, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.created, result.errors) == (10_000, [])
    assert peak < 100 * 1024 * 1024, peak  # the whole import: reading, checks, 10,000 rows written
    assert _counts()[0] == 10_001
    message = _refused(world, big("ten_thousand_one").read_bytes(), "too_many_rows")
    assert "10.000" in message


def test_the_api_and_the_page_give_the_file_message(app, client, world, auth, big):
    from tests.conftest import csrf_token_from, login

    data = big("far_row").read_bytes()  # small: werkzeug's test client leaks the temporary file of a large body
    response = client.post("/api/v1/participants/import?dry_run=1", headers=auth(world["org_district"]),
                           data={"file": (io.BytesIO(data), "ds.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.json["error"]["code"] == "too_many_rows"
    assert "dòng trống" in response.json["error"]["message"]
    login(client, world["org_district"].email)
    token = csrf_token_from(client.get("/participants/import").get_data(as_text=True))
    page = client.post("/participants/import", data={"csrf_token": token, "file": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")
    assert page.status_code == 422 and "dòng trống" in page.get_data(as_text=True)
    assert _counts()[0] == 1
