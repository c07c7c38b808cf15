"""`demo-data --scale small` on the real seed: the shapes of what it creates (read-only, one database)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import and_, func, select

from tests.demo.conftest import TAN_YEN
from trainer.attendance.models import AttendanceRecord
from trainer.attendance.register import get_register
from trainer.certificates.models import Certificate
from trainer.core.text import fold
from trainer.courses.models import Course, CourseModule, CourseStatus, Enrolment, EnrolmentStatus
from trainer.curricula.models import CurriculumModule, TargetGroup
from trainer.demo.generator import DEMO_MARK
from trainer.extensions import db
from trainer.participants.models import Gender, Participant
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit, UnitLevel

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
SLOTS = {(time(7, 30), time(11, 30)), (time(13, 30), time(17, 0))}


def _count(model: type) -> int:
    """Rows of a model's table."""
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_small_scale_counts_are_in_range(demo_app: Flask) -> None:
    assert 110 <= _count(Participant) <= 200
    assert _count(Course) == 10
    assert 40 <= _count(CourseSession) <= 60  # 2-3 days of two sessions
    assert 200 <= _count(Enrolment) <= 500
    assert _count(AttendanceRecord) > 1000
    assert _count(Certificate) > 100


def test_small_scale_participants_belong_to_the_district(demo_app: Flask) -> None:
    district = db.session.scalar(select(Unit).where(Unit.scheme == "2024", Unit.code == TAN_YEN))
    rows = db.session.execute(select(Participant.target_group, Unit.level, Unit.path, Unit.id)
                              .join(Unit, Unit.id == Participant.unit_id)).all()
    assert rows and all(path.startswith(district.path) for _, _, path, _ in rows)
    for group, level, _, unit_id in rows:
        # commune officers sit in their commune; the few managers in the district office
        assert level is (UnitLevel.DISTRICT if group is TargetGroup.INFO_MANAGER else UnitLevel.COMMUNE)
        assert level is UnitLevel.COMMUNE or unit_id == district.id
    assert len({unit_id for *_, unit_id in rows}) >= 19  # every commune of Tân Yên has officers


def test_small_scale_names_are_vietnamese_nfc(demo_app: Flask) -> None:
    people = db.session.execute(select(Participant.full_name, Participant.name_search, Participant.gender)).all()
    for name, folded, _ in people:
        assert name == unicodedata.normalize("NFC", name) and len(name.split()) >= 2
        assert folded == fold(name)
    with_diacritics = [name for name, _, _ in people if not name.isascii()]
    assert len(with_diacritics) >= 0.9 * len(people)
    assert any(name.startswith("Nguyễn ") for name, _, _ in people)
    female = sum(1 for *_, gender in people if gender is Gender.FEMALE)
    assert 0.4 <= female / len(people) <= 0.7


def test_small_scale_phones_and_codes_are_unique_and_well_formed(demo_app: Flask) -> None:
    rows = db.session.execute(select(Participant.phone, Participant.code, Participant.notice_version)).all()
    phones, codes = [r[0] for r in rows], [r[1] for r in rows]
    assert len(set(phones)) == len(phones) and all(re.fullmatch(r"0[3789]\d{8}", p) for p in phones)
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", c) for c in codes)
    assert {r[2] for r in rows} == {"2026-01"}


def test_small_scale_courses_copy_their_curriculum(demo_app: Flask) -> None:
    courses = db.session.scalars(select(Course)).all()
    curriculum_modules = defaultdict(list)
    for m in db.session.scalars(select(CurriculumModule).order_by(CurriculumModule.position)):
        curriculum_modules[m.curriculum_id].append((m.code, Decimal(m.hours)))
    for course in courses:
        modules = db.session.scalars(select(CourseModule).where(CourseModule.course_id == course.id)
                                     .order_by(CourseModule.position)).all()
        assert [(m.code, Decimal(m.hours)) for m in modules] == curriculum_modules[course.curriculum_id]
        assert course.unit_name == "Huyện Tân Yên" and course.venue == "Hội trường UBND huyện Tân Yên"
        assert course.description == DEMO_MARK and 40 <= (course.capacity or 0) <= 60
        assert 2022 <= course.start_date.year <= 2025 and course.start_date.weekday() < 5
        assert course.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED)


