"""Pages of reports: the Project 6 indicator dashboard and its .xlsx and .pdf exports."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.api import choice_arg
from trainer.core.db import utcnow
from trainer.core.downloads import file_response
from trainer.core.errors import DomainError, ValidationError, said
from trainer.core.templating import local_time
from trainer.cycle.plans import plan_summary
from trainer.extensions import db
from trainer.reports.charts import bar_chart
from trainer.reports.document import MAIN_COLUMNS, TARGET_GROUP_SHORT, figure
from trainer.reports.headcounts import may_enter_headcounts
from trainer.reports.queries import Period, list_report_ancestors
from trainer.reports.services import (
    build_report,
    export_report,
    get_report_unit,
    parse_report_date,
    parse_report_number,
    period_args,
    period_label,
    resolve_period,
)
from trainer.units.models import SCHEMES

bp = Blueprint("reports", __name__, url_prefix="/reports")

FIRST_YEAR = 2021  # the 2021-2025 programme


def _period_from_args() -> Period:
    """The period of the query string (`year`, `half`, `from`, `to`). Raises ValidationError."""
    args = request.args
    return resolve_period(year=args.get("year"), half=args.get("half"), date_from=args.get("from"),
                          date_to=args.get("to"))


def _charts(report: dict[str, Any]) -> dict[str, Any]:
    """The dashboard's SVG charts: trained officers by child unit, by curriculum, by target group."""
    by_unit = [(row["unit"]["name"], row["trained_officers"]) for row in report["rows"]]
    return {
        "by_unit": bar_chart(by_unit, title=_("Số người được bồi dưỡng theo đơn vị"), empty=_("Không có dữ liệu")),
        # drawn for a phone's width: the one above, shrunk to 340 px, would have 6 px letters
        "by_unit_phone": bar_chart(by_unit, width=340, label_width=130, title=_("Số người được bồi dưỡng theo đơn vị"),
                                   empty=_("Không có dữ liệu")),
        "by_curriculum": bar_chart(list(report["by_curriculum"].items()), color="success", width=200,
                                   label_width=36, title=_("Số người được bồi dưỡng theo chương trình"),
                                   empty=_("Không có dữ liệu")),
        "by_target_group": bar_chart([(_(TARGET_GROUP_SHORT[group]) if group in TARGET_GROUP_SHORT else group, n)
                                      for group, n in report["by_target_group"].items()], color="info",
                                     width=380, label_width=160, empty=_("Không có dữ liệu"),
                                     title=_("Số người được bồi dưỡng theo nhóm đối tượng")),
    }


@bp.route("/")
def index():
    """The indicator dashboard of a unit in the viewer's scope: figures, child-unit rows, charts, downloads."""
    scheme = choice_arg("scheme", SCHEMES)
    unit = get_report_unit(current_user, request.args.get("unit"), scheme=scheme)
    filters = {key: request.args.get(key, "") for key in ("year", "half", "from", "to")}
    base_args = {"unit": unit.code if unit is not None else None, "scheme": scheme}
    context: dict[str, Any] = {
        "unit": unit, "scheme": scheme or (unit.scheme if unit is not None else None), "filters": filters,
        "ancestors": list_report_ancestors(unit, current_user) if unit is not None else [],
        "years": range(local_time(utcnow()).year + 1, FIRST_YEAR - 1, -1),
        "columns": [(key, _(label)) for key, label in MAIN_COLUMNS],
        "errors": {}, "report": None, "base_args": base_args,
        "figure": figure, "period_args": {},
    }
    try:
        period = _period_from_args()
    except ValidationError as exc:
        context["errors"] = {name: exc.said_field(name) for name in exc.fields or {}}
        return render_template("reports/index.html", **context), 422
    report = build_report(unit, period, scheme=scheme)
    args = {**base_args, **period_args(period)}
    context["plan"] = plan_summary(unit, period.year, scheme=report["unit"]["scheme"])  # the cycle's plan, if any
    context.update(report=report, period=period, period_label=period_label(period, said) or _("tất cả các năm"),
                   period_args=period_args(period), charts=_charts(report),
                   headcounts_url=url_for("reports.headcounts", **base_args, year=period.year or None)
                   if may_enter_headcounts(current_user, unit) else None,
                   downloads={fmt: url_for(f"reports.indicators_{fmt}") for fmt in ("xlsx", "pdf")},
                   export_args={key: value for key, value in args.items() if value is not None},
                   today=local_time(utcnow()).date().isoformat())
    return render_template("reports/index.html", **context)


def _export(fmt: str) -> Response:
    """The report of the query string's unit and period as `fmt`, with the `number` and `date` the user typed (blank
    number: left for the pen; blank date: today); one commit for the audit entry. A refused number, date or issuer
    goes back to the dashboard with the message."""
    scheme = choice_arg("scheme", SCHEMES)
    period = _period_from_args()
    unit = get_report_unit(current_user, request.args.get("unit"), scheme=scheme)
    try:
        number = parse_report_number(request.args.get("number"))
        on = parse_report_date(request.args.get("date"), today=local_time(utcnow()).date())
        export = export_report(unit, period, fmt=fmt, actor=current_user, on=on, scheme=scheme, number=number)
    except DomainError as exc:
        flash(exc.said(), "danger")
        return redirect(url_for("reports.index", **request.args))
    db.session.commit()
    return file_response(export.body, export.filename, export.mimetype, inline=fmt == "pdf")


@bp.route("/indicators.xlsx")
def indicators_xlsx():
    """The indicator report as an Excel workbook, with the list of trained officers (logged)."""
    return _export("xlsx")


@bp.route("/indicators.pdf")
def indicators_pdf():
    """The indicator report as a PDF in the administrative layout."""
    return _export("pdf")
