"""The reporting cycle through the API: a district plans a year, reports, is returned, fixes, resubmits and is
approved by the province; the period is then locked (409 period_locked) until reopened."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from tests.cycle.helpers import Api
from tests.factories import Factories
from tests.reports.conftest import Dataset, attend, enrol
from trainer.audit.models import AuditEntry
from trainer.certificates.models import Certificate
from trainer.courses.models import CourseStatus
from trainer.extensions import db

NARRATIVE = {"results": "Tổ chức 01 lớp CT1 tại Nhã Nam.", "assessment": "Đạt kế hoạch.",
             "difficulties": "Kinh phí chậm.", "proposals": "Đề nghị bổ sung kinh phí."}


def test_district_plans_reports_is_returned_resubmits_and_is_approved(client, data: Dataset, f: Factories, clock_at):
    clock_at.set(datetime(2024, 10, 20, 3, tzinfo=UTC))
    organizer = Api(client, f.user("organizer", data.t["district"]))
    reviewer = Api(client, f.user("reviewer", data.t["province"]))

    plan = organizer.post("/plans", {"unit_code": "216", "year": 2024, "targets": [
        {"curriculum_code": "CT1", "classes": 2, "trainees": 60},
        {"curriculum_code": "CT2", "target_group": "party_info_staff", "classes": 1, "trainees": 30}]})
    assert plan.status_code == 201, plan.json
    assert (plan.json["status"], plan.json["classes"], plan.json["trainees"]) == ("draft", 3, 90)
    assert reviewer.post(f"/plans/{plan.json['id']}/approve").json["status"] == "approved"
    listed = organizer.get("/plans?unit=216&year=2024").json
    assert [item["id"] for item in listed["items"]] == [plan.json["id"]]
    indicators = reviewer.get("/reports/indicators?unit=24&year=2024").json
    assert indicators["plan"] == {"classes": 3, "trainees": 90, "by_curriculum": {
        "CT1": {"classes": 2, "trainees": 60}, "CT2": {"classes": 1, "trainees": 30}}}

    created = organizer.post("/report-submissions", {"unit_code": "216", "period": "2024"})
    assert created.status_code == 201, created.json
    report = created.json
    assert (report["status"], report["due_on"], report["late"]) == ("draft", "2024-10-30", False)
    assert (report["figures"]["courses"], report["figures"]["trainee_turns"],
            report["figures"]["trained_officers"]) == (1, 6, 3)
    assert report["figures"]["plan"]["classes"] == 3
    sid = report["id"]
    assert organizer.post("/report-submissions", {"unit_code": "216", "period": "2024"}).json["error"]["code"] == \
        "submission_exists"
    refused = organizer.post(f"/report-submissions/{sid}/submit")
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "narrative_required")
    assert report["narrative"]["basis"].startswith("Thực hiện Thông tư số 10/2022/TT-BLĐTBXH")
    narrative = organizer.patch(f"/report-submissions/{sid}", {"narrative": NARRATIVE}).json["narrative"]
    assert narrative == {**NARRATIVE, "basis": report["narrative"]["basis"]}
    assert organizer.post(f"/report-submissions/{sid}/submit").json["status"] == "submitted"
    assert organizer.post(f"/report-submissions/{sid}/approve").status_code == 403  # not above its own unit

    returned = reviewer.post(f"/report-submissions/{sid}/return", {"comment": "Bổ sung số liệu nữ."})
    assert (returned.json["status"], returned.json["comment"]) == ("returned", "Bổ sung số liệu nữ.")
    assert reviewer.post(f"/report-submissions/{sid}/approve").json["error"]["code"] == "invalid_status"
    listed = reviewer.get("/report-submissions?unit=24&period=2024&status=returned").json
    assert [item["id"] for item in listed["items"]] == [sid] and "figures" not in listed["items"][0]

    clock_at.set(datetime(2024, 11, 2, 3, tzinfo=UTC))  # after the due date: still not late (first sent on time)
    fixed = organizer.patch(f"/report-submissions/{sid}", {"narrative": {"results": "Có 2 học viên nữ."}})
    assert fixed.json["narrative"]["results"] == "Có 2 học viên nữ."
    assert organizer.post(f"/report-submissions/{sid}/submit").json["late"] is False
    approved = reviewer.post(f"/report-submissions/{sid}/approve")
    assert (approved.json["status"], approved.json["locked"]) == ("approved", True)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "ReportSubmission")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["report_submission.create", "report_submission.edit", "report_submission.submit",
                       "report_submission.return", "report_submission.edit", "report_submission.submit",
                       "report_submission.approve"]


def test_late_when_first_sent_after_the_due_date(client, data: Dataset, f: Factories, clock_at):
    clock_at.set(datetime(2024, 5, 21, 3, tzinfo=UTC))
    organizer = Api(client, f.user("organizer", data.t["district"]))
    sid = organizer.post("/report-submissions", {"unit_code": "216", "period": "2024-H1"}).json["id"]
    organizer.patch(f"/report-submissions/{sid}", {"narrative": NARRATIVE})
    sent = organizer.post(f"/report-submissions/{sid}/submit").json
    assert (sent["due_on"], sent["late"], sent["figures"]["period"]["to"]) == ("2024-05-20", True, "2024-06-30")


def test_approval_locks_the_period_until_reopened(client, data: Dataset, f: Factories):
    organizer_user = f.user("organizer", data.t["district"])
    organizer = Api(client, organizer_user)
    reviewer = Api(client, f.user("reviewer", data.t["province"]))
    sid = organizer.post("/report-submissions", {"unit_code": "216", "period": "2024"}).json["id"]
    organizer.patch(f"/report-submissions/{sid}", {"narrative": NARRATIVE})
    organizer.post(f"/report-submissions/{sid}/submit")
    reviewer.post(f"/report-submissions/{sid}/approve")
    k1, k2 = data.courses["K1"], data.courses["K2"]
    k1.status = k2.status = CourseStatus.OPEN  # still taking enrolments: only the lock refuses
    late_comer = f.participant(data.t["commune"])
    enrol = organizer.post(f"/courses/{k1.id}/enrollments", {"participant_id": late_comer.id})
    assert (enrol.status_code, enrol.json["error"]["code"]) == (409, "period_locked")
    assert "đã được duyệt và khóa" in enrol.json["error"]["message"]
    session_id = k1.sessions[0].id
    mark = organizer.post(f"/sessions/{session_id}/attendance",
                          {"participant_id": data.people["P3"].id, "method": "manual"})
    assert (mark.status_code, mark.json["error"]["code"]) == (409, "period_locked")
    issue = organizer.post(f"/courses/{k1.id}/certificates")
    assert (issue.status_code, issue.json["error"]["code"]) == (409, "period_locked")
    certificate = db.session.scalars(select(Certificate).where(Certificate.course_id == k1.id,
                                                               Certificate.revoked_at.is_(None))).first()
    revoke = organizer.post(f"/certificates/{certificate.code}/revoke", {"reason": "Sai tên."})
    assert (revoke.status_code, revoke.json["error"]["code"]) == (409, "period_locked")
    unmark = client.delete(f"/api/v1/sessions/{session_id}/attendance", headers=organizer.headers,
                           json={"participant_id": data.people["P1"].id, "reason": "Nhầm."})
    assert (unmark.status_code, unmark.json["error"]["code"]) == (409, "period_locked")
    # The province's own course is not the district's: its data stays open.
    province_organizer = Api(client, f.user("organizer", data.t["province"]))
    assert province_organizer.post(f"/courses/{k2.id}/enrollments",
                                   {"participant_id": late_comer.id}).status_code == 201
    # Approved figures stay frozen.
    frozen = reviewer.get(f"/report-submissions/{sid}").json["figures"]["trainee_turns"]
    assert frozen == 6

    assert reviewer.post(f"/report-submissions/{sid}/reopen", {}).status_code == 422
    reopened = reviewer.post(f"/report-submissions/{sid}/reopen", {"reason": "Bổ sung học viên."}).json
    assert (reopened["status"], reopened["locked"]) == ("returned", False)
    assert organizer.post(f"/courses/{k1.id}/enrollments", {"participant_id": late_comer.id}).status_code == 201


def test_reviewers_of_the_same_unit_or_elsewhere_cannot_approve(client, data: Dataset, f: Factories):
    organizer = Api(client, f.user("organizer", data.t["district"]))
    sid = organizer.post("/report-submissions", {"unit_code": "216", "period": "2024"}).json["id"]
    organizer.patch(f"/report-submissions/{sid}", {"narrative": NARRATIVE})
    organizer.post(f"/report-submissions/{sid}/submit")
    same_level = Api(client, f.user("reviewer", data.t["district"]))
    assert same_level.post(f"/report-submissions/{sid}/approve").status_code == 403
    elsewhere = Api(client, f.user("reviewer", data.t["hanoi"]))
    assert elsewhere.post(f"/report-submissions/{sid}/approve").status_code == 404


def test_bad_input_is_refused_with_codes(client, data: Dataset, f: Factories):
    organizer = Api(client, f.user("organizer", data.t["district"]))
    assert organizer.post("/report-submissions", {"unit_code": "216", "period": "2024-H2"}).status_code in (400, 422)
    bad_plan = organizer.post("/plans", {"unit_code": "216", "year": 2024,
                                         "targets": [{"curriculum_code": "CT9", "classes": 1, "trainees": 1}]})
    assert (bad_plan.status_code, bad_plan.json["error"]["code"]) == (422, "unknown_curriculum")
    twice = organizer.post("/plans", {"unit_code": "216", "year": 2024, "targets": [
        {"curriculum_code": "CT1", "classes": 1, "trainees": 1}, {"curriculum_code": "CT1", "classes": 2,
                                                                  "trainees": 2}]})
    assert twice.json["error"]["code"] == "duplicate_target"
    outside = organizer.post("/plans", {"unit_code": "217", "year": 2024, "targets": []})
    assert outside.status_code == 404
    reviewer = Api(client, f.user("reviewer", data.t["district"]))
    assert reviewer.post("/plans", {"unit_code": "216", "year": 2024, "targets": []}).status_code == 403


def test_lists_and_pages_take_a_bounded_number_of_statements(client, app, data: Dataset, f: Factories):
    from tests.conftest import login
    from tests.sql import count_statements
    from trainer.cycle.periods import parse_period
    from trainer.cycle.submissions import create_submission

    admin = f.user("admin")
    reviewer_user = f.user("reviewer", data.t["province"])
    reviewer = Api(client, reviewer_user)
    page = app.test_client()
    login(page, reviewer_user.email)
    counts = []
    for units in (("district",), ("district2", "commune", "commune_b", "commune2")):
        for name in units:
            create_submission(admin, data.t[name], parse_period("2024"))
        db.session.commit()
        with count_statements() as seen:
            assert len(reviewer.get("/report-submissions?period=2024").json["items"]) >= 1
            assert page.get("/cycle/reports?unit=216&period=2024").status_code == 200
            assert page.get("/cycle/reports?unit=24&period=2024").status_code == 200
        counts.append(len(seen))
    assert counts[1] <= counts[0]  # five reports cost no more than one


def test_a_district_report_consolidated_from_its_communes_shows_the_differences(client, data: Dataset,
                                                                                  f: Factories):
    organizer = Api(client, f.user("organizer", data.t["district"]))
    district_reviewer = Api(client, f.user("reviewer", data.t["district"]))
    for commune in ("07306", "07309"):
        sid = organizer.post("/report-submissions", {"unit_code": commune, "period": "2024"}).json["id"]
        organizer.patch(f"/report-submissions/{sid}", {"narrative": NARRATIVE})
        organizer.post(f"/report-submissions/{sid}/submit")
        assert district_reviewer.post(f"/report-submissions/{sid}/approve").json["status"] == "approved"
        if commune == "07306":
            nha_nam = sid
    nha_nam_turns = organizer.get(f"/report-submissions/{nha_nam}").json["figures"]["trainee_turns"]
    # After approval, a record written past the lock (straight into the database) changes Nhã Nam's live figures.
    k1 = data.courses["K1"]
    extra = f.participant(data.t["commune"])
    enrol(k1, extra)
    attend(extra, k1.sessions[0])

    built = organizer.post("/report-submissions", {"unit_code": "216", "period": "2024", "basis": "consolidated"})
    assert built.status_code == 201, built.json
    figures = built.json["figures"]
    assert figures["basis"] == "consolidated" and figures["consolidated_from"] == ["07306", "07309"]
    assert figures["trainee_turns"] == figures["live"]["totals"]["trainee_turns"] - 1
    consolidation = organizer.get(f"/report-submissions/{built.json['id']}/consolidation").json
    assert consolidation["differences"]["trainee_turns"] == {
        "consolidated": figures["trainee_turns"], "live": figures["trainee_turns"] + 1, "difference": 1}
    nha_nam_line = next(line for line in consolidation["children"] if line["unit"]["code"] == "07306")
    assert nha_nam_line["differences"]["trainee_turns"] == {"approved": nha_nam_turns, "live": nha_nam_turns + 1,
                                                            "difference": 1}
    assert consolidation["missing_children"] == []


def test_an_approved_plan_is_fixed_until_a_reviewer_above_reopens_it(client, data: Dataset, f: Factories):
    organizer = Api(client, f.user("organizer", data.t["district"]))
    reviewer = Api(client, f.user("reviewer", data.t["province"]))
    body = {"unit_code": "216", "year": 2024, "targets": [{"curriculum_code": "CT1", "classes": 2, "trainees": 60}]}
    plan_id = organizer.post("/plans", body).json["id"]
    assert organizer.post("/plans", body).status_code == 200  # a draft is replaced
    reviewer.post(f"/plans/{plan_id}/approve")
    assert organizer.post("/plans", body).json["error"]["code"] == "plan_approved"
    assert reviewer.post(f"/plans/{plan_id}/reopen", {"reason": ""}).json["error"]["code"] == "reason_required"
    assert reviewer.post(f"/plans/{plan_id}/reopen", {"reason": "Tăng chỉ tiêu."}).json["status"] == "draft"
    assert organizer.post("/plans", {**body, "targets": [{"curriculum_code": "CT1", "classes": 3,
                                                           "trainees": 90}]}).json["classes"] == 3
