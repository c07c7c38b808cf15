"""JSON API of reports: the Project 6 indicators (API.md "Reports")."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from trainer.core.api import choice_arg
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
    return build_report(unit, period, scheme=scheme)
