"""Use-cases of courses: plan one from a curriculum, edit, change status, cancel; enrol and withdraw participants."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.clock import local_zone
from trainer.core.db import utcnow
from trainer.core.errors import DomainError, Phrase, ValidationError, said
from trainer.core.permissions import Need, can
from trainer.core.templating import hours as format_hours
from trainer.core.text import N_, clean_text
from trainer.courses.issuer import copy_unit_issuer, course_issuer_fields, has_issuer, unit_issuer_fields
from trainer.courses.models import Course, CourseModule, CourseStatus, Enrolment, EnrolmentStatus
from trainer.curricula.models import Curriculum
from trainer.cycle.locks import ensure_period_open
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit

STATUS_LABELS = {
    CourseStatus.DRAFT: N_("Dự kiến"), CourseStatus.OPEN: N_("Đang nhận đăng ký"), CourseStatus.RUNNING: N_("Đang học"),
    CourseStatus.FINISHED: N_("Đã kết thúc"), CourseStatus.CANCELLED: N_("Đã hủy"),
}
# Cancelling goes through cancel_course (it needs a reason); finished may go back to running to fix a mistake.
TRANSITIONS = {
    CourseStatus.DRAFT: {CourseStatus.OPEN, CourseStatus.CANCELLED},
    CourseStatus.OPEN: {CourseStatus.DRAFT, CourseStatus.RUNNING, CourseStatus.CANCELLED},
    CourseStatus.RUNNING: {CourseStatus.OPEN, CourseStatus.FINISHED, CourseStatus.CANCELLED},
    CourseStatus.FINISHED: {CourseStatus.RUNNING},
    CourseStatus.CANCELLED: set(),
}
CREATE_STATUSES = (CourseStatus.DRAFT, CourseStatus.OPEN)
RECOMMENDED_MAX_DAYS = 5  # ministry guidance: a class lasts at most 5 days (a warning, not a rule)
MAX_COURSE_DAYS = 31  # beyond this the dates are surely a typing mistake
MAX_CAPACITY = 10_000  # seats of one class; beyond this the number is surely a typing mistake
CLOSED_STATUSES = (CourseStatus.FINISHED, CourseStatus.CANCELLED)
CLOSED_MESSAGES = {CourseStatus.FINISHED: N_("Khóa học đã kết thúc, không nhận ghi danh."),
                   CourseStatus.CANCELLED: N_("Khóa học đã hủy, không nhận ghi danh.")}


def default_course_title(curriculum: Curriculum, year: int) -> str:
    """The title a new course starts with: "Lớp bồi dưỡng <short title> năm <year>"."""
    return f"Lớp bồi dưỡng {curriculum.short_title or curriculum.code} năm {year}"


def get_curriculum_by_code(code: object, *, field_name: str = "curriculum_code") -> Curriculum:
    """The active curriculum with this code. Raises ValidationError('unknown_curriculum')."""
    code = str(code or "").strip()
    curriculum = db.session.scalar(select(Curriculum).where(Curriculum.code == code, Curriculum.is_active))
    if curriculum is None:
        message = N_("Không có chương trình bồi dưỡng mã “%(code)s”.")
        raise ValidationError("unknown_curriculum", message, fields={field_name: message}, params={"code": code})
    return curriculum


def _check_unit(actor: User, unit: Unit) -> None:
    """Raise 403 unit_out_of_scope unless `actor` may manage `unit`."""
    if not can(actor, Need.MANAGE, unit):
        message = N_("Bạn không được tổ chức khóa học cho %(unit)s.")
        raise DomainError("unit_out_of_scope", message, fields={"unit_code": message}, status=403,
                          params={"unit": unit.name})


def _check_dates(start_date: date | None, end_date: date | None) -> None:
    """Raise unless both dates are given, in order and at most MAX_COURSE_DAYS apart."""
    if start_date is None or end_date is None:
        field_name = "start_date" if start_date is None else "end_date"
        raise ValidationError("required", N_("Nhập ngày bắt đầu và ngày kết thúc."),
                              fields={field_name: N_("Nhập ngày (YYYY-MM-DD).")})
    if end_date < start_date:
        message = N_("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.")
        raise ValidationError("invalid_dates", message, fields={"end_date": message})
    if (end_date - start_date).days + 1 > MAX_COURSE_DAYS:
        message = N_("Khóa học không thể kéo dài quá %(max)s ngày.")
        raise ValidationError("course_too_long", message, fields={"end_date": message}, params={"max": MAX_COURSE_DAYS})


def _check_capacity(capacity: int | None) -> None:
    """Raise invalid_capacity unless `capacity` is None or an integer from 1 to MAX_CAPACITY."""
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int)
                                 or not 1 <= capacity <= MAX_CAPACITY):
        message = N_("Số chỗ phải là số nguyên từ 1 đến %(max)s (hoặc để trống nếu không giới hạn).")
        raise ValidationError("invalid_capacity", message, fields={"capacity": message}, params={"max": MAX_CAPACITY})


def count_enrolled(course: Course) -> int:
    """How many participants are enrolled (withdrawn ones excluded)."""
    return db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ENROLLED)) or 0


def create_course(*, curriculum: Curriculum, unit: Unit, title: str | None, venue: str, start_date: date | None,
                  end_date: date | None, actor: User, capacity: int | None = None,
                  status: CourseStatus = CourseStatus.DRAFT, description: str = "") -> Course:
    """Plan a course from `curriculum`, organized by `unit`; the curriculum's modules are copied.

    An empty title becomes default_course_title. Raises DomainError('unit_out_of_scope', 403),
    ValidationError('unknown_curriculum' | 'required' | 'too_long' | 'invalid_dates' | 'course_too_long' |
    'invalid_capacity' | 'invalid_status').
    """
    _check_unit(actor, unit)
    _check_dates(start_date, end_date)
    title = clean_text(title, "title", 400, label=N_("tên khóa học")) or default_course_title(curriculum,
                                                                                         start_date.year)
    venue = clean_text(venue, "venue", 300, label=N_("địa điểm"), required=True)
    _check_capacity(capacity)
    if status not in CREATE_STATUSES:
        message = N_("Khóa học mới phải ở trạng thái dự kiến (draft) hoặc đang nhận đăng ký (open).")
        raise ValidationError("invalid_status", message, fields={"status": message})
    course = Course(curriculum=curriculum, unit=unit, unit_name=unit.name, title=title, venue=venue,
                    start_date=start_date, end_date=end_date, capacity=capacity, status=status,
                    description=clean_text(description, "description", 5000, label=N_("mô tả")), created_by=actor,
                    modules=[CourseModule(code=m.code, position=m.position, title=m.title, hours=m.hours)
                             for m in curriculum.modules])
    db.session.add(course)
    copy_unit_issuer(course)  # blank when no issuer is in force on its dates: the course page asks for one
    db.session.flush()
    record_audit(actor, "course.create", course, curriculum_id=curriculum.id)
    return course


def _check_not_cancelled(course: Course) -> None:
    """Raise course_cancelled (409) for a cancelled course."""
    if course.status is CourseStatus.CANCELLED:
        raise DomainError("course_cancelled", N_("Khóa học đã bị hủy, không thể thay đổi."), status=409)


def update_course(course: Course, *, title: str, venue: str, start_date: date | None, end_date: date | None,
                  capacity: int | None, unit: Unit, actor: User, description: str | None = None) -> Course:
    """Change a course's data (every field given; the API merges a PATCH with the current values first).

    Raises DomainError('course_cancelled' 409, 'unit_out_of_scope' 403), ValidationError('required' |
    'too_long' | 'invalid_dates' | 'course_too_long' | 'invalid_capacity' | 'capacity_below_enrolled' |
    'sessions_outside_dates').
    """
    _check_not_cancelled(course)
    if unit.id != course.unit_id:
        _check_unit(actor, unit)
    _check_dates(start_date, end_date)
    values = {"title": clean_text(title, "title", 400, label=N_("tên khóa học"), required=True),
              "venue": clean_text(venue, "venue", 300, label=N_("địa điểm"), required=True),
              "start_date": start_date, "end_date": end_date, "capacity": capacity}
    if description is not None:
        values["description"] = clean_text(description, "description", 5000, label=N_("mô tả"))
    _check_capacity(capacity)
    enrolled = count_enrolled(course)
    if capacity is not None and capacity < enrolled:
        message = N_("Đã có %(n)s học viên ghi danh, số chỗ không thể nhỏ hơn.")
        raise ValidationError("capacity_below_enrolled", message, fields={"capacity": message}, params={"n": enrolled})
    first, last = db.session.execute(select(func.min(CourseSession.starts_at), func.max(CourseSession.ends_at))
                                     .where(CourseSession.course_id == course.id)).one()
    zone = local_zone()
    if first is not None and (first.astimezone(zone).date() < start_date or last.astimezone(zone).date() > end_date):
        message = N_("Các buổi học đã lên lịch từ %(first)s đến %(last)s; sửa hoặc xóa chúng trước khi đổi ngày.")
        raise ValidationError("sessions_outside_dates", message, fields={"start_date": message}, params={
            "first": f"{first.astimezone(zone):%d/%m/%Y}", "last": f"{last.astimezone(zone):%d/%m/%Y}"})
    changed = sorted(key for key, value in values.items() if getattr(course, key) != value)
    # An issuer copied from the unit's settings follows the new unit or dates; one the organizer edited stays.
    issuer_untouched = not has_issuer(course) or course_issuer_fields(course) == unit_issuer_fields(course)
    for key, value in values.items():
        setattr(course, key, value)
    if unit.id != course.unit_id:
        course.unit, course.unit_name = unit, unit.name
        changed.append("unit_id")
    if issuer_untouched and ({"unit_id", "start_date", "end_date"} & set(changed)):
        copy_unit_issuer(course)
    db.session.flush()
    record_audit(actor, "course.update", course, fields=changed)
    return course


def change_course_status(course: Course, status: CourseStatus, *, actor: User, cancel_reason: str | None = None,
                         now: datetime | None = None) -> Course:
    """Move a course along draft → open → running → finished; cancelling needs `cancel_reason`.

    Raises DomainError('invalid_transition' | 'course_cancelled', 409) and cancel_course's errors.
    """
    if status is course.status:
        return course
    if status is CourseStatus.CANCELLED:
        return cancel_course(course, reason=cancel_reason, actor=actor, now=now)
    _check_not_cancelled(course)
    if status not in TRANSITIONS[course.status]:
        raise DomainError("invalid_transition", N_("Không thể chuyển khóa học từ “%(old)s” sang “%(new)s”."),
                          status=409, params={"old": Phrase(STATUS_LABELS[course.status]),
                                              "new": Phrase(STATUS_LABELS[status])})
    previous, course.status = course.status, status
    db.session.flush()
    record_audit(actor, "course.status", course, previous=previous.value, status=status.value)
    return course


def cancel_course(course: Course, *, reason: str | None, actor: User, now: datetime | None = None) -> Course:
    """Cancel a course; its sessions, enrolments and history stay as they are.

    Raises DomainError('course_cancelled' | 'invalid_transition', 409), ValidationError('reason_required').
    """
    _check_not_cancelled(course)
    if CourseStatus.CANCELLED not in TRANSITIONS[course.status]:
        raise DomainError("invalid_transition", N_("Khóa học đã kết thúc, không thể hủy."), status=409)
    reason = clean_text(reason, "cancel_reason", 500, label=N_("lý do hủy"))
    if not reason:
        message = N_("Nhập lý do hủy khóa học.")
        raise ValidationError("reason_required", message, fields={"cancel_reason": message})
    previous = course.status
    course.status, course.cancel_reason, course.cancelled_at = CourseStatus.CANCELLED, reason, now or utcnow()
    db.session.flush()
    record_audit(actor, "course.cancel", course, previous=previous.value)
    return course


def course_warnings(course: Course, *, planned_hours: Decimal, scheduled_hours: Decimal,
                    sessions_count: int) -> list[str]:
    """Warnings about a course, in the page's language (Vietnamese outside a request): longer than the
    ministry's 5 days, scheduled hours off the plan."""
    warnings = []
    days = (course.end_date - course.start_date).days + 1
    if days > RECOMMENDED_MAX_DAYS:
        warnings.append(said(N_("Khóa học kéo dài %(days)s ngày, quá %(max)s ngày theo hướng dẫn của Bộ."),
                             {"days": days, "max": RECOMMENDED_MAX_DAYS}))
    if sessions_count == 0:
        warnings.append(said(N_("Chưa lên lịch buổi học nào.")))
    elif Decimal(scheduled_hours) != Decimal(planned_hours):
        warnings.append(said(N_("Số giờ đã lên lịch (%(scheduled)s giờ) khác số giờ của chương trình "
                                "(%(planned)s giờ)."),
                             {"scheduled": format_hours(scheduled_hours), "planned": format_hours(planned_hours)}))
    return warnings


