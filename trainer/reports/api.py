"""JSON API of reports: the Project 6 indicators (API.md "Reports")."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from trainer.core.api import choice_arg, json_body
from trainer.cycle.plans import plan_summary
from trainer.extensions import db
from trainer.reports.headcounts import check_officers, check_year, headcount_json, headcount_unit, set_headcount
from trainer.reports.services import build_report, get_report_unit, resolve_period
from trainer.units.models import SCHEMES

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")


@bp.get("/reports/indicators")
def indicators():
    """The indicators of `unit` (default: the caller's unit; the whole country for an admin) for `year`
    (optional, all years without it), `half` of that year, or the range `from`-`to`."""
    args = request.args
    scheme = choice_arg("scheme", SCHEMES)
    period = resolve_period(year=args.get("year"), half=args.get("half"), date_from=args.get("from"),
                            date_to=args.get("to"))
    unit = get_report_unit(current_user, args.get("unit"), scheme=scheme)
    report = build_report(unit, period, scheme=scheme)
    report["plan"] = plan_summary(unit, period.year, scheme=report["unit"].get("scheme") or scheme or "2024")
    return report


@bp.put("/reports/headcounts")
def put_headcount():
    """Enter the official headcount of officers to train of a unit and year (reviewers in scope, admins);
    `officers_in_post: null` clears it."""
    data = json_body()
    year = check_year(data.get("year"))
    officers = check_officers(data.get("officers_in_post"))
    unit = headcount_unit(current_user, data.get("unit_code"), scheme=choice_arg("scheme", SCHEMES))
    set_headcount(current_user, unit, year, officers)
    db.session.commit()
    return headcount_json(unit, year, officers)
