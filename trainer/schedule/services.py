"""Use-cases of course sessions: add, edit and delete one; lay out a whole timetable in one step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update

from trainer.accounts.models import User
from trainer.attendance.models import AttendanceRecord, CheckinAttempt
from trainer.audit.services import record_audit
from trainer.core.clock import local_zone
from trainer.core.errors import N_, DomainError, ValidationError
from trainer.core.text import clean_text
from trainer.courses.models import Course, CourseStatus
from trainer.extensions import db
from trainer.finance.lecturers import assign_lecturers, assign_to_new_sessions, check_lecturer_ids
from trainer.schedule.models import CourseSession

# The usual day of a Vietnamese training class: morning 07:30-11:30, afternoon 13:30-17:00.
DEFAULT_SLOTS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
MAX_TIMETABLE_DAYS = 31


def local_datetime(day: date, at: time) -> datetime:
    """An aware datetime for a local date and wall-clock time (Asia/Ho_Chi_Minh)."""
    return datetime.combine(day, at, tzinfo=local_zone())


def _fmt(value: datetime) -> str:
    """HH:MM dd/mm/yyyy in local time, for messages."""
    return f"{value.astimezone(local_zone()):%H:%M %d/%m/%Y}"


def _check_course(course: Course) -> None:
    """Raise course_cancelled: a cancelled course keeps its timetable as it was."""
    if course.status is CourseStatus.CANCELLED:
        raise DomainError("course_cancelled", N_("Khóa học đã bị hủy, không thể thay đổi lịch học."), status=409)


def _check_times(course: Course, starts_at: datetime, ends_at: datetime) -> None:
    """Raise unless the session ends after it starts, within the course dates (local time)."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("session times must be timezone-aware")  # callers convert naive input to local time
    if ends_at <= starts_at:
        message = N_("Giờ kết thúc phải sau giờ bắt đầu.")
        raise ValidationError("invalid_session_times", message, fields={"ends_at": message})
    zone = local_zone()
    if starts_at.astimezone(zone).date() < course.start_date or ends_at.astimezone(zone).date() > course.end_date:
        message = N_("Buổi học phải nằm trong thời gian của khóa học (%(start)s - %(end)s).")
        raise ValidationError("session_outside_course", message, fields={"starts_at": message},
                              params={"start": f"{course.start_date:%d/%m/%Y}", "end": f"{course.end_date:%d/%m/%Y}"})


def _check_modules(course: Course, module_codes: Iterable[object]) -> list[str]:
    """The given codes in the course's module order. Raises ValidationError('unknown_module')."""
    codes = {str(code).strip() for code in module_codes}
    known = [m.code for m in course.modules]
    unknown = sorted(codes - set(known))
    if unknown:
        message = f"Khóa học không có chuyên đề {', '.join(unknown)}."
        raise ValidationError("unknown_module", message, fields={"module_codes": message})
    return [code for code in known if code in codes]


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """True when two time ranges overlap (touching ends do not)."""
    return a_start < b_end and b_start < a_end


def _check_no_overlap(course: Course, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None) -> None:
    """Raise session_overlap when another session of the course overlaps these times."""
    stmt = select(CourseSession).where(CourseSession.course_id == course.id, CourseSession.starts_at < ends_at,
                                       CourseSession.ends_at > starts_at)
    if exclude_id is not None:
        stmt = stmt.where(CourseSession.id != exclude_id)
    other = db.session.scalars(stmt.limit(1)).first()
    if other is not None:
        title = f" ({other.title})" if other.title else ""
        message = N_("Trùng giờ với buổi học lúc %(at)s%(title)s.")
        raise DomainError("session_overlap", message, fields={"starts_at": message}, status=409,
                          params={"at": _fmt(other.starts_at), "title": title})


def _texts(title: str | None, trainer_name: str | None, venue: str | None) -> dict[str, str]:
    """The checked free-text fields of a session."""
    return {"title": clean_text(title, "title", 300, label=N_("tên buổi học")),
            "trainer_name": clean_text(trainer_name, "trainer_name", 150, label=N_("tên giảng viên")),
            "venue": clean_text(venue, "venue", 300, label=N_("địa điểm"))}


