"""Figures shown on the dashboards, scoped to the viewer's units."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.core.clock import local_zone
from trainer.core.permissions import Need, scoped
from trainer.courses.models import Course, CourseStatus
from trainer.curricula.models import Curriculum
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession


def get_overview(user: User, today: date) -> dict[str, Any]:
    """Counts of courses (all, this year, upcoming), participants and curricula the user may view."""
    year_start = date(today.year, 1, 1)
    courses = scoped(select(
        func.count(Course.id),
        func.count(Course.id).filter(Course.start_date >= year_start),
        func.count(Course.id).filter(Course.start_date >= today),
    ).where(Course.status != CourseStatus.CANCELLED), Course.unit_id, Need.VIEW, user)
    total, this_year, upcoming = db.session.execute(courses).one()
    participants = db.session.scalar(scoped(select(func.count(Participant.id)), Participant.unit_id,
                                            Need.VIEW, user))
    curricula = db.session.scalar(select(func.count(Curriculum.id)).where(Curriculum.is_active))
    return {"courses": total, "courses_this_year": this_year, "courses_upcoming": upcoming,
            "participants": participants, "curricula": curricula}


def list_upcoming_sessions(user: User, today: date, limit: int = 10) -> list[CourseSession]:
    """Today's sessions (also those already over today) and the coming ones, in time order, of the courses
    the user may view, with their course loaded: one statement."""
    since = datetime.combine(today, time(0), tzinfo=local_zone())  # the local day's start, whatever the hour
    stmt = (select(CourseSession).join(Course)
            .where(Course.status != CourseStatus.CANCELLED, CourseSession.ends_at >= since)
            .order_by(CourseSession.starts_at, CourseSession.id).limit(limit)
            .options(db.contains_eager(CourseSession.course)))
    return list(db.session.scalars(scoped(stmt, Course.unit_id, Need.VIEW, user)))
