"""Role × scope expectations of the finance endpoints (lecturers' registry, rates, payment lists, dossier).

The world's province is 24 (Bắc Giang): "in" users work in it, "out" users in Hà Nội. The registry and the
rates are the province's, so a district organizer of 24 would see them too."""

from __future__ import annotations

from typing import Any

from tests.matrix_helpers import LOGIN, anon_status, scoped_manage, scoped_view
from trainer.finance.models import Lecturer


def _reviewers(ok: int, *, api: bool = False) -> dict[str, int | str]:
    """Rates are entered by the finance office (reviewers in scope) and admins; organizers are refused."""
    return {"anon": anon_status(api), "admin": ok, "organizer_in": 403, "organizer_out": 403,
            "reviewer_in": ok, "reviewer_out": 404}


MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "finance.lecturers": ("GET", "/lecturers/", None, {"anon": LOGIN, **{r: 200 for r in (
        "admin", "organizer_in", "organizer_out", "reviewer_in", "reviewer_out")}}),
    # Admins have no province of their own: they add through the API with `unit_code`.
    "finance.lecturer_new": ("GET", "/lecturers/new", None, {"anon": LOGIN, "admin": 403, "organizer_in": 200,
                                                            "organizer_out": 200, "reviewer_in": 403,
                                                            "reviewer_out": 403}),
    "finance.lecturer_detail": ("GET", lambda w: f"/lecturers/{w['lecturer'].id}", None, scoped_view()),
    "finance.lecturer_edit": ("GET", lambda w: f"/lecturers/{w['lecturer'].id}/edit", None, scoped_manage()),
    "finance.rates": ("GET", "/rates?unit=24", None, scoped_view()),
    "finance.spending_page": ("GET", "/spending?unit=24&year=2024", None, scoped_view()),
    "finance_api.create_lecturer_api": ("POST", "/api/v1/lecturers", {"full_name": "Trần Văn Bình", "tier": 3},
                                        {"anon": 401, "admin": 422, "organizer_in": 201, "organizer_out": 201,
                                         "reviewer_in": 403, "reviewer_out": 403}),
    "finance_api.list_lecturers_api": ("GET", "/api/v1/lecturers?q=tran", None, {"anon": 401, **{r: 200 for r in (
        "admin", "organizer_in", "organizer_out", "reviewer_in", "reviewer_out")}}),
    "finance_api.get_lecturer_api": ("GET", lambda w: f"/api/v1/lecturers/{w['lecturer'].id}", None,
                                     scoped_view(api=True)),
    "finance_api.put_rates_api": ("PUT", "/api/v1/units/24/rates", {
        "valid_from": "2024-01-01", "lecturer_fee_per_session": {"1": 2000000, "2": 1500000, "3": 1000000,
                                                                 "4": 600000},
        "trainee_support_per_day": 150000, "source": "Nghị quyết số 05/2018/NQ-HĐND"}, _reviewers(201, api=True)),
    "finance_api.list_rates_api": ("GET", "/api/v1/units/24/rates", None, scoped_view(api=True)),
    "course_money.payments": ("GET", lambda w: f"/courses/{w['course'].id}/payments", None, scoped_view()),
    "course_money.trainees_xlsx": ("GET", lambda w: f"/courses/{w['course'].id}/payments/trainees.xlsx", None,
                                   scoped_view()),
    "course_money.trainees_pdf": ("GET", lambda w: f"/courses/{w['course'].id}/payments/trainees.pdf", None,
                                  scoped_view()),
    "course_money.lecturers_xlsx": ("GET", lambda w: f"/courses/{w['course'].id}/payments/lecturers.xlsx", None,
                                    scoped_view()),
    "course_money.lecturers_pdf": ("GET", lambda w: f"/courses/{w['course'].id}/payments/lecturers.pdf", None,
                                   scoped_view()),
    "course_money.paperwork": ("GET", lambda w: f"/courses/{w['course'].id}/paperwork", None, scoped_view()),
    "course_money.letter_pdf": ("GET", lambda w: f"/courses/{w['course'].id}/paperwork/summons.pdf", None,
                                scoped_view()),
    "course_money.budget": ("GET", lambda w: f"/courses/{w['course'].id}/budget", None, scoped_view()),
    "course_money.budget_xlsx": ("GET", lambda w: f"/courses/{w['course'].id}/budget.xlsx", None, scoped_view()),
    "course_money.dossier": ("GET", lambda w: f"/courses/{w['course'].id}/dossier.zip", None, scoped_view()),
}


def build(world: dict[str, Any], f: Any) -> None:
    """A lecturer of the province's registry and the province's rates."""
    from datetime import date

    from trainer.extensions import db
    from trainer.finance.models import ProvinceRate

    db.session.add(ProvinceRate(unit_id=world["province"].id, valid_from=date(2020, 1, 1), trainee_support_per_day=1,
                                lecturer_fee_per_session={"4": 1}, source="NQ"))
    lecturer = Lecturer(unit_id=world["province"].id, full_name="Nguyễn Văn An", name_search="nguyen van an",
                        agency="Trường Chính trị tỉnh", tier=3)
    db.session.add(lecturer)
    db.session.flush()
    world["lecturer"] = lecturer
