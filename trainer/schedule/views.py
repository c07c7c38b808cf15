"""Pages of sessions: the calendar of sessions in the user's scope; a course's sessions (add, edit, delete)
and its quick timetable."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from trainer.accounts.forms import EmptyForm
from trainer.core.api import choice_arg
from trainer.core.clock import local_today, local_zone
from trainer.core.errors import N_, DomainError
from trainer.core.forms import render_form, show_error
from trainer.core.permissions import Need, can, get_or_404_for
from trainer.core.templating import hours as format_hours
from trainer.core.templating import local_time, vn_datetime
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.finance.lecturers import lecturer_choices, session_clashes
from trainer.schedule.forms import SessionCreateForm, SessionEditForm, TimetableForm
from trainer.schedule.models import CourseSession
from trainer.schedule.queries import CalendarView, ConflictKind, build_calendar, effective_venue, filter_units, shift
from trainer.schedule.services import add_session, delete_session, generate_timetable, local_datetime, update_session
from trainer.units.services import default_scheme, get_unit

bp = Blueprint("schedule", __name__)

COURSE_PAGE = "courses.detail"
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
WEEKDAYS = (_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"), _l("Thứ Bảy"), _l("Chủ Nhật"))
CONFLICT_LABELS = {ConflictKind.VENUE.value: _l("Trùng địa điểm"), ConflictKind.TRAINER.value: _l("Trùng giảng viên")}


def _date_arg(name: str) -> date | None:
    """An optional YYYY-MM-DD query argument; anything else is a 400 with a Vietnamese message."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw) if DATE_RE.fullmatch(raw) else None
        if value is None or not 2000 <= value.year <= 2100:  # also keeps prev/next within datetime's range
            raise ValueError(raw)
        return value
    except ValueError:
        raise DomainError("invalid_argument", N_("Tham số %(name)s phải là một ngày dạng YYYY-MM-DD, từ năm 2000 đến "
                                                 "năm 2100."), status=400, params={"name": name}) from None


def _course_url(course: Course) -> str | None:
    """The course's page when the courses blueprint offers one (the calendar works without it)."""
    if COURSE_PAGE not in current_app.view_functions:
        return None
    try:
        return url_for(COURSE_PAGE, course_id=course.id)
    except BuildError:
        return None


def _to_course(course: Course) -> ResponseReturnValue:
    """Redirect to the course's page."""
    return redirect(url_for(COURSE_PAGE, course_id=course.id))


def _get_session(course: Course, session_id: int) -> CourseSession:
    """A session of `course`, 404 otherwise."""
    course_session = db.session.get(CourseSession, session_id)
    if course_session is None or course_session.course_id != course.id:
        abort(404)
    return course_session


@bp.route("/schedule/")
def index() -> ResponseReturnValue:
    """Week (default) or month calendar of the sessions the user may view, with clash warnings."""
    zone = local_zone()
    today = local_today()
    view = CalendarView(choice_arg("view", tuple(v.value for v in CalendarView)) or CalendarView.WEEK)
    anchor = _date_arg("date") or today
    scheme = current_user.unit.scheme if current_user.unit is not None else default_scheme()
    unit_code = (request.args.get("unit") or "").strip() or None
    unit = get_unit(unit_code, scheme=scheme, field="unit") if unit_code else None
    if unit is not None and not can(current_user, Need.VIEW, unit):
        abort(404)  # a unit outside the scope is not shown to exist
    calendar = build_calendar(current_user, view, anchor, zone, unit)
    units = list(db.session.scalars(filter_units(current_user, scheme)))
    if unit is not None and unit not in units:
        units.append(unit)  # a commune typed in the URL stays selected

    def link(target: date | None, target_view: CalendarView = view) -> str:
        """This calendar's URL for another date and/or view, keeping the unit filter."""
        return url_for("schedule.index", view=target_view.value, date=target.isoformat() if target else None,
                       unit=unit_code)

    nav = {"prev": link(shift(view, anchor, -1)), "next": link(shift(view, anchor, 1)), "today": link(None),
           "week": link(anchor, CalendarView.WEEK), "month": link(anchor, CalendarView.MONTH)}
    return render_template("schedule/index.html", calendar=calendar, today=today, units=units, unit=unit,
                           nav=nav, weekdays=WEEKDAYS, conflict_labels=CONFLICT_LABELS, local_time=local_time,
                           venue_of=effective_venue, course_url=_course_url,
                           week_of=lambda day: link(day, CalendarView.WEEK))


