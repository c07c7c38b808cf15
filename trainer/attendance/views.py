"""Organizer pages of attendance: the projector page of a session and its live state."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from trainer.attendance.forms import EmptyForm, MarksForm
from trainer.attendance.marks import apply_marks, confirm_shared_checkins, revoke_checkin_codes
from trainer.attendance.models import AttendanceMark, AttendanceMethod
from trainer.attendance.qr import qr_svg
from trainer.attendance.queries import count_session, list_refused_attempts, list_session_attendees
from trainer.attendance.register import get_register
from trainer.attendance.services import Who, check_in, checkin_window
from trainer.attendance.tokens import format_typed_code, make_token, typed_code
from trainer.core import clock
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, can, get_or_404_for
from trainer.core.templating import vn_datetime
from trainer.courses.models import Course
from trainer.courses.services import enrol_participant
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

bp = Blueprint("attendance", __name__)
PROJECTOR_NAMES = 80  # the latest arrivals the projector lists (legible at 1366×768); the count has everyone


def live_state(course_session: CourseSession, *, shown_token: str | None = None,
               known_version: str | None = None) -> dict | None:
    """What the projector shows now: the current QR, typed code, count and who is in; None when it is what
    the projector already shows (`known_version`, from its ETag). The QR's SVG only when the token differs
    from `shown_token`: it changes every 30 s, the names more often."""
    now = clock.now()
    token_info, token = make_token(course_session.id, course_session.checkin_secret,
                                   course_session.checkin_version, now)
    present, enrolled, flagged, records_version = count_session(course_session)
    opens, closes = checkin_window(course_session)
    is_open = opens <= now <= closes
    version = f"{token}.{records_version}.{int(is_open)}"
    if version == known_version:
        return None
    url = url_for("public.scan", token=token, _external=True)
    attendees = list_session_attendees(course_session, PROJECTOR_NAMES)
    return {
        "version": version, "url": url, "token": token, "expires_at": token_info.expires_at.isoformat(),
        "qr_svg": qr_svg(url) if token != shown_token else None,
        "code": format_typed_code(typed_code(course_session.id, course_session.checkin_secret,
                                             course_session.checkin_version, token_info.window)),
        "code_url": url_for("public.code_entry", _external=True),
        "present": present, "enrolled": enrolled, "open": is_open,
        "attendees": [{"full_name": name, "at": vn_datetime(at)[:5], "late": late, "flagged": needs}
                      for name, at, late, _method, needs in attendees],
        "flagged": flagged,
    }


@bp.route("/sessions/<int:session_id>/projector")
def projector(session_id: int):
    """Full-screen page for the projector: a rotating QR, the session in big letters, a live list."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    return render_template("attendance/projector.html", course_session=course_session,
                           course=course_session.course, state=live_state(course_session),
                           rotate=current_app.config["CHECKIN_QR_ROTATE"])


@bp.route("/sessions/<int:session_id>/live.json")
def live(session_id: int):
    """The projector's live state, polled every few seconds: 304 and no body when nothing changed (ETag);
    `?qr=<token shown>` leaves the QR out while it is the same."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    known = request.if_none_match.as_set()
    state = live_state(course_session, shown_token=request.args.get("qr"),
                       known_version=next(iter(known)) if len(known) == 1 else None)
    headers = {"Cache-Control": "private, no-cache"}  # the browser revalidates every poll, with the ETag
    if state is None:
        return "", 304, {**headers, "ETag": f'"{next(iter(known))}"'}
    response = make_response(state, 200, headers)
    response.set_etag(state["version"])
    return response


@bp.post("/sessions/<int:session_id>/revoke-codes")
def revoke_codes(session_id: int):
    """Revoke the QR and typed codes shown so far (the projector shows new ones at once)."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    if EmptyForm().validate_on_submit():
        revoke_checkin_codes(course_session, actor=current_user)
        db.session.commit()
        flash(_("Đã thu hồi các mã điểm danh đã chiếu; mã mới hiện trên màn chiếu."), "success")
    return redirect(url_for("attendance.projector", session_id=session_id))


REFUSAL_LABELS = {
    "not_enrolled": _l("Số hoặc mã không có trong danh sách lớp"), "too_early": _l("Quá sớm, chưa mở điểm danh"),
    "too_late": _l("Đã hết giờ điểm danh"), "course_cancelled": _l("Lớp đã bị hủy"),
    "device_used": _l("Điện thoại đã điểm danh cho người khác"),
    "too_many_attempts": _l("Nhập sai quá nhiều lần, tạm khóa"), "phone_required": _l("Chưa nhập số"),
}


