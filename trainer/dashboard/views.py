"""The home page: a dashboard for each role."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from trainer.accounts.models import Role, User
from trainer.core import clock
from trainer.core.clock import local_today
from trainer.cycle.queries import plan_progress, reminders
from trainer.dashboard.queries import get_overview, list_upcoming_sessions
from trainer.extensions import db
from trainer.units.models import Unit

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index():
    """The dashboard of the logged-in user's role."""
    today = local_today()
    context = {"overview": get_overview(current_user, today), "now": clock.now(),
               "sessions": list_upcoming_sessions(current_user, today), "reminders": reminders(current_user, today),
               "progress": plan_progress(current_user.unit, today.year)}
    if current_user.role is Role.ADMIN:
        context["users_by_role"] = dict(db.session.execute(
            select(User.role, func.count(User.id)).group_by(User.role)).all())
        context["units_by_scheme"] = db.session.execute(
            select(Unit.scheme, Unit.level, func.count(Unit.id)).group_by(Unit.scheme, Unit.level)
            .order_by(Unit.scheme, Unit.level)).all()
    return render_template(f"dashboard/{current_user.role.value}.html", **context)
