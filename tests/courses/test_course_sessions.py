"""Session rules and the quick timetable (trainer/schedule/services.py)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.courses.helpers import START
from trainer.attendance.models import AttendanceMethod, AttendanceRecord, CheckinAttempt
from trainer.core.errors import DomainError, ValidationError
from trainer.courses.services import cancel_course
from trainer.extensions import db
from trainer.schedule.models import CourseSession
from trainer.schedule.services import (
    add_session,
    delete_session,
    generate_timetable,
    local_datetime,
    spread_modules,
    teaching_days,
    update_session,
)

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = (time(7, 30), time(11, 30))
AFTERNOON = (time(13, 30), time(17, 0))


def _add(course, actor, day=START, start=time(7, 30), end=time(11, 30), **kwargs) -> CourseSession:
    """Add a session on `day` from `start` to `end` (local times)."""
    return add_session(course, starts_at=local_datetime(day, start), ends_at=local_datetime(day, end), actor=actor,
                       **kwargs)


def test_add_session_computes_hours_and_stores_utc(w, course):
    course_session = _add(course, w.organizer, start=time(7, 30), end=time(11, 15), title="Khai giảng",
                          module_codes=["CT1.2", "CT1.1"], trainer_name="Nguyễn Văn Hùng")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(CourseSession, course_session.id)
    assert stored.hours == Decimal("3.75")
    assert stored.starts_at == datetime.combine(START, time(0, 30), tzinfo=UTC)  # 07:30 in Hà Nội is 00:30 UTC
    assert stored.module_codes == ["CT1.1", "CT1.2"]  # in the course's module order
    assert stored.checkin_secret and stored.trainer_name == "Nguyễn Văn Hùng"


def test_end_not_after_start_is_refused(w, course):
    with pytest.raises(ValidationError) as err:
        _add(course, w.organizer, start=time(9), end=time(9))
    assert err.value.code == "invalid_session_times" and "ends_at" in err.value.fields


def test_session_outside_the_course_dates_is_refused(w, course):
    with pytest.raises(ValidationError) as err:
        _add(course, w.organizer, day=START - timedelta(days=1))
    assert err.value.code == "session_outside_course"


def test_session_dates_are_judged_in_local_time(w, course):
    """23:30 UTC the day before START is 06:30 local on START: inside the course."""
    before = datetime.combine(START - timedelta(days=1), time(23, 30), tzinfo=UTC)
    assert add_session(course, starts_at=before, ends_at=before + timedelta(hours=2), actor=w.organizer).hours == 2


def test_unknown_module_is_refused(w, course):
    with pytest.raises(ValidationError) as err:
        _add(course, w.organizer, module_codes=["CT2.1"])
    assert err.value.code == "unknown_module" and err.value.fields == {
        "module_codes": "Khóa học không có chuyên đề CT2.1."}


def test_overlapping_sessions_of_a_course_are_refused(w, course):
    _add(course, w.organizer)
    with pytest.raises(DomainError) as err:
        _add(course, w.organizer, start=time(11), end=time(12))
    assert err.value.code == "session_overlap" and err.value.status == 409


def test_back_to_back_sessions_are_fine(w, course):
    _add(course, w.organizer, start=time(7, 30), end=time(9, 30))
    assert _add(course, w.organizer, start=time(9, 30), end=time(11, 30)).hours == 2


def test_sessions_of_a_cancelled_course_cannot_change(w, course):
    cancel_course(course, reason="Bão", actor=w.organizer)
    with pytest.raises(DomainError) as err:
        _add(course, w.organizer)
    assert err.value.code == "course_cancelled"


def test_update_session_recomputes_hours_without_clashing_with_itself(w, course):
    course_session = _add(course, w.organizer)
    update_session(course_session, starts_at=local_datetime(START, time(8)), ends_at=local_datetime(START, time(11)),
                   actor=w.organizer, title="Sửa")
    assert (course_session.hours, course_session.title) == (Decimal(3), "Sửa")


def test_delete_session_without_attendance(w, course):
    course_session = _add(course, w.organizer)
    db.session.add(CheckinAttempt(course_session_id=course_session.id, reason="not_enrolled"))
    db.session.flush()
    delete_session(course_session, actor=w.organizer)
    assert db.session.scalar(select(func.count(CourseSession.id))) == 0
    assert db.session.scalar(select(CheckinAttempt.course_session_id)) is None  # the refused attempt stays


def test_a_session_with_attendance_cannot_be_deleted(w, course):
    course_session = _add(course, w.organizer)
    db.session.add(AttendanceRecord(course_session_id=course_session.id, participant_id=w.participant.id,
                                    method=AttendanceMethod.MANUAL))
    db.session.flush()
    with pytest.raises(DomainError) as err:
        delete_session(course_session, actor=w.organizer)
    assert err.value.code == "session_has_attendance"


# --- the quick timetable -------------------------------------------------------------------------


def test_teaching_days_skip_weekends():
    friday = datetime(2024, 10, 4).date()
    assert [d.day for d in teaching_days(friday, 3, skip_weekends=True)] == [4, 7, 8]
    assert [d.day for d in teaching_days(friday, 3, skip_weekends=False)] == [4, 5, 6]


def test_spread_modules_fills_sessions_in_order():
    modules = [("A", Decimal(2)), ("B", Decimal(2)), ("C", Decimal(3)), ("D", Decimal(1))]
    assert spread_modules(modules, [Decimal(4), Decimal("3.5"), Decimal(4)]) == [["A", "B"], ["C", "D"], ["D"]]
    assert spread_modules(modules, [Decimal(3), Decimal(3), Decimal(3)]) == [["A", "B"], ["B", "C"], ["C", "D"]]


def test_generate_timetable_creates_every_session_in_one_step(w, make_course):
    monday = START + timedelta(days=(7 - START.weekday()) % 7)
    course = make_course(start_date=monday, end_date=monday + timedelta(days=4))
    created = generate_timetable(course, monday, 2, [MORNING, AFTERNOON], True, w.organizer)
    assert [(s.title, s.starts_at.astimezone(LOCAL).time(), s.hours) for s in created] == [
        ("Ngày 1, buổi sáng", time(7, 30), 4), ("Ngày 1, buổi chiều", time(13, 30), Decimal("3.5")),
        ("Ngày 2, buổi sáng", time(7, 30), 4), ("Ngày 2, buổi chiều", time(13, 30), Decimal("3.5"))]
    assert [s.module_codes for s in created] == [["CT1.1", "CT1.2"], ["CT1.3"], [], []]
    assert created[2].starts_at.astimezone(LOCAL).date() == monday + timedelta(days=1)


def test_generate_timetable_skips_the_weekend(w, make_course):
    friday = START + timedelta(days=(4 - START.weekday()) % 7)
    course = make_course(start_date=friday, end_date=friday + timedelta(days=4))
    created = generate_timetable(course, friday, 2, [MORNING], True, w.organizer)
    assert [s.starts_at.astimezone(LOCAL).weekday() for s in created] == [4, 0]


def test_generate_timetable_refuses_to_overlap_existing_sessions(w, course):
    _add(course, w.organizer, start=time(14), end=time(15))
    with pytest.raises(DomainError) as err:
        generate_timetable(course, START, 1, [MORNING, AFTERNOON], False, w.organizer)
    assert err.value.code == "timetable_overlap" and err.value.status == 409
    assert db.session.scalar(select(func.count(CourseSession.id))) == 1


def test_generate_timetable_refuses_days_beyond_the_course(w, course):
    with pytest.raises(ValidationError) as err:
        generate_timetable(course, START, 5, [MORNING], False, w.organizer)
    assert err.value.code == "session_outside_course"


@pytest.mark.parametrize("slots", [[], [(time(11), time(9))], [(time(7), time(10)), (time(9), time(12))]])
def test_generate_timetable_refuses_bad_slots(w, course, slots):
    with pytest.raises(ValidationError) as err:
        generate_timetable(course, START, 1, slots, False, w.organizer)
    assert err.value.code == "invalid_slots"


@pytest.mark.parametrize("days", [0, 32])
def test_generate_timetable_refuses_a_bad_number_of_days(w, course, days):
    with pytest.raises(ValidationError) as err:
        generate_timetable(course, START, days, [MORNING], False, w.organizer)
    assert err.value.code == "invalid_days"
