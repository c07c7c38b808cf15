"""The uploaded file handed back with an error column (#15, item 12), and one summary after an import (item 13)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.participants.corpus import build
from tests.participants.helpers import row, workbook_bytes
from trainer.courses.models import Enrolment
from trainer.courses.services import enrol_participant
from trainer.extensions import db
from trainer.participants.excel.annotate import ERROR_RGB
from trainer.participants.models import Participant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINK = re.compile(r'href="(/participants/import/error-file/[A-Za-z0-9_-]+\.xlsx)"')


def _upload(client, data: bytes, *, course_id: int | None = None):
    url = "/participants/import" + (f"?course={course_id}" if course_id else "")
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, "file": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")


def _bad_list() -> bytes:
    """Three people; row 3 has two errors, row 4 one, row 2 is right; a formula and a hidden sheet stay."""
    def extra(workbook: Workbook) -> None:
        sheet = workbook.active
        sheet["K2"] = "=1+1"  # a formula right of the list: handed back as a formula, not a value
        hidden = workbook.create_sheet("Danh mục")
        hidden.append(["07306", "Thị trấn Nhã Nam"])
        hidden.sheet_state = "hidden"

    return workbook_bytes([row(phone="0912300001"), row(phone="0912300002", birth_date="31/02/1990", unit="99999"),
                           row(phone="0912300003", full_name="=HYPERLINK(\"http://x\")")], extra=extra)


def _error_file_link(response) -> str:
    match = LINK.search(response.get_data(as_text=True))
    assert match, "no link to the file with the error column"
    return match.group(1)


def _kept(app) -> list[Path]:
    folder = Path(app.instance_path) / "participant-import-errors"
    return sorted(folder.glob("*")) if folder.exists() else []


def test_dry_run_errors_give_the_same_workbook_back_with_an_error_column(app, client, world):
    login(client, world["org_district"].email)
    data = _bad_list()
    response = _upload(client, data)
    assert response.status_code == 422 and "Có 3 lỗi ở 2 dòng; chưa ghi dòng nào." in response.get_data(as_text=True)
    download = client.get(_error_file_link(response))
    assert download.status_code == 200 and download.mimetype == XLSX
    assert "no-store" in download.headers["Cache-Control"]
    original, annotated = load_workbook(io.BytesIO(data)), load_workbook(io.BytesIO(download.data))
    assert annotated.sheetnames == original.sheetnames and annotated["Danh mục"].sheet_state == "hidden"
    sheet, before = annotated.active, original.active
    for r in range(1, before.max_row + 1):  # every value as uploaded, the formula a formula
        for c in range(1, before.max_column + 1):
            assert sheet.cell(r, c).value == before.cell(r, c).value, (r, c)
    assert sheet["K2"].value == "=1+1" and sheet["K2"].data_type == "f"
    column = before.max_column + 1  # right of the last used column (K, the formula)
    assert sheet.cell(1, column).value == "Lỗi"
    assert sheet.cell(2, column).value is None
    third, fourth = sheet.cell(3, column), sheet.cell(4, column)
    birth, unit = third.value.splitlines()
    assert birth == "Ngày sinh: Ngày sinh không có thật: ngày 31, tháng 2, năm 1990."
    assert unit.startswith("Đơn vị: ") and "99999" in unit
    assert fourth.value.startswith("Họ và tên: ") and third.data_type == fourth.data_type == "s"
    assert sheet.cell(3, 1).fill.start_color.rgb == ERROR_RGB and sheet.cell(4, 5).fill.start_color.rgb == ERROR_RGB
    assert sheet.cell(2, 1).fill.fill_type is None
    assert db.session.scalar(select(func.count(Participant.id))) == 1  # a dry run: nothing written


def test_the_error_file_is_taken_once_and_then_deleted(app, client, world):
    login(client, world["org_district"].email)
    link = _error_file_link(_upload(client, _bad_list()))
    assert len(_kept(app)) == 2  # the upload and its notes, nothing else
    assert client.get(link).status_code == 200
    assert _kept(app) == []
    again = client.get(link)
    assert again.status_code == 302 and again.headers["Location"] == "/participants/import"
    assert "chỉ tải được một lần trong vòng 1 giờ" in client.get("/participants/import").get_data(as_text=True)


def test_the_error_file_expires_after_an_hour(app, client, world, clock_at):
    login(client, world["org_district"].email)
    link = _error_file_link(_upload(client, _bad_list()))
    clock_at.advance(3599)
    _upload(client, workbook_bytes([row(phone="0912300009")]))  # a clean upload keeps nothing for an error file
    assert len(_kept(app)) == 2
    clock_at.advance(2)
    client.get("/participants/import")  # any visit of the import page sweeps what is past its hour
    assert _kept(app) == []
    response = client.get(link)
    assert response.status_code == 302 and response.headers["Location"] == "/participants/import"


def test_only_the_uploader_gets_the_error_file(app, client, world, f):
    login(client, world["org_district"].email)
    link = _error_file_link(_upload(client, _bad_list()))
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))})
    for user in (f.user("organizer", world["district"]), world["org_hanoi"], world["admin"]):
        login(client, user.email)
        assert client.get(link).status_code == 404, user.email
        client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))})
    login(client, world["reviewer"].email)
    assert client.get(link).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/").get_data(as_text=True))})
    assert len(_kept(app)) == 2  # nobody else used it up
    login(client, world["org_district"].email)
    assert client.get(link).status_code == 200


def test_the_fixed_error_file_imports_and_a_still_wrong_one_reuses_its_column(app, client, world):
    login(client, world["org_district"].email)
    annotated = client.get(_error_file_link(_upload(client, _bad_list()))).data
    workbook = load_workbook(io.BytesIO(annotated))
    workbook.active["C3"] = "28/02/1990"  # one of the three errors fixed in Excel
    again = _upload(client, build.saved(workbook))
    assert "Có 2 lỗi ở 2 dòng" in again.get_data(as_text=True)
    sheet = load_workbook(io.BytesIO(client.get(_error_file_link(again)).data)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers.count("Lỗi") == 1 and headers.index("Lỗi") == 11
    assert sheet.cell(3, 12).value.startswith("Đơn vị: ") and "Ngày sinh" not in sheet.cell(3, 12).value
    workbook = load_workbook(io.BytesIO(build.saved(workbook)))
    workbook.active["G3"], workbook.active["A4"] = "07306", "Lê Thị Hoa"
    clean = _upload(client, build.saved(workbook))
    assert clean.status_code == 200 and "sẽ thêm 3 người mới" in clean.get_data(as_text=True)


def test_a_merged_two_row_header_gets_a_merged_error_header(app, client, world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Giới tính", "Dân tộc", "Liên hệ", None, "Đơn vị", "Nhóm đối tượng"])
    sheet.append([None, None, None, "Điện thoại", "Email"])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2", "G1:G2"):
        sheet.merge_cells(cells)
    sheet.append(["Hà Văn Tú", "Nam", "Tày", "0912300021", None, "07306", "commune_culture_officer"])
    sheet.append(["Đỗ Thị Lan", "Nữ", "Kinh", "0912300022", "lan@", "07306", "commune_culture_officer"])
    login(client, world["org_district"].email)
    annotated = load_workbook(io.BytesIO(client.get(_error_file_link(_upload(client, build.saved(workbook)))).data))
    sheet = annotated.active
    assert sheet["H1"].value == "Lỗi" and "H1:H2" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["H3"].value is None and sheet["H4"].value.startswith("Email: ")


def test_api_answers_the_error_file_on_request_and_json_otherwise(app, client, world, auth):
    data = _bad_list()
    headers = auth(world["org_district"])
    response = client.post("/api/v1/participants/import?dry_run=1&error_file=1", headers=headers,
                           data={"file": (io.BytesIO(data), "ds.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.cell(1, 12).value == "Lỗi" and [sheet.cell(r, 12).value is None for r in (2, 3, 4)] == \
        [True, False, False]
    plain = client.post("/api/v1/participants/import?dry_run=1", headers=headers,
                        data={"file": (io.BytesIO(data), "ds.xlsx")}, content_type="multipart/form-data")
    assert plain.status_code == 422 and [e["row"] for e in plain.json["errors"]] == [3, 3, 4]
    clean = client.post("/api/v1/participants/import?dry_run=1&error_file=1", headers=headers,
                        data={"file": (io.BytesIO(workbook_bytes([row()])), "ds.xlsx")},
                        content_type="multipart/form-data")
    assert clean.status_code == 200 and clean.json["created"] == 1
    assert _kept(app) == []  # the API keeps nothing


def _alerts(html: str) -> int:
    return html.count('role="alert"')


def test_an_import_into_a_course_ends_with_one_summary(app, client, world, f):
    course = f.course(world["district"], title="Lớp nhập từ Excel")
    enrol_participant(course, world["person"], actor=world["org_district"])
    db.session.commit()
    rows = [row(phone=f"0912400{i:03d}") for i in range(6)]
    rows += [row(phone=f"0912401{i:03d}", target_group="press_staff") for i in range(4)]
    rows.append(row(full_name="Trần Văn Bình", gender="Nam", phone="0987000001"))  # already enrolled
    login(client, world["org_district"].email)
    plain = _alerts(client.get(f"/courses/{course.id}").get_data(as_text=True))
    html = _upload(client, workbook_bytes(rows), course_id=course.id).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    done = client.post("/participants/import/confirm", data={
        "csrf_token": csrf_token_from(html), "token": token, "course_id": str(course.id)})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert _alerts(page) == plain + 1
    assert ("Đã nhập 11 người: 10 mới, 1 cập nhật, 0 không đổi. Đã ghi danh 10 người vào khóa học. 1 người đã có "
            "trong khóa. 4 người không thuộc nhóm đối tượng của chương trình (vẫn được ghi danh).") in page
    details = re.search(r"<details.*?</details>", page, re.S).group(0)
    assert details.count("<li>") == 5 and "Trần Văn Bình: đã được ghi danh trước đó." in details
    assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.course_id == course.id)) == 11


def test_an_import_on_the_participants_page_ends_with_one_summary(app, client, world):
    login(client, world["org_district"].email)
    plain = _alerts(client.get("/participants/").get_data(as_text=True))
    html = _upload(client, workbook_bytes([row(phone="0912500001"), row(phone="0912500002"),
                                           row(full_name="Trần Văn Bình", gender="Nam", phone="0987000001",
                                               position="Trưởng đài")])).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    done = client.post("/participants/import/confirm", data={"csrf_token": csrf_token_from(html), "token": token})
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert _alerts(page) == plain + 1 and "Đã nhập 3 người: 2 mới, 1 cập nhật, 0 không đổi." in page
    assert "<details" not in page



def test_a_workbook_too_big_to_load_whole_gets_a_message_instead(app, client, world):
    def extra(workbook: Workbook) -> None:
        hidden = workbook.create_sheet("Nháp")
        for n in range(10_200):  # the reader never reads it; loading the whole workbook would
            hidden.append([n])
        hidden.sheet_state = "hidden"

    login(client, world["org_district"].email)
    response = _upload(client, workbook_bytes([row(unit="99999")], extra=extra))
    assert response.status_code == 422
    download = client.get(_error_file_link(response))
    assert download.status_code == 302 and _kept(app) == []
    assert "Tệp quá lớn để ghi lại kèm cột lỗi" in client.get("/participants/import").get_data(as_text=True)


def test_the_template_keeps_its_dropdowns_lists_and_notes_in_the_error_file(app, client, world):
    login(client, world["org_district"].email)
    workbook = load_workbook(io.BytesIO(client.get("/participants/template.xlsx").data))
    sheet = workbook["Danh sách"]
    header_row = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "Họ và tên (*)")
    sheet.append(["Lò Văn Pó", "Nam", "02/09/1979", "Thái", "0912 000 111", "", "07309 - Xã Cao Xá", "",
                  "Khác hẳn"])
    uploaded = build.saved(workbook)
    sheet = load_workbook(io.BytesIO(client.get(_error_file_link(_upload(client, uploaded))).data))["Danh sách"]
    before = load_workbook(io.BytesIO(uploaded))
    assert sheet.parent.sheetnames == before.sheetnames
    assert [(v.sqref, v.formula1) for v in sheet.data_validations.dataValidation] == \
        [(v.sqref, v.formula1) for v in before["Danh sách"].data_validations.dataValidation]
    assert [s.sheet_state for s in sheet.parent.worksheets] == [s.sheet_state for s in before.worksheets]
    for r in range(1, header_row):  # the notes above the header, as they were
        assert [c.value for c in sheet[r]][:9] == [c.value for c in before["Danh sách"][r]][:9]
    errors = sheet.cell(header_row + 1, 10)
    assert sheet.cell(header_row, 10).value == "Lỗi" and errors.value.startswith("Nhóm đối tượng: ")


def test_a_real_import_whose_rows_became_wrong_offers_the_error_file_too(app, client, world, f):
    login(client, world["org_district"].email)
    html = _upload(client, workbook_bytes([row(phone="0912600001"), row(phone="0912600002")])).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    f.participant(world["commune"], full_name="Vũ Văn Đến Trước", phone="0912600002")  # meanwhile
    db.session.commit()
    response = client.post("/participants/import/confirm", data={"csrf_token": csrf_token_from(html), "token": token})
    assert response.status_code == 422
    sheet = load_workbook(io.BytesIO(client.get(_error_file_link(response)).data)).active
    assert sheet["J2"].value is None
    assert sheet["J3"].value.startswith("Họ và tên: Số điện thoại này đang là của “Vũ Văn Đến Trước”")
    assert db.session.scalar(select(func.count(Participant.id))) == 2  # the one before, and the one meanwhile
