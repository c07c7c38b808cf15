"""Pages of the reporting cycle: the annual plan, the status board of a level, a periodic report (narrative,
review steps, history, consolidation) and its .pdf and .xlsx; and the period-lock notice of course pages."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.core.api import choice_arg
from trainer.core.clock import local_today
from trainer.core.downloads import file_response
from trainer.core.errors import DomainError, ValidationError
from trainer.core.permissions import get_or_404_for, is_admin
from trainer.core.text import N_
from trainer.curricula.models import TARGET_GROUP_LABELS, Curriculum, TargetGroup
from trainer.cycle import plans as plan_services
from trainer.cycle import submissions as services
from trainer.cycle.access import find_unit, may_draft_plan, may_draft_report, may_review
from trainer.cycle.attachments import add_attachment, attachment_path, remove_attachment
from trainer.cycle.consolidation import KEY_LABELS, consolidate
from trainer.cycle.documents import render_submission_pdf, render_submission_xlsx, submission_filename
from trainer.cycle.locks import period_lock
from trainer.cycle.models import Plan, ReportAttachment, ReportSubmission
from trainer.cycle.periods import ReportPeriod, parse_period
from trainer.cycle.queries import board, board_counts
from trainer.extensions import db
from trainer.reports.queries import Period
from trainer.reports.services import build_report
from trainer.schedule.models import CourseSession
from trainer.units.models import SCHEMES
from trainer.units.services import default_scheme

bp = Blueprint("cycle", __name__, url_prefix="/cycle")
bp.add_app_template_filter(lambda value: format_decimal(value or 0), "cycle_num")
FIRST_YEAR = 2021
LOCKED_BLUEPRINTS = ("courses", "attendance", "certificates", "schedule")
HISTORY_LABELS = {"report_submission.create": N_("Lập dự thảo"), "report_submission.edit": N_("Sửa nội dung"),
                  "report_submission.submit": N_("Gửi lên cấp trên"), "report_submission.approve": N_("Duyệt"),
                  "report_submission.return": N_("Trả lại"), "report_submission.reopen": N_("Mở lại"),
                  "report_submission.attach": N_("Đính kèm tệp"), "report_submission.detach": N_("Bỏ tệp đính kèm")}


def _unit_from_args(field: str = "unit", *, national: bool = False):
    """The unit of `?unit=` (default: the caller's own unit); without one an admin gets the whole country (None)
    where `national` allows it, else the page asks for a unit (404)."""
    code = request.values.get(field)
    if not code:
        if current_user.unit is None:
            if national and is_admin(current_user):
                return None
            abort(404)
        return current_user.unit
    return find_unit(current_user, code, scheme=choice_arg("scheme", SCHEMES), field=field)


def _committed(step: Callable[[], Any]) -> bool:
    """Run a service step and commit it; a refusal is flashed (403 stays a 403) and nothing is written."""
    try:
        step()
    except DomainError as exc:
        if exc.status == 403:
            abort(403)
        flash(exc.said(), "danger")
        return False
    db.session.commit()
    return True


def _years() -> range:
    return range(local_today().year + 1, FIRST_YEAR - 1, -1)


# --- plans ---------------------------------------------------------------------------------------


def _targets_from_form(curricula: list[Curriculum]) -> list[dict[str, Any]]:
    """The plan form's rows: one per curriculum (all target groups), then extra rows per curriculum and group."""
    rows = []
    for curriculum in curricula:
        for group in ("", *[g.value for g in TargetGroup]):
            key = f"{curriculum.code}_{group or 'all'}"
            classes, trainees = request.form.get(f"classes_{key}", "").strip(), request.form.get(
                f"trainees_{key}", "").strip()
            if classes or trainees:
                rows.append({"curriculum_code": curriculum.code, "target_group": group or None,
                             "classes": classes or "0", "trainees": trainees or "0"})
    return rows


@bp.route("/plans", methods=["GET", "POST"])
def plan():
    """The plan of a unit for a year: targets per curriculum (and target group) against the actual figures of
    the year and since 2021; organizers edit a draft, reviewers above approve it."""
    unit = _unit_from_args()
    errors: dict[str, str] = {}
    try:
        year = plan_services.check_plan_year(request.values.get("year") or local_today().year)
    except ValidationError as exc:
        year, errors = local_today().year, dict(exc.fields or {})
    curricula = list(db.session.scalars(select(Curriculum).order_by(Curriculum.code)))
    current = plan_services.get_plan(unit, year)
    if request.method == "POST" and not errors:
        try:
            targets = plan_services.check_targets(_targets_from_form(curricula))
            saved, created = plan_services.save_plan(current_user, unit, year, targets)
        except DomainError as exc:
            if exc.status == 403:
                abort(403)
            errors = dict(exc.fields or {"targets": exc.message})
            flash(exc.said(), "danger")
        else:
            db.session.commit()
            flash(_("Đã lưu kế hoạch năm %(year)s của %(unit)s.", year=year, unit=unit.name), "success")
            return redirect(url_for("cycle.plan", unit=unit.code, scheme=unit.scheme, year=year))
    summary = plan_services.plan_summary(unit, year, scheme=unit.scheme)
    report = build_report(unit, Period.of_year(year))
    cumulative = build_report(unit, Period(date(FIRST_YEAR, 1, 1), date(year, 12, 31)))
    values = {}
    if current is not None:
        for target in current.targets:
            key = f"{target.curriculum_code}_{target.target_group or 'all'}"
            values[key] = (target.classes, target.trainees)
    return render_template(
        "cycle/plan.html", unit=unit, year=year, years=_years(), plan=current, curricula=curricula,
        groups=list(TargetGroup), group_labels=TARGET_GROUP_LABELS, values=values, summary=summary, report=report,
        cumulative=cumulative,
        actual_classes=plan_services.actual_classes(unit, year), errors=errors,
        editable=may_draft_plan(current_user, unit) and (current is None or current.status.value != "approved"),
        reviewable=current is not None and may_review(current_user, unit),
    ), 422 if errors else 200


@bp.post("/plans/<int:plan_id>/approve")
def plan_approve(plan_id: int):
    """Approve a plan (a reviewer of a unit above), or with `reopen` and a reason put it back to draft."""
    item = get_or_404_for(Plan, plan_id)
    reopen = request.form.get("action") == "reopen"
    if _committed(lambda: plan_services.reopen_plan(current_user, item, request.form.get("reason", "")) if reopen
                  else plan_services.approve_plan(current_user, item)):
        flash(_("Đã mở lại kế hoạch năm %(year)s của %(unit)s.", year=item.year, unit=item.unit.name)
              if item.status.value == "draft" else
              _("Đã duyệt kế hoạch năm %(year)s của %(unit)s.", year=item.year, unit=item.unit.name), "success")
    return redirect(url_for("cycle.plan", unit=item.unit.code, scheme=item.unit.scheme, year=item.year))


# --- the status board --------------------------------------------------------------------------


def _period_from_args() -> ReportPeriod:
    today = local_today()
    raw = request.values.get("period") or str(today.year if today.month > 6 else f"{today.year}-H1")
    try:
        return parse_period(raw)
    except ValidationError:
        abort(404)


@bp.route("/reports")
def board_page():
    """Who under a unit has reported for a period: status, due date, late, returned; the unit's own report."""
    unit = _unit_from_args(national=True)
    period = _period_from_args()
    today = local_today()
    own, lines = board(unit, period, today, scheme=choice_arg("scheme", SCHEMES) or default_scheme())
    periods = [ReportPeriod(y, h) for y in _years() for h in (None, 1)]
    return render_template("cycle/board.html", unit=unit, period=period, periods=periods, own=own, lines=lines,
                           counts=board_counts(lines), status_labels=services.STATUS_LABELS,
                           may_create=unit is not None and may_draft_report(current_user, unit),
                           ancestors=_ancestors(unit) if unit is not None else [])


def _ancestors(unit) -> list:
    """The units above `unit` that the caller may view (for the breadcrumb)."""
    chain, parent = [], unit.parent
    while parent is not None:
        if is_admin(current_user) or (current_user.unit is not None and parent.path.startswith(current_user.unit.path)):
            chain.insert(0, parent)
        parent = parent.parent
    return chain


@bp.post("/reports")
def create():
    """Create the draft report of a unit and period from its figures."""
    unit = _unit_from_args()
    period = _period_from_args()
    try:
        submission = services.create_submission(current_user, unit, period,
                                                basis=request.form.get("basis") or "computed")
    except DomainError as exc:
        if exc.status == 403:
            abort(403)
        flash(exc.said(), "danger")
        return redirect(url_for("cycle.board_page", unit=unit.code, scheme=unit.scheme, period=period.code))
    db.session.commit()
    flash(_("Đã lập dự thảo báo cáo %(period)s từ số liệu hiện có.", period=period.shown), "success")
    return redirect(url_for("cycle.detail", submission_id=submission.id))


# --- one report --------------------------------------------------------------------------------


@bp.route("/reports/<int:submission_id>", methods=["GET", "POST"])
def detail(submission_id: int):
    """A report: figures against the plan, the narrative (edited here while a draft or returned), the review
    steps, the consolidation from the child units and the history."""
    submission = get_or_404_for(ReportSubmission, submission_id)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        typed = {key: request.form.get(key, "") for key in services.SECTION_KEYS}
        try:
            services.update_narrative(current_user, submission, services.check_narrative(typed))
        except DomainError as exc:
            if exc.status == 403:
                abort(403)
            errors = {key.removeprefix("narrative."): msg for key, msg in (exc.fields or {"_": exc.message}).items()}
            flash(exc.said(), "danger")
        else:
            db.session.commit()
            flash(_("Đã lưu nội dung báo cáo."), "success")
            return redirect(url_for("cycle.detail", submission_id=submission.id))
    period = parse_period(submission.period)
    consolidation = consolidate(submission) if submission.unit.children else None
    return render_template(
        "cycle/detail.html", submission=submission, period=period, sections=services.SECTIONS, opening=services.OPENING,
        narrative={**(submission.narrative or {}), **typed}, errors=errors, figures=submission.figures or {},
        history=services.history(submission), consolidation=consolidation, key_labels=KEY_LABELS,
        status_labels=services.STATUS_LABELS, history_labels=HISTORY_LABELS,
        editable=may_draft_report(current_user, submission.unit) and submission.status in services.EDITABLE,
        reviewable=may_review(current_user, submission.unit),
    ), 422 if errors else 200


STEPS = {"submit": (services.submit_submission, N_("Đã gửi báo cáo lên cấp trên.")),
         "approve": (services.approve_submission, N_("Đã duyệt báo cáo; số liệu của kỳ đã được khóa.")),
         "return": (services.return_submission, N_("Đã trả lại báo cáo kèm ý kiến.")),
         "reopen": (services.reopen_submission, N_("Đã mở lại báo cáo; số liệu của kỳ được mở khóa.")),
         "refresh": (services.refresh_figures, N_("Đã cập nhật số liệu từ dữ liệu hiện tại."))}


@bp.post("/reports/<int:submission_id>/act")
def act(submission_id: int):
    """One review step of a report: submit, approve, return (with a comment), reopen (with a reason), refresh."""
    submission = get_or_404_for(ReportSubmission, submission_id)
    action = request.form.get("action", "")
    if action not in STEPS:
        abort(400)
    service, done = STEPS[action]
    args = (request.form.get("comment", ""),) if action in ("return", "reopen") else ()
    if _committed(lambda: service(current_user, submission, *args)):
        flash(_(done), "success")
    return redirect(url_for("cycle.detail", submission_id=submission.id))


@bp.post("/reports/<int:submission_id>/attachments")
def attach(submission_id: int):
    """Attach a file to a draft or returned report."""
    submission = get_or_404_for(ReportSubmission, submission_id)
    upload = request.files.get("file")
    if _committed(lambda: add_attachment(current_user, submission, upload.stream if upload else io.BytesIO(),
                                         upload.filename or "" if upload else "")):
        flash(_("Đã đính kèm tệp."), "success")
    return redirect(url_for("cycle.detail", submission_id=submission.id))


@bp.route("/reports/<int:submission_id>/attachments/<int:attachment_id>")
def attachment(submission_id: int, attachment_id: int):
    """Download an attachment (whoever may view the report)."""
    item = db.session.get(ReportAttachment, attachment_id)
    if item is None or item.submission_id != submission_id:
        abort(404)
    get_or_404_for(ReportSubmission, submission_id)
    return file_response(attachment_path(item).read_bytes(), item.filename, item.content_type)


@bp.post("/reports/<int:submission_id>/attachments/<int:attachment_id>/delete")
def detach(submission_id: int, attachment_id: int):
    """Remove an attachment of a draft or returned report."""
    get_or_404_for(ReportSubmission, submission_id)
    item = db.session.get(ReportAttachment, attachment_id)
    if item is None or item.submission_id != submission_id:
        abort(404)
    if _committed(lambda: remove_attachment(current_user, item)):
        flash(_("Đã bỏ tệp đính kèm."), "success")
    return redirect(url_for("cycle.detail", submission_id=submission_id))


@bp.route("/reports/<int:submission_id>.pdf")
def submission_pdf(submission_id: int):
    """The report in the Decree 30 layout, its figure tables as the annex."""
    submission = get_or_404_for(ReportSubmission, submission_id)
    body = render_submission_pdf(submission, on=local_today())
    return file_response(body, submission_filename(submission, "pdf"), "application/pdf", inline=True)


@bp.route("/reports/<int:submission_id>.xlsx")
def submission_xlsx(submission_id: int):
    """The report's narrative and figure tables as a workbook."""
    submission = get_or_404_for(ReportSubmission, submission_id)
    body = render_submission_xlsx(submission, on=local_today())
    return file_response(body, submission_filename(submission, "xlsx"),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# --- the lock notice of course pages ------------------------------------------------------------


@bp.app_context_processor
def _period_lock_notice() -> dict[str, Any]:
    """`period_lock` for the pages of a course or session whose period is locked (base.html shows it)."""
    if request.blueprint not in LOCKED_BLUEPRINTS or not request.view_args:
        return {}
    course_id = request.view_args.get("course_id")
    if course_id is None and request.view_args.get("session_id") is not None:
        course_id = db.session.scalar(select(CourseSession.course_id).where(
            CourseSession.id == request.view_args["session_id"]))
    return {"period_lock": period_lock(course_id)} if course_id is not None else {}
