"""Role × scope expectations of the reporting cycle (see tests/matrix_helpers.py).

Plans and reports of the world's Huyện Tân Yên (216), Huyện Yên Thế (217) and a commune. "In" users are
scoped to the province (24): its organizers draft, its reviewers (the unit above the districts) approve; "out"
users (Hà Nội) get a 404 that hides the objects. Reports are created through the service, then put in the
state each step needs; no approved report covers the world's course (Tân Yên, October 2024), so the other
fragments' writes stay open.
"""

from __future__ import annotations

import io
from typing import Any

from tests.matrix_helpers import all_staff, anon_status, scoped_view
from trainer.cycle.attachments import add_attachment
from trainer.cycle.models import SubmissionStatus
from trainer.cycle.periods import parse_period
from trainer.cycle.plans import approve_plan, save_plan
from trainer.cycle.submissions import create_submission


def _reviewers_above(ok: int = 200, *, api: bool = False) -> dict[str, int | str]:
    """Approving, returning, reopening: reviewers of a unit above, and admins."""
    return {"anon": anon_status(api), "admin": ok, "organizer_in": 403, "organizer_out": 404, "reviewer_in": ok,
            "reviewer_out": 404}


def _unit_staff(ok: int = 200, *, api: bool = False) -> dict[str, int | str]:
    """Drafting and sending reports: organizers and reviewers whose scope holds the unit, and admins."""
    return {"anon": anon_status(api), "admin": ok, "organizer_in": ok, "organizer_out": 404, "reviewer_in": ok,
            "reviewer_out": 404}


def _organizers(ok: int = 200, *, api: bool = False) -> dict[str, int | str]:
    """Drafting a plan: organizers whose scope holds the unit, and admins."""
    return {"anon": anon_status(api), "admin": ok, "organizer_in": ok, "organizer_out": 404, "reviewer_in": 403,
            "reviewer_out": 404}


