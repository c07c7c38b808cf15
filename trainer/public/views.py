"""No-login pages for trainees: check in to a session with the QR code or the typed code.

Built for cheap phones on 3G inside in-app browsers: plain HTML forms that work with JavaScript
off, a few kilobytes in all, no external assets.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from trainer.attendance.services import CheckinRefused, checkin_with_token, client_key, session_for_token
from trainer.attendance.tokens import TokenError, accepted_windows, make_token, typed_code
from trainer.core.db import utcnow
from trainer.core.permissions import public
from trainer.courses.models import Course, CourseStatus
from trainer.extensions import db
from trainer.materials.responses import material_response
from trainer.materials.services import list_course_materials
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

bp = Blueprint("public", __name__)
DEVICE_COOKIE = "trainer_device"
GRACE_SECONDS = 180  # a valid scan still checks in this long after its code rotated
MATERIAL_LINK_DAYS = 180


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _client_key() -> str:
    return client_key(request.remote_addr, current_app.config["SECRET_KEY"])


def _device() -> dict:
    """The remembered device: its random id and the participant it checked in per course."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if raw:
        try:
            data = _serializer("device").loads(raw, max_age=120 * 24 * 3600)
            if isinstance(data, dict) and isinstance(data.get("d"), str):
                return {"d": data["d"], "c": dict(data.get("c") or {})}
        except BadSignature:
            pass
    return {"d": secrets.token_hex(16), "c": {}}


def _remember(response, device: dict, course: Course, participant_id: int) -> None:
    """Remember this device for the rest of the course, so later sessions take one tap."""
    device["c"][str(course.id)] = participant_id
    # Until the day after the course ends (at least a day, for records entered after the fact).
    last_day = max(course.end_date, utcnow().date())
    expires = datetime.combine(last_day + timedelta(days=1), datetime.min.time())
    response.set_cookie(DEVICE_COOKIE, _serializer("device").dumps(device), expires=expires, httponly=True,
                        samesite="Lax", secure=request.is_secure)


def _remembered_participant(device: dict, course: Course) -> Participant | None:
    participant_id = device["c"].get(str(course.id))
    return db.session.get(Participant, participant_id) if isinstance(participant_id, int) else None


def _grace_ticket(course_session: CourseSession) -> str:
    return _serializer("grace").dumps({"s": course_session.id})


def _grace_valid(ticket: str | None, course_session: CourseSession) -> bool:
    if not ticket:
        return False
    try:
        data = _serializer("grace").loads(ticket, max_age=GRACE_SECONDS)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("s") == course_session.id


def _material_url(course: Course):
    """Links to a course's materials for its trainees: signed, valid for half a year, no login."""
    serializer = _serializer("material")
    return lambda material: url_for("public.material", signed=serializer.dumps([course.id, material.id]))


def _page(template: str, status: int = 200, **context):
    course = context.get("course")
    if course is not None:
        context.setdefault("materials", list_course_materials(course))
        context.setdefault("download_url", _material_url(course))
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


@bp.route("/c/<token>", methods=["GET", "POST"])
@public
def scan(token: str):
    """The page a session's QR code opens: enter the phone once, or one tap on a remembered phone."""
    now = utcnow()
    grace = request.form.get("grace") if request.method == "POST" else None
    try:
        course_session = session_for_token(token, now, allow_expired=True)
        if not _grace_valid(grace, course_session):
            course_session = session_for_token(token, now)
    except TokenError as exc:
        return _page("public/result.html", exc.status, ok=False, code=exc.code, message=exc.message)
    course = course_session.course
    device = _device()
    remembered = _remembered_participant(device, course)
    if request.method == "GET":
        return _page("public/checkin.html", course_session=course_session, course=course, token=token,
                     grace=_grace_ticket(course_session), remembered=remembered)
    phone = (request.form.get("phone") or "").strip()
    use_remembered = remembered is not None and not phone
    try:
        result = checkin_with_token(course_session, phone=phone or None,
                                    participant=remembered if use_remembered else None,
                                    device_id=device["d"], client_key=_client_key(), now=now)
    except CheckinRefused as exc:
        db.session.commit()  # keeps the refused attempt for the organizer
        if exc.reason == "phone_required":
            return _page("public/checkin.html", 422, course_session=course_session, course=course, token=token,
                         grace=grace or _grace_ticket(course_session), remembered=remembered, error=exc.message)
        return _page("public/result.html", exc.status, ok=False, code=exc.reason, message=exc.message,
                     course_session=course_session, course=course, token=token,
                     grace=grace or _grace_ticket(course_session), retry=exc.reason == "not_enrolled")
    db.session.commit()
    response = _page("public/result.html", ok=True, code=result.status, message=result.message,
                     participant=result.participant, course_session=course_session, course=course,
                     record=result.record)
    _remember(response, device, course, result.participant.id)
    return response


@bp.route("/c", methods=["GET", "POST"])
@public
def code_entry():
    """For phones that cannot scan: type the short code shown under the QR on the screen."""
    error = None
    if request.method == "POST":
        code = "".join(ch for ch in request.form.get("code", "") if ch.isdigit())
        now = utcnow()
        found = _session_for_typed_code(code, now) if len(code) == 6 else None
        if found is not None:
            return redirect(url_for("public.scan", token=make_token(
                found.id, found.checkin_secret, found.checkin_version, now)[1]))
        error = "Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trên màn chiếu."
    return _page("public/code.html", 422 if error else 200, error=error)


def _session_for_typed_code(code: str, now: datetime) -> CourseSession | None:
    """The one session open for check-in now whose recent typed code is `code`."""
    opens_soon = now + timedelta(hours=2)  # the widest check-in opening we allow before a start
    candidates = db.session.scalars(select(CourseSession).join(Course).where(
        Course.status != CourseStatus.CANCELLED, CourseSession.starts_at <= opens_soon,
        CourseSession.ends_at >= now)).all()
    matches = [s for s in candidates for w in accepted_windows(now)
               if secrets.compare_digest(typed_code(s.id, s.checkin_secret, s.checkin_version, w), code)]
    return matches[0] if len({s.id for s in matches}) == 1 else None


@bp.route("/m/<signed>")
@public
def material(signed: str):
    """A course material from the link on the trainees' check-in pages."""
    try:
        course_id, material_id = _serializer("material").loads(signed, max_age=MATERIAL_LINK_DAYS * 24 * 3600)
    except (BadSignature, ValueError, TypeError):
        abort(404)
    course = db.session.get(Course, course_id)
    found = [m for m in list_course_materials(course) if m.id == material_id] if course else []
    if not found:
        abort(404)
    return material_response(found[0])
