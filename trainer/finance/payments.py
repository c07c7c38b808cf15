"""Payment lists of a course from its attendance and the province's rates in force on its first day.

Trainees (danh sách ký nhận): days attended = the distinct local dates of the sessions where the person was
present or late (an excused absence is no attendance); amount = days × the daily support, in whole đồng.
Lecturers: the sessions (buổi) each registry lecturer taught in the course × the fee of their tier. A session
whose lecturer was only typed as a name (before the registry) is counted apart, so nobody is paid twice or
forgotten silently. Bounded statements whatever the course's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from trainer.attendance.models import AttendanceRecord
from trainer.core.clock import local_zone
from trainer.core.errors import N_, DomainError
from trainer.courses.issuer import course_letterhead
from trainer.courses.models import Course
from trainer.documents.layout import CourseInfo, Letterhead
from trainer.documents.queries import course_info
from trainer.documents.roster import name_sort_key
from trainer.extensions import db
from trainer.finance.lecturers import province_of
from trainer.finance.models import Lecturer, ProvinceRate, session_lecturers
from trainer.finance.rates import rates_in_force
from trainer.finance.words import amount_in_words, workplace
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession


@dataclass(frozen=True)
class PayRow:
    """One line of a payment list: who, where from, how many units (days or sessions) at what rate."""

    full_name: str
    unit_name: str  # the trainee's commune, or the lecturer's agency
    quantity: int  # days attended, or sessions taught
    rate: int  # đồng per day or per session
    amount: int  # quantity × rate, whole đồng
    tier: int | None = None  # lecturers only


@dataclass(frozen=True)
class PaymentList:
    """What a payment list prints (pure data for paylists.py)."""

    kind: str  # "trainees" | "lecturers"
    letterhead: Letterhead
    course: CourseInfo
    rows: tuple[PayRow, ...]
    rate_valid_from: date
    rate_source: str
    unpriced_sessions: int = 0  # lecturers: sessions with a typed name only

    @property
    def total(self) -> int:
        """The exact sum of the amounts."""
        return sum(row.amount for row in self.rows)

    @property
    def total_in_words(self) -> str:
        """"Một triệu hai trăm năm mươi nghìn đồng"."""
        return amount_in_words(self.total)


def course_rates(course: Course) -> ProvinceRate:
    """The rates of the course's province in force on its first day. Raises DomainError('no_rates', 409)."""
    province = province_of(course.unit)
    rate = rates_in_force(province, course.start_date)
    if rate is None:
        raise DomainError("no_rates", N_("%(province)s chưa nhập định mức chi có hiệu lực ngày %(day)s: nhập ở trang "
                                         "Định mức chi trước."), status=409,
                          params={"province": province.name, "day": f"{course.start_date:%d/%m/%Y}"})
    return rate


def days_attended(course: Course) -> dict[int, int]:
    """{participant id: distinct local dates with at least one attended (present or late) session}: one statement."""
    zone = local_zone()
    rows = db.session.execute(
        select(AttendanceRecord.participant_id, CourseSession.starts_at)
        .join(CourseSession, CourseSession.id == AttendanceRecord.course_session_id)
        .where(CourseSession.course_id == course.id, AttendanceRecord.excused.is_(False)))
    dates: dict[int, set[date]] = defaultdict(set)
    for participant_id, starts_at in rows:
        dates[participant_id].add(starts_at.astimezone(zone).date())
    return {pid: len(days) for pid, days in dates.items()}


def _ordered(rows: list[PayRow]) -> tuple[PayRow, ...]:
    """Rows in Vietnamese name order (given name first), as every list of the course."""
    return tuple(sorted(rows, key=lambda row: name_sort_key(row.full_name)))


def trainee_payments(course: Course, *, on: date | None = None) -> PaymentList:
    """The trainees' sign-for-receipt list: everyone who attended at least one session (five statements)."""
    rate = course_rates(course)
    days = days_attended(course)
    people = db.session.scalars(select(Participant).where(Participant.id.in_(list(days)))
                                .options(joinedload(Participant.unit))) if days else []
    support = rate.trainee_support_per_day
    rows = [PayRow(p.full_name, workplace(p.unit.name), days[p.id], support, days[p.id] * support) for p in people]
    return PaymentList("trainees", course_letterhead(course),
                       course_info(course), _ordered(rows), rate.valid_from, rate.source)


def lecturer_payments(course: Course, *, on: date | None = None) -> PaymentList:
    """The lecturers' fee list: sessions taught per registry lecturer × the fee of their tier (four statements)."""
    rate = course_rates(course)
    taught = db.session.execute(
        select(Lecturer, func.count(session_lecturers.c.course_session_id))
        .join(session_lecturers, session_lecturers.c.lecturer_id == Lecturer.id)
        .join(CourseSession, CourseSession.id == session_lecturers.c.course_session_id)
        .where(CourseSession.course_id == course.id).group_by(Lecturer.id)).all()
    rows = [PayRow(lecturer.full_name, lecturer.agency, count, rate.fee_for(lecturer.tier),
                   count * rate.fee_for(lecturer.tier), lecturer.tier) for lecturer, count in taught]
    has_lecturer = select(session_lecturers.c.course_session_id)
    unpriced = db.session.scalar(select(func.count()).select_from(CourseSession).where(
        CourseSession.course_id == course.id, CourseSession.trainer_name != "",
        CourseSession.id.not_in(has_lecturer))) or 0
    return PaymentList("lecturers", course_letterhead(course),
                       course_info(course), _ordered(rows), rate.valid_from, rate.source, unpriced)
