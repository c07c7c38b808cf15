"""JSON API of the reporting cycle: plans and periodic report submissions (API.md "Plans and periodic reports")."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.core.api import choice_arg, json_body, paginated
from trainer.core.permissions import get_or_404_for, scoped
from trainer.cycle import plans as plan_services
from trainer.cycle import submissions as services
from trainer.cycle.access import find_unit
from trainer.cycle.consolidation import consolidation_json
from trainer.cycle.models import Plan, ReportSubmission, SubmissionStatus
from trainer.cycle.periods import parse_period
from trainer.extensions import db
from trainer.units.models import SCHEMES, Unit

bp = Blueprint("cycle_api", __name__, url_prefix="/api/v1")
STATUSES = tuple(status.value for status in SubmissionStatus)


def _unit_filter(stmt, model):
    """Restrict to `?unit=` (and its subtree) when given."""
    code = request.args.get("unit")
    if code:
        unit = find_unit(current_user, code, scheme=choice_arg("scheme", SCHEMES), field="unit")
        stmt = stmt.join(Unit, Unit.id == model.unit_id).where(Unit.path.startswith(unit.path, autoescape=True))
    return stmt


# --- plans ---------------------------------------------------------------------------------------


@bp.post("/plans")
def create_plan():
    """Create (201) or replace (200) the draft plan of a unit and year (organizers of the unit)."""
    data = json_body()
    year = plan_services.check_plan_year(data.get("year"))
    targets = plan_services.check_targets(data.get("targets"))
    unit = find_unit(current_user, data.get("unit_code"), scheme=choice_arg("scheme", SCHEMES))
    plan, created = plan_services.save_plan(current_user, unit, year, targets)
    db.session.commit()
    return plan_services.plan_json(plan), 201 if created else 200


@bp.get("/plans")
def list_plans():
    """Plans in the caller's scope, `?unit=` (its subtree) and `?year=`."""
    stmt = scoped(select(Plan).options(joinedload(Plan.unit)), Plan.unit_id)
    stmt = _unit_filter(stmt, Plan)
    if request.args.get("year"):
        stmt = stmt.where(Plan.year == plan_services.check_plan_year(request.args["year"]))
    return paginated(stmt.order_by(Plan.year.desc(), Plan.id), plan_services.plan_json)


@bp.get("/plans/<int:plan_id>")
def get_plan(plan_id: int):
    """One plan."""
    return plan_services.plan_json(get_or_404_for(Plan, plan_id))


@bp.post("/plans/<int:plan_id>/approve")
def approve_plan(plan_id: int):
    """Approve a plan (a reviewer of a unit above it)."""
    plan = plan_services.approve_plan(current_user, get_or_404_for(Plan, plan_id))
    db.session.commit()
    return plan_services.plan_json(plan)


@bp.post("/plans/<int:plan_id>/reopen")
def reopen_plan(plan_id: int):
    """Put an approved plan back to draft, with a reason (a reviewer of a unit above)."""
    reason = json_body().get("reason")
    plan = plan_services.reopen_plan(current_user, get_or_404_for(Plan, plan_id), reason)
    db.session.commit()
    return plan_services.plan_json(plan)


# --- report submissions --------------------------------------------------------------------------


@bp.post("/report-submissions")
def create_submission():
    """Create the draft report of a unit and period, its figures computed now."""
    data = json_body()
    period = parse_period(data.get("period"))
    unit = find_unit(current_user, data.get("unit_code"), scheme=choice_arg("scheme", SCHEMES))
    submission = services.create_submission(current_user, unit, period, basis=data.get("basis") or "computed")
    db.session.commit()
    return services.submission_json(submission), 201


@bp.get("/report-submissions")
def list_submissions():
    """Reports in the caller's scope: `?unit=` (its subtree), `?period=`, `?status=`."""
    stmt = scoped(select(ReportSubmission).options(joinedload(ReportSubmission.unit)), ReportSubmission.unit_id)
    stmt = _unit_filter(stmt, ReportSubmission)
    if request.args.get("period"):
        stmt = stmt.where(ReportSubmission.period == parse_period(request.args["period"]).code)
    status = choice_arg("status", STATUSES)
    if status:
        stmt = stmt.where(ReportSubmission.status == SubmissionStatus(status))
    return paginated(stmt.order_by(ReportSubmission.period.desc(), ReportSubmission.id),
                     lambda s: services.submission_json(s, with_figures=False))


@bp.get("/report-submissions/<int:submission_id>")
def get_submission(submission_id: int):
    """One report with its figures."""
    return services.submission_json(get_or_404_for(ReportSubmission, submission_id))


@bp.patch("/report-submissions/<int:submission_id>")
def patch_submission(submission_id: int):
    """Edit the narrative of a draft or returned report; `refresh_figures: true` computes its figures again."""
    submission = get_or_404_for(ReportSubmission, submission_id)
    data = json_body()
    if "narrative" in data:
        services.update_narrative(current_user, submission, services.check_narrative(data["narrative"]))
    if data.get("refresh_figures"):
        services.refresh_figures(current_user, submission)
    db.session.commit()
    return services.submission_json(submission)


def _step(submission_id: int, action, *args):
    submission = action(current_user, get_or_404_for(ReportSubmission, submission_id), *args)
    db.session.commit()
    return services.submission_json(submission)


@bp.post("/report-submissions/<int:submission_id>/submit")
def submit_submission(submission_id: int):
    """Send the report to the unit above."""
    return _step(submission_id, services.submit_submission)


@bp.post("/report-submissions/<int:submission_id>/approve")
def approve_submission(submission_id: int):
    """Approve (a reviewer of a unit above): figures frozen, period locked."""
    return _step(submission_id, services.approve_submission)


@bp.post("/report-submissions/<int:submission_id>/return")
def return_submission(submission_id: int):
    """Return the report to its unit with a comment."""
    return _step(submission_id, services.return_submission, json_body().get("comment"))


@bp.post("/report-submissions/<int:submission_id>/reopen")
def reopen_submission(submission_id: int):
    """Reopen an approved report with a reason: the period is unlocked."""
    return _step(submission_id, services.reopen_submission, json_body().get("reason"))


@bp.get("/report-submissions/<int:submission_id>/consolidation")
def consolidation(submission_id: int):
    """The report's figures built from its child units' approved reports, and where they differ from its own."""
    return consolidation_json(get_or_404_for(ReportSubmission, submission_id))