def add_session(course: Course, *, starts_at: datetime, ends_at: datetime, actor: User, title: str = "",
                module_codes: Iterable[object] = (), trainer_name: str = "", venue: str = "",
                lecturer_ids: Iterable[Any] | None = None) -> CourseSession:
    """Schedule one session of `course`; its hours are computed from the times (aware datetimes); `lecturer_ids`
    are lecturers of the province's registry (trainer.finance).

    Raises DomainError('course_cancelled' | 'session_overlap', 409), ValidationError('invalid_session_times' |
    'session_outside_course' | 'unknown_module' | 'too_long' | 'unknown_lecturer').
    """
    _check_course(course)
    _check_times(course, starts_at, ends_at)
    codes = _check_modules(course, module_codes)
    texts = _texts(title, trainer_name, venue)
    if lecturer_ids is not None:
        lecturer_ids = check_lecturer_ids(course, lecturer_ids)
    _check_no_overlap(course, starts_at, ends_at)
    course_session = CourseSession(course=course, starts_at=starts_at, ends_at=ends_at, module_codes=codes,
                                   hours=CourseSession.hours_between(starts_at, ends_at), **texts)
    db.session.add(course_session)
    db.session.flush()
    if lecturer_ids:
        assign_lecturers(course_session, lecturer_ids)
    record_audit(actor, "session.create", course_session, unit_id=course.unit_id, course_id=course.id)
    return course_session


def update_session(course_session: CourseSession, *, starts_at: datetime, ends_at: datetime, actor: User,
                   title: str = "", module_codes: Iterable[object] = (), trainer_name: str = "",
                   venue: str = "", lecturer_ids: Iterable[Any] | None = None) -> CourseSession:
    """Change a session (every field given; `lecturer_ids` None keeps its lecturers); its hours are recomputed.
    Raises as add_session."""
    course = course_session.course
    _check_course(course)
    _check_times(course, starts_at, ends_at)
    codes = _check_modules(course, module_codes)
    texts = _texts(title, trainer_name, venue)
    if lecturer_ids is not None:
        lecturer_ids = check_lecturer_ids(course, lecturer_ids)
    _check_no_overlap(course, starts_at, ends_at, exclude_id=course_session.id)
    values = {"starts_at": starts_at, "ends_at": ends_at, "module_codes": codes,
              "hours": CourseSession.hours_between(starts_at, ends_at), **texts}
    changed = sorted(key for key, value in values.items() if getattr(course_session, key) != value)
    if lecturer_ids is not None and lecturer_ids != sorted(lecturer.id for lecturer in course_session.lecturers):
        changed.append("lecturer_ids")
    for key, value in values.items():
        setattr(course_session, key, value)
    db.session.flush()
    if lecturer_ids is not None:
        assign_lecturers(course_session, lecturer_ids)
    record_audit(actor, "session.update", course_session, unit_id=course.unit_id, course_id=course.id,
                 fields=changed)
    return course_session


def delete_session(course_session: CourseSession, *, actor: User) -> None:
    """Delete a session nobody has attended yet.

    Raises DomainError('course_cancelled' | 'session_has_attendance', 409).
    """
    course = course_session.course
    _check_course(course)
    attended = db.session.scalar(select(AttendanceRecord.id).where(
        AttendanceRecord.course_session_id == course_session.id).limit(1))
    if attended is not None:
        raise DomainError("session_has_attendance", N_("Buổi học đã có người điểm danh, không thể xóa."), status=409)
    # Refused check-in attempts stay in the log, detached from the session they named.
    db.session.execute(update(CheckinAttempt).where(CheckinAttempt.course_session_id == course_session.id)
                       .values(course_session_id=None))
    record_audit(actor, "session.delete", course_session, unit_id=course.unit_id, course_id=course.id)
    # A statement rather than session.delete(): the write-only `attendance` relationship (no
    # passive_deletes) refuses the ORM's cascade check, and we know there is no attendance.
    db.session.execute(delete(CourseSession).where(CourseSession.id == course_session.id))
    db.session.expire(course, ["sessions"])


def teaching_days(start_date: date, days: int, *, skip_weekends: bool) -> list[date]:
    """`days` consecutive dates from `start_date`, Saturdays and Sundays left out when asked."""
    result, day = [], start_date
    while len(result) < days:
        if not (skip_weekends and day.weekday() >= 5):
            result.append(day)
        day += timedelta(days=1)
    return result


def spread_modules(modules: Sequence[tuple[str, Decimal]], session_hours: Sequence[Decimal]) -> list[list[str]]:
    """Module codes for each session, filling sessions with the modules' hours in order.

    A module that does not fit in what is left of a session continues in the next one, so it is
    listed in both. Sessions beyond the modules' hours get none.
    """
    result: list[list[str]] = []
    index, left = 0, (Decimal(modules[0][1]) if modules else Decimal(0))
    for capacity in session_hours:
        codes: list[str] = []
        capacity = Decimal(capacity)
        while index < len(modules) and capacity > 0:
            codes.append(modules[index][0])
            used = min(capacity, left)
            capacity, left = capacity - used, left - used
            if left <= 0:
                index += 1
                left = Decimal(modules[index][1]) if index < len(modules) else Decimal(0)
        result.append(codes)
    return result


