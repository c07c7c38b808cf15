"""The course pages: status, redirects, flashes, kept input and permissions (rules are tested in the services)."""

from __future__ import annotations

import re
from datetime import time, timedelta

from sqlalchemy import func, select
from werkzeug.test import TestResponse

from tests.conftest import csrf_token_from, login
from tests.courses.helpers import START
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.courses.services import enrol_participant
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.schedule.models import CourseSession
from trainer.schedule.services import add_session, local_datetime


def _post(client, url, data) -> TestResponse:
    """POST `data` to a form page with the CSRF token it shows."""
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def _text(response) -> str:
    """The response body as text."""
    return response.get_data(as_text=True)


def _new_course_form(w, **overrides) -> dict:
    """A valid new-course form with `overrides`."""
    data = {"curriculum": "CT1", "title": "", "unit": str(w.t["district"].id), "venue": "Hội trường UBND huyện",
            "start_date": START.isoformat(), "end_date": (START + timedelta(days=1)).isoformat(), "capacity": "40",
            "status": "open", "description": ""}
    data.update(overrides)
    return data


def test_index_lists_courses_in_scope_with_figures(client, w, make_course):
    course = make_course(title="Lớp Tân Yên")
    make_course(title="Lớp Hà Nội", unit=w.t["hanoi"])
    enrol_participant(course, w.participant, actor=w.admin)
    login(client, w.reviewer.email)
    html = _text(client.get("/courses/"))
    assert "Lớp Tân Yên" in html and "Lớp Hà Nội" not in html and "1 khóa học" in html
    assert 'href="/courses/new"' not in html  # reviewers plan nothing
    assert "Lớp Tân Yên" not in _text(client.get(f"/courses/?year={START.year - 1}"))


def test_new_course_form_lists_only_units_in_scope_and_creates(client, w):
    login(client, w.district_organizer.email)
    html = _text(client.get("/courses/new"))
    assert "Huyện Tân Yên" in html and "Thị trấn Nhã Nam" in html
    assert "Huyện Yên Thế" not in html and "Tỉnh Bắc Giang" not in html
    response = _post(client, "/courses/new", _new_course_form(w))
    assert response.status_code == 302
    course = db.session.scalar(select(Course))
    assert response.headers["Location"].endswith(f"/courses/{course.id}")
    assert course.title == f"Lớp bồi dưỡng Thông tin cơ sở năm {START.year}" and course.capacity == 40
    assert len(course.modules) == 3
    assert "Đã lập khóa học" in _text(client.get(response.headers["Location"]))


def test_new_course_keeps_input_and_shows_vietnamese_errors(client, w):
    login(client, w.organizer.email)
    response = _post(client, "/courses/new", _new_course_form(
        w, title="Lớp của tôi", end_date=(START - timedelta(days=1)).isoformat(), capacity="0"))
    html = _text(response)
    assert response.status_code == 422
    assert "Số chỗ phải lớn hơn 0." in html and 'value="Lớp của tôi"' in html
    response = _post(client, "/courses/new", _new_course_form(w, end_date=(START - timedelta(days=1)).isoformat()))
    assert response.status_code == 422 and "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu." in _text(response)
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_new_course_refuses_a_unit_outside_the_choices(client, w):
    login(client, w.district_organizer.email)
    response = _post(client, "/courses/new", _new_course_form(w, unit=str(w.t["district2"].id)))
    assert response.status_code == 422 and "Lựa chọn không hợp lệ." in _text(response)


def test_reviewer_cannot_open_the_new_course_form(client, w):
    login(client, w.reviewer.email)
    assert client.get("/courses/new").status_code == 403


def test_detail_shows_everything_about_a_course(client, w, course, f):
    add_session(course, starts_at=local_datetime(START, time(7, 30)), ends_at=local_datetime(START, time(11, 30)),
                module_codes=["CT1.1"], trainer_name="Lê Thị Thu", actor=w.admin)
    press = f.participant(w.t["commune_b"], full_name="Phạm Thu Hà", target_group=TargetGroup.PRESS_STAFF)
    enrol_participant(course, w.participant, actor=w.admin)
    gone = enrol_participant(course, press, actor=w.admin)
    gone.status, gone.withdraw_reason = EnrolmentStatus.WITHDRAWN, "Chuyển công tác"
    login(client, w.reviewer.email)
    html = _text(client.get(f"/courses/{course.id}"))
    assert "Huyện Tân Yên" in html and "Hội trường UBND huyện" in html and "Chuyên đề 1" in html
    assert "4 giờ đã xếp lịch / 6 giờ theo kế hoạch" in html
    assert "Số giờ đã lên lịch (4 giờ) khác số giờ của chương trình (6 giờ)." in html
    assert "07:30–11:30" in html and "Lê Thị Thu" in html
    assert "Nguyễn Thị Hằng" in html and "Thị trấn Nhã Nam" in html
    assert "Phạm Thu Hà" in html and "Chuyển công tác" in html
    assert "/edit" not in html and "Thêm học viên" not in html  # a reviewer sees no change buttons


