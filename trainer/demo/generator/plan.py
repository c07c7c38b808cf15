"""Synthetic courses: who organizes them, when, which curriculum, their modules and sessions.

Sessions are laid out as the timetable service does it (trainer/schedule/services.py): its teaching
days, default slots, session titles and the spreading of the modules over the sessions."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from trainer.core.clock import local_zone
from trainer.courses.models import Course, CourseModule, CourseStatus
from trainer.demo.generator.bulk import BulkWriter, next_id, sync_sequence
from trainer.demo.generator.world import CurriculumInfo, Scale, UnitInfo, World
from trainer.demo.names import Namer
from trainer.documents.issuers import Letterhead, default_issuer
from trainer.schedule.models import CourseSession, new_checkin_secret
from trainer.schedule.services import DEFAULT_SLOTS, local_datetime, spread_modules, teaching_days, timetable_title

DEMO_MARK = "demo-data"  # Course.description of every demo course
YEAR_WEIGHTS = {2022: 15, 2023: 25, 2024: 40, 2025: 20}
LAST_START = date(2025, 6, 16)  # districts were abolished on 1 July 2025; their classes ended before
DISTRICT_CURRICULA = {"CT1": 45, "CT2": 55}
PROVINCE_CURRICULA = {"CT3": 35, "CT1": 25, "CT2": 25, "CT4": 15}
CANCELLED_SHARE = 0.02
LATE_AFTER_MINUTES = 15  # the courses' setting: a check-in later than this after the start is late
NO_CERTIFICATE_SHARE = 0.1  # classes that only keep a signed attendance list
CANCEL_REASONS = ("Trùng lịch triển khai nhiệm vụ phòng, chống thiên tai.", "Chưa bố trí được kinh phí tổ chức lớp.",
                  "Số học viên đăng ký không đủ để mở lớp.", "Thay đổi kế hoạch theo chỉ đạo của cấp trên.")
# Dates to keep clear of: the Tết holidays (roughly), Reunification Day and May Day, National Day.
QUIET = ((1, 15, 2, 20), (4, 28, 5, 3), (8, 30, 9, 3))


@dataclass
class SessionPlan:
    """One morning or afternoon of a course."""

    id: int
    starts_at: datetime
    ends_at: datetime
    hours: Decimal
    title: str


@dataclass
class CoursePlan:
    """A course about to be written, with what enrolment and attendance need."""

    organizer: UnitInfo
    curriculum: CurriculumInfo
    start_date: date
    days: list[date]
    capacity: int
    target: int  # how many to enrol
    status: CourseStatus = CourseStatus.OPEN
    issues_certificates: bool = True
    id: int = 0
    title: str = ""
    venue: str = ""
    sessions: list[SessionPlan] = field(default_factory=list)

    @property
    def end_date(self) -> date:
        """The last teaching day."""
        return self.days[-1]

    @property
    def scheduled_hours(self) -> Decimal:
        """Hours of all sessions (what completion is judged against)."""
        return sum((s.hours for s in self.sessions), Decimal(0))


def demo_issuer(plan: CoursePlan) -> Letterhead | None:
    """The default issuer of the organizing unit on the course's last day (classes end before the reform)."""
    unit = plan.organizer
    return default_issuer(unit.name, unit.level.value, unit.path.split("/")[0], plan.end_date)


def demo_issuer_fields(plan: CoursePlan) -> dict[str, str]:
    """The course's copy of its issuer, as create_course makes it."""
    head = demo_issuer(plan)
    if head is None:
        return {}
    return {"agency_parent": head.parent_agency, "agency_name": head.agency, "place_name": head.place_name,
            "signer_prefix": head.signer_prefix, "signer_title": head.signer_title, "signer_name": head.signer_name}


def _is_quiet(day: date) -> bool:
    """True in the holiday periods no class starts in."""
    return any((m1, d1) <= (day.month, day.day) <= (m2, d2) for m1, d1, m2, d2 in QUIET)


def _start_date(rng: random.Random) -> date:
    """A weekday in 2022-2025 (to mid-2025), away from the long holidays."""
    year = rng.choices(list(YEAR_WEIGHTS), weights=list(YEAR_WEIGHTS.values()))[0]
    first, last = date(year, 1, 2), min(date(year, 12, 20), LAST_START)
    while True:
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        if day.weekday() < 5 and not _is_quiet(day):
            return day


def _weighted(rng: random.Random, options: dict, count: int) -> list:
    """`count` keys of `options` drawn by their values as weights."""
    return rng.choices(list(options), weights=list(options.values()), k=count)


def _apportion(weights: dict[UnitInfo, int], count: int) -> list[UnitInfo]:
    """`count` courses shared in proportion to the weights (largest remainders), not drawn at random:
    a district drawn twice as often as its share would run out of officers to enrol."""
    total = sum(weights.values())
    if not total:
        return []
    quotas = {unit: count * weight / total for unit, weight in weights.items()}
    shares = {unit: int(quota) for unit, quota in quotas.items()}
    by_remainder = sorted(quotas, key=lambda u: (-(quotas[u] - shares[u]), u.path))
    for unit in by_remainder[:count - sum(shares.values())]:
        shares[unit] += 1
    return [unit for unit in weights for _ in range(shares[unit])]


