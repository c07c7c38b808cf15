"""Pages of the official headcounts of officers to train: enter them for a unit and its children and a year,
or download the list as a workbook, fill it in Excel and upload it back."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.api import choice_arg
from trainer.core.db import utcnow
from trainer.core.downloads import file_response
from trainer.core.errors import DomainError, ValidationError
from trainer.core.templating import local_time
from trainer.extensions import db
from trainer.reports.headcounts import (
    HeadcountLine,
    check_officers,
    check_year,
    headcount_lines,
    may_enter_headcounts,
    set_headcount,
)
from trainer.reports.headcounts_excel import read_headcounts, template_workbook
from trainer.reports.services import get_report_unit
from trainer.reports.views import FIRST_YEAR, bp
from trainer.units.models import SCHEMES, Unit
from trainer.units.services import default_scheme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page_state() -> tuple[Unit | None, str, int, dict[str, str], list[HeadcountLine]]:
    """The unit (in the viewer's scope, who must be a reviewer or admin), scheme, year, year error and lines."""
    scheme = choice_arg("scheme", SCHEMES)
    unit = get_report_unit(current_user, request.values.get("unit"), scheme=scheme)
    if not may_enter_headcounts(current_user, unit):
        abort(403)
    scheme = unit.scheme if unit is not None else (scheme or default_scheme())
    errors: dict[str, str] = {}
    try:
        year = check_year(request.values.get("year") or local_time(utcnow()).year)
    except ValidationError as exc:
        year, errors = local_time(utcnow()).year, {"year": exc.said()}
    return unit, scheme, year, errors, headcount_lines(unit, year, scheme=scheme)


def _render(unit: Unit | None, scheme: str, year: int, lines: list[HeadcountLine], errors: dict[str, str],
            typed: dict[str, str], **extra: Any) -> tuple[str, int]:
    status = 422 if errors or extra.get("file_error") or extra.get("problems") else 200
    return render_template("reports/headcounts.html", unit=unit, scheme=scheme, year=year, lines=lines, errors=errors,
                           typed=typed, years=range(local_time(utcnow()).year + 1, FIRST_YEAR - 1, -1),
                           report_url=url_for("reports.index", unit=unit.code if unit else None, scheme=scheme,
                                              year=year), **extra), status


def _saved(unit: Unit | None, scheme: str, year: int, lines: list[HeadcountLine], values: dict[int, int | None]):
    """Save the values (unit id → headcount; None clears), one commit, and go back to the page."""
    changed = sum(set_headcount(current_user, line.unit, year, values[line.unit.id])
                  for line in lines if line.unit.id in values)
    db.session.commit()
    flash(_("Đã lưu số cán bộ cần bồi dưỡng năm %(year)s (%(n)s thay đổi).", year=year, n=changed), "success")
    return redirect(url_for("reports.headcounts", unit=unit.code if unit else None, scheme=scheme, year=year))


@bp.route("/headcounts", methods=["GET", "POST"])
def headcounts():
    """Enter the official headcounts of officers to train of a unit and its children for a year (reviewers in
    scope, admins). Every value is checked before any is saved; a refused form keeps what was typed."""
    unit, scheme, year, errors, lines = _page_state()
    typed: dict[str, str] = {}
    if request.method == "POST" and not errors:
        values: dict[int, int | None] = {}
        for line in lines:
            field = f"u{line.unit.code}"
            typed[field] = request.form.get(field, "")
            try:
                values[line.unit.id] = check_officers(typed[field], field)
            except ValidationError as exc:
                errors[field] = exc.said()
        if not errors:
            return _saved(unit, scheme, year, lines, values)
    return _render(unit, scheme, year, lines, errors, typed)


@bp.route("/headcounts.xlsx")
def headcounts_xlsx():
    """The unit and its children with what was entered for the year, to fill in Excel and upload back."""
    unit, _scheme, year, _errors, lines = _page_state()
    name = f"so-can-bo-can-boi-duong-{unit.code if unit else 'toan-quoc'}-{year}.xlsx"
    return file_response(template_workbook(lines, year), name, XLSX)


@bp.route("/headcounts/import", methods=["POST"])
def headcounts_import():
    """Headcounts from an uploaded workbook: every row checked first, nothing saved unless all are right."""
    unit, scheme, year, errors, lines = _page_state()
    upload = request.files.get("file")
    if errors:
        return _render(unit, scheme, year, lines, errors, {})
    if upload is None or not upload.filename:
        return _render(unit, scheme, year, lines, {}, {}, file_error=_("Chọn tệp Excel (.xlsx) để tải lên."))
    try:
        result = read_headcounts(upload.stream, lines)
    except DomainError as exc:
        return _render(unit, scheme, year, lines, {}, {}, file_error=exc.said())
    if result.problems:
        return _render(unit, scheme, year, lines, {}, {}, problems=result.problems)
    return _saved(unit, scheme, year, lines, result.values)
