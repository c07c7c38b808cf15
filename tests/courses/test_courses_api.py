"""The courses API per the contract (/work/shared/API.md): status codes, shapes, scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.courses.helpers import START
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.courses.models import Course, Enrolment, EnrolmentStatus
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.schedule.models import CourseSession


def _body(**overrides) -> dict:
    """A valid POST /courses body with `overrides`."""
    body = {"title": "Lớp bồi dưỡng CT1 huyện Tân Yên", "curriculum_code": "CT1", "unit_code": "216",
            "venue": "Hội trường UBND huyện Tân Yên", "start_date": START.isoformat(),
            "end_date": (START + timedelta(days=2)).isoformat(), "capacity": 40}
    body.update(overrides)
    return body


def test_create_course_201(w, api):
    response = api(w.organizer, "POST", "/api/v1/courses", _body())
    assert response.status_code == 201, response.json
    data = response.json
    assert data["id"] and data["title"] == "Lớp bồi dưỡng CT1 huyện Tân Yên" and data["status"] == "draft"
    assert (data["curriculum_code"], data["unit_code"], data["unit_name"], data["capacity"]) == (
        "CT1", "216", "Huyện Tân Yên", 40)
    assert [m["code"] for m in data["modules"]] == ["CT1.1", "CT1.2", "CT1.3"] and data["planned_hours"] == 6
    assert data["warnings"][0] == "Chưa lên lịch buổi học nào."
    # START lies after 1 July 2025: a district of the 2024 list issues nothing then, the organizer chooses who does
    assert data["warnings"][1].startswith("Không có cơ quan ban hành mặc định cho Huyện Tân Yên")
    assert db.session.get(Course, data["id"]) is not None


def test_create_course_with_unknown_codes_is_422_with_fields(w, api):
    bad_curriculum = api(w.organizer, "POST", "/api/v1/courses", _body(curriculum_code="CT9"))
    assert bad_curriculum.status_code == 422
    assert bad_curriculum.json["error"]["code"] == "unknown_curriculum"
    assert "curriculum_code" in bad_curriculum.json["error"]["fields"]
    bad_unit = api(w.organizer, "POST", "/api/v1/courses", _body(unit_code="99999"))
    assert bad_unit.status_code == 422 and bad_unit.json["error"]["fields"] == {
        "unit_code": "Không có đơn vị hành chính mã “99999” trong danh mục 2024."}


def test_create_course_bad_dates_and_capacity_are_422(w, api):
    for body, field in [(_body(start_date="01/10/2024"), "start_date"), (_body(end_date="2024-02-30"), "end_date"),
                        (_body(capacity="forty"), "capacity"), (_body(venue=""), "venue")]:
        response = api(w.organizer, "POST", "/api/v1/courses", body)
        assert response.status_code == 422 and field in response.json["error"]["fields"], body


def test_create_course_malformed_json_is_400(w, api):
    response = api(w.organizer, "POST", "/api/v1/courses", ["not", "an", "object"])
    assert response.status_code == 400 and response.json["error"]["code"] == "malformed_json"


def test_create_course_outside_scope_is_403_and_reviewer_403(w, api):
    outside = api(w.other_organizer, "POST", "/api/v1/courses", _body())
    assert outside.status_code == 403 and outside.json["error"]["code"] == "unit_out_of_scope"
    assert api(w.reviewer, "POST", "/api/v1/courses", _body()).status_code == 403


def test_list_courses_with_figures_and_filters(w, api, make_course, f):
    course = make_course(capacity=30)
    make_course(unit=w.t["district2"], start_date=date(2023, 5, 2), end_date=date(2023, 5, 3))
    make_course(unit=w.t["hanoi"], actor=w.admin)
    db.session.add(Enrolment(course=course, participant=w.participant))
    api(w.admin, "POST", f"/api/v1/courses/{course.id}/sessions",
        {"starts_at": f"{START}T07:30:00", "ends_at": f"{START}T11:30:00"})
    response = api(w.organizer, "GET", "/api/v1/courses")
    assert response.status_code == 200
    data = response.json
    assert (data["total"], data["page"], data["per_page"]) == (2, 1, 50)
    first = data["items"][0]
    assert (first["id"], first["enrolled_count"], first["sessions_count"], first["scheduled_hours"]) == (
        course.id, 1, 1, 4)
    assert api(w.organizer, "GET", "/api/v1/courses?year=2023").json["total"] == 1
    assert api(w.organizer, "GET", "/api/v1/courses?unit=216").json["items"][0]["id"] == course.id
    assert api(w.organizer, "GET", "/api/v1/courses?unit=24").json["total"] == 2  # a unit takes its subtree
    assert api(w.organizer, "GET", "/api/v1/courses?curriculum=CT2").json["total"] == 0
    assert api(w.organizer, "GET", "/api/v1/courses?status=open").json["total"] == 2
    assert api(w.organizer, "GET", "/api/v1/courses?per_page=1&page=2").json["items"][0]["unit_code"] == "217"
    assert api(w.admin, "GET", "/api/v1/courses").json["total"] == 3


def test_list_courses_bad_arguments(w, api):
    assert api(w.organizer, "GET", "/api/v1/courses?status=done").status_code == 422
    assert api(w.organizer, "GET", "/api/v1/courses?per_page=500").status_code == 400
    assert api(w.organizer, "GET", "/api/v1/courses?unit=nope").status_code == 422


def test_get_course_is_scoped(w, api, course):
    assert api(w.reviewer, "GET", f"/api/v1/courses/{course.id}").json["id"] == course.id
    hidden = api(w.other_organizer, "GET", f"/api/v1/courses/{course.id}")
    assert hidden.status_code == 404 and hidden.json["error"]["code"] == "not_found"


def test_patch_course(w, api, course):
    response = api(w.organizer, "PATCH", f"/api/v1/courses/{course.id}", {"venue": "Nhà văn hóa xã", "capacity": None})
    assert response.status_code == 200 and response.json["venue"] == "Nhà văn hóa xã"
    assert response.json["capacity"] is None and response.json["title"] == "Lớp thử"
    assert api(w.reviewer, "PATCH", f"/api/v1/courses/{course.id}", {"venue": "x"}).status_code == 403
    assert api(w.other_organizer, "PATCH", f"/api/v1/courses/{course.id}", {"venue": "x"}).status_code == 404


def test_patch_status_cancelled_needs_a_reason(w, api, course):
    url = f"/api/v1/courses/{course.id}"
    refused = api(w.organizer, "PATCH", url, {"status": "cancelled"})
    assert refused.status_code == 422 and refused.json["error"]["code"] == "reason_required"
    done = api(w.organizer, "PATCH", url, {"status": "cancelled", "cancel_reason": "Bão số 3"})
    assert done.status_code == 200 and (done.json["status"], done.json["cancel_reason"]) == ("cancelled", "Bão số 3")
    assert done.json["cancelled_at"].endswith("+07:00")
    again = api(w.organizer, "PATCH", url, {"venue": "x"})
    assert again.status_code == 409 and again.json["error"]["code"] == "course_cancelled"


def test_patch_bad_transition_is_409(w, api, course):
    response = api(w.organizer, "PATCH", f"/api/v1/courses/{course.id}", {"status": "finished"})
    assert response.status_code == 409 and response.json["error"]["code"] == "invalid_transition"


# --- sessions ------------------------------------------------------------------------------------


def test_create_session_201_with_hours_and_local_times(w, api, course):
    url = f"/api/v1/courses/{course.id}/sessions"
    response = api(w.organizer, "POST", url, {"starts_at": f"{START}T07:30:00", "ends_at": f"{START}T04:00:00Z",
                                              "title": "Buổi 1", "module_codes": ["CT1.1"],
                                              "trainer_name": "Lê Thị Thu"})
    assert response.status_code == 201, response.json
    data = response.json
    assert (data["hours"], data["starts_at"], data["ends_at"]) == (
        3.5, f"{START}T07:30:00+07:00", f"{START}T11:00:00+07:00")
    assert (data["module_codes"], data["trainer_name"], data["title"]) == (["CT1.1"], "Lê Thị Thu", "Buổi 1")
    listed = api(w.reviewer, "GET", url).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == data["id"]


def test_create_session_errors(w, api, course):
    url = f"/api/v1/courses/{course.id}/sessions"
    cases = [({"starts_at": "tomorrow", "ends_at": f"{START}T09:00"}, 422, "invalid_datetime"),
             ({"starts_at": f"{START}T09:00", "ends_at": f"{START}T08:00"}, 422, "invalid_session_times"),
             ({"starts_at": "2020-01-01T09:00", "ends_at": "2020-01-01T10:00"}, 422, "session_outside_course"),
             ({"starts_at": f"{START}T09:00", "ends_at": f"{START}T10:00", "module_codes": ["X"]}, 422,
              "unknown_module"),
             ({"starts_at": f"{START}T09:00", "ends_at": f"{START}T10:00", "module_codes": "CT1.1"}, 422,
              "validation_error")]
    for body, status, code in cases:
        response = api(w.organizer, "POST", url, body)
        assert (response.status_code, response.json["error"]["code"]) == (status, code), body
    assert api(w.reviewer, "POST", url, cases[0][0]).status_code == 403


def test_patch_and_delete_session(w, api, course):
    url = f"/api/v1/courses/{course.id}/sessions"
    created = api(w.organizer, "POST", url, {"starts_at": f"{START}T07:30", "ends_at": f"{START}T11:30"}).json
    patched = api(w.organizer, "PATCH", f"{url}/{created['id']}", {"ends_at": f"{START}T10:30+07:00"})
    assert patched.status_code == 200 and patched.json["hours"] == 3
    db.session.add(AttendanceRecord(course_session_id=created["id"], participant_id=w.participant.id,
                                    method=AttendanceMethod.MANUAL))
    refused = api(w.organizer, "DELETE", f"{url}/{created['id']}")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "session_has_attendance"
    other = api(w.organizer, "POST", url, {"starts_at": f"{START}T13:30", "ends_at": f"{START}T17:00"}).json
    assert api(w.organizer, "DELETE", f"{url}/{other['id']}").status_code == 204
    assert db.session.get(CourseSession, other["id"]) is None
    assert api(w.organizer, "DELETE", f"{url}/{other['id']}").status_code == 404


def test_create_timetable(w, api, course):
    url = f"/api/v1/courses/{course.id}/timetable"
    response = api(w.organizer, "POST", url, {"start_date": START.isoformat(), "days": 3, "skip_weekends": False,
                                              "slots": [{"start": "8:00", "end": "11:00"}]})
    assert response.status_code == 201 and response.json["total"] == 3
    assert [s["module_codes"] for s in response.json["items"]] == [["CT1.1", "CT1.2"], ["CT1.2", "CT1.3"], []]
    again = api(w.organizer, "POST", url, {"start_date": START.isoformat(), "days": 1})
    assert again.status_code == 409 and again.json["error"]["code"] == "timetable_overlap"
    bad = api(w.organizer, "POST", url, {"start_date": START.isoformat(), "days": 1, "slots": [{"start": "25:00"}]})
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_time"


# --- enrolments ----------------------------------------------------------------------------------


def test_enrol_201_then_409_again(w, api, course):
    url = f"/api/v1/courses/{course.id}/enrollments"
    first = api(w.organizer, "POST", url, {"participant_id": w.participant.id})
    assert first.status_code == 201, first.json
    assert (first.json["participant_id"], first.json["status"], first.json["warnings"]) == (
        w.participant.id, "enrolled", [])
    assert first.json["participant"]["unit_name"] == "Thị trấn Nhã Nam"
    again = api(w.organizer, "POST", url, {"participant_id": w.participant.id})
    assert again.status_code == 409 and again.json["error"]["code"] == "already_enrolled"


def test_enrol_over_capacity_is_409(w, api, make_course, f):
    course = make_course(capacity=1)
    url = f"/api/v1/courses/{course.id}/enrollments"
    assert api(w.organizer, "POST", url, {"participant_id": w.participant.id}).status_code == 201
    full = api(w.organizer, "POST", url, {"participant_id": f.participant(w.t["commune"]).id})
    assert full.status_code == 409 and full.json["error"]["code"] == "course_full"


def test_enrol_mismatch_answers_with_warnings(w, api, course, f):
    press = f.participant(w.t["commune"], full_name="Phạm Thu Hà", target_group=TargetGroup.PRESS_STAFF)
    response = api(w.organizer, "POST", f"/api/v1/courses/{course.id}/enrollments", {"participant_id": press.id})
    assert response.status_code == 201 and response.json["target_group_mismatch"] is True
    assert response.json["warnings"] == [
        "Phạm Thu Hà không thuộc nhóm đối tượng của chương trình CT1; vẫn được ghi danh."]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({}, 422, "required"), ({"participant_id": "7"}, 422, "validation_error"),
    ({"participant_id": 999_999}, 404, "participant_not_found")])
def test_enrol_bad_participant(w, api, course, body, status, code):
    response = api(w.organizer, "POST", f"/api/v1/courses/{course.id}/enrollments", body)
    assert (response.status_code, response.json["error"]["code"]) == (status, code)


def test_enrol_someone_out_of_scope_is_404(w, api, course, f):
    stranger = f.participant(w.t["hanoi_commune"])
    response = api(w.organizer, "POST", f"/api/v1/courses/{course.id}/enrollments", {"participant_id": stranger.id})
    assert response.status_code == 404 and response.json["error"]["code"] == "participant_not_found"


def test_enrol_in_a_cancelled_course_is_409(w, api, course):
    api(w.organizer, "PATCH", f"/api/v1/courses/{course.id}", {"status": "cancelled", "cancel_reason": "Bão"})
    response = api(w.organizer, "POST", f"/api/v1/courses/{course.id}/enrollments",
                   {"participant_id": w.participant.id})
    assert response.status_code == 409 and response.json["error"]["code"] == "course_closed"


def test_list_and_withdraw_enrolments(w, api, course, f):
    url = f"/api/v1/courses/{course.id}/enrollments"
    other = f.participant(w.t["commune_b"], full_name="Đỗ Văn An")
    for person in (w.participant, other):
        api(w.organizer, "POST", url, {"participant_id": person.id})
    missing_reason = api(w.organizer, "POST", f"{url}/{other.id}/withdraw", {})
    assert missing_reason.status_code == 422 and missing_reason.json["error"]["code"] == "reason_required"
    withdrawn = api(w.organizer, "POST", f"{url}/{other.id}/withdraw", {"reason": "Nghỉ thai sản"})
    assert withdrawn.status_code == 200
    assert (withdrawn.json["status"], withdrawn.json["withdraw_reason"]) == ("withdrawn", "Nghỉ thai sản")
    listed = api(w.reviewer, "GET", url).json
    assert [(i["participant"]["full_name"], i["status"]) for i in listed["items"]] == [
        ("Đỗ Văn An", "withdrawn"), ("Nguyễn Thị Hằng", "enrolled")]
    assert api(w.reviewer, "GET", f"{url}?status=enrolled").json["total"] == 1
    assert api(w.organizer, "POST", f"{url}/{w.t['commune'].id + 999}/withdraw", {"reason": "x"}).status_code == 404
    assert api(w.reviewer, "POST", f"{url}/{w.participant.id}/withdraw", {"reason": "x"}).status_code == 403


def test_withdraw_after_the_course_started_is_409(w, api, make_course):
    today = date.today()
    course = make_course(start_date=today - timedelta(days=1), end_date=today + timedelta(days=1))
    url = f"/api/v1/courses/{course.id}/enrollments"
    api(w.organizer, "POST", url, {"participant_id": w.participant.id})
    response = api(w.organizer, "POST", f"{url}/{w.participant.id}/withdraw", {"reason": "Ốm"})
    assert response.status_code == 409 and response.json["error"]["code"] == "course_started"
    assert db.session.scalar(select(Enrolment.status)) is EnrolmentStatus.ENROLLED


def test_other_province_organizer_gets_404_everywhere(w, api, course):
    base = f"/api/v1/courses/{course.id}"
    for method, url, body in [("GET", f"{base}/sessions", None), ("GET", f"{base}/enrollments", None),
                              ("POST", f"{base}/sessions", {}), ("POST", f"{base}/timetable", {}),
                              ("POST", f"{base}/enrollments", {"participant_id": w.participant.id})]:
        assert api(w.other_organizer, method, url, body).status_code == 404, url
