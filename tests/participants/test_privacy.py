"""A person's rights over their data: the personal-data export and anonymisation (trainer.participants.privacy).

Anonymising leaves no trace of the name, phone, e-mail or birth date in any text column of any table,
nor in a certificate's PDF, and changes no figure of the indicator report.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import JSON, Date, String, func, select

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from tests.reports.conftest import Dataset, data  # noqa: F401 - the reports' hand-made dataset, as a fixture
from trainer.accounts.services import issue_api_token
from trainer.attendance.models import AttendanceMethod, AttendanceRecord, CheckinAttempt
from trainer.attendance.services import Who, store_refusal
from trainer.audit.models import AuditEntry
from trainer.certificates.models import Certificate
from trainer.certificates.services import issue_certificates, pdf_bytes, reissue_certificate, revoke_certificate
from trainer.core import clock
from trainer.core.errors import DomainError
from trainer.core.text import fold
from trainer.courses.models import Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.participants.privacy import ANONYMISED_NAME, anonymise_participant
from trainer.schedule.models import CourseSession

NAME = "Phạm Thị Nguyệt Ánh"
PHONE = "0912777001"
EMAIL = "anh.pham@example.vn"
BORN = date(1988, 7, 9)
POSITION = "Phó Chủ tịch Hội Liên hiệp Phụ nữ xã"


def _headers(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_api_token(user)}"}


@pytest.fixture
def ania(app, f: Factories, world) -> dict:
    """Ánh, of Thị trấn Nhã Nam, with everything trainer can hold about a person: a course completed with
    a certificate (stored PDF, reissued and revoked with reasons that name her), a note that quotes her,
    a course she withdrew from with a reason quoting her e-mail, and refused check-ins (linked to her,
    with her number typed in another writing, with her code); plus Bình's own refused check-in."""
    app.config["PUBLIC_BASE_URL"] = "https://trainer.example.vn"
    t = world
    person = f.participant(t["commune"], full_name=NAME, name_search=fold(NAME), phone=PHONE, email=EMAIL,
                           birth_date=BORN, position=POSITION, ethnic_minority=True)
    course = f.course(t["district"], title="Lớp bồi dưỡng kỹ năng thông tin cơ sở", start_date=date(2024, 10, 1),
                      end_date=date(2024, 10, 1))
    start = datetime(2024, 10, 1, 1, 0, tzinfo=UTC)
    sessions = [CourseSession(course=course, title=f"Buổi {i}", starts_at=start + timedelta(hours=4 * i),
                              ends_at=start + timedelta(hours=4 * i + 3), hours=3) for i in range(2)]
    db.session.add_all(sessions)
    db.session.add(Enrolment(course=course, participant=person))
    db.session.flush()
    for i, course_session in enumerate(sessions):
        db.session.add(AttendanceRecord(course_session_id=course_session.id, participant_id=person.id,
                                        checked_in_at=course_session.starts_at, method=AttendanceMethod.MANUAL,
                                        note=f"Chị {NAME} đến muộn, gọi 0912 777 001" if i else None))
    other = f.course(t["district"], title="Lớp thứ hai", start_date=date(2024, 11, 1), end_date=date(2024, 11, 1))
    db.session.add(Enrolment(course=other, participant=person, status=EnrolmentStatus.WITHDRAWN,
                             withdraw_reason=f"Chị Ánh ({EMAIL}) xin rút"))
    db.session.flush()
    certificate = issue_certificates(course, actor=t["org_district"]).issued[0]
    reissue_certificate(certificate, reason=f"Sửa ngày sinh cho {NAME}", actor=t["org_district"])
    revoke_certificate(certificate, reason=f"Cấp nhầm cho {NAME}, sinh ngày 09/07/1988", actor=t["org_district"])
    refused, now = "not_enrolled", clock.now()
    store_refusal(refused, course_session_id=sessions[0].id, who=Who(phone="0912 777 001"), participant_id=person.id,
                  now=now)
    store_refusal(refused, course_session_id=sessions[0].id, who=Who(phone="+84 912 777 001"), now=now)  # unknown then
    store_refusal(refused, course_session_id=sessions[0].id, who=Who(participant_code=person.code), now=now)
    store_refusal(refused, course_session_id=sessions[0].id, who=Who(phone="0987000001"),
                  participant_id=t["person"].id, now=now)
    db.session.flush()
    return {"person": person, "course": course, "certificate": certificate, "code": person.code}


def _anonymise(client, person, user, reason="Theo đơn yêu cầu xóa dữ liệu số 12/2026"):
    return client.post(f"/api/v1/participants/{person.id}/anonymise", json={"reason": reason},
                       headers=_headers(user))


