"""The calendar page: week and month views in local time, navigation, filters and scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import login
from tests.factories import Factories
from tests.schedule.conftest import VN, day_of
from trainer.courses.models import CourseStatus


def _html(client, url: str) -> str:
    """The page at `url`, which must answer 200."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def test_week_shows_the_weeks_sessions_on_their_days(client, f: Factories, make_session):
    t = f.tree()
    course = f.course(t["district"], title="Lớp bồi dưỡng CT1 Tân Yên")
    monday = make_session(course, "2024-10-07 07:30", title="Khai giảng")
    wednesday = make_session(course, "2024-10-09 13:30", title="Chuyên đề 2")
    before = make_session(course, "2024-10-06 07:30")
    after = make_session(course, "2024-10-14 07:30")
    login(client, f.user("organizer", t["province"]).email)
    html = _html(client, "/schedule/?view=week&date=2024-10-10")
    assert day_of(html, monday.id) == "2024-10-07" and day_of(html, wednesday.id) == "2024-10-09"
    assert day_of(html, before.id) is None and day_of(html, after.id) is None
    assert "07:30–11:30" in html and "Lớp bồi dưỡng CT1 Tân Yên" in html and "Khai giảng" in html
    assert "Hội trường UBND" in html  # the course's venue stands in for an empty session venue
    assert [d for d in ("2024-10-07", "2024-10-13") if f'data-date="{d}"' in html] == ["2024-10-07", "2024-10-13"]
    assert "Thứ Hai" in html and "Chủ Nhật" in html


def test_week_days_and_times_are_local_not_utc(client, f: Factories, make_session):
    t = f.tree()
    course = f.course(t["district"])
    # 06:30 on Monday in Hà Nội is 23:30 on Sunday in UTC: it belongs to Monday and to this week.
    early = make_session(course, "2024-10-07 06:30", minutes=60)
    # 23:30 on Sunday local is still Sunday: the last day of the week, not the next week.
    late = make_session(course, "2024-10-13 23:30", minutes=30)
    assert early.starts_at.astimezone(UTC).date().isoformat() == "2024-10-06"
    login(client, f.user("organizer", t["province"]).email)
    html = _html(client, "/schedule/?date=2024-10-07")
    assert day_of(html, early.id) == "2024-10-07" and day_of(html, late.id) == "2024-10-13"
    assert "06:30–07:30" in html and "23:30–00:00" in html
    previous_week = _html(client, "/schedule/?date=2024-10-06")
    assert day_of(previous_week, early.id) is None


def test_month_grid_covers_whole_weeks_of_the_month(client, f: Factories, make_session):
    t = f.tree()
    course = f.course(t["district"])
    first = make_session(course, "2024-10-01 07:30")
    last = make_session(course, "2024-10-31 20:00")
    trailing = make_session(course, "2024-11-03 08:00")  # Sunday of the grid's last week
    outside = make_session(course, "2024-11-04 08:00")
    login(client, f.user("reviewer", t["district"]).email)
    html = _html(client, "/schedule/?view=month&date=2024-10-15")
    grid_days = sorted(set(__import__("re").findall(r'data-date="([\d-]+)"', html)))
    assert grid_days[0] == "2024-09-30" and grid_days[-1] == "2024-11-03" and len(grid_days) == 35
    assert day_of(html, first.id) == "2024-10-01" and day_of(html, last.id) == "2024-10-31"
    assert day_of(html, trailing.id) == "2024-11-03" and day_of(html, outside.id) is None
    assert "Tháng 10/2024" in html


def test_default_is_the_current_local_week(client, f: Factories):
    login(client, f.user("admin").email)
    html = _html(client, "/schedule/")
    today = datetime.now(VN).date()
    monday = today - timedelta(days=today.weekday())
    assert f'data-date="{monday.isoformat()}"' in html
    assert f'data-date="{(monday + timedelta(days=6)).isoformat()}"' in html
    assert f'data-date="{(monday + timedelta(days=7)).isoformat()}"' not in html


def test_navigation_links_keep_view_and_unit(client, f: Factories):
    t = f.tree()
    login(client, f.user("organizer", t["province"]).email)
    week = _html(client, "/schedule/?view=week&date=2024-10-09&unit=216")
    assert 'href="/schedule/?view=week&amp;date=2024-10-02&amp;unit=216"' in week
    assert 'href="/schedule/?view=week&amp;date=2024-10-16&amp;unit=216"' in week
    assert 'href="/schedule/?view=week&amp;unit=216"' in week  # today
    month = _html(client, "/schedule/?view=month&date=2024-01-20")
    assert 'href="/schedule/?view=month&amp;date=2023-12-01"' in month
    assert 'href="/schedule/?view=month&amp;date=2024-02-01"' in month


def test_cancelled_courses_are_hidden(client, f: Factories, make_session):
    t = f.tree()
    kept = make_session(f.course(t["district"]), "2024-10-07 07:30")
    dropped = make_session(f.course(t["district"], status=CourseStatus.CANCELLED), "2024-10-07 07:30")
    login(client, f.user("admin").email)
    html = _html(client, "/schedule/?date=2024-10-07")
    assert day_of(html, kept.id) == "2024-10-07" and day_of(html, dropped.id) is None


def test_organizer_of_another_province_sees_nothing(client, f: Factories, make_session):
    t = f.tree()
    session = make_session(f.course(t["commune"], title="Lớp ở Nhã Nam"), "2024-10-07 07:30")
    login(client, f.user("organizer", t["hanoi"]).email)
    html = _html(client, "/schedule/?date=2024-10-07")
    assert day_of(html, session.id) is None and "Lớp ở Nhã Nam" not in html
    assert "Không có buổi học nào" in html


def test_unit_filter_narrows_to_a_subtree(client, f: Factories, make_session):
    t = f.tree()
    tan_yen = make_session(f.course(t["commune"]), "2024-10-07 07:30")
    yen_the = make_session(f.course(t["district2"]), "2024-10-07 07:30")
    login(client, f.user("organizer", t["province"]).email)
    html = _html(client, "/schedule/?date=2024-10-07&unit=216")
    assert day_of(html, tan_yen.id) == "2024-10-07" and day_of(html, yen_the.id) is None
    assert '<option value="216" selected>' in html


def test_unit_filter_outside_the_scope_is_not_found(client, f: Factories):
    t = f.tree()
    login(client, f.user("organizer", t["district"]).email)
    assert client.get("/schedule/?unit=217").status_code == 404
    assert client.get("/schedule/?unit=99999").status_code == 422


def test_bad_date_and_view_get_vietnamese_errors(client, f: Factories):
    login(client, f.user("admin").email)
    for raw in ("07/10/2024", "2024-02-30", "0001-01-01"):
        bad_date = client.get(f"/schedule/?date={raw}")
        assert bad_date.status_code == 400 and "YYYY-MM-DD" in bad_date.get_data(as_text=True)
    bad_view = client.get("/schedule/?view=year")
    assert bad_view.status_code == 422 and "không hợp lệ" in bad_view.get_data(as_text=True)
