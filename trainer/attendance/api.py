"""JSON API of attendance: session tokens, trainee check-in, organizer marks."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, url_for
from flask_login import current_user
from sqlalchemy import select

from trainer.attendance.marks import revoke_checkin_codes, unmark_attendance
from trainer.attendance.models import AttendanceMark, AttendanceMethod, mark_of
from trainer.attendance.queries import list_session_marks
from trainer.attendance.register import get_register
from trainer.attendance.services import (
    CheckinRefused,
    CheckinResult,
    Client,
    Who,
    check_in,
    open_session,
)
from trainer.attendance.tokens import make_token, typed_code
from trainer.core import clock
from trainer.core.api import json_body
from trainer.core.errors import DomainError, ValidationError
from trainer.core.permissions import Need, can, get_or_404_for, public
from trainer.core.throttle import TooManyAttempts
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

bp = Blueprint("attendance_api", __name__, url_prefix="/api/v1")


def result_json(result: CheckinResult) -> dict[str, Any]:
    """The contract's check-in answer."""
    return {"status": result.status, "message": result.message, "late": result.is_late, "mark": result.mark.value,
            "checked_in_at": result.checked_in_at.isoformat(), "participant": {"full_name": result.full_name},
            "session": {"id": result.session_id, "title": result.session_title}}


@bp.get("/sessions/<int:session_id>/checkin-token")
def checkin_token(session_id: int):
    """The session's current QR token, the URL its QR encodes and when it expires (organizers)."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    info, token = make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                             clock.now())
    return {"token": token, "url": url_for("public.scan", token=token, _external=True),
            "expires_at": info.expires_at.isoformat(),
            "typed_code": typed_code(course_session.id, course_session.checkin_secret,
                                     course_session.checkin_version, info.window)}


@bp.post("/sessions/<int:session_id>/checkin-token/revoke")
def revoke_checkin_token(session_id: int):
    """Revoke every QR and typed code of the session shown so far; answers the new current token."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    revoke_checkin_codes(course_session, actor=current_user)
    db.session.commit()
    return checkin_token(session_id)


@bp.post("/checkin")
@public
def checkin():
    """A trainee checks in: `{token, phone}` or `{token, participant_code}`; the token is the credential."""
    data = json_body()
    token = data.get("token")
    if not isinstance(token, str):
        raise ValidationError("token_invalid", "Thiếu mã QR của buổi học.", fields={"token": "Bắt buộc."},
                              status=400)
    now = clock.now()
    course_session = open_session(token, now)
    who = Who(phone=_text(data.get("phone")), participant_code=_text(data.get("participant_code")))
    try:
        result = check_in(course_session, who, method=AttendanceMethod.QR, now=now,
                          client=Client.of(request.remote_addr, request.user_agent.string))
    except (CheckinRefused, TooManyAttempts) as exc:
        db.session.commit()  # keeps the refused attempt and the failure
        exc.fields = {"reason": getattr(exc, "reason", exc.code)}
        raise
    db.session.commit()
    return result_json(result)


def _text(value: Any) -> str | None:
    """A JSON field as text; None when absent or empty."""
    return str(value) if value not in (None, "") else None


def _participant_from(data: dict[str, Any]) -> Participant:
    """The participant named by `participant_code` or `participant_id`, if the caller may view them."""
    participant = None
    if data.get("participant_code"):
        participant = db.session.scalar(select(Participant).where(
            Participant.code == str(data["participant_code"]).strip().upper()))
    elif isinstance(data.get("participant_id"), int):
        participant = db.session.get(Participant, data["participant_id"])
    else:
        raise ValidationError("participant_required", "Cần participant_code hoặc participant_id.",
                              fields={"participant_code": "Bắt buộc."})
    if participant is None or not can(current_user, Need.VIEW, participant):
        raise DomainError("participant_not_found", "Không tìm thấy học viên với mã này.", status=404)
    return participant


@bp.post("/sessions/<int:session_id>/attendance")
def mark(session_id: int):
    """An organizer marks a participant: `{participant_code | participant_id, method: badge|manual|sheet,
    mark?: present|late|excused}` (by hand or sheet: present unless `mark` says otherwise)."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    data = json_body()
    method = data.get("method", "manual")
    if method not in ("badge", "manual", "sheet"):
        raise ValidationError("invalid_method", "method phải là badge hoặc manual.", fields={"method": "badge|manual"})
    mark = data.get("mark")
    if mark is not None and mark not in set(AttendanceMark):
        raise ValidationError("invalid_mark", "mark phải là present, late hoặc excused.",
                              fields={"mark": "present|late|excused"})
    participant = _participant_from(data)
    try:
        result = check_in(course_session, Who(participant_id=participant.id), method=AttendanceMethod(method),
                          now=clock.now(), actor=current_user, mark=AttendanceMark(mark) if mark else None)
    except CheckinRefused as exc:
        exc.fields = {"reason": exc.reason}
        raise
    db.session.commit()
    return result_json(result)


@bp.delete("/sessions/<int:session_id>/attendance")
def unmark(session_id: int):
    """Undo a mark with a reason: `{participant_code | participant_id, reason}` (logged)."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    data = json_body()
    participant = _participant_from(data)
    removed = unmark_attendance(course_session, participant, reason=str(data.get("reason") or ""),
                                actor=current_user)
    db.session.commit()
    return {"status": "unmarked" if removed else "not_checked_in",
            "participant": {"full_name": participant.full_name}, "session": {"id": course_session.id}}



@bp.get("/sessions/<int:session_id>/attendance")
def session_attendance(session_id: int):
    """Who is marked at a session (organizers and reviewers in scope): present, late or excused, how, when."""
    course_session = get_or_404_for(CourseSession, session_id, Need.VIEW)
    items = [{"participant_id": pid, "full_name": name, "mark": mark_of(late, excused).value, "method": method.value,
              "checked_in_at": at.isoformat()}
             for pid, name, at, late, excused, method in list_session_marks(course_session)]
    return {"items": items, "total": len(items), "page": 1, "per_page": max(len(items), 1)}


@bp.get("/courses/<int:course_id>/attendance")
def course_attendance(course_id: int):
    """The course register: per participant, sessions and hours attended, ratio and completion."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    register = get_register(course)
    items = [{"participant_id": r.participant_id, "code": r.code, "full_name": r.full_name,
              "sessions_attended": r.sessions_attended, "hours_attended": float(r.hours_attended),
              "attendance_ratio": r.attendance_ratio, "completed": r.completed} for r in register.rows]
    return {"items": items, "total": len(items), "page": 1, "per_page": len(items),
            "scheduled_hours": float(register.scheduled_hours), "sessions": len(register.sessions),
            "completion_threshold": float(register.threshold)}
