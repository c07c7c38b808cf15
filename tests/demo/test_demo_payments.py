"""The payment lists of the demo data (`demo-data --scale small`) equal a computation by hand from the raw rows.

The hand computation reads the attendance rows and the session-lecturer rows directly and counts in plain
Python: a trainee is paid for each local date with a present or late mark, a lecturer for each session taught,
at the sample rates the demo data gives its province (150.000 đ a day; 2.000.000, 1.500.000, 1.000.000,
600.000 đ a session for tiers 1-4)."""

from __future__ import annotations

from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select

from trainer.attendance.models import AttendanceRecord
from trainer.courses.models import Course, CourseStatus
from trainer.demo.generator.money import SAMPLE_FEES, SAMPLE_SUPPORT
from trainer.extensions import db
from trainer.finance.models import Lecturer, session_lecturers
from trainer.finance.payments import lecturer_payments, trainee_payments
from trainer.finance.words import amount_in_words
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _by_hand_trainees(course: Course) -> list[tuple[str, int]]:
    """(full name, amount) of each person paid, from the raw attendance rows (two people may share a name)."""
    rows = db.session.execute(
        select(Participant.full_name, Participant.id, CourseSession.starts_at, AttendanceRecord.excused)
        .join(AttendanceRecord, AttendanceRecord.participant_id == Participant.id)
        .join(CourseSession, CourseSession.id == AttendanceRecord.course_session_id)
        .where(CourseSession.course_id == course.id)).all()
    dates: dict[tuple[str, int], set] = defaultdict(set)
    for name, pid, starts_at, excused in rows:
        if not excused:
            dates[(name, pid)].add(starts_at.astimezone(ZONE).date())
    return sorted((name, len(days) * SAMPLE_SUPPORT) for (name, _), days in dates.items())


def _by_hand_lecturers(course: Course) -> list[tuple[str, int]]:
    """(full name, amount) of each lecturer paid, from the raw session-lecturer rows."""
    rows = db.session.execute(
        select(Lecturer.id, Lecturer.full_name, Lecturer.tier)
        .join(session_lecturers, session_lecturers.c.lecturer_id == Lecturer.id)
        .join(CourseSession, CourseSession.id == session_lecturers.c.course_session_id)
        .where(CourseSession.course_id == course.id)).all()
    sessions = Counter(rows)
    return sorted((name, count * SAMPLE_FEES[str(tier)]) for (_, name, tier), count in sessions.items())


def test_demo_payment_lists_equal_the_hand_computation(demo_app: Flask) -> None:
    courses = db.session.scalars(select(Course).where(Course.status != CourseStatus.CANCELLED)
                                 .order_by(Course.id)).all()
    checked = 0
    for course in courses:
        expected_trainees = _by_hand_trainees(course)
        if not expected_trainees:
            continue  # a course not held yet
        trainees = trainee_payments(course)
        assert sorted((r.full_name, r.amount) for r in trainees.rows) == expected_trainees
        total = sum(amount for _, amount in expected_trainees)
        assert trainees.total == total and trainees.total_in_words == amount_in_words(total)
        lecturers = lecturer_payments(course)
        expected_lecturers = _by_hand_lecturers(course)
        assert sorted((r.full_name, r.amount) for r in lecturers.rows) == expected_lecturers
        assert lecturers.total == sum(amount for _, amount in expected_lecturers) > 0
        checked += 1
    assert checked >= 5
