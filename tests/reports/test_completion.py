"""The register and the reports read one completion rule (trainer.attendance.completion), and the
report's statement count does not grow with the data."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import Factories
from tests.reports.conftest import Dataset, add_session, attend, enrol
from tests.sql import count_statements
from trainer.attendance.register import get_register
from trainer.courses.models import Course
from trainer.extensions import db
from trainer.reports.queries import Period, completion_cte, indicator_report, trained_officers_detail


def sql_completion(course: Course) -> dict[int, bool]:
    """{participant_id: completed} of `course` from the reports' completion construct."""
    completion = completion_cte(select(Course.id).where(Course.id == course.id))
    return {pid: bool(done) for pid, done in db.session.execute(
        select(completion.c.participant_id, completion.c.completed))}


def register_completion(course: Course) -> dict[int, bool]:
    """{participant_id: completed} of `course` as the register shows it."""
    return {row.participant_id: row.completed for row in get_register(course).rows}


def test_sql_completion_agrees_with_the_register(data: Dataset, f: Factories):
    # A course where binary floating point would disagree: 1.2 + 1.2 = 2.4 h of 3.0 h is exactly 80 %,
    # while 0.8 × 3.0 is 2.4000000000000004 as a float.
    edge = f.course(data.t["district"], data.courses["K1"].curriculum, start_date=date(2024, 6, 1))
    sessions = [add_session(edge, date(2024, 6, 1), "1.2"), add_session(edge, date(2024, 6, 1), "1.2", hour=13),
                add_session(edge, date(2024, 6, 2), "0.6")]
    just, short = data.people["P7"], data.people["P8"]
    enrol(edge, just, short)
    attend(just, sessions[0], sessions[1])
    attend(short, sessions[0], sessions[2])
    for name, course in {**data.courses, "edge": edge}.items():
        assert sql_completion(course) == register_completion(course), name
    assert sql_completion(edge) == {just.id: True, short.id: False}
    assert sql_completion(data.courses["K1"]) == {  # P7 withdrew: not in either
        data.people["P1"].id: True, data.people["P2"].id: True, data.people["P3"].id: False,
        data.people["P4"].id: True}
    assert set(sql_completion(data.courses["K5"]).values()) == {False}  # no scheduled hours: nobody completes


def test_threshold_of_the_course_overrides_the_curriculum(data: Dataset):
    k1 = data.courses["K1"]
    k1.completion_threshold = Decimal("0.9")  # P2's 8 of 10 h no longer suffice
    assert sql_completion(k1)[data.people["P2"].id] is False
    assert register_completion(k1)[data.people["P2"].id] is False


def _grow(f: Factories, data: Dataset, n: int) -> None:
    """`n` more courses in Tân Yên, each with two sessions and three officers who attend one or both."""
    curriculum = data.courses["K1"].curriculum
    communes = (data.t["commune"], data.t["commune_b"])
    for i in range(n):
        day = date(2024, 1, 1) + timedelta(days=i * 3)
        course = f.course(data.t["district"], curriculum, start_date=day, end_date=day)
        first, second = add_session(course, day, 4), add_session(course, day, 4, hour=13)
        people = [f.participant(communes[j % 2], full_name=f"Học viên {i} {j}") for j in range(3)]
        enrol(course, *people)
        attend(people[0], first, second)
        attend(people[1], first, second)
        attend(people[2], first)


def _count_statements(call) -> int:
    """How many SQL statements `call()` sends."""
    with count_statements() as statements:
        call()
    return len(statements)


@pytest.mark.parametrize("target", ["province", "district"])
def test_report_makes_the_same_number_of_statements_for_3_or_60_courses(data: Dataset, f: Factories, target):
    unit = data.t[target]
    db.session.flush()
    small = _count_statements(lambda: indicator_report(unit, year=2024))
    small_detail = _count_statements(lambda: trained_officers_detail(unit, Period.of_year(2024)))
    _grow(f, data, 57)
    db.session.flush()
    report = indicator_report(unit, year=2024)
    assert report["courses"] >= 58  # the data did grow
    assert _count_statements(lambda: indicator_report(unit, year=2024)) == small <= 7
    assert _count_statements(lambda: trained_officers_detail(unit, Period.of_year(2024))) == small_detail == 1