def test_detail_of_another_province_is_404(client, w, course):
    login(client, w.other_organizer.email)
    assert client.get(f"/courses/{course.id}").status_code == 404


def test_edit_course(client, w, course):
    login(client, w.organizer.email)
    form = {"title": "Lớp đã sửa", "unit": str(course.unit_id), "venue": "Nhà văn hóa",
            "start_date": course.start_date.isoformat(), "end_date": course.end_date.isoformat(), "capacity": "",
            "description": ""}
    response = _post(client, f"/courses/{course.id}/edit", form)
    assert response.status_code == 302
    db.session.expire_all()
    assert (course.title, course.venue, course.capacity) == ("Lớp đã sửa", "Nhà văn hóa", None)


def test_reviewer_cannot_post_changes(client, w, course):
    login(client, w.reviewer.email)
    token = csrf_token_from(_text(client.get("/account/tokens")))
    assert client.post(f"/courses/{course.id}/cancel", data={"reason": "x", "csrf_token": token}).status_code == 403
    assert client.post(f"/courses/{course.id}/status", data={"status": "running", "csrf_token": token}).status_code \
        == 403


def test_cancel_course_page(client, w, course):
    login(client, w.organizer.email)
    assert "Nhập lý do hủy khóa học." in _text(_post(client, f"/courses/{course.id}/cancel", {"reason": ""}))
    response = _post(client, f"/courses/{course.id}/cancel", {"reason": "Bão số 3"})
    assert response.status_code == 302
    html = _text(client.get(response.headers["Location"]))
    assert "Đã hủy khóa học." in html and "Bão số 3" in html
    edit = client.get(f"/courses/{course.id}/edit")
    assert edit.status_code == 302 and "Khóa học đã bị hủy" in _text(client.get(edit.headers["Location"]))


def test_change_status_page(client, w, course):
    login(client, w.organizer.email)
    token = csrf_token_from(_text(client.get(f"/courses/{course.id}")))
    response = client.post(f"/courses/{course.id}/status", data={"status": "running", "csrf_token": token})
    assert response.status_code == 302 and "Đang học" in _text(client.get(response.headers["Location"]))
    db.session.expire_all()
    assert course.status is CourseStatus.RUNNING
    refused = client.post(f"/courses/{course.id}/status", data={"status": "draft", "csrf_token": token})
    assert "Không thể chuyển khóa học" in _text(client.get(refused.headers["Location"]))


def test_add_session_page_keeps_input_on_error(client, w, course):
    login(client, w.organizer.email)
    url = f"/courses/{course.id}/sessions/new"
    bad = _post(client, url, {"day": START.isoformat(), "start_time": "09:00", "end_time": "08:00",
                              "title": "Buổi thực hành", "module_codes": ["CT1.2"]})
    html = _text(bad)
    assert bad.status_code == 422 and "Giờ kết thúc phải sau giờ bắt đầu." in html
    assert 'value="Buổi thực hành"' in html and re.search(r'checked[^>]*value="CT1.2"|value="CT1.2"[^>]*checked', html)
    good = _post(client, url, {"day": START.isoformat(), "start_time": "07:30", "end_time": "11:30",
                               "module_codes": ["CT1.1", "CT1.2"], "trainer_name": "Lê Thị Thu"})
    assert good.status_code == 302
    assert "Đã thêm buổi học (4 giờ)." in _text(client.get(good.headers["Location"]))
    stored = db.session.scalar(select(CourseSession))
    assert stored.module_codes == ["CT1.1", "CT1.2"] and stored.hours == 4