def test_small_scale_sessions_lie_within_their_course(demo_app: Flask) -> None:
    rows = db.session.execute(select(CourseSession, Course.start_date, Course.end_date)
                              .join(Course, Course.id == CourseSession.course_id)).all()
    for course_session, start, end in rows:
        starts, ends = course_session.starts_at.astimezone(ZONE), course_session.ends_at.astimezone(ZONE)
        assert start <= starts.date() == ends.date() <= end and starts.weekday() < 5
        assert (starts.time(), ends.time()) in SLOTS
        assert course_session.hours == CourseSession.hours_between(course_session.starts_at, course_session.ends_at)
        assert course_session.checkin_secret


def test_small_scale_enrolments_are_single_and_at_most_three_per_person(demo_app: Flask) -> None:
    rows = db.session.execute(select(Enrolment.participant_id, Course.start_date, Course.end_date, Course.id)
                              .join(Course, Course.id == Enrolment.course_id)
                              .order_by(Enrolment.participant_id, Course.start_date)).all()
    assert len({(pid, cid) for pid, _, _, cid in rows}) == len(rows)
    courses_of = defaultdict(list)
    for pid, start, end, _ in rows:
        courses_of[pid].append((start, end))
    for spans in courses_of.values():
        assert len(spans) <= 3
        assert all(earlier[1] < later[0] for earlier, later in zip(spans, spans[1:], strict=False))  # no overlap
    per_course = db.session.execute(select(Course.capacity, func.count(Enrolment.id))
                                    .join(Enrolment, Enrolment.course_id == Course.id).group_by(Course.id)).all()
    assert all(count <= capacity for capacity, count in per_course)


def test_small_scale_attendance_only_for_enrolled_participants(demo_app: Flask) -> None:
    stray = db.session.scalar(
        select(func.count()).select_from(AttendanceRecord)
        .join(CourseSession, CourseSession.id == AttendanceRecord.course_session_id)
        .outerjoin(Enrolment, and_(Enrolment.course_id == CourseSession.course_id,
                                   Enrolment.participant_id == AttendanceRecord.participant_id,
                                   Enrolment.status == EnrolmentStatus.ENROLLED))
        .where(Enrolment.id.is_(None)))
    assert stray == 0
    in_cancelled = db.session.scalar(
        select(func.count()).select_from(AttendanceRecord)
        .join(CourseSession, CourseSession.id == AttendanceRecord.course_session_id)
        .join(Course, Course.id == CourseSession.course_id).where(Course.status == CourseStatus.CANCELLED))
    assert in_cancelled == 0


def test_small_scale_completion_rate_is_realistic(demo_app: Flask) -> None:
    courses = db.session.scalars(select(Course).where(Course.status == CourseStatus.FINISHED)
                                 .order_by(Course.id).limit(4)).all()
    rows = [row for course in courses for row in get_register(course).rows]
    assert rows
    rate = sum(row.completed for row in rows) / len(rows)
    assert 0.70 <= rate <= 0.95
    assert any(row.hours_attended > 0 for row in rows if not row.completed)  # some came to fewer sessions


def test_small_scale_certificates_go_to_completers(demo_app: Flask) -> None:
    for course in db.session.scalars(select(Course)):
        completers = {row.participant_id for row in get_register(course).rows if row.completed}
        certified = set(db.session.scalars(select(Certificate.participant_id)
                                           .where(Certificate.course_id == course.id)))
        issues = course.status is CourseStatus.FINISHED and course.issues_certificates
        assert certified == (completers if issues else set())


def test_small_scale_certificate_serials_are_sequential(demo_app: Flask) -> None:
    certificates = db.session.scalars(select(Certificate).order_by(
        Certificate.issuing_unit_id, Certificate.serial_year, Certificate.serial_number)).all()
    codes = [c.code for c in certificates]
    assert len(set(codes)) == len(codes)
    by_register = defaultdict(list)
    for c in certificates:
        by_register[(c.issuing_unit_id, c.serial_year)].append(c)
    for (_, year), batch in by_register.items():
        assert [c.serial_number for c in batch] == list(range(1, len(batch) + 1))
        assert all(c.serial == f"{c.serial_number:04d}/{year}" and c.issued_on.year == year for c in batch)
        assert [c.issued_on for c in batch] == sorted(c.issued_on for c in batch)  # numbered in date order
    first = certificates[0]
    assert first.pdf_path is None and first.snapshot["full_name"] and first.snapshot["course_title"]
