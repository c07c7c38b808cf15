"""Pages of the lecturers' registry and of a province's rates."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.api import int_arg
from trainer.core.clock import local_today
from trainer.core.errors import DomainError
from trainer.core.forms import render_form, show_error
from trainer.core.permissions import Need, can, is_admin
from trainer.core.templating import local_time
from trainer.extensions import db
from trainer.finance.forms import LecturerForm, RatesForm
from trainer.finance.lecturers import (
    TIER_LABELS,
    create_lecturer,
    get_lecturer_for,
    lecturer_calendar,
    list_lecturers,
    may_manage_registry,
    province_of,
    registry_province,
    update_lecturer,
)
from trainer.finance.rates import check_rates, list_rates, may_set_rates, rates_province, set_rates
from trainer.finance.spending import spending
from trainer.finance.words import vnd
from trainer.schedule.queries import filter_units
from trainer.units.services import default_scheme, get_unit

bp = Blueprint("finance", __name__)

MAX_LIST = 500


def _lecturer(lecturer_id: int, *, manage: bool = False):
    """The lecturer or the page's 404/403."""
    try:
        return get_lecturer_for(current_user, lecturer_id, manage=manage)
    except DomainError as exc:
        abort(exc.status)


def _lecturer_values(form: LecturerForm) -> dict:
    """create_lecturer/update_lecturer arguments from the form."""
    return {"full_name": form.full_name.data, "agency": form.agency.data or "", "tier": form.tier.data,
            "phone": form.phone.data or "", "email": form.email.data or ""}


@bp.route("/lecturers/")
def lecturers() -> ResponseReturnValue:
    """The registry of the user's province (every province for an admin), searchable by name."""
    q = (request.args.get("q") or "").strip()[:100]
    rows = db.session.scalars(list_lecturers(current_user, q).limit(MAX_LIST + 1)).all()
    province = province_of(current_user.unit) if current_user.unit is not None else None
    return render_template("finance/lecturers.html", rows=rows[:MAX_LIST], truncated=len(rows) > MAX_LIST, q=q,
                           province=province, tier_labels=TIER_LABELS,
                           may_add=may_manage_registry(current_user, province) and province is not None)


@bp.route("/lecturers/new", methods=["GET", "POST"])
def lecturer_new() -> ResponseReturnValue:
    """Add a lecturer to the registry of the organizer's province."""
    if not may_manage_registry(current_user) or current_user.unit is None:
        abort(403)
    province = province_of(current_user.unit)
    form = LecturerForm()
    if form.validate_on_submit():
        try:
            lecturer = create_lecturer(current_user, registry_province(current_user), **_lecturer_values(form))
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã thêm giảng viên %(name)s.", name=lecturer.full_name), "success")
            return redirect(url_for("finance.lecturer_detail", lecturer_id=lecturer.id))
    return render_form("finance/lecturer_form.html", form, lecturer=None, province=province)


@bp.route("/lecturers/<int:lecturer_id>")
def lecturer_detail(lecturer_id: int) -> ResponseReturnValue:
    """A lecturer, the sessions they teach and the clashes among them."""
    lecturer = _lecturer(lecturer_id)
    sessions, clashes = lecturer_calendar(lecturer)
    return render_template("finance/lecturer.html", lecturer=lecturer, sessions=sessions, clashes=clashes,
                           tier_labels=TIER_LABELS, local_time=local_time,
                           may_edit=may_manage_registry(current_user, lecturer.unit))


@bp.route("/lecturers/<int:lecturer_id>/edit", methods=["GET", "POST"])
def lecturer_edit(lecturer_id: int) -> ResponseReturnValue:
    """Change a lecturer of the registry."""
    lecturer = _lecturer(lecturer_id, manage=True)
    form = LecturerForm(obj=lecturer)
    if form.validate_on_submit():
        try:
            update_lecturer(current_user, lecturer, **_lecturer_values(form))
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Đã lưu giảng viên."), "success")
            return redirect(url_for("finance.lecturer_detail", lecturer_id=lecturer.id))
    return render_form("finance/lecturer_form.html", form, lecturer=lecturer, province=lecturer.unit)


@bp.route("/rates", methods=["GET", "POST"])
def rates() -> ResponseReturnValue:
    """A province's rates, newest first; reviewers in scope and admins add an entry."""
    code = (request.values.get("unit") or "").strip()
    if not code:
        if current_user.unit is None:
            return render_template("finance/rates_pick.html")
        code = province_of(current_user.unit).code
    try:
        province = rates_province(current_user, code, manage=False)
    except DomainError as exc:
        abort(404 if exc.status == 404 else 400)
    may_set = may_set_rates(current_user, province)
    form = RatesForm()
    if request.method == "POST":
        if not may_set:
            abort(403)
        if form.validate_on_submit():
            try:
                fees = {str(t): getattr(form, f"fee_{t}").data for t in range(1, 5)}
                values = check_rates(form.valid_from.data, fees, form.trainee_support_per_day.data, form.source.data)
                set_rates(current_user, province, values)
            except DomainError as exc:
                show_error(form, exc)
            else:
                db.session.commit()
                flash(_("Đã lưu định mức chi áp dụng từ ngày %(day)s.", day=values["valid_from"].strftime("%d/%m/%Y")),
                      "success")
                return redirect(url_for("finance.rates", unit=province.code))
    entries = db.session.scalars(list_rates(province)).all()
    status = 422 if request.method == "POST" else 200
    return render_template("finance/rates.html", province=province, entries=entries, form=form, may_set=may_set,
                           vnd=vnd, is_admin=is_admin(current_user)), status


@bp.route("/spending")
def spending_page() -> ResponseReturnValue:
    """What courses cost per child unit of a unit in a year (settlement: by attendance and sessions taught)."""
    scheme = current_user.unit.scheme if current_user.unit is not None else default_scheme()
    code = (request.args.get("unit") or "").strip()
    unit = get_unit(code, scheme=scheme, field="unit") if code else current_user.unit
    if unit is not None and not can(current_user, Need.VIEW, unit):
        abort(404)
    year = int_arg("year", local_today().year, minimum=2000, maximum=2100)
    data = spending(current_user, unit, year) if unit is not None else None
    units = list(db.session.scalars(filter_units(current_user, scheme)))
    return render_template("finance/spending.html", data=data, unit=unit, year=year, units=units, vnd=vnd,
                           years=range(local_today().year + 1, 2020, -1))