# --- enrolment ----------------------------------------------------------------------------------


def course_starts_at(course: Course) -> datetime:
    """When the course starts: its first session, or midnight (local time) of its start date without sessions."""
    first = db.session.scalar(select(func.min(CourseSession.starts_at)).where(CourseSession.course_id == course.id))
    return first or datetime.combine(course.start_date, time(0), tzinfo=local_zone())


def enrolment_warnings(enrolment: Enrolment) -> list[str]:
    """Warnings to show with an enrolment, in the page's language (a target group the curriculum is not meant for)."""
    if enrolment.target_group_mismatch:
        return [said(N_("%(name)s không thuộc nhóm đối tượng của chương trình %(code)s; vẫn được ghi danh."),
                     {"name": enrolment.participant.full_name, "code": enrolment.course.curriculum.code})]
    return []


def _check_can_enrol(course: Course, actor: User) -> None:
    """Raise unless `actor` manages the course and it still takes enrolments."""
    if not can(actor, Need.MANAGE, course):
        raise DomainError("forbidden", N_("Bạn không có quyền ghi danh vào khóa học này."), status=403)
    if course.status in CLOSED_STATUSES:
        raise DomainError("course_closed", CLOSED_MESSAGES[course.status],
                          status=409)
    ensure_period_open(course)


