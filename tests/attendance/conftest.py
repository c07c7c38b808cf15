"""A course with a session running now and enrolled participants, for the attendance tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import Factories
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.schedule.models import CourseSession


def make_session(course, starts_at, hours: int = 4, title: str = "Buổi sáng ngày 1") -> CourseSession:
    """A session of `course` starting at `starts_at`."""
    ends_at = starts_at + timedelta(hours=hours)
    course_session = CourseSession(course=course, title=title, starts_at=starts_at, ends_at=ends_at,
                                   hours=CourseSession.hours_between(starts_at, ends_at))
    db.session.add(course_session)
    db.session.flush()
    return course_session


@pytest.fixture
def hall(f: Factories, clock_at):
    """Tân Yên's course with a session that started 10 minutes ago and three enrolled officers; the app's
    clock stands still at `now` until a test moves it."""
    t = f.tree()
    course = f.course(t["district"], title="Lớp bồi dưỡng thông tin cơ sở 2024")
    now = clock_at.now()
    running = make_session(course, now - timedelta(minutes=10))
    people = [f.participant(t["commune"], full_name=name, phone=phone) for name, phone in (
        ("Nguyễn Thị Hằng", "0912345600"), ("Đặng Văn Ước", "0987654321"), ("Lò Thị Mai", "0355555555"))]
    for person in people:
        db.session.add(Enrolment(course=course, participant=person))
    outsider = f.participant(t["commune2"], full_name="Hoàng Văn Nam", phone="0977000111")
    db.session.flush()
    return {"tree": t, "course": course, "session": running, "people": people, "outsider": outsider, "now": now}
