"""Role × scope expectations of the schedule endpoints (see tests/matrix_helpers.py)."""

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


MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    # Everyone logged in has a calendar; its content is scoped (tests/schedule/test_calendar.py).
    "schedule.index": ("GET", "/schedule/?view=month&date=2024-10-01", None, all_staff()),
    "schedule.session_new": ("GET", lambda w: f"{_course(w)}/sessions/new", None, scoped_manage()),
    "schedule.session_edit": ("GET", lambda w: f"{_course(w)}/sessions/{w['course_session'].id}/edit", None,
                              scoped_manage()),
    "schedule.session_delete": ("POST", lambda w: f"{_course(w)}/sessions/{w['session_page_delete'].id}/delete", {},
                                scoped_manage(302)),
    "schedule.timetable": ("GET", lambda w: f"{_course(w)}/timetable", None, scoped_manage()),
    "schedule_api.create_session_api": ("POST", lambda w: f"{_api(w)}/sessions", {}, scoped_manage(422, api=True)),
    "schedule_api.list_sessions_api": ("GET", lambda w: f"{_api(w)}/sessions", None, scoped_view(api=True)),
    "schedule_api.update_session_api": ("PATCH", lambda w: f"{_api(w)}/sessions/{w['course_session'].id}",
                                        {"starts_at": "bad"}, scoped_manage(422, api=True)),
    "schedule_api.delete_session_api": ("DELETE", lambda w: f"{_api(w)}/sessions/{w['session_api_delete'].id}", None,
                                        scoped_manage(204, api=True)),
    "schedule_api.create_timetable_api": ("POST", lambda w: f"{_api(w)}/timetable", {},
                                          scoped_manage(422, api=True)),
}


def _session(world: dict[str, Any], start_hour: int) -> CourseSession:
    """A two-hour session of the world course on 1/10/2024 from `start_hour` UTC."""
    starts = datetime(2024, 10, 1, start_hour, tzinfo=UTC)
    course_session = CourseSession(course=world["course"], starts_at=starts,
                                   ends_at=starts.replace(hour=start_hour + 2), hours=2, module_codes=[])
    db.session.add(course_session)
    return course_session


def build(world: dict[str, Any], f: Any) -> None:
    """Add the objects these endpoints need to the world: sessions of the course."""
    world["course_session"] = _session(world, 1)
    world["session_page_delete"] = _session(world, 6)
    world["session_api_delete"] = _session(world, 9)
    db.session.flush()
