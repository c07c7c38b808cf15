"""Generate realistic synthetic data in bulk: officers, courses, sessions, enrolments, attendance, certificates.

Built on the real units of the 2024 scheme and the four seeded curricula. A fixed seed gives the
same people, courses and attendance (secrets such as check-in secrets and certificate codes stay
random). Demo rows are marked (Course.description, the participants' e-mail domain) so that they
can be found and deleted. Flushes only: the caller commits once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from trainer.attendance.models import AttendanceRecord
from trainer.audit.services import record_audit
from trainer.certificates.models import Certificate
from trainer.core.db import utcnow
from trainer.core.errors import DomainError
from trainer.courses.models import Course, Enrolment
from trainer.demo.generator.attend import Attendance
from trainer.demo.generator.bulk import BulkWriter, ProgressFactory, analyze, large_page_cache, no_progress
from trainer.demo.generator.money import add_demo_finance
from trainer.demo.generator.people import DEMO_EMAIL_DOMAIN, generate_people
from trainer.demo.generator.plan import DEMO_MARK, plan_courses, write_courses
from trainer.demo.generator.reset import DemoCounts, count_demo_data, delete_demo_data
from trainer.demo.generator.world import SCALES, Scale, load_world
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

__all__ = ["DEFAULT_SEED", "DEMO_EMAIL_DOMAIN", "DEMO_MARK", "SCALES", "DemoCounts", "DemoResult", "Scale",
           "count_demo_data", "delete_demo_data", "generate_demo_data", "remove_demo_data"]

DEFAULT_SEED = 1288  # Decision 1288/QĐ-BTTTT


@dataclass
class DemoResult:
    """What a run created (rows per table) and, with --reset, deleted first."""

    scale: str
    seed: int
    created: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)


def _exists_error(counts: DemoCounts) -> DomainError:
    """The refusal of a second run without --reset."""
    return DomainError("demo_data_exists",
                       f"Cơ sở dữ liệu đã có dữ liệu mẫu ({counts.courses} khóa học, {counts.participants} học viên). "
                       "Dùng --reset để xóa dữ liệu mẫu cũ rồi tạo lại.", status=409)


def generate_demo_data(scale: str | Scale, *, seed: int = DEFAULT_SEED, reset: bool = False,
                       now: datetime | None = None, progress: ProgressFactory = no_progress) -> DemoResult:
    """Create the synthetic data of `scale` ("small", "province", "national") in bulk.

    Raises DomainError('not_seeded') without the seed's units and curricula, and
    DomainError('demo_data_exists') when demo data is present and `reset` is false.
    """
    scale = SCALES[scale] if isinstance(scale, str) else scale
    now = now or utcnow()
    world = load_world(scale)  # first: a database without the seed is refused before anything is deleted
    result = DemoResult(scale.name, seed)
    existing = count_demo_data()
    if existing.any:
        if not reset:
            raise _exists_error(existing)
        result.deleted = remove_demo_data()
    rng = random.Random(seed)
    writer = BulkWriter()
    with large_page_cache():
        people = generate_people(world, scale, rng, writer, progress)
        plans = plan_courses(world, scale, rng, now)
        write_courses(plans, rng, writer)
        add_demo_finance(world, plans, random.Random(seed + 1), writer, now)  # own stream: the rest stays as it was
        with progress("Courses", len(plans)) as bar:
            Attendance(world, people, rng, writer, now).run(plans, bar)
    analyze([Participant.__table__, Course.__table__, CourseSession.__table__, Enrolment.__table__,
             AttendanceRecord.__table__, Certificate.__table__])
    result.created = dict(writer.counts)
    record_audit(None, "demo.generate", None, scale=scale.name, seed=seed, **result.created)
    return result


def remove_demo_data() -> dict[str, int]:
    """Delete the demo data only; returns the rows deleted per table."""
    deleted = delete_demo_data()
    record_audit(None, "demo.delete", None, **deleted)
    return deleted