# --- sessions of a course ------------------------------------------------------------------------


def _session_values(form: SessionCreateForm) -> dict[str, Any]:
    """add_session/update_session arguments from the form (local date and times)."""
    return {"starts_at": local_datetime(form.day.data, form.start_time.data),
            "ends_at": local_datetime(form.day.data, form.end_time.data), "title": form.title.data or "",
            "module_codes": form.module_codes.data or [], "trainer_name": form.trainer_name.data or "",
            "venue": form.venue.data or "", "lecturer_ids": form.lecturer_ids.data or []}


def _warn_clashes(course_session: CourseSession) -> None:
    """Flash each other session its lecturers teach at the same time (saved all the same: a clash may be known)."""
    for clash in session_clashes(course_session):
        other = clash.second
        flash(_("Trùng lịch giảng viên %(name)s: %(when)s, %(course)s.", name=clash.lecturer.full_name,
                when=f"{vn_datetime(other.starts_at)}", course=other.course.title), "warning")


@bp.route("/courses/<int:course_id>/sessions/new", methods=["GET", "POST"])
def session_new(course_id: int) -> ResponseReturnValue:
    """Schedule one session of a course (date and local start/end times)."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    form = SessionCreateForm(modules={m.code: f"{m.code} · {m.title}" for m in course.modules},
                             lecturers=lecturer_choices(course))
    if request.method == "GET" and form.day.data is None:
        form.day.data = course.start_date
    if form.validate_on_submit():
        try:
            course_session = add_session(course, actor=current_user, **_session_values(form))
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã thêm buổi học (%(hours)s giờ).", hours=format_hours(course_session.hours)),
                  "success")
            _warn_clashes(course_session)
            return _to_course(course)
    return render_form("schedule/session_form.html", form, course=course, course_session=None)


@bp.route("/courses/<int:course_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def session_edit(course_id: int, session_id: int) -> ResponseReturnValue:
    """Change one session of a course."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    course_session = _get_session(course, session_id)
    form = SessionEditForm(modules={m.code: f"{m.code} · {m.title}" for m in course.modules},
                           lecturers=lecturer_choices(course))
    if request.method == "GET":
        starts, ends = (v.astimezone(local_zone()) for v in (course_session.starts_at, course_session.ends_at))
        form.process(data={"day": starts.date(), "start_time": starts.time(), "end_time": ends.time(),
                           "title": course_session.title, "module_codes": course_session.module_codes,
                           "trainer_name": course_session.trainer_name, "venue": course_session.venue,
                           "lecturer_ids": [lecturer.id for lecturer in course_session.lecturers]})
    if form.validate_on_submit():
        try:
            update_session(course_session, actor=current_user, **_session_values(form))
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu buổi học."), "success")
            _warn_clashes(course_session)
            return _to_course(course)
    return render_form("schedule/session_form.html", form, course=course, course_session=course_session)


@bp.route("/courses/<int:course_id>/sessions/<int:session_id>/delete", methods=["POST"])
def session_delete(course_id: int, session_id: int) -> ResponseReturnValue:
    """Delete a session nobody has attended yet."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    course_session = _get_session(course, session_id)
    if EmptyForm().validate_on_submit():
        try:
            delete_session(course_session, actor=current_user)
        except DomainError as exc:
            flash(exc.said(), "danger")
        else:
            db.session.commit()
            flash(_("Đã xóa buổi học."), "success")
    return _to_course(course)


@bp.route("/courses/<int:course_id>/timetable", methods=["GET", "POST"])
def timetable(course_id: int) -> ResponseReturnValue:
    """Lay out a typical timetable (N days, morning and afternoon) in one step."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    form = TimetableForm(lecturers=lecturer_choices(course))
    if request.method == "GET":
        span = (course.end_date - course.start_date).days + 1
        weekdays = sum((course.start_date + timedelta(days=i)).weekday() < 5 for i in range(span))
        form.start_date.data, form.days.data = course.start_date, weekdays or span
        form.skip_weekends.data = weekdays > 0  # a weekend-only class keeps its Saturday and Sunday
    if form.validate_on_submit():
        try:
            created = generate_timetable(course, form.start_date.data, form.days.data, form.slots(),
                                         form.skip_weekends.data, current_user,
                                         trainer_name=form.trainer_name.data or "",
                                         lecturer_ids=form.lecturer_ids.data or [])
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã tạo %(n)s buổi học.", n=len(created)), "success")
            return _to_course(course)
    return render_form("schedule/timetable.html", form, course=course)