def enrol_participant(course: Course, participant: Participant, *, actor: User,
                      now: datetime | None = None) -> Enrolment:
    """Enrol `participant` in `course`; a withdrawn participant's row is reactivated.

    A target group the curriculum is not meant for is accepted with `target_group_mismatch` set
    (see enrolment_warnings). Raises DomainError('participant_not_found' 404, 'course_closed' |
    'already_enrolled' | 'course_full' 409, 'forbidden' 403).
    """
    if not can(actor, Need.VIEW, participant):
        raise DomainError("participant_not_found", N_("Không tìm thấy học viên."), status=404)
    _check_can_enrol(course, actor)
    # Lock the course row (PostgreSQL) so that two enrolments at once cannot both take the last place.
    db.session.execute(select(Course.id).where(Course.id == course.id).with_for_update())
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id,
                                                          Enrolment.participant_id == participant.id))
    if enrolment is not None and enrolment.status is EnrolmentStatus.ENROLLED:
        raise DomainError("already_enrolled", N_("%(name)s đã được ghi danh vào khóa học này."), status=409,
                          params={"name": participant.full_name})
    if course.capacity is not None and count_enrolled(course) >= course.capacity:
        raise DomainError("course_full", N_("Khóa học đã đủ %(n)s chỗ."), status=409, params={"n": course.capacity})
    now = now or utcnow()
    mismatch = participant.target_group.value not in (course.curriculum.target_groups or [])
    if enrolment is None:
        # A second request racing this one hits the unique constraint (IntegrityError): the caller
        # rolls back and answers "already_enrolled" (no SAVEPOINT here: pysqlite commits on RELEASE).
        enrolment = Enrolment(course=course, participant=participant, enrolled_at=now, created_by_id=actor.id,
                              target_group_mismatch=mismatch)
        db.session.add(enrolment)
        action = "enrolment.create"
    else:
        enrolment.status, enrolment.enrolled_at, enrolment.target_group_mismatch = (
            EnrolmentStatus.ENROLLED, now, mismatch)
        enrolment.withdrawn_at = enrolment.withdraw_reason = None
        action = "enrolment.reactivate"
    db.session.flush()
    record_audit(actor, action, enrolment, unit_id=course.unit_id, course_id=course.id,
                 participant_id=participant.id, target_group_mismatch=mismatch)
    return enrolment


