"""Demo lecturers and rates, so that every demo course has its payment lists: each organizing province gets a
registry of lecturers and (when it has none) rates marked as sample data; each course's sessions are taught by
one or two of its province's lecturers. Deleted with the rest of the demo data (reset.py)."""

from __future__ import annotations

import random
from datetime import date, datetime

from trainer.core.text import fold
from trainer.courses.models import CourseStatus
from trainer.demo.generator.bulk import BulkWriter, next_id, sync_sequence
from trainer.demo.generator.people import DEMO_EMAIL_DOMAIN
from trainer.demo.generator.plan import CoursePlan
from trainer.demo.generator.world import World
from trainer.demo.names import Namer
from trainer.extensions import db
from trainer.finance.models import Lecturer, ProvinceRate, session_lecturers

SAMPLE_SOURCE = "Định mức mẫu (dữ liệu mẫu, không phải nghị quyết thật)"
SAMPLE_FEES = {"1": 2_000_000, "2": 1_500_000, "3": 1_000_000, "4": 600_000}
SAMPLE_SUPPORT = 150_000
LECTURERS_PER_PROVINCE = 8
TIER_WEIGHTS = {2: 1, 3: 4, 4: 5}
AGENCIES = ("Trường Chính trị tỉnh", "Sở Văn hóa, Thể thao và Du lịch", "Sở Thông tin và Truyền thông",
            "Báo tỉnh", "Đài Phát thanh và Truyền hình tỉnh", "Ban Tuyên giáo Tỉnh ủy")


def add_demo_finance(world: World, plans: list[CoursePlan], rng: random.Random, writer: BulkWriter,
                     now: datetime) -> None:
    """Registries, sample rates and lecturer assignments for the demo courses, in bulk."""
    provinces = {u.path: u for u in world.units.values() if u.parent_id is None}
    used = sorted({f"{plan.organizer.path.split('/')[0]}/{plan.organizer.province_code}/" for plan in plans})
    with_rates = set(db.session.scalars(db.select(ProvinceRate.unit_id)))
    namer = Namer(rng)
    lecturer_id = next_id(Lecturer.__table__)
    registry: dict[str, list[int]] = {}
    for path in used:
        province = provinces.get(path)
        if province is None:
            continue
        if province.id not in with_rates:
            writer.add(ProvinceRate.__table__, {
                "unit_id": province.id, "valid_from": date(2021, 1, 1), "lecturer_fee_per_session": SAMPLE_FEES,
                "trainee_support_per_day": SAMPLE_SUPPORT, "source": SAMPLE_SOURCE, "updated_at": now,
                "updated_by_id": None})
        registry[path] = []
        for _ in range(LECTURERS_PER_PROVINCE):
            name = namer.trainer_name().split(" ", 1)[1]  # without "ThS." and the like
            writer.add(Lecturer.__table__, {
                "id": lecturer_id, "unit_id": province.id, "full_name": name, "name_search": fold(name),
                "agency": rng.choice(AGENCIES),
                "tier": rng.choices(list(TIER_WEIGHTS), weights=list(TIER_WEIGHTS.values()))[0],
                "phone": "", "email": f"giangvien{lecturer_id}@{DEMO_EMAIL_DOMAIN}", "created_at": now,
                "updated_at": now})
            registry[path].append(lecturer_id)
            lecturer_id += 1
    writer.flush(ProvinceRate.__table__)
    writer.flush(Lecturer.__table__)
    sync_sequence(Lecturer.__table__)
    for plan in plans:
        pool = registry.get(f"{plan.organizer.path.split('/')[0]}/{plan.organizer.province_code}/")
        if not pool or plan.status is CourseStatus.CANCELLED:
            continue
        chosen = rng.sample(pool, k=min(len(pool), rng.choice((1, 2, 2))))
        for index, session in enumerate(plan.sessions):
            writer.add(session_lecturers, {"course_session_id": session.id,
                                           "lecturer_id": chosen[index % len(chosen)]})
    writer.flush(session_lecturers)
