"""No-login pages for trainees: check in to a session with the QR code or the typed code.

Built for cheap phones on 3G inside in-app browsers: plain HTML forms that work with JavaScript
off, a few kilobytes in all, no external assets.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from itsdangerous import BadSignature
from sqlalchemy import select

from trainer.attendance.models import AttendanceMethod
from trainer.attendance.services import (
    CODE_LIMITS,
    CODE_SCOPE,
    MESSAGES,
    CheckinRefused,
    Client,
    Who,
    check_in,
    closed_reason,
    open_session,
)
from trainer.attendance.tokens import (
    TYPED_CODE_DIGITS,
    TokenError,
    make_token,
    typed_code,
    typed_code_windows,
    verify_token,
)
from trainer.core import clock, throttle
from trainer.core.errors import DomainError
from trainer.core.permissions import public
from trainer.core.throttle import TooManyAttempts
from trainer.courses.models import Course, CourseStatus
from trainer.extensions import db
from trainer.materials.models import Material
from trainer.materials.queries import list_trainee_materials
from trainer.materials.responses import material_response
from trainer.participants.models import Participant
from trainer.public.device import remember_participant, remembered_device, serializer
from trainer.schedule.models import CourseSession

bp = Blueprint("public", __name__)
GRACE_SECONDS = 180  # a valid scan still checks in this long after its code rotated
MATERIAL_LINK_DAYS = 180


def _said(refusal: DomainError) -> str:
    """A refusal in the page's language (the services speak Vietnamese, the msgids of the catalogue)."""
    if isinstance(refusal, TooManyAttempts):
        return gettext("Nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.",
                       minutes=max(1, math.ceil(refusal.retry_after / 60)))
    if isinstance(refusal, CheckinRefused):
        return gettext(MESSAGES[refusal.reason], **refusal.params)
    return refusal.said()


def _grace_ticket(course_session: CourseSession) -> str:
    return serializer("grace").dumps({"s": course_session.id})


def _grace_valid(ticket: str | None, course_session: CourseSession) -> bool:
    if not ticket:
        return False
    try:
        data = serializer("grace").loads(ticket, max_age=GRACE_SECONDS)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("s") == course_session.id


def _material_url(course: Course):
    """Links to a course's materials for its trainees: signed, valid for half a year, no login."""
    signer = serializer("material")
    return lambda material: url_for("public.material", signed=signer.dumps([course.id, material.id]))


