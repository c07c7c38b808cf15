"""The dashboard lists today's and coming sessions first, each one click from its projector and marks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.conftest import login
from trainer.extensions import db
from trainer.schedule.models import CourseSession


def _session(course, starts_at: datetime, title: str) -> CourseSession:
    course_session = CourseSession(course=course, title=title, starts_at=starts_at,
                                   ends_at=starts_at + timedelta(hours=3), hours=3)
    db.session.add(course_session)
    return course_session


def test_today_and_coming_sessions_with_their_projector_and_marks(client, f, clock_at):
    clock_at.set(datetime(2026, 3, 10, 7, 0, tzinfo=UTC))  # 14:00 in Hà Nội
    t = f.tree()
    running = f.course(t["district"], title="Lớp đang học", start_date=date(2026, 3, 9), end_date=date(2026, 3, 11))
    _session(running, datetime(2026, 3, 9, 1, 0, tzinfo=UTC), "Hôm qua")
    this_morning = _session(running, datetime(2026, 3, 10, 1, 0, tzinfo=UTC), "Sáng nay")  # over at 11:00
    tomorrow = _session(running, datetime(2026, 3, 11, 1, 0, tzinfo=UTC), "Ngày mai")
    ended = f.course(t["district"], title="Lớp đã xong", start_date=date(2026, 3, 2), end_date=date(2026, 3, 9))
    _session(ended, datetime(2026, 3, 9, 6, 0, tzinfo=UTC), "Buổi cuối lớp cũ")
    organizer = f.user("organizer", t["district"])
    db.session.commit()

    login(client, organizer.email)
    html = client.get("/").get_data(as_text=True)
    listing = html.split('id="upcoming-sessions"')[1].split("</ul>")[0]
    assert "Hôm qua" not in listing and "Buổi cuối lớp cũ" not in listing
    assert listing.index("Sáng nay") < listing.index("Ngày mai")
    assert listing.count("Hôm nay") == 1  # the badge of this morning's session
    for s in (this_morning, tomorrow):
        assert f'href="/sessions/{s.id}/projector"' in listing and f'href="/sessions/{s.id}/marks"' in listing
    assert f'href="/courses/{running.id}"' in listing


def test_a_reviewer_sees_the_sessions_without_organizer_actions(client, f, clock_at):
    clock_at.set(datetime(2026, 3, 10, 7, 0, tzinfo=UTC))
    t = f.tree()
    course = f.course(t["district"], title="Lớp đang học", start_date=date(2026, 3, 10), end_date=date(2026, 3, 11))
    coming = _session(course, datetime(2026, 3, 11, 1, 0, tzinfo=UTC), "Ngày mai")
    reviewer = f.user("reviewer", t["province"])
    db.session.commit()
    login(client, reviewer.email)
    listing = client.get("/").get_data(as_text=True).split('id="upcoming-sessions"')[1].split("</ul>")[0]
    assert "Ngày mai" in listing and f"/sessions/{coming.id}/projector" not in listing
