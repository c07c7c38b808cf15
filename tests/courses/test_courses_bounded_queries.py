"""Lists make the same number of SQL statements whatever the number of rows (10 versus 1,000)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from tests.conftest import login
from tests.courses.helpers import count_statements
from trainer.courses.models import Course, CourseModule, CourseStatus, Enrolment
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.participants.models import Gender, Participant
from trainer.schedule.models import CourseSession

JAN1 = date(2024, 1, 1)


def _add_courses(w, n: int) -> None:
    """`n` more courses in the province, each with a module, a session and an enrolment (bulk inserts)."""
    units = [w.t["district"], w.t["district2"], w.t["commune"]]
    first = db.session.scalar(select(func.max(Course.id))) or 0
    db.session.execute(insert(Course), [
        {"title": f"Lớp {i}", "curriculum_id": w.curriculum.id, "unit_id": units[i % 3].id,
         "unit_name": units[i % 3].name, "venue": "Hội trường", "status": CourseStatus.OPEN,
         "start_date": JAN1 + timedelta(days=i % 300), "end_date": JAN1 + timedelta(days=i % 300 + 1)}
        for i in range(first, first + n)])
    ids = db.session.scalars(select(Course.id).where(Course.id > first)).all()
    db.session.execute(insert(CourseModule), [{"course_id": cid, "code": "M1", "title": "Chuyên đề", "hours": 4}
                                              for cid in ids])
    starts = datetime(2024, 1, 1, 1, tzinfo=UTC)
    db.session.execute(insert(CourseSession), [
        {"course_id": cid, "starts_at": starts, "ends_at": starts + timedelta(hours=4), "hours": Decimal(4),
         "module_codes": ["M1"]} for cid in ids])
    db.session.execute(insert(Enrolment), [{"course_id": cid, "participant_id": w.participant.id} for cid in ids])


def _add_people(w, course: Course, n: int) -> None:
    """`n` more participants of Nhã Nam enrolled in `course`."""
    first = db.session.scalar(select(func.max(Participant.id))) or 0
    db.session.execute(insert(Participant), [
        {"code": f"B{i:07d}", "full_name": f"Học viên {i}", "name_search": f"hoc vien {i}", "gender": Gender.MALE,
         "phone": f"08{i:08d}", "unit_id": w.t["commune"].id, "target_group": TargetGroup.OTHER}
        for i in range(first, first + n)])
    ids = db.session.scalars(select(Participant.id).where(Participant.id > first)).all()
    db.session.execute(insert(Enrolment), [
        {"course_id": course.id, "participant_id": pid, "target_group_mismatch": True} for pid in ids])


def _statements(get) -> int:
    """Statements run by one request (after a first call, so that one-off work such as issuing a token is done)."""
    get()
    with count_statements() as statements:
        response = get()
    assert response.status_code == 200
    return len(statements)


def test_course_list_page_is_bounded(client, w):
    login(client, w.organizer.email)
    _add_courses(w, 10)
    few = _statements(lambda: client.get("/courses/"))
    _add_courses(w, 990)
    many_response = client.get("/courses/")
    assert "1000 khóa học" in many_response.get_data(as_text=True)
    assert _statements(lambda: client.get("/courses/")) == few


def test_course_list_api_is_bounded(api, w):
    _add_courses(w, 10)
    few = _statements(lambda: api(w.organizer, "GET", "/api/v1/courses?per_page=200"))
    _add_courses(w, 990)
    data = api(w.organizer, "GET", "/api/v1/courses?per_page=200").json
    assert data["total"] == 1000 and len(data["items"]) == 200
    assert {(i["enrolled_count"], i["sessions_count"], i["scheduled_hours"]) for i in data["items"]} == {(1, 1, 4)}
    assert _statements(lambda: api(w.organizer, "GET", "/api/v1/courses?per_page=200")) == few


def test_course_detail_and_enrolment_list_are_bounded(client, api, w, course):
    login(client, w.organizer.email)
    _add_people(w, course, 10)
    page = _statements(lambda: client.get(f"/courses/{course.id}"))
    listed = _statements(lambda: api(w.organizer, "GET", f"/api/v1/courses/{course.id}/enrollments?per_page=200"))
    _add_people(w, course, 290)
    assert _statements(lambda: client.get(f"/courses/{course.id}")) == page
    assert _statements(lambda: api(w.organizer, "GET", f"/api/v1/courses/{course.id}/enrollments?per_page=200")) \
        == listed
