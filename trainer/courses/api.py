"""JSON API of courses and enrolments (see /work/shared/API.md and courses/openapi.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.core.api import choice_arg, int_arg, invalid, iso, json_body, number, optional_int, paginated, parse_date
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, get_or_404_for, require
from trainer.courses import queries
from trainer.courses.issuer import FIELD_NAMES, course_issuer_fields, issuer_warnings, set_course_issuer
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.courses.rules import update_course_rules
from trainer.courses.services import (
    change_course_status,
    course_warnings,
    create_course,
    enrol_participant,
    enrolment_warnings,
    get_curriculum_by_code,
    update_course,
    withdraw_enrolment,
)
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.units.services import get_unit

bp = Blueprint("courses_api", __name__, url_prefix="/api/v1")


# --- input ---------------------------------------------------------------------------------------


def _status(value: Any, field: str = "status") -> CourseStatus:
    """A course status from the body (422 invalid_status otherwise)."""
    try:
        return CourseStatus(value)
    except ValueError:
        raise invalid(field, f"Trạng thái phải là một trong: {', '.join(s.value for s in CourseStatus)}.",
                      "invalid_status") from None


# --- output --------------------------------------------------------------------------------------


def course_json(course: Course, figures: dict[str, Any]) -> dict[str, Any]:
    """A course with its figures (enrolled_count, sessions_count, scheduled_hours, planned_hours)."""
    return {"id": course.id, "title": course.title, "curriculum_code": course.curriculum.code,
            "unit_code": course.unit.code, "unit_scheme": course.unit.scheme, "unit_name": course.unit_name,
            "venue": course.venue, "start_date": course.start_date.isoformat(),
            "end_date": course.end_date.isoformat(), "capacity": course.capacity, "status": course.status.value,
            "description": course.description, "cancel_reason": course.cancel_reason,
            "cancelled_at": iso(course.cancelled_at), "enrolled_count": figures["enrolled_count"],
            "sessions_count": figures["sessions_count"], "scheduled_hours": number(figures["scheduled_hours"]),
            "planned_hours": number(figures["planned_hours"]), **course_issuer_fields(course)}


def _course_row_json(row: Any) -> dict[str, Any]:
    """course_json of a list row (Course, figures...)."""
    return course_json(row[0], row._mapping)


def course_detail_json(course: Course) -> dict[str, Any]:
    """A course with its planned modules and warnings, as GET /courses/{id} answers."""
    figures = queries.get_course_figures(course)
    body = course_json(course, figures)
    body["modules"] = [{"code": m.code, "title": m.title, "hours": number(m.hours)} for m in course.modules]
    body["rules"] = {"checkin_opens_minutes": course.checkin_opens_minutes,
                     "late_after_minutes": course.late_after_minutes,
                     "completion_threshold": float(course.completion_threshold)
                     if course.completion_threshold is not None else None,
                     "issues_certificates": course.issues_certificates}
    body["warnings"] = course_warnings(course, planned_hours=figures["planned_hours"],
                                       scheduled_hours=figures["scheduled_hours"],
                                       sessions_count=figures["sessions_count"]) + issuer_warnings(course)
    return body


def enrolment_json(enrolment: Enrolment) -> dict[str, Any]:
    """An enrolment with the participant's name, commune and target group."""
    person = enrolment.participant
    return {"id": enrolment.id, "course_id": enrolment.course_id, "participant_id": enrolment.participant_id,
            "participant": {"code": person.code, "full_name": person.full_name, "unit_code": person.unit.code,
                            "unit_name": person.unit.name, "target_group": person.target_group.value},
            "status": enrolment.status.value, "enrolled_at": iso(enrolment.enrolled_at),
            "target_group_mismatch": enrolment.target_group_mismatch, "withdrawn_at": iso(enrolment.withdrawn_at),
            "withdraw_reason": enrolment.withdraw_reason}


# --- courses -------------------------------------------------------------------------------------


@bp.post("/courses")
def create_course_api() -> ResponseReturnValue:
    """Plan a course: `{title, curriculum_code, unit_code, venue, start_date, end_date, capacity?, status?}`."""
    require(Need.MANAGE)
    data = json_body()
    curriculum = get_curriculum_by_code(data.get("curriculum_code"))
    unit = get_unit(data.get("unit_code"), scheme=data.get("scheme"), field="unit_code")
    course = create_course(curriculum=curriculum, unit=unit, title=data.get("title"), venue=data.get("venue"),
                           start_date=parse_date(data.get("start_date"), "start_date"),
                           end_date=parse_date(data.get("end_date"), "end_date"),
                           capacity=optional_int(data, "capacity"),
                           status=_status(data.get("status", CourseStatus.DRAFT.value)),
                           description=data.get("description") or "", actor=current_user)
    issuer = {name: data[name] for name in FIELD_NAMES if data.get(name)}
    if issuer:
        set_course_issuer(course, issuer, actor=current_user)
    db.session.commit()
    return course_detail_json(course), 201


