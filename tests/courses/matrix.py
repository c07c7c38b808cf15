"""Role × scope expectations of the courses endpoints (see tests/matrix_helpers.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.matrix_helpers import LOGIN, all_staff, only_admin, organizers, scoped_manage, scoped_view  # noqa: F401
from trainer.extensions import db
from trainer.schedule.models import CourseSession


def _course(world: dict[str, Any]) -> str:
    """The world course's page."""
    return f"/courses/{world['course'].id}"


def _api(world: dict[str, Any]) -> str:
    """The world course's API URL."""
    return f"/api/v1/courses/{world['course'].id}"


# Bodies are chosen so that an allowed caller gets a stable answer (often a refusal of the input),
# whichever endpoints ran before in the same role's pass.
MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "courses.index": ("GET", "/courses/", None, all_staff()),
    "courses.new": ("GET", "/courses/new", None, organizers()),
    "courses.detail": ("GET", _course, None, scoped_view()),
    "courses.edit": ("GET", lambda w: f"{_course(w)}/edit", None, scoped_manage()),
    "courses.cancel": ("GET", lambda w: f"{_course(w)}/cancel", None, scoped_manage()),
    "courses.change_status": ("POST", lambda w: f"/courses/{w['status_course'].id}/status", {"status": "running"},
                              scoped_manage(302)),
    "courses.session_new": ("GET", lambda w: f"{_course(w)}/sessions/new", None, scoped_manage()),
    "courses.session_edit": ("GET", lambda w: f"{_course(w)}/sessions/{w['course_session'].id}/edit", None,
                             scoped_manage()),
    "courses.session_delete": ("POST", lambda w: f"{_course(w)}/sessions/{w['session_page_delete'].id}/delete", {},
                               scoped_manage(302)),
    "courses.timetable": ("GET", lambda w: f"{_course(w)}/timetable", None, scoped_manage()),
    "courses.enrol": ("GET", lambda w: f"{_course(w)}/enrol?q=hang", None, scoped_manage()),
    "courses.withdraw": ("GET", lambda w: f"{_course(w)}/enrolments/{w['participant'].id}/withdraw", None,
                         scoped_manage()),
    "courses_api.create_course_api": ("POST", "/api/v1/courses", {"curriculum_code": "CT9"},
                                      organizers(422, api=True)),
    "courses_api.list_courses_api": ("GET", "/api/v1/courses", None, all_staff(api=True)),
    "courses_api.get_course_api": ("GET", _api, None, scoped_view(api=True)),
    "courses_api.update_course_api": ("PATCH", _api, {"status": "nope"}, scoped_manage(422, api=True)),
    "courses_api.create_session_api": ("POST", lambda w: f"{_api(w)}/sessions", {}, scoped_manage(422, api=True)),
    "courses_api.list_sessions_api": ("GET", lambda w: f"{_api(w)}/sessions", None, scoped_view(api=True)),
    "courses_api.update_session_api": ("PATCH", lambda w: f"{_api(w)}/sessions/{w['course_session'].id}",
                                       {"starts_at": "bad"}, scoped_manage(422, api=True)),
    "courses_api.delete_session_api": ("DELETE", lambda w: f"{_api(w)}/sessions/{w['session_api_delete'].id}", None,
                                       scoped_manage(204, api=True)),
    "courses_api.create_timetable_api": ("POST", lambda w: f"{_api(w)}/timetable", {}, scoped_manage(422, api=True)),
    "courses_api.create_enrolment_api": ("POST", lambda w: f"{_api(w)}/enrollments",
                                         lambda w: {"participant_id": w["participant"].id},
                                         scoped_manage(409, api=True)),
    "courses_api.list_enrolments_api": ("GET", lambda w: f"{_api(w)}/enrollments", None, scoped_view(api=True)),
    "courses_api.withdraw_enrolment_api": ("POST", lambda w: f"{_api(w)}/enrollments/{w['participant'].id}/withdraw",
                                           {}, scoped_manage(422, api=True)),
}


def _session(world: dict[str, Any], start_hour: int) -> CourseSession:
    """A two-hour session of the world course on 1/10/2024 from `start_hour` UTC."""
    starts = datetime(2024, 10, 1, start_hour, tzinfo=UTC)
    course_session = CourseSession(course=world["course"], starts_at=starts,
                                   ends_at=starts.replace(hour=start_hour + 2), hours=2, module_codes=[])
    db.session.add(course_session)
    return course_session


def build(world: dict[str, Any], f: Any) -> None:
    """Add the objects these endpoints need to the world: sessions of the course and a second course."""
    world["course_session"] = _session(world, 1)
    world["session_page_delete"] = _session(world, 6)
    world["session_api_delete"] = _session(world, 9)
    world["status_course"] = f.course(world["district"], world["curriculum"])
    db.session.flush()
