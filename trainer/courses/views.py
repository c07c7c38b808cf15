"""Pages of courses: list, plan, detail, edit, status and cancel; the course's rules; enrol and withdraw."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from trainer.accounts.models import Role
from trainer.core.api import int_arg
from trainer.core.clock import local_now
from trainer.core.errors import DomainError
from trainer.core.flashes import flash_summary
from trainer.core.forms import render_form, show_error
from trainer.core.permissions import Need, get_or_404_for, require
from trainer.courses import queries
from trainer.courses.forms import (
    CourseCancelForm,
    CourseCreateForm,
    CourseEditForm,
    CourseIssuerForm,
    CourseRulesForm,
    CourseStatusForm,
    EnrolForm,
    WithdrawForm,
)
from trainer.courses.issuer import (
    FIELD_NAMES,
    course_issuer_fields,
    has_issuer,
    issuer_warnings,
    set_course_issuer,
    unit_issuer_fields,
)
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.courses.rules import update_course_rules
from trainer.courses.services import (
    STATUS_LABELS,
    TRANSITIONS,
    cancel_course,
    change_course_status,
    course_warnings,
    create_course,
    default_course_title,
    enrol_participants,
    update_course,
    withdraw_enrolment,
)
from trainer.curricula.models import TARGET_GROUP_LABELS
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.units.issuers import no_issuer_message
from trainer.units.models import Unit
from trainer.units.services import default_scheme, get_unit

bp = Blueprint("courses", __name__, url_prefix="/courses")
PER_PAGE = 50
FIRST_YEAR = 2021  # the 2021-2025 programme


def _scheme() -> str:
    """The unit scheme of the user's scope (the configured one for admins)."""
    unit = current_user.unit
    return unit.scheme if unit is not None else default_scheme()


def _units(need: Need) -> list[Unit]:
    """Units the user may view or manage, for a select."""
    # An administrator's ten thousand communes would not fit in a select: they get provinces and districts.
    return queries.unit_choices(current_user, need, _scheme(), with_communes=current_user.role is not Role.ADMIN)


def _label(unit: Unit) -> str:
    """A unit indented by its level, for a select."""
    return "— " * {"province": 0, "district": 1, "commune": 2}[unit.level.value] + unit.name


def _to_detail(course: Course) -> ResponseReturnValue:
    """Redirect to the course's page."""
    return redirect(url_for("courses.detail", course_id=course.id))


