"""The calendar of sessions in the user's scope."""

from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.routing import BuildError

from trainer.core.api import choice_arg
from trainer.core.clock import local_today, local_zone
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, can
from trainer.core.templating import local_time
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.schedule.queries import CalendarView, ConflictKind, build_calendar, effective_venue, filter_units, shift
from trainer.units.services import default_scheme, get_unit

bp = Blueprint("schedule", __name__, url_prefix="/schedule")

COURSE_PAGE = "courses.detail"
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
WEEKDAYS = (_l("Thứ Hai"), _l("Thứ Ba"), _l("Thứ Tư"), _l("Thứ Năm"), _l("Thứ Sáu"), _l("Thứ Bảy"), _l("Chủ Nhật"))
CONFLICT_LABELS = {ConflictKind.VENUE.value: _l("Trùng địa điểm"), ConflictKind.TRAINER.value: _l("Trùng giảng viên")}


def _date_arg(name: str) -> date | None:
    """An optional YYYY-MM-DD query argument; anything else is a 400 with a Vietnamese message."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw) if DATE_RE.fullmatch(raw) else None
        if value is None or not 2000 <= value.year <= 2100:  # also keeps prev/next within datetime's range
            raise ValueError(raw)
        return value
    except ValueError:
        message = f"Tham số {name} phải là một ngày dạng YYYY-MM-DD, từ năm 2000 đến năm 2100."
        raise DomainError("invalid_argument", message, status=400) from None


def _course_url(course: Course) -> str | None:
    """The course's page when the courses blueprint offers one (the calendar works without it)."""
    if COURSE_PAGE not in current_app.view_functions:
        return None
    try:
        return url_for(COURSE_PAGE, course_id=course.id)
    except BuildError:
        return None


@bp.route("/")
def index() -> ResponseReturnValue:
    """Week (default) or month calendar of the sessions the user may view, with clash warnings."""
    zone = local_zone()
    today = local_today()
    view = CalendarView(choice_arg("view", tuple(v.value for v in CalendarView)) or CalendarView.WEEK)
    anchor = _date_arg("date") or today
    scheme = current_user.unit.scheme if current_user.unit is not None else default_scheme()
    unit_code = (request.args.get("unit") or "").strip() or None
    unit = get_unit(unit_code, scheme=scheme, field="unit") if unit_code else None
    if unit is not None and not can(current_user, Need.VIEW, unit):
        abort(404)  # a unit outside the scope is not shown to exist
    calendar = build_calendar(current_user, view, anchor, zone, unit)
    units = list(db.session.scalars(filter_units(current_user, scheme)))
    if unit is not None and unit not in units:
        units.append(unit)  # a commune typed in the URL stays selected

    def link(target: date | None, target_view: CalendarView = view) -> str:
        """This calendar's URL for another date and/or view, keeping the unit filter."""
        return url_for("schedule.index", view=target_view.value, date=target.isoformat() if target else None,
                       unit=unit_code)

    nav = {"prev": link(shift(view, anchor, -1)), "next": link(shift(view, anchor, 1)), "today": link(None),
           "week": link(anchor, CalendarView.WEEK), "month": link(anchor, CalendarView.MONTH)}
    return render_template("schedule/index.html", calendar=calendar, today=today, units=units, unit=unit,
                           nav=nav, weekdays=WEEKDAYS, conflict_labels=CONFLICT_LABELS, local_time=local_time,
                           venue_of=effective_venue, course_url=_course_url,
                           week_of=lambda day: link(day, CalendarView.WEEK))