@bp.get("/courses")
def list_courses_api() -> ResponseReturnValue:
    """Courses in the caller's scope: `?year=&unit=&curriculum=&status=&scheme=`, with their figures."""
    year = int_arg("year", 0, minimum=1900, maximum=2100) or None
    unit = get_unit(request.args["unit"], scheme=request.args.get("scheme"), field="unit") \
        if request.args.get("unit") else None
    status = choice_arg("status", [s.value for s in CourseStatus])
    stmt = queries.list_courses(current_user, year=year, unit=unit, curriculum_code=request.args.get("curriculum"),
                                status=CourseStatus(status) if status else None)
    return paginated(stmt, _course_row_json, scalars=False)


@bp.get("/courses/<int:course_id>")
def get_course_api(course_id: int) -> ResponseReturnValue:
    """One course with its planned modules, figures and warnings."""
    return course_detail_json(get_or_404_for(Course, course_id, Need.VIEW))


@bp.patch("/courses/<int:course_id>")
def update_course_api(course_id: int) -> ResponseReturnValue:
    """Change some fields of a course; `status` moves it along (`cancelled` needs `cancel_reason`)."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    data = json_body()
    fields = {"title", "venue", "start_date", "end_date", "capacity", "unit_code", "description"}
    if fields & data.keys():
        update_course(
            course, title=data.get("title", course.title), venue=data.get("venue", course.venue),
            start_date=parse_date(data["start_date"], "start_date") if "start_date" in data else course.start_date,
            end_date=parse_date(data["end_date"], "end_date") if "end_date" in data else course.end_date,
            capacity=optional_int(data, "capacity") if "capacity" in data else course.capacity,
            unit=get_unit(data["unit_code"], scheme=data.get("scheme"), field="unit_code")
            if "unit_code" in data else course.unit,
            description=data.get("description"), actor=current_user)
    if "status" in data:
        change_course_status(course, _status(data["status"]), cancel_reason=data.get("cancel_reason"),
                             actor=current_user)
    if set(FIELD_NAMES) & data.keys():
        set_course_issuer(course, {name: data[name] for name in FIELD_NAMES if name in data}, actor=current_user)
    rules = {"checkin_opens_minutes", "late_after_minutes", "completion_threshold", "issues_certificates"}
    if rules & data.keys():
        update_course_rules(course, actor=current_user, checkin_opens_minutes=data.get("checkin_opens_minutes"),
                            late_after_minutes=data.get("late_after_minutes"),
                            completion_threshold=data.get("completion_threshold", "keep"),
                            issues_certificates=data.get("issues_certificates"))
    db.session.commit()
    return course_detail_json(course)


# --- enrolments ----------------------------------------------------------------------------------


def _get_enrolment(course: Course, participant_id: int) -> Enrolment:
    """The enrolment of a participant in `course`; 404 not_enrolled otherwise."""
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id,
                                                          Enrolment.participant_id == participant_id))
    if enrolment is None:
        raise DomainError("not_enrolled", "Học viên này không có trong khóa học.", status=404)
    return enrolment


@bp.post("/courses/<int:course_id>/enrollments")
def create_enrolment_api(course_id: int) -> ResponseReturnValue:
    """Enrol a participant: `{participant_id}` → 201 with `warnings`; again or over capacity: 409."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    participant_id = optional_int(json_body(), "participant_id")
    if participant_id is None:
        raise invalid("participant_id", "Nhập participant_id (số nguyên).", "required")
    participant = db.session.get(Participant, participant_id)
    if participant is None:
        raise DomainError("participant_not_found", "Không tìm thấy học viên.", status=404)
    try:
        enrolment = enrol_participant(course, participant, actor=current_user)
    except IntegrityError:  # another request enrolled the same person at the same moment
        db.session.rollback()
        raise DomainError("already_enrolled", "Học viên đã được ghi danh vào khóa học này.", status=409) from None
    body = {**enrolment_json(enrolment), "warnings": enrolment_warnings(enrolment)}
    db.session.commit()
    return body, 201


@bp.get("/courses/<int:course_id>/enrollments")
def list_enrolments_api(course_id: int) -> ResponseReturnValue:
    """A course's enrolments (`?status=enrolled|withdrawn`), by participant name."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    status = choice_arg("status", [s.value for s in EnrolmentStatus])
    return paginated(queries.list_enrolments(course, EnrolmentStatus(status) if status else None), enrolment_json)


@bp.post("/courses/<int:course_id>/enrollments/<int:participant_id>/withdraw")
def withdraw_enrolment_api(course_id: int, participant_id: int) -> ResponseReturnValue:
    """Withdraw a participant before the course starts: `{reason}` (kept); 409 `course_started` after."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    enrolment = withdraw_enrolment(_get_enrolment(course, participant_id), reason=json_body().get("reason"),
                                   actor=current_user)
    body = enrolment_json(enrolment)
    db.session.commit()
    return body
