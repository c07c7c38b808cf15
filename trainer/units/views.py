"""Pages of units: browse the administrative units of a scheme."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select

from trainer.core.api import choice_arg, int_arg
from trainer.core.clock import local_today
from trainer.core.errors import DomainError
from trainer.core.forms import render_form, show_error
from trainer.core.permissions import Need, get_or_404_for
from trainer.documents.issuers import default_issuer
from trainer.extensions import db
from trainer.units.forms import UnitIssuerForm
from trainer.units.issuers import FIELDS, delete_issuer, issuer_in_force, list_issuers, recipients_of, save_issuer
from trainer.units.models import LEVEL_LABELS, SCHEMES, Unit, UnitIssuer, UnitLevel
from trainer.units.queries import list_units
from trainer.units.services import default_scheme, get_unit

bp = Blueprint("units", __name__, url_prefix="/units")
PER_PAGE = 100


@bp.app_template_filter("level_label")
def level_label(level: UnitLevel | str) -> str:
    """The name of a unit level, in the page's language."""
    return gettext(LEVEL_LABELS[UnitLevel(level)])


@bp.route("/")
def index():
    """Browse units: provinces of a scheme, or the children of `parent`, or a name search."""
    scheme = choice_arg("scheme", SCHEMES) or default_scheme()
    parent_code = request.args.get("parent") or None
    parent = get_unit(parent_code, scheme=scheme, field="parent") if parent_code else None
    q = (request.args.get("q") or "").strip()
    stmt = list_units(scheme=scheme, parent=parent, q=q or None)
    if parent is None and not q:
        stmt = stmt.where(Unit.parent_id.is_(None))
    page = int_arg("page", 1)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    ancestors = []
    if parent is not None:
        codes = parent.path.split("/")[1:-1]
        ancestors = db.session.scalars(select(Unit).where(Unit.scheme == scheme, Unit.code.in_(codes))
                                       .order_by(func.length(Unit.path))).all()
    return render_template("units/index.html", rows=rows, scheme=scheme, schemes=SCHEMES, parent=parent,
                           ancestors=ancestors, q=q, page=page, total=total, per_page=PER_PAGE)


# --- issuer settings by period -------------------------------------------------------------------


@bp.route("/<int:unit_id>/issuers")
def issuers(unit_id: int) -> ResponseReturnValue:
    """A unit's issuer settings by period, and who issues its documents today (users in scope)."""
    unit = get_or_404_for(Unit, unit_id, Need.VIEW)
    today = local_today()
    return render_template("units/issuers.html", unit=unit, periods=list_issuers(unit), today=today,
                           in_force=issuer_in_force(unit, today), default=default_issuer(
                               unit.name, unit.level.value, unit.scheme, today), recipients_of=recipients_of)


def _issuer_of(unit: Unit, issuer_id: int) -> UnitIssuer:
    """One period of `unit`'s settings (404 for another unit's)."""
    issuer = db.session.get(UnitIssuer, issuer_id)
    if issuer is None or issuer.unit_id != unit.id:
        abort(404)
    return issuer


def _edit_issuer(unit: Unit, issuer: UnitIssuer | None) -> ResponseReturnValue:
    """The form of a period (new when `issuer` is None); one commit when saved."""
    form = UnitIssuerForm(obj=issuer)
    if request.method == "GET" and issuer is None:  # start from the defaults of today, when there are any
        default = default_issuer(unit.name, unit.level.value, unit.scheme, local_today())
        if default is not None:
            form.process(data={"agency_parent": default.parent_agency, "agency_name": default.agency,
                               "agency_abbr": default.agency_abbr, "place_name": default.place_name,
                               "signer_prefix": default.signer_prefix, "signer_title": default.signer_title})
    if form.validate_on_submit():
        values = {name: getattr(form, name).data or "" for name, *_ in FIELDS}
        values["recipients"] = form.recipients.data or ""
        try:
            save_issuer(unit, actor=current_user, valid_from=form.valid_from.data, valid_to=form.valid_to.data,
                        values=values, issuer=issuer)
        except DomainError as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(gettext("Đã lưu thiết lập cơ quan ban hành của %(unit)s.", unit=unit.name), "success")
            return redirect(url_for("units.issuers", unit_id=unit.id))
    return render_form("units/issuer_form.html", form, unit=unit, issuer=issuer)


@bp.route("/<int:unit_id>/issuers/new", methods=["GET", "POST"])
def new_issuer(unit_id: int) -> ResponseReturnValue:
    """Add a period of issuer settings (organizers of the unit or above, admins)."""
    return _edit_issuer(get_or_404_for(Unit, unit_id, Need.MANAGE), None)


@bp.route("/<int:unit_id>/issuers/<int:issuer_id>/edit", methods=["GET", "POST"])
def edit_issuer(unit_id: int, issuer_id: int) -> ResponseReturnValue:
    """Change a period of issuer settings."""
    unit = get_or_404_for(Unit, unit_id, Need.MANAGE)
    return _edit_issuer(unit, _issuer_of(unit, issuer_id))


@bp.route("/<int:unit_id>/issuers/<int:issuer_id>/delete", methods=["POST"])
def remove_issuer(unit_id: int, issuer_id: int) -> ResponseReturnValue:
    """Delete a period of issuer settings (the global CSRF protection checks the token)."""
    unit = get_or_404_for(Unit, unit_id, Need.MANAGE)
    delete_issuer(_issuer_of(unit, issuer_id), actor=current_user)
    db.session.commit()
    flash(gettext("Đã xóa thiết lập."), "success")
    return redirect(url_for("units.issuers", unit_id=unit.id))
