"""Fixtures of the schedule tests: sessions placed in local (Asia/Ho_Chi_Minh) time."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from trainer.courses.models import Course
from trainer.extensions import db
from trainer.schedule.models import CourseSession

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY_RE = re.compile(r'data-date="(\d{4}-\d{2}-\d{2})"')


def local(text: str) -> datetime:
    """An aware datetime from local wall-clock text `YYYY-MM-DD HH:MM`."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VN)


@pytest.fixture
def make_session() -> Callable[..., CourseSession]:
    """Build a session of `course` starting at local `start` (`YYYY-MM-DD HH:MM`) for `minutes`."""

    def make(course: Course, start: str, minutes: int = 240, **overrides: Any) -> CourseSession:
        """The session, flushed."""
        starts_at = local(start)
        ends_at = starts_at + timedelta(minutes=minutes)
        values: dict[str, Any] = {"title": "Buổi học", "trainer_name": "", "venue": ""}
        values.update(overrides)
        session = CourseSession(course=course, starts_at=starts_at, ends_at=ends_at,
                                hours=CourseSession.hours_between(starts_at, ends_at), **values)
        db.session.add(session)
        db.session.flush()
        return session

    return make


def day_of(html: str, session_id: int) -> str | None:
    """The `data-date` of the calendar day holding the element `session-<id>`, or None if absent."""
    position = html.find(f'id="session-{session_id}"')
    if position < 0:
        return None
    days = DAY_RE.findall(html[:position])
    return days[-1] if days else None
