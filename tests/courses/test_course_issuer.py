"""A course copies its unit's issuer in force on its dates, the organizer edits the copy (page and API), and a course
after the reform without one says so."""

from __future__ import annotations

from datetime import date

from tests.conftest import csrf_token_from, login
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.units.models import UnitIssuer

ISSUER_KEYS = ("agency_name", "agency_parent", "place_name", "signer_prefix", "signer_title", "signer_name")


def _body(**overrides) -> dict:
    body = {"title": "Lớp CT1 Tân Yên", "curriculum_code": "CT1", "unit_code": "216", "venue": "Hội trường",
            "start_date": "2024-10-01", "end_date": "2024-10-03"}
    body.update(overrides)
    return body


def test_a_course_copies_the_settings_in_force_on_its_dates(w, api):
    db.session.add(UnitIssuer(unit=w.t["district"], valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31),
                              agency_parent="Ủy ban nhân dân huyện Tân Yên", agency_name="Phòng Văn hóa và Thông tin",
                              place_name="Tân Yên", signer_prefix="KT. TRƯỞNG PHÒNG", signer_title="PHÓ TRƯỞNG PHÒNG",
                              signer_name="Nguyễn Văn Bình"))
    db.session.flush()
    created = api(w.organizer, "POST", "/api/v1/courses", _body())
    assert created.status_code == 201, created.json
    assert {k: created.json[k] for k in ISSUER_KEYS} == {
        "agency_name": "Phòng Văn hóa và Thông tin", "agency_parent": "Ủy ban nhân dân huyện Tân Yên",
        "place_name": "Tân Yên", "signer_prefix": "KT. TRƯỞNG PHÒNG", "signer_title": "PHÓ TRƯỞNG PHÒNG",
        "signer_name": "Nguyễn Văn Bình"}
    # February 2025: no stored period, the default of that date (no signer's name: a warning asks for it)
    feb = api(w.organizer, "POST", "/api/v1/courses", _body(start_date="2025-02-10", end_date="2025-02-11")).json
    assert (feb["agency_parent"], feb["agency_name"], feb["signer_title"], feb["signer_name"]) == (
        "Ủy ban nhân dân huyện Tân Yên", "Phòng Văn hóa và Thông tin", "TRƯỞNG PHÒNG", "")
    assert "Chưa nhập họ tên người ký giấy chứng nhận và các văn bản của khóa học." in feb["warnings"]
    province = api(w.organizer, "POST", "/api/v1/courses", _body(unit_code="24", start_date="2025-03-03",
                                                                   end_date="2025-03-04")).json
    assert province["agency_name"] == "Sở Văn hóa, Thể thao và Du lịch" and province["place_name"] == "Bắc Giang"


def test_a_district_course_after_the_reform_has_no_issuer_until_chosen(w, api):
    created = api(w.organizer, "POST", "/api/v1/courses", _body(start_date="2026-03-02", end_date="2026-03-03"))
    assert created.status_code == 201
    assert all(created.json[k] == "" for k in ISSUER_KEYS)
    assert any(w.startswith("Không có cơ quan ban hành mặc định cho Huyện Tân Yên vào ngày 03/03/2026")
               for w in created.json["warnings"])
    course_id = created.json["id"]
    roster = api(w.organizer, "GET", f"/courses/{course_id}/roster.pdf")
    assert roster.status_code == 409 and "Không có cơ quan ban hành" in roster.get_data(as_text=True)
    chosen = api(w.organizer, "PATCH", f"/api/v1/courses/{course_id}", {
        "agency_parent": "Ủy ban nhân dân tỉnh Bắc Ninh", "agency_name": "Sở Văn hóa, Thể thao và Du lịch",
        "place_name": "Bắc Ninh", "signer_title": "PHÓ GIÁM ĐỐC", "signer_prefix": "KT. GIÁM ĐỐC",
        "signer_name": "Lê Văn An"})
    assert chosen.status_code == 200, chosen.json
    assert (chosen.json["agency_name"], chosen.json["signer_name"]) == ("Sở Văn hóa, Thể thao và Du lịch", "Lê Văn An")
    assert not any("cơ quan ban hành" in w for w in chosen.json["warnings"])
    assert api(w.organizer, "GET", f"/api/v1/courses/{course_id}").json["place_name"] == "Bắc Ninh"
    assert api(w.organizer, "GET", f"/courses/{course_id}/roster.pdf").status_code == 200