def _page(template: str, status: int = 200, *, materials: bool = False, **context):
    """A trainee page (no-store, no referrer); with `materials`, the class's materials listed on it (the page
    a QR opens; the answer to the phone form leaves them out: one statement less at every check-in)."""
    course = context.get("course")
    if course is not None and materials:
        context["materials"] = list_trainee_materials(course.id, course.curriculum_id)
        context["download_url"] = _material_url(course)
    response = make_response(render_template(template, **context), status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


@bp.route("/c/<token>", methods=["GET", "POST"])
@public
def scan(token: str):
    """The page a session's QR code opens: enter the phone once, or one tap on a remembered phone."""
    now = clock.now()
    grace = request.form.get("grace") if request.method == "POST" else None
    try:
        course_session = open_session(token, now, allow_expired=True)
        if not _grace_valid(grace, course_session):  # an expired code, unless this phone scanned it in time
            verify_token(token, course_session.checkin_secret, course_session.checkin_version, now)
    except TokenError as exc:
        return _page("public/result.html", exc.status, ok=False, code=exc.code, message=_said(exc),
                     code_entry=exc.code == "token_expired")
    course = course_session.course
    page = {"course_session": course_session, "course": course, "token": token}
    device = remembered_device()
    remembered_id = device["c"].get(str(course.id))
    if request.method == "GET":
        closed = closed_reason(course_session, now)
        if closed is not None:  # say so before asking for a phone
            return _page("public/result.html", closed.status, ok=False, code=closed.reason, message=_said(closed),
                         **page)
        remembered = db.session.get(Participant, remembered_id) if isinstance(remembered_id, int) else None
        return _page("public/checkin.html", **page, grace=_grace_ticket(course_session), remembered=remembered,
                     materials=True)
    phone = (request.form.get("phone") or "").strip()
    who = Who(participant_id=remembered_id) if not phone and isinstance(remembered_id, int) else Who(phone=phone)
    client = Client.of(request.remote_addr, request.user_agent.string, device["d"])
    try:
        result = check_in(course_session, who, method=AttendanceMethod.QR, now=now, client=client)
    except (CheckinRefused, TooManyAttempts) as exc:
        reason = getattr(exc, "reason", exc.code)
        grace = grace or _grace_ticket(course_session)
        if reason == "phone_required":
            response = _page("public/checkin.html", 422, **page, grace=grace, remembered=None, error=_said(exc))
        else:
            response = _page("public/result.html", exc.status, ok=False, code=reason, message=_said(exc), **page,
                             grace=grace, retry=reason == "not_enrolled")
        db.session.commit()  # keeps the refused attempt and the failure
        return response
    # The page is drawn before the commit (which expires what it reads) and sent only once it is durable.
    last_day = clock.local_today(course_session.starts_at) >= course.end_date  # the course ends today: /me
    response = _page("public/result.html", ok=True, code=result.status, message=gettext(result.message), result=result,
                     last_day=last_day, **page)
    remember_participant(response, device, course, result.participant_id)
    db.session.commit()
    return response


@bp.route("/c", methods=["GET", "POST"])
@public
def code_entry():
    """For phones that cannot scan: type the code shown under the QR on the screen (limited per client)."""
    error, status = None, 200
    if request.method == "POST":
        code = "".join(ch for ch in request.form.get("code", "") if ch in "0123456789")  # "²" is no digit here
        now = clock.now()
        key = throttle.client_key(request.remote_addr)
        until = throttle.locked_until(CODE_SCOPE, key, CODE_LIMITS, now=now)
        if until is not None:
            error, status = _said(throttle.TooManyAttempts(until, now=now)), 429
        else:
            found = _session_for_typed_code(code, now) if len(code) == TYPED_CODE_DIGITS else None
            if found is not None:
                return redirect(url_for("public.scan", token=make_token(
                    found.id, found.checkin_secret, found.checkin_version, now)[1]))
            throttle.record_failure(CODE_SCOPE, key, now=now)
            db.session.commit()
            error, status = gettext("Mã không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trên màn chiếu."), 422
    return _page("public/code.html", status, error=error, digits=TYPED_CODE_DIGITS)


def _session_for_typed_code(code: str, now: datetime) -> CourseSession | None:
    """The one session open for check-in now whose current (or previous) typed code is `code`."""
    opens_soon = now + timedelta(hours=2)  # the widest check-in opening we allow before a start
    candidates = db.session.scalars(select(CourseSession).join(Course).where(
        Course.status != CourseStatus.CANCELLED, CourseSession.starts_at <= opens_soon,
        CourseSession.ends_at >= now)).all()
    matches = {s.id: s for s in candidates for w in typed_code_windows(now)
               if secrets.compare_digest(typed_code(s.id, s.checkin_secret, s.checkin_version, w), code)}
    return next(iter(matches.values())) if len(matches) == 1 else None


@bp.route("/m/<signed>")
@public
def material(signed: str):
    """A course material from the link on the trainees' check-in pages."""
    try:
        course_id, material_id = serializer("material").loads(signed, max_age=MATERIAL_LINK_DAYS * 24 * 3600)
    except (BadSignature, ValueError, TypeError):
        abort(404)
    course = db.session.get(Course, course_id)
    listed = course is not None and any(m.id == material_id
                                        for m in list_trainee_materials(course.id, course.curriculum_id))
    material = db.session.get(Material, material_id) if listed else None
    if material is None:
        abort(404)
    return material_response(material)
