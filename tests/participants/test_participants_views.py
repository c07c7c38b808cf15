"""Pages of participants: list, register, edit, detail, import with its confirm step; who sees which button."""

from __future__ import annotations

import io
import re
import unicodedata

from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.participants.helpers import add_participants, count_statements, row, workbook_bytes
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.participants.models import Participant

FORM = {"full_name": "Nguyễn Thị Hằng", "gender": "female", "birth_date": "1985-03-15", "ethnicity": "Mông",
        "phone": "+84 91 234 5600", "email": "", "unit_code": "07306 - Thị trấn Nhã Nam", "position": "Công chức",
        "target_group": "commune_culture_officer"}


def _post(client, url: str, data: dict, **kwargs):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def test_index_lists_searches_and_counts(app, client, world, f):
    f.participant(world["commune"], full_name="Nguyễn Thị Hằng", phone="0911000001", ethnic_minority=True)
    login(client, world["reviewer"].email)
    html = client.get("/participants/?q=nguyen+thi+hang").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in html and "Trần Văn Bình" not in html
    assert re.search(r"Tổng số: <strong>1</strong>", html) and "dân tộc thiểu số: 1" in html
    html = client.get("/participants/?unit=216").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in html and "Trần Văn Bình" in html


def test_index_reports_an_unknown_unit_filter(app, client, world):
    login(client, world["reviewer"].email)
    html = client.get("/participants/?unit=99999").get_data(as_text=True)
    assert "Không có đơn vị hành chính mã “99999”" in html


def test_index_paginates(app, client, world):
    add_participants(world["commune"], 60)
    login(client, world["admin"].email)
    first = client.get("/participants/").get_data(as_text=True)
    second = client.get("/participants/?page=2").get_data(as_text=True)
    assert "Trang 1 / 2" in first and "Trang 2 / 2" in second
    assert "Trần Văn Bình" not in first and "Trần Văn Bình" in second  # sorted by name, 50 a page
    assert first.count("Lê Văn Số") == 50 and second.count("Lê Văn Số") == 10


def test_reviewer_sees_no_edit_or_import_buttons_and_gets_403(app, client, world):
    login(client, world["reviewer"].email)
    person = world["person"]
    index = client.get("/participants/").get_data(as_text=True)
    detail = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Trần Văn Bình" in index and "Xuất Excel" in index
    assert "Thêm cán bộ" not in index and "Nhập từ Excel" not in index and "Tải tệp mẫu" not in index
    assert f"/participants/{person.id}/edit" not in detail
    for url in ("/participants/new", f"/participants/{person.id}/edit", "/participants/import",
                "/participants/template.xlsx"):
        assert client.get(url).status_code == 403, url


def test_organizer_of_another_province_gets_404_on_a_participant(app, client, world):
    login(client, world["org_hanoi"].email)
    assert client.get(f"/participants/{world['person'].id}").status_code == 404
    assert client.get(f"/participants/{world['person'].id}/edit").status_code == 404


def test_register_shows_the_notice_and_stores_nfc(app, client, world):
    login(client, world["org_district"].email)
    page = client.get("/participants/new").get_data(as_text=True)
    assert "Thông báo về xử lý dữ liệu cá nhân" in page and "Mục đích" in page
    assert page.count("<option value=") >= 54 + 6 + 2 and '<option value="Ơ Đu">' in page
    assert '<option value="07306 - Thị trấn Nhã Nam">' in page  # the units the organizer manages
    nfd_name = unicodedata.normalize("NFD", FORM["full_name"])
    response = _post(client, "/participants/new", {**FORM, "full_name": nfd_name})
    assert response.status_code == 302
    person = db.session.scalars(select(Participant).where(Participant.phone == "0912345600")).one()
    assert response.headers["Location"] == f"/participants/{person.id}"
    assert person.full_name == "Nguyễn Thị Hằng" and person.ethnic_minority is True
    assert person.code in client.get(response.headers["Location"]).get_data(as_text=True)


