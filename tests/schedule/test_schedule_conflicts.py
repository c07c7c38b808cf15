"""Clash warnings: overlapping sessions at the same venue or with the same trainer."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import login
from tests.factories import Factories
from tests.schedule.conftest import VN
from trainer.accounts.models import User
from trainer.courses.models import Course, CourseStatus
from trainer.schedule.queries import CalendarView, build_calendar


@pytest.fixture
def setting(f: Factories) -> tuple[User, Course, Course]:
    """A province organizer and two courses of their province at different venues."""
    t = f.tree()
    viewer = f.user("organizer", t["province"])
    a = f.course(t["district"], title="Lớp A", venue="Hội trường UBND huyện Tân Yên")
    b = f.course(t["commune"], title="Lớp B", venue="Nhà văn hóa thôn Đông")
    return viewer, a, b


def _pairs(viewer: User) -> dict[frozenset[int], frozenset[str]]:
    """The week of 7 October 2024's conflicts as {pair of session ids: kinds}."""
    calendar = build_calendar(viewer, CalendarView.WEEK, date(2024, 10, 7), VN)
    return {frozenset((c.first.id, c.second.id)): c.kinds for c in calendar.conflicts}


def test_same_venue_overlap_is_a_conflict_whatever_the_spelling(setting, make_session):
    viewer, a, b = setting
    first = make_session(a, "2024-10-07 07:30")  # the course's venue
    second = make_session(b, "2024-10-07 09:00", venue="  hội trường UBND   huyện tân yên ")
    assert _pairs(viewer) == {frozenset((first.id, second.id)): frozenset({"venue"})}


def test_same_trainer_overlap_is_a_conflict(setting, make_session):
    viewer, a, b = setting
    first = make_session(a, "2024-10-08 13:30", trainer_name="Nguyễn Văn An")
    second = make_session(b, "2024-10-08 16:00", trainer_name="nguyen  van an")
    assert _pairs(viewer) == {frozenset((first.id, second.id)): frozenset({"trainer"})}


def test_same_venue_and_trainer_is_one_conflict_of_both_kinds(setting, make_session):
    viewer, a, _ = setting
    first = make_session(a, "2024-10-08 07:30", trainer_name="Trần Thị Bình")
    second = make_session(a, "2024-10-08 08:00", trainer_name="Trần Thị Bình")
    assert _pairs(viewer) == {frozenset((first.id, second.id)): frozenset({"venue", "trainer"})}


def test_back_to_back_sessions_do_not_conflict(setting, make_session):
    viewer, a, _ = setting
    make_session(a, "2024-10-07 07:30", minutes=240, trainer_name="Nguyễn Văn An")  # ends 11:30
    make_session(a, "2024-10-07 11:30", minutes=120, trainer_name="Nguyễn Văn An")
    assert _pairs(viewer) == {}


def test_different_venues_and_trainers_do_not_conflict(setting, make_session):
    viewer, a, b = setting
    make_session(a, "2024-10-07 07:30", trainer_name="Nguyễn Văn An")
    make_session(b, "2024-10-07 07:30", trainer_name="Lê Văn Cường")
    make_session(a, "2024-10-09 07:30", venue="Phòng họp số 2")
    make_session(a, "2024-10-09 07:30", venue="Phòng họp số 3")
    assert _pairs(viewer) == {}


def test_empty_trainer_names_do_not_conflict(setting, make_session):
    viewer, a, b = setting
    make_session(a, "2024-10-07 07:30", venue="Phòng 1")
    make_session(b, "2024-10-07 07:30", venue="Phòng 2")
    assert _pairs(viewer) == {}


def test_sessions_of_cancelled_courses_do_not_conflict(setting, f: Factories, make_session):
    viewer, a, _ = setting
    cancelled = f.course(a.unit, venue=a.venue, status=CourseStatus.CANCELLED)
    make_session(a, "2024-10-07 07:30")
    make_session(cancelled, "2024-10-07 07:30")
    assert _pairs(viewer) == {}


def test_conflicts_are_shown_on_both_sessions_and_listed_at_the_top(client, setting, make_session):
    viewer, a, b = setting
    first = make_session(a, "2024-10-10 07:30", title="Chuyên đề 1", trainer_name="Nguyễn Văn An")
    second = make_session(b, "2024-10-10 08:00", title="Chuyên đề 3", trainer_name="Nguyễn Văn An")
    calm = make_session(b, "2024-10-11 08:00", title="Chuyên đề 4", trainer_name="Nguyễn Văn An")
    login(client, viewer.email)
    html = client.get("/schedule/?date=2024-10-10").get_data(as_text=True)
    assert 'id="conflicts"' in html and "Cảnh báo trùng lịch (1)" in html
    assert html.count("⚠ Trùng giảng viên") == 2
    for session in (first, second):
        assert f'href="#session-{session.id}"' in html
        card = html[html.index(f'id="session-{session.id}"') - 120:html.index(f'id="session-{session.id}"')]
        assert "session-conflict" in card
    card = html[html.index(f'id="session-{calm.id}"') - 120:html.index(f'id="session-{calm.id}"')]
    assert "session-conflict" not in card
    month = client.get("/schedule/?view=month&date=2024-10-10").get_data(as_text=True)
    assert "Cảnh báo trùng lịch (1)" in month


def test_no_warning_block_without_conflicts(client, setting, make_session):
    viewer, a, _ = setting
    make_session(a, "2024-10-07 07:30")
    login(client, viewer.email)
    html = client.get("/schedule/?date=2024-10-07").get_data(as_text=True)
    assert 'id="conflicts"' not in html and "session-conflict" not in html
