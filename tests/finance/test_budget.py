"""A course's estimate from its plan and settlement from its actuals, side by side, against a hand computation.

By hand (tests/finance/demo.py; 150.000 đ a day; fees of tiers 1/3/4: 2.000.000, 1.000.000, 600.000 đ):
- trainee support: estimate 4 enrolled × 3 days × 150.000 = 1.800.000; settlement 750.000 (the list)
- lecturer fees: estimate 3 × 1.000.000 (An) + 600.000 (Bích) + 600.000 + 2.000.000 (Bích and Châu) + 600.000 (a
  session without a registry lecturer, at the lowest tier) = 6.800.000; settlement 6.200.000 (the list)
- venue 2.000.000 / 1.800.000 and materials 500.000 / not yet, as entered
  totals: estimate 11.100.000, settlement 8.750.000
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import csrf_token_from, login
from tests.finance.demo import finished_course
from trainer.extensions import db
from trainer.finance.budget import course_budget


@pytest.fixture
def demo(world, f):
    return finished_course(world, f)


def test_budget_side_by_side_equals_the_hand_computation(client, world, demo):
    db.session.commit()
    login(client, world["organizer"].email)
    course_id = demo["course"].id
    page = client.get(f"/courses/{course_id}/budget").get_data(as_text=True)
    response = client.post(f"/courses/{course_id}/budget", data={
        "csrf_token": csrf_token_from(page), "venue_estimate": "2.000.000", "venue_actual": "1800000",
        "venue_note": "Hội trường UBND huyện", "materials_estimate": "500.000", "materials_actual": ""})
    assert response.status_code == 302
    budget = course_budget(demo["course"])
    assert [(line.kind, line.estimate, line.actual) for line in budget.lines] == [
        ("trainees", 1_800_000, 750_000), ("lecturers", 6_800_000, 6_200_000), ("venue", 2_000_000, 1_800_000),
        ("materials", 500_000, None), ("other", 0, None)]
    assert (budget.estimate, budget.actual) == (11_100_000, 8_750_000)
    html = client.get(f"/courses/{course_id}/budget").get_data(as_text=True)
    assert "11.100.000" in html and "8.750.000" in html and 'value="2.000.000"' in html
    sheet = load_workbook(io.BytesIO(client.get(f"/courses/{course_id}/budget.xlsx").data)).active
    totals = [[c.value for c in row] for row in sheet.iter_rows() if row[1].value == "Tổng cộng"]
    assert totals == [[None, "Tổng cộng", None, 11_100_000, 8_750_000, -2_350_000, None]]


def test_bad_amount_is_refused_and_nothing_saved(client, world, demo):
    db.session.commit()
    login(client, world["organizer"].email)
    course_id = demo["course"].id
    page = client.get(f"/courses/{course_id}/budget").get_data(as_text=True)
    response = client.post(f"/courses/{course_id}/budget", data={
        "csrf_token": csrf_token_from(page), "venue_estimate": "hai triệu", "materials_estimate": "5"})
    assert response.status_code == 422
    assert [line.estimate for line in course_budget(demo["course"]).lines][2:] == [0, 0, 0]
