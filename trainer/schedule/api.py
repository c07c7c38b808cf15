"""JSON API of sessions: schedule, list, change and delete a course's sessions; lay out a timetable
(see /work/shared/API.md and schedule/openapi.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user

from trainer.core.api import (
    invalid,
    iso,
    json_body,
    number,
    optional_int,
    paginated,
    parse_date,
    parse_datetime,
    parse_time,
    str_list,
)
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, get_or_404_for
from trainer.courses.models import Course
from trainer.courses.queries import list_sessions
from trainer.extensions import db
from trainer.schedule.models import CourseSession
from trainer.schedule.services import DEFAULT_SLOTS, add_session, delete_session, generate_timetable, update_session

bp = Blueprint("schedule_api", __name__, url_prefix="/api/v1")


# --- output --------------------------------------------------------------------------------------


def session_json(course_session: CourseSession) -> dict[str, Any]:
    """A session with local-time ISO datetimes and its computed hours."""
    return {"id": course_session.id, "course_id": course_session.course_id, "title": course_session.title,
            "starts_at": iso(course_session.starts_at), "ends_at": iso(course_session.ends_at),
            "hours": number(course_session.hours), "module_codes": list(course_session.module_codes or []),
            "trainer_name": course_session.trainer_name, "venue": course_session.venue,
            "lecturer_ids": [lecturer.id for lecturer in course_session.lecturers]}


# --- sessions ------------------------------------------------------------------------------------


def _session_args(data: dict[str, Any]) -> dict[str, Any]:
    """add_session/update_session arguments from a JSON body."""
    return {"starts_at": parse_datetime(data.get("starts_at"), "starts_at"),
            "ends_at": parse_datetime(data.get("ends_at"), "ends_at"), "title": data.get("title") or "",
            "module_codes": str_list(data, "module_codes"), "trainer_name": data.get("trainer_name") or "",
            "venue": data.get("venue") or "", "lecturer_ids": data.get("lecturer_ids")}


def _get_session(course_id: int, session_id: int, need: Need) -> CourseSession:
    """A session of a course the caller may reach with `need`; 404 otherwise."""
    course = get_or_404_for(Course, course_id, need)
    course_session = db.session.get(CourseSession, session_id)
    if course_session is None or course_session.course_id != course.id:
        raise DomainError("not_found", "Không tìm thấy buổi học.", status=404)
    return course_session


@bp.post("/courses/<int:course_id>/sessions")
def create_session_api(course_id: int) -> ResponseReturnValue:
    """Schedule a session: `{starts_at, ends_at, title?, module_codes?, trainer_name?, venue?}`."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    course_session = add_session(course, actor=current_user, **_session_args(json_body()))
    db.session.commit()
    return session_json(course_session), 201


@bp.get("/courses/<int:course_id>/sessions")
def list_sessions_api(course_id: int) -> ResponseReturnValue:
    """A course's sessions in time order."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    return paginated(list_sessions(course), session_json)


@bp.patch("/courses/<int:course_id>/sessions/<int:session_id>")
def update_session_api(course_id: int, session_id: int) -> ResponseReturnValue:
    """Change a session; fields left out keep their values."""
    course_session = _get_session(course_id, session_id, Need.MANAGE)
    current = session_json(course_session)
    data = {**current, **json_body()}
    update_session(course_session, actor=current_user, **_session_args(data))
    db.session.commit()
    return session_json(course_session)


@bp.delete("/courses/<int:course_id>/sessions/<int:session_id>")
def delete_session_api(course_id: int, session_id: int) -> ResponseReturnValue:
    """Delete a session nobody has attended (409 `session_has_attendance` otherwise)."""
    delete_session(_get_session(course_id, session_id, Need.MANAGE), actor=current_user)
    db.session.commit()
    return "", 204


@bp.post("/courses/<int:course_id>/timetable")
def create_timetable_api(course_id: int) -> ResponseReturnValue:
    """Create N days of sessions at once: `{start_date, days, slots?: [{start, end}], skip_weekends?}`."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    data = json_body()
    raw_slots = data.get("slots")
    if raw_slots is None:
        slots = list(DEFAULT_SLOTS)
    elif isinstance(raw_slots, list) and all(isinstance(s, dict) for s in raw_slots):
        slots = [(parse_time(s.get("start"), "slots"), parse_time(s.get("end"), "slots")) for s in raw_slots]
    else:
        raise invalid("slots", "slots phải là danh sách {start: \"HH:MM\", end: \"HH:MM\"}.", "invalid_slots")
    days = optional_int(data, "days")
    created = generate_timetable(course, parse_date(data.get("start_date"), "start_date"),
                                 days if days is not None else 0, slots, bool(data.get("skip_weekends", True)),
                                 current_user, trainer_name=data.get("trainer_name") or "",
                                 lecturer_ids=data.get("lecturer_ids") or ())
    db.session.commit()
    return {"items": [session_json(s) for s in created], "total": len(created)}, 201
