"""The calendar page makes a bounded number of SQL statements whatever the number of sessions."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from tests.conftest import login
from tests.factories import Factories
from tests.schedule.conftest import local
from tests.sql import count_statements
from trainer.extensions import db
from trainer.schedule.models import CourseSession


def _add_sessions(course_ids: list[int], count: int) -> None:
    """`count` sessions spread over one week; some share a venue and a trainer at the same time."""
    rows = []
    for i in range(count):
        starts_at = local("2024-10-07 07:00") + timedelta(days=i % 7, minutes=(i // 7) % 12 * 60)
        rows.append({"course_id": course_ids[i % len(course_ids)], "title": f"Buổi {i}",
                     "starts_at": starts_at, "ends_at": starts_at + timedelta(minutes=90),
                     "hours": CourseSession.hours_between(starts_at, starts_at + timedelta(minutes=90)),
                     "module_codes": [], "trainer_name": f"Giảng viên {i % 40}", "venue": f"Phòng {i % 30}"})
    db.session.execute(insert(CourseSession), rows)


def _count_statements(client, url: str) -> int:
    """How many SQL statements a GET of `url` executes."""
    with count_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_calendar_statements_do_not_grow_with_sessions(client, f: Factories):
    t = f.tree()
    courses = [f.course(t["district"] if i % 2 else t["commune"]).id for i in range(20)]
    user = f.user("organizer", t["province"])
    _add_sessions(courses, 10)
    login(client, user.email)
    counts = {}
    for view in ("week", "month"):
        counts[(view, 10)] = _count_statements(client, f"/schedule/?view={view}&date=2024-10-07&unit=24")
    _add_sessions(courses, 990)
    for view in ("week", "month"):
        counts[(view, 1000)] = _count_statements(client, f"/schedule/?view={view}&date=2024-10-07&unit=24")
    assert counts[("week", 10)] == counts[("week", 1000)]
    assert counts[("month", 10)] == counts[("month", 1000)]
    html = client.get("/schedule/?date=2024-10-07").get_data(as_text=True)
    assert html.count('class="card mb-2 session') == 1000