def test_patching_the_issuer_validates_and_keeps_other_fields(w, api):
    course_id = api(w.organizer, "POST", "/api/v1/courses", _body()).json["id"]
    emptied = api(w.organizer, "PATCH", f"/api/v1/courses/{course_id}", {"agency_name": ""})
    assert emptied.status_code == 422 and emptied.json["error"]["fields"] == {"agency_name": "Nhập cơ quan ban hành."}
    hidden = api(w.organizer, "PATCH", f"/api/v1/courses/{course_id}", {"signer_name": "Lê\u200b Văn An"})
    assert hidden.status_code == 422 and hidden.json["error"]["code"] == "invalid_characters"
    named = api(w.organizer, "PATCH", f"/api/v1/courses/{course_id}", {"signer_name": "Lê Văn An"}).json
    assert (named["agency_name"], named["signer_name"]) == ("Phòng Văn hóa và Thông tin", "Lê Văn An")
    # the copy was edited: a change of dates keeps it
    moved = api(w.organizer, "PATCH", f"/api/v1/courses/{course_id}", {"start_date": "2025-02-03",
                                                                         "end_date": "2025-02-04"}).json
    assert moved["signer_name"] == "Lê Văn An"


def test_an_untouched_copy_follows_new_dates(w, api):
    course_id = api(w.organizer, "POST", "/api/v1/courses", _body(unit_code="24")).json["id"]
    assert db.session.get(Course, course_id).agency_name == "Sở Thông tin và Truyền thông"
    moved = api(w.organizer, "PATCH", f"/api/v1/courses/{course_id}", {"start_date": "2025-04-01",
                                                                         "end_date": "2025-04-02"}).json
    assert moved["agency_name"] == "Sở Văn hóa, Thể thao và Du lịch"


def test_organizer_edits_the_issuer_on_the_course_page(client, w, api):
    course_id = api(w.district_organizer, "POST", "/api/v1/courses", _body()).json["id"]
    login(client, w.district_organizer.email)
    url = f"/courses/{course_id}/issuer"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Phòng Văn hóa và Thông tin"' in page
    data = {"csrf_token": csrf_token_from(page), "agency_parent": "Ủy ban nhân dân huyện Tân Yên",
            "agency_name": "Phòng Văn hóa và Thông tin", "place_name": "Tân Yên", "signer_prefix": "KT. TRƯỞNG PHÒNG",
            "signer_title": "PHÓ TRƯỞNG PHÒNG", "signer_name": "Đặng Văn Ước"}
    refused = client.post(url, data={**data, "agency_name": ""})
    assert refused.status_code == 422 and "Nhập cơ quan ban hành." in refused.get_data(as_text=True)
    assert client.post(url, data={**data, "csrf_token": "x"}).status_code == 400
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    course = db.session.get(Course, course_id)
    assert (course.signer_prefix, course.signer_name) == ("KT. TRƯỞNG PHÒNG", "Đặng Văn Ước")
    detail = client.get(f"/courses/{course_id}").get_data(as_text=True)
    assert "Đặng Văn Ước" in detail and f'href="/courses/{course_id}/issuer"' in detail


def test_reviewers_and_other_provinces_cannot_edit_the_issuer(app, w, api):
    course_id = api(w.organizer, "POST", "/api/v1/courses", _body()).json["id"]
    assert api(w.reviewer, "PATCH", f"/api/v1/courses/{course_id}", {"signer_name": "X"}).status_code == 403
    assert api(w.other_organizer, "PATCH", f"/api/v1/courses/{course_id}", {"signer_name": "X"}).status_code == 404
    client = app.test_client()
    login(client, w.reviewer.email)
    assert client.get(f"/courses/{course_id}/issuer").status_code == 403