@dataclass
class EnrolResult:
    """What enrolling several participants at once did."""

    enrolled: list[Enrolment] = field(default_factory=list)
    skipped: list[tuple[Participant, str]] = field(default_factory=list)  # (participant, Vietnamese reason)
    warnings: list[str] = field(default_factory=list)


def enrol_participants(course: Course, participants: Iterable[Participant], *, actor: User,
                       now: datetime | None = None) -> EnrolResult:
    """Enrol several participants at once; those already enrolled are skipped and reported.

    The whole batch is refused when it does not fit: DomainError('course_full', 409) saying how many
    places are left; also 'course_closed' as enrol_participant.
    """
    _check_can_enrol(course, actor)
    result = EnrolResult()
    todo = []
    enrolled_ids = set(db.session.scalars(select(Enrolment.participant_id).where(
        Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ENROLLED)))
    for participant in dict.fromkeys(participants):
        if participant.id in enrolled_ids:
            result.skipped.append((participant, N_("đã được ghi danh trước đó")))
        else:
            todo.append(participant)
    if course.capacity is not None and len(enrolled_ids) + len(todo) > course.capacity:
        left = max(course.capacity - len(enrolled_ids), 0)
        raise DomainError("course_full", N_("Khóa học chỉ còn %(left)s chỗ, bạn đã chọn %(chosen)s người."),
                          status=409, params={"left": left, "chosen": len(todo)})
    for participant in todo:
        enrolment = enrol_participant(course, participant, actor=actor, now=now)
        result.enrolled.append(enrolment)
        result.warnings.extend(enrolment_warnings(enrolment))
    return result