@bp.route("/sessions/<int:session_id>/attempts")
def attempts(session_id: int):
    """Refused check-ins of a session (time, reason, what was typed, who it named) for the organizer to
    review, with what can be done: enrol the person, mark them present."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    rows = [r if r.participant is None or can(current_user, Need.VIEW, r.participant)
            else replace(r, participant=None) for r in list_refused_attempts(course_session)]  # nobody outside
    return render_template("attendance/attempts.html", course_session=course_session, course=course_session.course,
                           rows=rows, labels=REFUSAL_LABELS, form=EmptyForm())


@bp.post("/sessions/<int:session_id>/attempts/<int:participant_id>")
def attempt_action(session_id: int, participant_id: int):
    """From a refused attempt: enrol the person it named (`enrol`) and/or mark them present (`mark`)."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    participant = get_or_404_for(Participant, participant_id, Need.VIEW)
    if EmptyForm().validate_on_submit():
        try:
            if request.form.get("action") in ("enrol", "enrol_mark"):
                enrol_participant(course_session.course, participant, actor=current_user)
            if request.form.get("action") in ("mark", "enrol_mark"):
                check_in(course_session, Who(participant_id=participant.id), method=AttendanceMethod.MANUAL,
                         now=clock.now(), actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.said(), "danger")
        else:
            db.session.commit()
            flash(_("Đã cập nhật: %(name)s.", name=participant.full_name), "success")
    return redirect(url_for("attendance.attempts", session_id=session_id))


@bp.route("/sessions/<int:session_id>/scan")
def scan(session_id: int):
    """Organizer's badge scanner: the phone camera reads personal QR codes (or type the code)."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    return render_template("attendance/scan.html", course_session=course_session, course=course_session.course)


@bp.route("/sessions/<int:session_id>/marks", methods=["GET", "POST"])
def marks(session_id: int):
    """Mark participants present, late, excused or absent by hand, or enter the paper sign-in sheet afterwards:
    "all present", then the exceptions, then save."""
    course_session = get_or_404_for(CourseSession, session_id, Need.MANAGE)
    register = get_register(course_session.course)
    form = MarksForm()
    if form.validate_on_submit():
        wanted = _marks_from(request.form, register, all_present="all_present" in request.form)
        confirmed = _ids(request.form.getlist("confirm"))
        try:
            added, changed, removed = apply_marks(
                course_session, wanted, register=register, reason=form.reason.data or "",
                method=AttendanceMethod(form.method.data), actor=current_user, now=clock.now())
            present = {pid for pid, mark in wanted.items() if mark is not None}
            vouched = confirm_shared_checkins(course_session, confirmed & present, actor=current_user)
        except DomainError as exc:
            form.reason.errors = [*form.reason.errors, exc.said()]
        else:
            db.session.commit()
            flash(_("Đã lưu điểm danh: %(added)s người thêm, %(changed)s người đổi, %(removed)s người bỏ, "
                    "%(vouched)s người được xác nhận.", added=added, changed=changed, removed=removed,
                    vouched=vouched), "success")
            return redirect(url_for("attendance.register", course_id=course_session.course_id))
    current = {pid: mark for (pid, sid), mark in register.marks.items() if sid == course_session.id}
    if request.method == "POST":  # what the organizer chose stays on the page with the error
        current = {pid: mark for pid, mark in _marks_from(request.form, register, all_present=False).items() if mark}
    return render_template("attendance/marks.html", course_session=course_session, course=course_session.course,
                           register=register, form=form, current=current, marks=list(AttendanceMark))


def _marks_from(values, register, *, all_present: bool) -> dict[int, AttendanceMark | None]:
    """The marks chosen on the page: `mark-<participant id>` is present, late, excused or "" (absent); with
    `all_present` (the no-script "all present" button) everyone left absent is present."""
    chosen: dict[int, AttendanceMark | None] = {}
    for row in register.rows:
        value = values.get(f"mark-{row.participant_id}")
        if value is None:
            continue  # not on the page: left as it is
        mark = AttendanceMark(value) if value in set(AttendanceMark) else None
        chosen[row.participant_id] = AttendanceMark.PRESENT if mark is None and all_present else mark
    return chosen


def _ids(values: list[str]) -> set[int]:
    """Participant ids ticked in a form: ASCII digits only, at most ten ("²" or a 30-digit id is no id)."""
    return {int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 10}


@bp.route("/courses/<int:course_id>/register")
def register(course_id: int):
    """The course's attendance matrix: participants × sessions, hours, ratio and completion."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    return render_template("attendance/register.html", course=course, register=get_register(course))

