"""Pages of units: browse the administrative units of a scheme."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext
from sqlalchemy import func, select

from trainer.core.api import choice_arg, int_arg
from trainer.extensions import db
from trainer.units.models import LEVEL_LABELS, SCHEMES, Unit, UnitLevel
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