def withdraw_enrolment(enrolment: Enrolment, *, reason: str | None, actor: User,
                       now: datetime | None = None) -> Enrolment:
    """Withdraw a participant before the course starts, keeping the row and the reason.

    Raises ValidationError('reason_required'), DomainError('not_enrolled' | 'course_started', 409).
    """
    reason = clean_text(reason, "reason", 500, label=N_("lý do"))
    if not reason:
        raise ValidationError("reason_required", N_("Nhập lý do rút tên."),
                              fields={"reason": N_("Nhập lý do rút tên.")})
    if enrolment.status is not EnrolmentStatus.ENROLLED:
        raise DomainError("not_enrolled", N_("Học viên này đã rút tên khỏi khóa học."), status=409)
    ensure_period_open(enrolment.course_id)
    now = now or utcnow()
    if now >= course_starts_at(enrolment.course):
        raise DomainError("course_started", N_("Khóa học đã bắt đầu, không thể rút tên học viên."), status=409)
    enrolment.status, enrolment.withdrawn_at, enrolment.withdraw_reason = EnrolmentStatus.WITHDRAWN, now, reason
    db.session.flush()
    record_audit(actor, "enrolment.withdraw", enrolment, unit_id=enrolment.course.unit_id,
                 course_id=enrolment.course_id, participant_id=enrolment.participant_id)
    return enrolment