# --- the personal-data export -------------------------------------------------------------------------


def test_personal_data_holds_everything_stored_about_the_person_and_is_audited(client, world, ania):
    person = ania["person"]
    response = client.get(f"/api/v1/participants/{person.id}/personal-data", headers=_headers(world["org_district"]))
    assert response.status_code == 200
    body = response.json
    profile = body["participant"]
    assert (profile["full_name"], profile["phone"], profile["email"], profile["birth_date"], profile["position"]) == (
        NAME, PHONE, EMAIL, "1988-07-09", POSITION)
    assert profile["ethnic_minority"] is True and profile["anonymised_at"] is None
    assert [(e["course"]["title"], e["status"], e["attended_hours"]) for e in body["enrolments"]] == [
        ("Lớp thứ hai", "withdrawn", 0.0), ("Lớp bồi dưỡng kỹ năng thông tin cơ sở", "enrolled", 6.0)]
    assert body["enrolments"][0]["withdraw_reason"] == f"Chị Ánh ({EMAIL}) xin rút"
    assert len(body["attendance"]) == 2 and body["attendance"][1]["note"].startswith(f"Chị {NAME}")
    assert [c["code"] for c in body["certificates"]] == [ania["certificate"].code]
    assert body["certificates"][0]["snapshot"]["full_name"] == NAME and body["certificates"][0]["valid"] is False
    # Her refused check-ins, with what was typed; not Bình's.
    assert sorted((a["phone_tried"] or "", a["participant_code_tried"] or "") for a in body["checkin_attempts"]) == [
        ("", ania["code"]), ("+84 912 777 001", ""), ("0912 777 001", "")]
    assert body["generated_at"].endswith("+07:00")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.personal_data_export")).one()
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.details) == (
        world["org_district"].id, "Participant", person.id, {"channel": "api"})


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("org_district", 200), ("org_province", 200),
                                             ("reviewer", 403), ("org_hanoi", 404), ("reviewer_hanoi", 404)])
def test_personal_data_is_for_admins_and_organizers_in_scope(client, world, who, status):
    person = world["person"]
    response = client.get(f"/api/v1/participants/{person.id}/personal-data", headers=_headers(world[who]))
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [("reviewer", 403), ("org_hanoi", 404), ("reviewer_hanoi", 404)])
def test_only_admins_and_organizers_in_scope_anonymise(client, world, who, status):
    person = world["person"]
    assert _anonymise(client, person, world[who]).status_code == status
    db.session.refresh(person)
    assert person.full_name == "Trần Văn Bình" and person.anonymised_at is None


# --- anonymisation --------------------------------------------------------------------------------------


def _text_columns():
    """(table, column) of every text or JSON column of every table."""
    return [(table, column) for table in db.metadata.sorted_tables for column in table.columns
            if isinstance(column.type, String | JSON)]


