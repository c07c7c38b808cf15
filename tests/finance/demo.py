"""A small finished course whose payment lists are computed by hand in the tests (see test_payments.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.schedule.conftest import local
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.finance.models import Lecturer
from trainer.finance.rates import check_rates, set_rates
from trainer.schedule.services import add_session

FEES = {"1": 2_000_000, "2": 1_500_000, "3": 1_000_000, "4": 600_000}


def finished_course(world: dict[str, Any], f: Any) -> dict[str, Any]:
    """Course 1-3/10/2024 of Tân Yên: six sessions, three lecturers, four trainees, three rate entries."""
    course, reviewer = world["course"], world["reviewer"]
    for day, support in ((date(2019, 1, 1), 100_000), (date(2024, 1, 1), 150_000), (date(2024, 10, 2), 200_000)):
        set_rates(reviewer, world["province"], check_rates(day, FEES, support, f"Nghị quyết áp dụng từ {day:%d/%m/%Y}"))
    an, bich, chau = (Lecturer(unit_id=world["province"].id, full_name=name, name_search=name.lower(), agency=agency,
                               tier=tier)
                      for name, agency, tier in (("Nguyễn Văn An", "Trường Chính trị tỉnh", 3),
                                                 ("Hoàng Thị Bích", "Trung tâm Văn hóa huyện", 4),
                                                 ("Vũ Minh Châu", "Sở Văn hóa, Thể thao và Du lịch", 1)))
    db.session.add_all([an, bich, chau])
    db.session.flush()
    organizer = world["organizer"]
    plan = (("2024-10-01 07:30", "2024-10-01 11:30", [an.id], ""),
            ("2024-10-01 13:30", "2024-10-01 17:00", [an.id], ""),
            ("2024-10-02 07:30", "2024-10-02 11:30", [an.id], ""),
            ("2024-10-02 13:30", "2024-10-02 17:00", [bich.id], ""),
            # 06:30 local on 3 October is 23:30 UTC on 2 October: days are counted in local time.
            ("2024-10-03 06:30", "2024-10-03 11:30", [bich.id, chau.id], ""),
            ("2024-10-03 13:30", "2024-10-03 17:00", [], "Khách mời của huyện"))
    sessions = [add_session(course, starts_at=local(a), ends_at=local(b), actor=organizer, lecturer_ids=ids,
                            trainer_name=name, title=f"Buổi {i}") for i, (a, b, ids, name) in enumerate(plan, 1)]
    people = {name: f.participant(world["commune"] if i % 2 else world["commune_b"], full_name=name)
              for i, name in enumerate(("Nguyễn Thị Hằng", "Trần Văn Bình", "Lê Thị Ánh", "Phạm Văn Dũng"))}
    for person in people.values():
        db.session.add(Enrolment(course=course, participant=person))
    marks = {"Nguyễn Thị Hằng": {0: "present", 1: "present", 2: "late", 3: "present", 4: "present"},
             "Trần Văn Bình": {0: "present", 1: "late", 2: "excused", 3: "excused"},
             "Lê Thị Ánh": {3: "present", 4: "excused"},
             "Phạm Văn Dũng": {0: "excused", 5: "excused"}}
    for name, by_session in marks.items():
        for index, mark in by_session.items():
            db.session.add(AttendanceRecord(course_session=sessions[index], participant=people[name],
                                            method=AttendanceMethod.MANUAL, is_late=mark == "late",
                                            excused=mark == "excused"))
    db.session.flush()
    return {"course": course, "sessions": sessions, "people": people, "lecturers": (an, bich, chau)}