def test_register_duplicate_phone_links_to_the_existing_person(app, client, world):
    login(client, world["org_district"].email)
    response = _post(client, "/participants/new", {**FORM, "phone": "0987 000 001"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert world["person"].code in html and "Thị trấn Nhã Nam" in html
    assert f'href="/participants/{world["person"].id}"' in html
    assert 'value="Nguyễn Thị Hằng"' in html  # what was typed is kept


def test_register_shows_field_errors_in_vietnamese(app, client, world):
    login(client, world["org_district"].email)
    html = _post(client, "/participants/new", {**FORM, "phone": "12345"}).get_data(as_text=True)
    assert "Số điện thoại không hợp lệ" in html
    html = _post(client, "/participants/new", {**FORM, "unit_code": "00001 - Phường Phúc Xá"}).get_data(as_text=True)
    assert "Bạn không có quyền quản lý cán bộ của đơn vị 00001" in html
    html = _post(client, "/participants/new", {**FORM, "full_name": "", "ethnicity": ""}).get_data(as_text=True)
    assert "Nhập họ và tên." in html and "Chọn dân tộc." in html
    assert db.session.scalar(select(func.count(Participant.id))) == 1


def test_edit_keeps_the_minority_flag_when_no_ethnicity_is_chosen(app, client, world):
    person = world["person"]
    person.ethnic_minority = True
    login(client, world["org_district"].email)
    url = f"/participants/{person.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Giữ nguyên (dân tộc thiểu số)" in page and 'value="07306 - Thị trấn Nhã Nam"' in page
    data = {**FORM, "full_name": "Trần Văn Bình", "phone": "0987000001", "ethnicity": "", "position": "Trưởng đài"}
    response = _post(client, url, data)
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.position == "Trưởng đài" and person.ethnic_minority is True and person.gender.value == "female"


def test_detail_lists_courses_in_a_bounded_number_of_queries(app, client, world, f):
    person = world["person"]
    curriculum = f.curriculum("CT1")
    db.session.add(Enrolment(course=f.course(world["district"], curriculum, title="Lớp Tân Yên 1"), participant=person))
    login(client, world["reviewer"].email)
    db.session.commit()
    with count_statements() as one:
        html = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Lớp Tân Yên 1" in html and "CT1" in html
    for n in range(2, 6):
        db.session.add(Enrolment(course=f.course(world["province"], curriculum, title=f"Lớp {n}"), participant=person))
    db.session.commit()
    with count_statements() as five:
        html = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Lớp 5" in html and len(one) == len(five)


def _upload(client, data: bytes, name: str = "danh-sach.xlsx"):
    token = csrf_token_from(client.get("/participants/import").get_data(as_text=True))
    return client.post("/participants/import", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_import_page_dry_run_then_confirm(app, client, world):
    login(client, world["org_district"].email)
    response = _upload(client, workbook_bytes([row(phone="0912000001"), row(phone="0912000002")]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "sẽ thêm 2 người mới, cập nhật 0 người đã có" in html
    assert db.session.scalar(select(func.count(Participant.id))) == 1  # nothing written yet
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    confirm = client.post("/participants/import/confirm", data={"csrf_token": csrf_token_from(html), "token": token})
    assert confirm.status_code == 302 and confirm.headers["Location"] == "/participants/"
    assert "Đã nhập 2 người: 2 mới, 0 cập nhật, 0 không đổi." in client.get("/participants/").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Participant.id))) == 3
    again = client.post("/participants/import/confirm", data={"csrf_token": csrf_token_from(html), "token": token})
    assert again.status_code == 302 and again.headers["Location"] == "/participants/import"  # file used up


def test_import_page_reports_row_errors_without_a_confirm_button(app, client, world):
    login(client, world["org_district"].email)
    response = _upload(client, workbook_bytes([row(), row(birth_date="31/02/1990", unit="99999")]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Có 2 lỗi ở 1 dòng; chưa ghi dòng nào." in html
    assert re.search(r"<td class=\"num\">3</td><td>Ngày sinh</td><td>Ngày sinh không có thật", html)
    assert "/participants/import/confirm" not in html


def test_import_page_explains_a_bad_file(app, client, world):
    login(client, world["org_district"].email)
    response = _upload(client, b"ho ten,gioi tinh\n", name="danh-sach.csv")
    assert response.status_code == 422 and "Tệp là văn bản CSV" in response.get_data(as_text=True)


def test_confirm_refuses_a_file_kept_for_someone_else(app, client, world, f):
    other = f.user("organizer", world["district"])
    login(client, other.email)
    html = _upload(client, workbook_bytes([row()])).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    client.post("/logout", data={"csrf_token": csrf_token_from(html)})
    login(client, world["org_district"].email)
    page = client.get("/participants/import").get_data(as_text=True)
    response = client.post("/participants/import/confirm", data={"csrf_token": csrf_token_from(page), "token": token})
    assert response.status_code == 302 and db.session.scalar(select(func.count(Participant.id))) == 1


def test_import_straight_into_a_course_enrols_everyone_or_nothing(app, client, world, f):
    from trainer.courses.models import Enrolment

    course = f.course(world["district"], title="Lớp nhập từ Excel", capacity=3)
    login(client, world["org_district"].email)
    rows = [row(phone=f"0912100{i:03d}") for i in range(3)]

    def upload_and_confirm(data: bytes):
        page = client.get(f"/participants/import?course={course.id}").get_data(as_text=True)
        assert "Lớp nhập từ Excel" in page
        html = client.post(f"/participants/import?course={course.id}", content_type="multipart/form-data",
                           data={"csrf_token": csrf_token_from(page), "file": (io.BytesIO(data), "ds.xlsx")}
                           ).get_data(as_text=True)
        token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
        return client.post("/participants/import/confirm", data={
            "csrf_token": csrf_token_from(html), "token": token, "course_id": str(course.id)})

    too_many = upload_and_confirm(workbook_bytes([*rows, row(phone="0912100999")]))
    assert too_many.status_code == 422 and "chỉ còn 3 chỗ" in too_many.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Participant.id))) == 1  # nobody written, nobody enrolled
    done = upload_and_confirm(workbook_bytes(rows))
    assert done.status_code == 302 and done.headers["Location"] == f"/courses/{course.id}"
    assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.course_id == course.id)) == 3