def _traces(needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, value) whose text holds one of `needles` (case-insensitive)."""
    lowered = [n.lower() for n in needles]
    found = []
    for table, column in _text_columns():
        for value in db.session.execute(select(column).where(column.is_not(None))).scalars():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            if any(n in text.lower() for n in lowered):
                found.append((table.name, column.name, text[:120]))
    return found


def _dates_equal(day: date) -> list[tuple[str, str]]:
    """(table, column) of every date column holding `day`."""
    return [(table.name, column.name) for table in db.metadata.sorted_tables for column in table.columns
            if isinstance(column.type, Date)
            and db.session.scalar(select(func.count()).select_from(table).where(column == day))]


def test_anonymising_leaves_no_trace_in_any_table_nor_in_the_pdf(app, client, world, ania):
    person, certificate = ania["person"], ania["certificate"]
    needles = [NAME, fold(NAME), PHONE, "0912 777 001", "912777001", EMAIL, "1988-07-09", "09/07/1988", POSITION,
               ania["code"]]
    assert len(_traces(needles)) >= 8  # the scan sees them before: profile, snapshot, reasons, note, attempts...
    assert len(_text_columns()) > 40
    stored = Path(app.instance_path) / certificate.pdf_path
    assert stored.is_file()

    response = _anonymise(client, person, world["org_district"])
    assert response.status_code == 200, response.json
    assert response.json["full_name"] == ANONYMISED_NAME and response.json["phone"] is None
    assert response.json["erased"] == {"certificates": 1, "checkin_attempts": 3, "texts": 3}

    db.session.expire_all()
    assert _traces(needles) == []
    assert _dates_equal(BORN) == []
    person = db.session.get(Participant, person.id)
    assert (person.full_name, person.phone, person.email, person.birth_date, person.position) == (
        ANONYMISED_NAME, None, None, None, "")
    assert person.code != ania["code"] and len(person.code) == 8
    # Kept: what the figures are made of.
    assert (person.gender.value, person.ethnic_minority, person.target_group.value, person.unit_id) == (
        "female", True, "commune_culture_officer", world["commune"].id)
    assert db.session.scalar(select(func.count()).select_from(AttendanceRecord).where(
        AttendanceRecord.participant_id == person.id)) == 2
    assert db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.participant_id == person.id)) == 2
    # Bình's refused check-in keeps his number: only hers are erased.
    assert db.session.scalar(select(CheckinAttempt.phone_tried).where(
        CheckinAttempt.participant_id == world["person"].id)) == "0987000001"
    # The certificate's stored PDFs are gone; the one drawn now holds no name.
    certificate = db.session.get(Certificate, certificate.id)
    assert not stored.exists() and not list(stored.parent.glob(f"{certificate.code}-r*.pdf"))
    assert certificate.pdf_path is None
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes(certificate))).pages)
    assert NAME not in text and "1988" not in text and ANONYMISED_NAME in text
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.anonymise")).one()
    assert (entry.object_id, entry.details["reason"]) == (person.id, "Theo đơn yêu cầu xóa dữ liệu số 12/2026")


def test_a_reason_that_names_the_person_is_audited_without_the_name(client, world, ania):
    response = _anonymise(client, ania["person"], world["admin"], reason=f"{NAME} ({PHONE}) yêu cầu xóa")
    assert response.status_code == 200
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.anonymise")).one()
    assert entry.details["reason"] == "[đã xóa] ([đã xóa]) yêu cầu xóa"


def test_a_second_anonymisation_is_a_409_that_changes_nothing(client, world, ania):
    person = ania["person"]
    assert _anonymise(client, person, world["admin"]).status_code == 200
    db.session.expire_all()
    code, updated = person.code, person.updated_at
    again = _anonymise(client, person, world["admin"])
    assert again.status_code == 409 and again.json["error"]["code"] == "already_anonymised"
    db.session.expire_all()
    assert (person.code, person.updated_at) == (code, updated)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "participant.anonymise")) == 1


@pytest.mark.parametrize("body", [{}, {"reason": "   "}, {"reason": ["x"]}])
def test_anonymising_needs_a_reason(client, world, body):
    person = world["person"]
    response = client.post(f"/api/v1/participants/{person.id}/anonymise", json=body,
                           headers=_headers(world["admin"]))
    assert response.status_code == 422 and response.json["error"]["code"] == "reason_required"
    assert "reason" in response.json["error"]["fields"]
    db.session.refresh(person)
    assert person.anonymised_at is None and person.phone == "0987000001"


def test_the_phone_is_free_again_and_the_old_badge_code_finds_nobody(client, world, ania, f: Factories):
    person = ania["person"]
    anonymise_participant(person, reason="Theo yêu cầu", actor=world["admin"])
    second = f.participant(world["commune"], phone="0912000002")
    anonymise_participant(second, reason="Theo yêu cầu", actor=world["admin"])  # two NULL phones side by side
    created = client.post("/api/v1/participants", headers=_headers(world["org_district"]), json={
        "full_name": "Người mới dùng lại số", "gender": "male", "phone": PHONE, "ethnicity": "Kinh",
        "unit_code": "07306", "target_group": "other"})
    assert created.status_code == 201, created.json
    found = client.get(f"/api/v1/participants?q={ania['code']}", headers=_headers(world["admin"])).json
    assert found["total"] == 0


def test_the_verification_page_says_valid_and_that_the_holder_asked_to_be_anonymised(client, world, ania):
    certificate = ania["certificate"]
    reissue_certificate(certificate, reason="Khôi phục", actor=world["org_district"])  # valid again
    anonymise_participant(ania["person"], reason="Theo yêu cầu", actor=world["admin"])
    page = client.get(f"/verify/{certificate.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-valid="true"' in html
    assert "Người được cấp đã yêu cầu ẩn danh" in html and NAME not in html and "1988" not in html
    public = client.get(f"/api/v1/certificates/{certificate.code}").json
    assert (public["valid"], public["anonymised"], public["full_name"], public["birth_year"]) == (
        True, True, ANONYMISED_NAME, None)
    # Reissued later (a corrected course title, say): still without her.
    reissue_certificate(certificate, reason="Sửa tên lớp", actor=world["org_district"])
    assert certificate.snapshot["anonymised"] is True and certificate.snapshot["full_name"] == ANONYMISED_NAME


def test_anonymise_service_refuses_twice_with_a_code(world, ania):
    anonymise_participant(ania["person"], reason="Theo yêu cầu", actor=world["admin"])
    with pytest.raises(DomainError) as err:
        anonymise_participant(ania["person"], reason="Lần nữa", actor=world["admin"])
    assert (err.value.code, err.value.status) == ("already_anonymised", 409)


# --- the indicator report does not change --------------------------------------------------------------


REPORT_QUERIES = ["", "?year=2024", "?year=2023", "?year=2024&unit=24", "?unit=24", "?year=2024&unit=216",
                  "?year=2024&unit=217", "?unit=217", "?year=2024&half=2&unit=24", "?unit=01",
                  "?year=2024&unit=07306", "?year=2024&unit=07309"]


def test_every_indicator_figure_is_the_same_after_anonymising(client, data: Dataset, f: Factories):  # noqa: F811
    admin = f.user("admin")
    headers = _headers(admin)

    def report() -> dict[str, dict]:
        answers = {}
        for query in REPORT_QUERIES:
            response = client.get(f"/api/v1/reports/indicators{query}", headers=headers)
            assert response.status_code == 200, (query, response.json)
            answers[query] = response.json
        return answers

    before = report()
    assert before["?year=2024&unit=24"]["trained_officers"] == 4  # the dataset's figures, as the reports test them
    # Completers with valid and revoked certificates, a minority officer, a withdrawn and a never-enrolled one.
    for key in ("P1", "P2", "P3", "P4", "P6", "P7", "P8", "PH"):
        anonymise_participant(data.people[key], reason="Theo yêu cầu", actor=admin)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Participant).where(
        Participant.anonymised_at.is_not(None), Participant.phone.is_(None))) == 8
    after = report()
    assert after == before


# --- pages ---------------------------------------------------------------------------------------------


def test_pages_download_the_data_and_anonymise_after_a_confirmation(client, world, ania):
    person = ania["person"]
    login(client, world["org_district"].email)
    detail = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Tải dữ liệu cá nhân" in detail and f"/participants/{person.id}/anonymise" in detail
    download = client.get(f"/participants/{person.id}/personal-data.json")
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert "attachment" in download.headers["Content-Disposition"] and ania["code"] in download.headers[
        "Content-Disposition"]
    assert json.loads(download.data)["participant"]["full_name"] == NAME and NAME in download.get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry.details).where(
        AuditEntry.action == "participant.personal_data_export")) == {"channel": "page"}

    url = f"/participants/{person.id}/anonymise"
    page = client.get(url).get_data(as_text=True)
    assert "Bị xóa vĩnh viễn" in page and 'name="csrf_token"' in page
    token = csrf_token_from(page)
    unconfirmed = client.post(url, data={"csrf_token": token, "reason": "Theo đơn"})
    assert unconfirmed.status_code == 422 and "Đánh dấu ô xác nhận" in unconfirmed.get_data(as_text=True)
    no_reason = client.post(url, data={"csrf_token": token, "confirm": "y", "reason": ""})
    assert no_reason.status_code == 422 and "Nhập lý do ẩn danh hóa" in no_reason.get_data(as_text=True)
    assert client.post(url, data={"confirm": "y", "reason": "Theo đơn"}).status_code == 400  # no CSRF token
    db.session.refresh(person)
    assert person.anonymised_at is None

    done = client.post(url, data={"csrf_token": token, "confirm": "y", "reason": "Theo đơn"}, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "Đã ẩn danh hóa người này" in html and NAME not in html
    assert 'id="anonymised-note"' in html and f"/participants/{person.id}/edit" not in html
    again = client.post(url, data={"csrf_token": token, "confirm": "y", "reason": "Lần nữa"})
    assert again.status_code == 409 and 'id="already-anonymised"' in again.get_data(as_text=True)


def test_reviewers_see_neither_action_and_get_403(client, world):
    person = world["person"]
    login(client, world["reviewer"].email)
    detail = client.get(f"/participants/{person.id}").get_data(as_text=True)
    assert "Tải dữ liệu cá nhân" not in detail and "/anonymise" not in detail
    assert client.get(f"/participants/{person.id}/personal-data.json").status_code == 403
    assert client.get(f"/participants/{person.id}/anonymise").status_code == 403


def test_an_anonymised_person_cannot_be_given_personal_data_again(client, world, ania):
    person = ania["person"]
    assert _anonymise(client, person, world["admin"]).status_code == 200
    edit = client.patch(f"/api/v1/participants/{person.id}", json={"full_name": "Quách Thị Ánh"},
                        headers=_headers(world["admin"]))
    assert edit.status_code == 409 and edit.json["error"]["code"] == "participant_anonymised"
    db.session.refresh(person)
    assert person.full_name != "Quách Thị Ánh"
