"""Spending per unit and year: the courses' settlements summed per child unit, equal to each course's own."""

from __future__ import annotations

from datetime import date

from tests.conftest import login
from tests.finance.demo import finished_course
from tests.sql import count_statements
from trainer.courses.models import CourseStatus
from trainer.extensions import db
from trainer.finance.budget import course_budget, save_budget_lines
from trainer.finance.spending import spending


def test_spending_per_district_equals_the_courses_settlements(client, world, f):
    demo = finished_course(world, f)
    save_budget_lines(world["organizer"], demo["course"], {"venue": {"estimate": "2000000", "actual": "1800000"}})
    f.course(world["district2"], title="Lớp Yên Thế", start_date=date(2024, 11, 5), end_date=date(2024, 11, 6))
    f.course(world["district"], title="Lớp năm trước", start_date=date(2023, 5, 1), end_date=date(2023, 5, 2))
    f.course(world["district"], title="Lớp đã hủy", start_date=date(2024, 6, 1), end_date=date(2024, 6, 2),
             status=CourseStatus.CANCELLED)
    result = spending(world["reviewer"], world["province"], 2024)
    assert [(r.unit.name, r.courses, r.trainees, r.lecturers, r.other, r.total) for r in result.rows] == [
        ("Huyện Tân Yên", 1, 750_000, 6_200_000, 1_800_000, 8_750_000), ("Huyện Yên Thế", 1, 0, 0, 0, 0)]
    assert result.total.total == course_budget(demo["course"]).actual == 8_750_000
    db.session.commit()
    login(client, world["reviewer"].email)
    with count_statements() as statements:
        html = client.get("/spending?unit=24&year=2024").get_data(as_text=True)
    assert 'id="spending-total">8.750.000<' in html
    few = len(statements)
    finished_course({**world, "course": f.course(world["district"], title="Lớp thứ hai")}, f)
    for i in range(4):
        f.course(world["commune"], title=f"Lớp xã {i}")
    db.session.commit()
    with count_statements() as statements:
        assert client.get("/spending?unit=24&year=2024").status_code == 200
    assert len(statements) == few


def test_spending_of_another_province_is_hidden(client, world):
    db.session.commit()
    login(client, world["outsider"].email)
    assert client.get("/spending?unit=24&year=2024").status_code == 404