def _part_of_day(at: time) -> str:
    """sáng, chiều or tối for a start time."""
    return "sáng" if at < time(12) else ("chiều" if at < time(18) else "tối")


def timetable_title(day_no: int, start: time) -> str:
    """The title of a timetable's session: "Ngày 2, buổi chiều"."""
    return f"Ngày {day_no}, buổi {_part_of_day(start)}"


def _check_slots(slots: Sequence[tuple[time, time]]) -> list[tuple[time, time]]:
    """The slots in order; raise invalid_slots when empty, reversed or overlapping."""
    ordered = sorted(slots)
    if not ordered:
        message = N_("Chọn ít nhất một buổi trong ngày.")
        raise ValidationError("invalid_slots", message, fields={"slots": message})
    for i, (start, end) in enumerate(ordered):
        if end <= start:
            message = N_("Buổi %(start)s-%(end)s: giờ kết thúc phải sau giờ bắt đầu.")
            raise ValidationError("invalid_slots", message, fields={"slots": message},
                                  params={"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})
        if i and start < ordered[i - 1][1]:
            message = N_("Các buổi trong ngày không được trùng giờ nhau.")
            raise ValidationError("invalid_slots", message, fields={"slots": message})
    return ordered


def generate_timetable(course: Course, start_date: date, days: int, slots: Sequence[tuple[time, time]],
                       skip_weekends: bool, actor: User, *, trainer_name: str = "",
                       lecturer_ids: Iterable[Any] = ()) -> list[CourseSession]:
    """Create every session of a `days`-day timetable from `start_date` at once, one per slot and day.

    The course's modules are spread over the sessions in order (spread_modules). Raises
    DomainError('course_cancelled' | 'timetable_overlap', 409), ValidationError('invalid_days' | 'invalid_slots' |
    'session_outside_course').
    """
    _check_course(course)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_TIMETABLE_DAYS:
        message = N_("Số ngày phải từ 1 đến %(max)s.")
        raise ValidationError("invalid_days", message, fields={"days": message}, params={"max": MAX_TIMETABLE_DAYS})
    ordered = _check_slots(slots)
    dates = teaching_days(start_date, days, skip_weekends=skip_weekends)
    if dates[0] < course.start_date or dates[-1] > course.end_date:
        message = N_("Lịch %(days)s ngày từ %(first)s (đến %(last)s) vượt ra ngoài thời gian của khóa học (%(start)s - "
                     "%(end)s).")
        raise ValidationError("session_outside_course", message, fields={"start_date": message}, params={
            "days": days, "first": f"{start_date:%d/%m/%Y}", "last": f"{dates[-1]:%d/%m/%Y}",
            "start": f"{course.start_date:%d/%m/%Y}", "end": f"{course.end_date:%d/%m/%Y}"})
    planned = [(day_no, start, local_datetime(day, start), local_datetime(day, end))
               for day_no, day in enumerate(dates, start=1) for start, end in ordered]
    existing = db.session.execute(select(CourseSession.starts_at, CourseSession.ends_at)
                                  .where(CourseSession.course_id == course.id)).all()
    for _, _, starts_at, ends_at in planned:
        clash = next((s for s, e in existing if _overlaps(starts_at, ends_at, s, e)), None)
        if clash is not None:
            message = N_("Lịch mới trùng với buổi học đã có lúc %(at)s; xóa các buổi đó hoặc chọn ngày khác.")
            raise DomainError("timetable_overlap", message, fields={"start_date": message}, status=409,
                              params={"at": _fmt(clash)})
    trainer_name = clean_text(trainer_name, "trainer_name", 150, label=N_("tên giảng viên"))
    lecturer_ids = check_lecturer_ids(course, lecturer_ids)
    session_hours = [CourseSession.hours_between(s, e) for _, _, s, e in planned]
    modules = spread_modules([(m.code, m.hours) for m in course.modules], session_hours)
    created = []
    for (day_no, start, starts_at, ends_at), hours, codes in zip(planned, session_hours, modules, strict=True):
        created.append(CourseSession(course=course, title=timetable_title(day_no, start),
                                     starts_at=starts_at, ends_at=ends_at, hours=hours, module_codes=codes,
                                     trainer_name=trainer_name))
    db.session.add_all(created)
    db.session.flush()
    assign_to_new_sessions(created, lecturer_ids)
    record_audit(actor, "session.timetable", course, course_id=course.id, sessions=[s.id for s in created])
    return created