NARRATIVE = {"narrative": {"results": "Tổ chức 01 lớp.", "proposals": "Không."}}
MATRIX: dict[str, tuple[str, Any, Any, dict[str, int | str]]] = {
    "cycle_api.create_plan": ("POST", "/api/v1/plans", {"unit_code": "216", "year": 2025, "targets": [
        {"curriculum_code": "CT1", "classes": 1, "trainees": 30}]}, _organizers(201, api=True)),
    "cycle_api.list_plans": ("GET", "/api/v1/plans?year=2024", None, all_staff(api=True)),
    "cycle_api.get_plan": ("GET", lambda w: f"/api/v1/plans/{w['plan'].id}", None, scoped_view(api=True)),
    "cycle_api.approve_plan": ("POST", lambda w: f"/api/v1/plans/{w['plan'].id}/approve", None,
                               _reviewers_above(api=True)),
    "cycle_api.reopen_plan": ("POST", lambda w: f"/api/v1/plans/{w['plan_approved'].id}/reopen",
                              {"reason": "Điều chỉnh chỉ tiêu."}, _reviewers_above(api=True)),
    "cycle_api.create_submission": ("POST", "/api/v1/report-submissions", {"unit_code": "217", "period": "2023"},
                                    _unit_staff(201, api=True)),
    "cycle_api.list_submissions": ("GET", "/api/v1/report-submissions?period=2024", None, all_staff(api=True)),
    "cycle_api.get_submission": ("GET", lambda w: f"/api/v1/report-submissions/{w['sub_draft'].id}", None,
                                 scoped_view(api=True)),
    "cycle_api.patch_submission": ("PATCH", lambda w: f"/api/v1/report-submissions/{w['sub_draft'].id}", NARRATIVE,
                                   _unit_staff(api=True)),
    "cycle_api.consolidation": ("GET", lambda w: f"/api/v1/report-submissions/{w['sub_draft'].id}/consolidation",
                                None, scoped_view(api=True)),
    "cycle_api.submit_submission": ("POST", lambda w: f"/api/v1/report-submissions/{w['sub_draft'].id}/submit",
                                    None, _unit_staff(api=True)),
    "cycle_api.approve_submission": ("POST", lambda w: f"/api/v1/report-submissions/{w['sub_approve'].id}/approve",
                                     None, _reviewers_above(api=True)),
    "cycle_api.return_submission": ("POST", lambda w: f"/api/v1/report-submissions/{w['sub_return'].id}/return",
                                    {"comment": "Bổ sung."}, _reviewers_above(api=True)),
    "cycle_api.reopen_submission": ("POST", lambda w: f"/api/v1/report-submissions/{w['sub_reopen'].id}/reopen",
                                    {"reason": "Sửa số liệu."}, _reviewers_above(api=True)),
    "cycle.plan": ("GET", "/cycle/plans?unit=216&year=2024", None, scoped_view()),
    "cycle.plan_approve": ("POST", lambda w: f"/cycle/plans/{w['plan2'].id}/approve", {}, _reviewers_above(302)),
    "cycle.board_page": ("GET", "/cycle/reports?unit=24&period=2024", None, scoped_view()),
    "cycle.create": ("POST", "/cycle/reports", {"unit": "216", "period": "2023"}, _unit_staff(302)),
    "cycle.detail": ("GET", lambda w: f"/cycle/reports/{w['sub_page'].id}", None, scoped_view()),
    "cycle.act": ("POST", lambda w: f"/cycle/reports/{w['sub_page'].id}/act", {"action": "approve"},
                  _reviewers_above(302)),
    "cycle.attach": ("POST", lambda w: f"/cycle/reports/{w['sub_files'].id}/attachments",
                     lambda w: {"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "bien-ban.pdf")}, _unit_staff(302)),
    "cycle.attachment": ("GET", lambda w: f"/cycle/reports/{w['sub_files'].id}/attachments/{w['attachment'].id}",
                         None, scoped_view()),
    "cycle.detach": ("POST", lambda w: f"/cycle/reports/{w['sub_files'].id}/attachments/{w['attachment'].id}/delete",
                     {}, _unit_staff(302)),
    "cycle.submission_pdf": ("GET", lambda w: f"/cycle/reports/{w['sub_draft'].id}.pdf", None, scoped_view()),
    "cycle.submission_xlsx": ("GET", lambda w: f"/cycle/reports/{w['sub_draft'].id}.xlsx", None, scoped_view()),
}


def build(world: dict[str, Any], f: Any) -> None:
    """A draft plan of each district for 2024, and reports in the states the steps need."""
    admin = f.user("admin")
    world["plan"], _ = save_plan(admin, world["district"], 2024, [
        {"curriculum_code": "CT1", "target_group": None, "classes": 2, "trainees": 60}])
    world["plan2"], _ = save_plan(admin, world["district2"], 2024, [
        {"curriculum_code": "CT1", "target_group": None, "classes": 1, "trainees": 30}])
    world["plan_approved"], _ = save_plan(admin, world["district2"], 2025, [
        {"curriculum_code": "CT1", "target_group": None, "classes": 1, "trainees": 20}])
    approve_plan(admin, world["plan_approved"])
    reports = {"sub_draft": ("district2", "2025-H1", SubmissionStatus.DRAFT),
               "sub_approve": ("district2", "2024-H1", SubmissionStatus.SUBMITTED),
               "sub_return": ("district", "2024", SubmissionStatus.SUBMITTED),
               "sub_reopen": ("district2", "2024", SubmissionStatus.APPROVED),
               "sub_page": ("district", "2024-H1", SubmissionStatus.SUBMITTED),
               "sub_files": ("commune_b", "2024-H1", SubmissionStatus.DRAFT)}
    for name, (unit, period, status) in reports.items():
        submission = create_submission(admin, world[unit], parse_period(period))
        submission.status = status
        world[name] = submission
    world["attachment"] = add_attachment(admin, world["sub_files"], io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "phu-luc.pdf")