def test_edit_and_delete_session_pages(client, w, course):
    course_session = add_session(course, starts_at=local_datetime(START, time(7, 30)),
                                 ends_at=local_datetime(START, time(11, 30)), actor=w.admin)
    login(client, w.organizer.email)
    url = f"/courses/{course.id}/sessions/{course_session.id}/edit"
    assert 'value="07:30"' in _text(client.get(url))
    response = _post(client, url, {"day": START.isoformat(), "start_time": "08:00", "end_time": "11:30"})
    assert response.status_code == 302
    db.session.expire_all()
    assert course_session.hours == 3.5
    token = csrf_token_from(_text(client.get(f"/courses/{course.id}")))
    deleted = client.post(f"/courses/{course.id}/sessions/{course_session.id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 302 and db.session.scalar(select(func.count(CourseSession.id))) == 0


def test_timetable_page(client, w, course):
    login(client, w.organizer.email)
    url = f"/courses/{course.id}/timetable"
    html = _text(client.get(url))
    assert 'value="07:30"' in html and 'value="17:00"' in html
    response = _post(client, url, {"start_date": START.isoformat(), "days": "2", "morning": "y",
                                   "morning_start": "07:30", "morning_end": "11:30", "afternoon": "y",
                                   "afternoon_start": "13:30", "afternoon_end": "17:00", "trainer_name": "Lê Thu"})
    assert response.status_code == 302, _text(response)[:2000]
    assert "Đã tạo 4 buổi học." in _text(client.get(response.headers["Location"]))
    again = _post(client, url, {"start_date": START.isoformat(), "days": "1", "morning": "y",
                                "morning_start": "07:30", "morning_end": "11:30",
                                "afternoon_start": "13:30", "afternoon_end": "17:00"})
    assert again.status_code == 422 and "Lịch mới trùng với buổi học đã có" in _text(again)


def test_enrol_page_searches_without_diacritics_and_enrols_several(client, w, course, f):
    hang2 = f.participant(w.t["commune_b"], full_name="Nguyễn Thị Hằng")
    press = f.participant(w.t["commune"], full_name="Phạm Thu Hà", target_group=TargetGroup.PRESS_STAFF)
    f.participant(w.t["hanoi_commune"], full_name="Nguyễn Thị Hằng Hà Nội")
    login(client, w.district_organizer.email)
    html = _text(client.get(f"/courses/{course.id}/enrol?q=nguyen thi hang"))
    assert html.count('name="participant_ids"') == 2 and "Hà Nội" not in html
    everyone = _text(client.get(f"/courses/{course.id}/enrol"))
    assert everyone.count('name="participant_ids"') == 3 and "Khác đối tượng của chương trình" in everyone
    token = csrf_token_from(html)
    response = client.post(f"/courses/{course.id}/enrol", data={
        "participant_ids": [str(w.participant.id), str(hang2.id), str(press.id)], "csrf_token": token})
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "Đã ghi danh 3 học viên." in page and "Phạm Thu Hà không thuộc nhóm đối tượng" in page
    again = _text(client.get(response.headers["Location"]))  # the flash shown once: one alert, details folded
    assert page.count('role="alert"') == again.count('role="alert"') + 1
    assert re.search(r"<details.*Phạm Thu Hà không thuộc nhóm đối tượng.*</details>", page, re.S)
    assert db.session.scalar(select(func.count(Enrolment.id))) == 3
    assert 'name="participant_ids"' not in _text(client.get(f"/courses/{course.id}/enrol?q=nguyen thi hang"))


def test_enrol_page_reports_a_full_course(client, w, make_course, f):
    course = make_course(capacity=1)
    other = f.participant(w.t["commune"], full_name="Lý Văn Bình")
    login(client, w.organizer.email)
    token = csrf_token_from(_text(client.get(f"/courses/{course.id}/enrol")))
    response = client.post(f"/courses/{course.id}/enrol", data={
        "participant_ids": [str(w.participant.id), str(other.id)], "csrf_token": token})
    assert response.status_code == 422 and "Khóa học chỉ còn 1 chỗ, bạn đã chọn 2 người." in _text(response)
    nobody = client.post(f"/courses/{course.id}/enrol", data={"csrf_token": token})
    assert nobody.status_code == 422 and "Chọn ít nhất một người." in _text(nobody)


def test_withdraw_page(client, w, course):
    enrol_participant(course, w.participant, actor=w.admin)
    login(client, w.organizer.email)
    url = f"/courses/{course.id}/enrolments/{w.participant.id}/withdraw"
    assert _post(client, url, {"reason": ""}).status_code == 422
    response = _post(client, url, {"reason": "Ốm dài ngày"})
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "Đã rút tên Nguyễn Thị Hằng khỏi khóa học." in page and "Ốm dài ngày" in page
    assert client.get(f"/courses/{course.id}/enrolments/999999/withdraw").status_code == 404


def test_enrol_search_carries_the_ticked_people_without_javascript(client, w, course, f):
    """The search button posts the ticks along: they come back as a 'Đã chọn' list, left out of the new results;
    an id the organizer may not see (another province) or that is no id is dropped, nothing is enrolled."""
    binh = f.participant(w.t["commune"], full_name="Hoàng Văn Bình")
    stranger = f.participant(w.t["hanoi_commune"], full_name="Nguyễn Văn Bình")
    login(client, w.district_organizer.email)
    token = csrf_token_from(_text(client.get(f"/courses/{course.id}/enrol")))
    response = client.post(f"/courses/{course.id}/enrol", data={
        "csrf_token": token, "search": "1", "q": "binh",
        "participant_ids": [str(w.participant.id), str(stranger.id)]})
    html = _text(response)
    assert response.status_code == 200 and "Đã chọn 1 người" in html
    chosen = html.split('id="chosen"', 1)[1].split("</section>", 1)[0]
    assert f'value="{w.participant.id}"' in chosen and "checked" in chosen and "Nguyễn Văn Bình" not in html
    results = html.split("<tbody>", 1)[1]
    assert f'value="{binh.id}"' in results and f'value="{w.participant.id}"' not in results
    bad = client.post(f"/courses/{course.id}/enrol", data={"csrf_token": token, "search": "1", "participant_ids": "x"})
    assert bad.status_code == 200 and "Đã chọn 0 người" in _text(bad)
    assert db.session.scalar(select(func.count(Enrolment.id))) == 0