def _organizers(world: World, scale: Scale) -> list[tuple[UnitInfo, dict[str, int]]]:
    """The organizing unit of each course, in proportion to the number of communes below it."""
    by_province = round(scale.courses * scale.province_share) if world.provinces else 0
    result = []
    if by_province:
        weights = {p: sum(len(world.communes.get(d.id, [])) for d in world.districts_of.get(p.id, []))
                   for p in world.provinces}
        result += [(p, PROVINCE_CURRICULA) for p in _apportion(weights, by_province)]
    weights = {d: len(world.communes.get(d.id, [])) for d in world.districts}
    result += [(d, DISTRICT_CURRICULA) for d in _apportion(weights, scale.courses - by_province)]
    return result


def _venue(unit: UnitInfo) -> str:
    """"Hội trường UBND huyện Tân Yên": the unit's name with its type in lower case."""
    return f"Hội trường UBND {unit.name[:1].lower()}{unit.name[1:]}"


def plan_courses(world: World, scale: Scale, rng: random.Random, now: datetime) -> list[CoursePlan]:
    """Every course of the scale, in chronological order, with IDs and sessions assigned."""
    today = now.astimezone(local_zone()).date()
    plans = []
    for organizer, curricula in _organizers(world, scale):
        curriculum = world.curricula[_weighted(rng, curricula, 1)[0]]
        capacity = rng.randint(*scale.capacity)
        start = _start_date(rng)
        days = teaching_days(start, _weighted(rng, scale.day_weights, 1)[0], skip_weekends=True)
        plan = CoursePlan(organizer, curriculum, start, days, capacity, min(capacity, rng.randint(*scale.enrolled)),
                          issues_certificates=rng.random() >= NO_CERTIFICATE_SHARE)
        if rng.random() < CANCELLED_SHARE:
            plan.status = CourseStatus.CANCELLED
        elif plan.end_date < today:
            plan.status = CourseStatus.FINISHED
        elif start <= today:
            plan.status = CourseStatus.RUNNING
        plans.append(plan)
    plans.sort(key=lambda p: (p.start_date, p.organizer.path))
    first_course, first_session = next_id(Course.__table__), next_id(CourseSession.__table__)
    numbering: dict[tuple[int, str, int], int] = {}
    for index, plan in enumerate(plans):
        plan.id = first_course + index
        key = (plan.organizer.id, plan.curriculum.code, plan.start_date.year)
        numbering[key] = numbering.get(key, 0) + 1
        suffix = f" (lớp {numbering[key]})" if numbering[key] > 1 else ""
        plan.title = f"Lớp bồi dưỡng {plan.curriculum.short_title} năm {plan.start_date.year}{suffix}"
        plan.venue = _venue(plan.organizer)
        for day_no, day in enumerate(plan.days, start=1):
            for start_at, end_at in DEFAULT_SLOTS:
                starts = local_datetime(day, start_at).astimezone(UTC)
                ends = local_datetime(day, end_at).astimezone(UTC)
                hours = CourseSession.hours_between(starts, ends)
                plan.sessions.append(SessionPlan(first_session, starts, ends, hours, timetable_title(day_no, start_at)))
                first_session += 1
    return plans


def write_courses(plans: list[CoursePlan], rng: random.Random, writer: BulkWriter) -> None:
    """Insert the courses, then their copied modules and their sessions, in bulk (parents first)."""
    zone = local_zone()
    courses, modules, sessions = Course.__table__, CourseModule.__table__, CourseSession.__table__
    planned: list[datetime] = []
    for plan in plans:
        planned_at = datetime.combine(plan.start_date - timedelta(days=rng.randint(20, 60)), time(9), tzinfo=zone)
        planned.append(planned_at)
        cancelled = plan.status is CourseStatus.CANCELLED
        cancelled_at = (datetime.combine(plan.start_date - timedelta(days=rng.randint(2, 10)), time(10), tzinfo=zone)
                        if cancelled else None)
        writer.add(courses, {
            "id": plan.id, "title": plan.title, "curriculum_id": plan.curriculum.id, "unit_id": plan.organizer.id,
            "unit_name": plan.organizer.name, "venue": plan.venue, "start_date": plan.start_date,
            "end_date": plan.end_date, "capacity": plan.capacity, "status": plan.status,
            "completion_threshold": None, "checkin_opens_minutes": 30, "late_after_minutes": LATE_AFTER_MINUTES,
            "issues_certificates": plan.issues_certificates, "description": DEMO_MARK, "cancelled_at": cancelled_at,
            "cancel_reason": rng.choice(CANCEL_REASONS) if cancelled else None, "created_by_id": None,
            "created_at": planned_at, "updated_at": cancelled_at or planned_at, **demo_issuer_fields(plan),
        })
    writer.flush(courses)
    sync_sequence(courses)
    namer = Namer(rng)
    for plan, planned_at in zip(plans, planned, strict=True):
        for code, position, title, hours in plan.curriculum.modules:
            writer.add(modules, {"course_id": plan.id, "code": code, "position": position, "title": title,
                                 "hours": hours})
        trainer = namer.trainer_name()
        codes = spread_modules([(code, hours) for code, _, _, hours in plan.curriculum.modules],
                               [session.hours for session in plan.sessions])
        for session, module_codes in zip(plan.sessions, codes, strict=True):
            writer.add(sessions, {
                "id": session.id, "course_id": plan.id, "title": session.title,
                "starts_at": session.starts_at, "ends_at": session.ends_at, "hours": session.hours,
                "module_codes": module_codes, "trainer_name": trainer, "venue": "",
                "checkin_secret": new_checkin_secret(), "checkin_version": 1,
                "created_at": planned_at, "updated_at": planned_at,
            })
    writer.flush(modules)
    writer.flush(sessions)
    sync_sequence(sessions)