@bp.route("/")
def index() -> ResponseReturnValue:
    """Courses in the user's scope, by year, unit, curriculum and status, with their figures."""
    args = request.args
    year = int_arg("year", 0, minimum=FIRST_YEAR, maximum=2100) or None
    unit = get_unit(args["unit"], scheme=_scheme(), field="unit") if args.get("unit") else None
    status = CourseStatus(args["status"]) if args.get("status") in CourseStatus._value2member_map_ else None
    stmt = queries.list_courses(current_user, year=year, unit=unit, curriculum_code=args.get("curriculum") or None,
                                status=status)
    page = int_arg("page", 1)
    rows, total = queries.paginate_rows(stmt, page, PER_PAGE)
    filters = {"year": year or "", "unit": unit.code if unit else "", "status": status.value if status else "",
               "curriculum": args.get("curriculum", "")}
    this_year = local_now().year
    return render_template("courses/index.html", rows=rows, total=total, page=page, per_page=PER_PAGE,
                           years=range(this_year + 1, FIRST_YEAR - 1, -1),
                           units={u.code: _label(u) for u in _units(Need.VIEW)},
                           curricula=queries.list_curricula_choices(), status_labels=STATUS_LABELS, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Plan a course from a curriculum (organizers, for a unit in their scope)."""
    require(Need.MANAGE)
    curricula = queries.list_curricula_choices()
    form = CourseCreateForm(curricula={c.code: f"{c.code} · {c.short_title or c.title}" for c in curricula},
                            units={str(u.id): _label(u) for u in _units(Need.MANAGE)})
    this_year = local_now().year
    default_titles = {c.code: default_course_title(c, this_year) for c in curricula}
    if request.method == "GET":  # prefilled from the curriculum; the page's script follows later choices
        form.curriculum.data = request.args.get("curriculum") or next(iter(default_titles), None)
        form.title.data = default_titles.get(form.curriculum.data or "", "")
    if form.validate_on_submit():
        by_code = {c.code: c for c in curricula}
        try:
            course = create_course(curriculum=by_code[form.curriculum.data], unit=db.session.get(Unit, form.unit.data),
                                   title=form.title.data, venue=form.venue.data or "",
                                   start_date=form.start_date.data, end_date=form.end_date.data,
                                   capacity=form.capacity.data, status=CourseStatus(form.status.data),
                                   description=form.description.data or "", actor=current_user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lập khóa học “%(title)s”.", title=course.title), "success")
            return _to_detail(course)
    return render_form("courses/new.html", form, default_titles=default_titles)


@bp.route("/<int:course_id>")
def detail(course_id: int) -> ResponseReturnValue:
    """Everything about one course: data, planned modules, sessions, hours, enrolled and withdrawn participants."""
    course = get_or_404_for(Course, course_id, Need.VIEW)
    figures = queries.get_course_figures(course)
    enrolments = db.session.scalars(queries.list_enrolments(course)).all()
    return render_template(
        "courses/detail.html", course=course, figures=figures, warnings=course_warnings(course, **{
            k: figures[k] for k in ("planned_hours", "scheduled_hours", "sessions_count")}) + issuer_warnings(course),
        sessions=db.session.scalars(queries.list_sessions(course)).all(),
        modules={m.code: m for m in course.modules},
        enrolled=[e for e in enrolments if e.status is EnrolmentStatus.ENROLLED],
        withdrawn=[e for e in enrolments if e.status is EnrolmentStatus.WITHDRAWN],
        transitions=sorted(TRANSITIONS[course.status] - {CourseStatus.CANCELLED}, key=list(CourseStatus).index),
        status_labels=STATUS_LABELS, group_labels=TARGET_GROUP_LABELS)


@bp.route("/<int:course_id>/edit", methods=["GET", "POST"])
def edit(course_id: int) -> ResponseReturnValue:
    """Change a course's data (organizers of its unit); a cancelled course cannot be edited."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    if course.status is CourseStatus.CANCELLED:
        flash(_("Khóa học đã bị hủy, không thể sửa."), "warning")
        return _to_detail(course)
    units = {str(u.id): _label(u) for u in _units(Need.MANAGE)}
    units.setdefault(str(course.unit_id), course.unit.name)
    form = CourseEditForm(obj=course, units=units)
    if request.method == "GET":
        form.unit.data = course.unit_id
    if form.validate_on_submit():
        try:
            update_course(course, title=form.title.data or "", venue=form.venue.data or "",
                          start_date=form.start_date.data, end_date=form.end_date.data, capacity=form.capacity.data,
                          unit=db.session.get(Unit, form.unit.data), description=form.description.data or "",
                          actor=current_user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu khóa học."), "success")
            return _to_detail(course)
    return render_form("courses/edit.html", form, course=course)


@bp.route("/<int:course_id>/cancel", methods=["GET", "POST"])
def cancel(course_id: int) -> ResponseReturnValue:
    """Cancel a course with a reason; sessions, enrolments and history are kept."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    form = CourseCancelForm()
    if form.validate_on_submit():
        try:
            cancel_course(course, reason=form.reason.data, actor=current_user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã hủy khóa học."), "success")
            return _to_detail(course)
    return render_form("courses/cancel.html", form, course=course)


@bp.route("/<int:course_id>/status", methods=["POST"])
def change_status(course_id: int) -> ResponseReturnValue:
    """Move a course to the next status (open, running, finished...)."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    form = CourseStatusForm()
    if not form.validate_on_submit():
        flash(_("Trạng thái không hợp lệ."), "danger")
        return _to_detail(course)
    try:
        change_course_status(course, CourseStatus(form.status.data), actor=current_user)
    except DomainError as exc:
        flash(exc.said(), "danger")
    else:
        db.session.commit()
        flash(_("Khóa học chuyển sang trạng thái “%(status)s”.", status=STATUS_LABELS[course.status]), "success")
    return _to_detail(course)


@bp.route("/<int:course_id>/rules", methods=["GET", "POST"])
def rules(course_id: int) -> ResponseReturnValue:
    """The course's check-in window, lateness, completion threshold and certificates (organizers)."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    form = CourseRulesForm(obj=course, completion_percent=(course.completion_threshold * 100
                                                           if course.completion_threshold is not None else None))
    if form.validate_on_submit():
        percent = form.completion_percent.data
        try:
            update_course_rules(course, actor=current_user, checkin_opens_minutes=form.checkin_opens_minutes.data,
                                late_after_minutes=form.late_after_minutes.data,
                                completion_threshold=percent / 100 if percent is not None else None,
                                issues_certificates=form.issues_certificates.data)
        except DomainError as exc:
            form.completion_percent.errors = [*form.completion_percent.errors, exc.said()]
        else:
            db.session.commit()
            flash(_("Đã lưu quy định điểm danh và hoàn thành của khóa học."), "success")
            return _to_detail(course)
    return render_template("courses/rules.html", course=course, form=form,
                           default_threshold=course.curriculum.completion_threshold)


@bp.route("/<int:course_id>/issuer", methods=["GET", "POST"])
def issuer(course_id: int) -> ResponseReturnValue:
    """Who issues and signs the course's documents (organizers): the course's copy of its unit's settings."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    form = CourseIssuerForm(obj=course)
    unit_fields = unit_issuer_fields(course)
    if request.method == "GET" and not has_issuer(course):  # nothing copied yet: offer the unit's, if any
        form.process(data=unit_fields)
    if form.validate_on_submit():
        try:
            set_course_issuer(course, {name: getattr(form, name).data or "" for name in FIELD_NAMES},
                              actor=current_user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu cơ quan ban hành và người ký của khóa học."), "success")
            return _to_detail(course)
    return render_form("courses/issuer.html", form, course=course, unit_fields=unit_fields,
                       course_fields=course_issuer_fields(course) if has_issuer(course) else unit_fields,
                       missing=None if any(unit_fields.values()) else no_issuer_message(course.unit_name,
                                                                                        course.end_date))


# --- enrolment -----------------------------------------------------------------------------------


@bp.route("/<int:course_id>/enrol", methods=["GET", "POST"])
def enrol(course_id: int) -> ResponseReturnValue:
    """Search participants (accent-insensitive) and enrol the ticked ones in one step."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    form = EnrolForm()
    searching = "search" in request.form  # the search button (or Enter in the search box): ticks carried over
    if not searching and form.validate_on_submit():
        people = db.session.scalars(select(Participant).where(Participant.id.in_(form.participant_ids.data))
                                    .options(joinedload(Participant.unit))).all()
        try:
            if len(people) != len(set(form.participant_ids.data)):
                raise DomainError("participant_not_found", _("Không tìm thấy học viên."), status=404)
            result = enrol_participants(course, people, actor=current_user)
            db.session.flush()
        except IntegrityError:  # another request enrolled one of them at the same moment
            db.session.rollback()
            form.form_errors.append(_("Có học viên vừa được ghi danh bởi người khác; vui lòng thử lại."))
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            text = _("Đã ghi danh %(n)s học viên.", n=format_decimal(len(result.enrolled)))
            if result.skipped:
                text += " " + _("%(n)s người đã có trong khóa.", n=format_decimal(len(result.skipped)))
            if result.warnings:
                text += " " + _("%(n)s người không thuộc nhóm đối tượng của chương trình (vẫn được ghi danh).",
                                n=format_decimal(len(result.warnings)))
            flash_summary(text, [*result.warnings, *(_("%(name)s: %(reason)s.", name=p.full_name, reason=_(reason))
                                                     for p, reason in result.skipped)])
            return _to_detail(course)
    q = (request.values.get("q") or "").strip()
    form.q.data = q
    chosen = queries.chosen_participants(current_user, course, form.participant_ids.data or [])
    found = queries.search_participants_to_enrol(current_user, course, q, exclude=[p.id for p in chosen])
    return render_form("courses/enrol.html", form, course=course, q=q, found=found, chosen=chosen,
                   limit=queries.PARTICIPANT_PICK_LIMIT, group_labels=TARGET_GROUP_LABELS,
                   target_groups=course.curriculum.target_groups)


@bp.route("/<int:course_id>/enrolments/<int:participant_id>/withdraw", methods=["GET", "POST"])
def withdraw(course_id: int, participant_id: int) -> ResponseReturnValue:
    """Withdraw a participant before the course starts, with the reason kept."""
    course = get_or_404_for(Course, course_id, Need.MANAGE)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id,
                                                          Enrolment.participant_id == participant_id))
    if enrolment is None:
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            withdraw_enrolment(enrolment, reason=form.reason.data, actor=current_user)
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã rút tên %(name)s khỏi khóa học.", name=enrolment.participant.full_name), "success")
            return _to_detail(course)
    return render_form("courses/withdraw.html", form, course=course, enrolment=enrolment)
