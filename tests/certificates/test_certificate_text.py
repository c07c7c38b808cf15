"""The certificate's body read back from the PDF line by line: holder, work unit as an agency, position,
the curriculum's wording (Decision 1288 only once its title is confirmed), dates, place, scheduled hours,
and the date of issue the organizer chose (default: the course's last day) on the page, CLI and API."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from trainer.accounts.services import issue_api_token
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.certificates.models import Certificate
from trainer.certificates.services import issue_certificates, pdf_bytes
from trainer.certificates.wording import decision_reference, hours_words, work_unit_agency
from trainer.core.errors import ValidationError
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.schedule.models import CourseSession

TODAY = date(2024, 10, 20)
DECISION = ("Quyết định số 1288/QĐ-BTTTT ngày 17/7/2023 của Bộ trưởng Bộ Thông tin và Truyền thông ban hành "
            "04 Chương trình nâng cao năng lực cho cán bộ thông tin và truyền thông")
REFERENCE = "(ban hành kèm theo Quyết định số 1288/QĐ-BTTTT ngày 17/7/2023 của Bộ trưởng Bộ Thông tin và Truyền thông)"


def _lines(pdf: bytes) -> list[str]:
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert unicodedata.is_normalized("NFC", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def _body(lines: list[str]) -> list[str]:
    """From the title to the line with the hours (the certificate's body), wrapped lines joined back."""
    start = lines.index("GIẤY CHỨNG NHẬN")
    end = next(i for i, line in enumerate(lines) if "thời lượng" in line)
    return lines[start:end + 1]


def _certificate_of(result, person) -> Certificate:
    return next(c for c in result.issued if c.participant_id == person.id)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Certificate))


def test_wording_helpers():
    assert work_unit_agency("Xã Việt Ngọc") == "UBND xã Việt Ngọc"
    assert work_unit_agency("Phường Kim Liên") == "UBND phường Kim Liên"
    assert work_unit_agency("Thị trấn Nhã Nam") == "UBND thị trấn Nhã Nam"
    assert work_unit_agency("Đặc khu Phú Quốc") == "UBND đặc khu Phú Quốc"
    assert work_unit_agency("UBND xã Việt Ngọc") == "UBND xã Việt Ngọc"  # already an agency
    assert work_unit_agency("") == ""
    assert decision_reference(DECISION) == REFERENCE[len("(ban hành kèm theo "):-1]
    assert (hours_words(12), hours_words(12.5), hours_words(Decimal("7.25"))) == ("12", "12,5", "7,25")


def test_body_puts_each_fact_on_its_own_line_and_no_course_line(finished):
    hang, uoc, _ = finished["people"]
    result = issue_certificates(finished["course"], actor=None, today=TODAY)
    curriculum_title = finished["course"].curriculum.title
    assert _body(_lines(pdf_bytes(_certificate_of(result, hang)))) == [
        "GIẤY CHỨNG NHẬN", "Chứng nhận ông/bà:", "Nguyễn Thị Hằng",
        "Sinh ngày: 15/03/1985",
        "Đơn vị công tác: UBND thị trấn Nhã Nam",
        "Chức vụ: Công chức Văn hóa - Xã hội",
        "Đã hoàn thành lớp bồi dưỡng theo", curriculum_title,
        "Lớp học từ ngày 01/10/2024 đến ngày 02/10/2024 tại Hội trường UBND huyện, thời lượng 12 giờ."]
    # Ước has no position: no empty "Chức vụ:" line; his commune is a xã.
    lines = _lines(pdf_bytes(_certificate_of(result, uoc)))
    assert _body(lines)[3:6] == ["Sinh ngày: 02/01/1979", "Đơn vị công tác: UBND xã Cao Xá",
                                 "Đã hoàn thành lớp bồi dưỡng theo"]
    text = "\n".join(lines)
    assert "Khóa học" not in text and finished["course"].title not in text and "Chức vụ" not in text
    assert "Quyết định" not in text and "1288" not in text  # the title is not confirmed


def test_hours_are_the_courses_scheduled_hours_with_a_decimal_comma(finished):
    course = finished["course"]
    start = datetime(2024, 10, 2, 6, 30, tzinfo=UTC)  # a half-hour closing session nobody attended
    db.session.add(CourseSession(course=course, title="Bế giảng", starts_at=start,
                                 ends_at=start + timedelta(minutes=30), hours=Decimal("0.5")))
    db.session.flush()
    assert course.curriculum.total_hours != Decimal("12.5")  # not the curriculum's planned hours
    certificate = _certificate_of(issue_certificates(course, actor=None, today=TODAY), finished["people"][0])
    assert certificate.snapshot["hours"] == 12.5
    assert _body(_lines(pdf_bytes(certificate)))[-1].endswith(", thời lượng 12,5 giờ.")


def test_decision_wording_only_once_an_admin_confirms_the_title(finished, f):
    course = finished["course"]
    curriculum = course.curriculum
    curriculum.decision = DECISION
    before = issue_certificates(course, actor=None, today=TODAY).issued
    assert all(c.snapshot["curriculum_title_confirmed"] is False and c.snapshot["curriculum_decision"] == ""
               for c in before)
    assert "1288" not in " ".join(_lines(pdf_bytes(before[0])))

    curriculum.confirmed = {**curriculum.confirmed, "title": True}  # what the admin's confirmation stores
    late = f.participant(finished["tree"]["commune"], full_name="Vũ Thị Lan")  # enrolled late
    db.session.add(Enrolment(course=course, participant=late))
    db.session.flush()
    for s in finished["sessions"]:
        db.session.add(AttendanceRecord(course_session_id=s.id, participant_id=late.id, checked_in_at=s.starts_at,
                                        method=AttendanceMethod.QR))
    db.session.flush()
    after = issue_certificates(course, actor=None, today=TODAY).issued
    assert [c.participant_id for c in after] == [late.id]
    body = _body(_lines(pdf_bytes(after[0])))
    assert body[2:] == ["Vũ Thị Lan", "Đơn vị công tác: UBND thị trấn Nhã Nam",
                        "Đã hoàn thành lớp bồi dưỡng theo", curriculum.title, REFERENCE,
                        "Lớp học từ ngày 01/10/2024 đến ngày 02/10/2024 tại Hội trường UBND huyện, thời lượng 12 giờ."]
    assert after[0].snapshot["curriculum_decision"] == REFERENCE[len("(ban hành kèm theo "):-1]
    # a certificate issued before the confirmation keeps what it said (its snapshot is frozen)
    before[0].pdf_path = None
    assert "1288" not in " ".join(_lines(pdf_bytes(before[0])))


def test_dated_the_courses_last_day_by_default_not_the_day_issued(finished):
    certificate = issue_certificates(finished["course"], actor=None, today=TODAY).issued[0]
    assert certificate.issued_on == date(2024, 10, 2) and certificate.serial.endswith("/2024")
    assert "Tân Yên, ngày 02 tháng 10 năm 2024" in _lines(pdf_bytes(certificate))


def test_a_chosen_date_is_printed_and_numbers_that_years_register(finished):
    certificate = issue_certificates(finished["course"], actor=None, issued_on=date(2025, 1, 6),
                                     today=date(2025, 2, 1)).issued[0]
    assert certificate.issued_on == date(2025, 1, 6) and certificate.serial == "0001/2025"
    assert "Tân Yên, ngày 06 tháng 01 năm 2025" in _lines(pdf_bytes(certificate))


@pytest.mark.parametrize(("issued_on", "today", "code", "words"), [
    (date(2024, 10, 1), TODAY, "issued_on_before_end", "trước ngày kết thúc khóa học (02/10/2024)"),
    (date(2024, 10, 21), TODAY, "issued_on_future", "là ngày trong tương lai"),
    (None, date(2024, 10, 1), "course_not_ended", "Khóa học kết thúc ngày 02/10/2024"),
])
def test_a_date_before_the_end_or_in_the_future_is_refused(finished, issued_on, today, code, words):
    with pytest.raises(ValidationError) as err:
        issue_certificates(finished["course"], actor=None, issued_on=issued_on, today=today)
    assert err.value.code == code and words in err.value.message and err.value.fields == {
        "issued_on": err.value.fields["issued_on"]}
    assert _count() == 0


def test_issue_page_offers_the_last_day_and_refuses_a_bad_date(client, finished, f, clock_at):
    clock_at.set(datetime(2024, 10, 20, 3, 0, tzinfo=UTC))
    organizer = f.user("organizer", finished["tree"]["district"])
    login(client, organizer.email)
    url = f"/courses/{finished['course'].id}/certificates"
    page = client.get(url).get_data(as_text=True)
    assert 'name="issued_on"' in page and 'value="2024-10-02"' in page and 'min="2024-10-02"' in page
    assert 'max="2024-10-20"' in page
    refused = client.post(f"{url}/issue", data={"csrf_token": csrf_token_from(page), "issued_on": "2024-09-30"})
    assert refused.status_code == 422 and _count() == 0
    assert "Ngày cấp 30/09/2024 trước ngày kết thúc khóa học (02/10/2024)" in refused.get_data(as_text=True)
    future = client.post(f"{url}/issue", data={"csrf_token": csrf_token_from(page), "issued_on": "2024-10-21"})
    assert future.status_code == 422 and "là ngày trong tương lai" in future.get_data(as_text=True)
    done = client.post(f"{url}/issue", data={"csrf_token": csrf_token_from(page), "issued_on": "2024-10-04"})
    assert done.status_code == 302 and _count() == 2
    assert {c.issued_on for c in db.session.scalars(select(Certificate))} == {date(2024, 10, 4)}
    english = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "Date of issue (printed on the certificates)" in english


def test_cli_date_option(runner, finished, clock_at):
    clock_at.set(datetime(2024, 10, 20, 3, 0, tzinfo=UTC))
    db.session.commit()
    course_id = str(finished["course"].id)
    refused = runner.invoke(args=["certificates", "issue", "--course", course_id, "--date", "2024-09-01"])
    assert refused.exit_code != 0 and "trước ngày kết thúc khóa học" in refused.output and _count() == 0
    bad = runner.invoke(args=["certificates", "issue", "--course", course_id, "--date", "01/10/2024"])
    assert bad.exit_code != 0 and _count() == 0
    done = runner.invoke(args=["certificates", "issue", "--course", course_id, "--date", "2024-10-05"])
    assert done.exit_code == 0, done.output
    assert "2 issued" in done.output and "(dated 2024-10-05)" in done.output
    assert {c.issued_on for c in db.session.scalars(select(Certificate))} == {date(2024, 10, 5)}


def test_api_optional_issued_on(client, finished, f, clock_at):
    clock_at.set(datetime(2024, 10, 20, 3, 0, tzinfo=UTC))
    organizer = f.user("organizer", finished["tree"]["district"])
    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    url = f"/api/v1/courses/{finished['course'].id}/certificates"
    for body, code in (({"issued_on": "2024-09-30"}, "issued_on_before_end"),
                       ({"issued_on": "2024-10-21"}, "issued_on_future"), ({"issued_on": "02/10/2024"}, None),
                       ({"date": "2024-10-03"}, None)):
        refused = client.post(url, json=body, headers=auth)
        assert refused.status_code == 422, body
        assert code is None or refused.json["error"]["code"] == code
        assert "issued_on" in refused.json["error"].get("fields", {}) or code is None
    assert _count() == 0
    issued = client.post(url, json={"issued_on": "2024-10-03"}, headers=auth)
    assert issued.status_code == 200 and len(issued.json["issued"]) == 2
    code = issued.json["issued"][0]["code"]
    assert client.get(f"/api/v1/certificates/{code}").json["issued_on"] == "2024-10-03"


def test_api_without_a_body_dates_the_last_day(client, finished, f, clock_at):
    clock_at.set(datetime(2024, 10, 20, 3, 0, tzinfo=UTC))
    organizer = f.user("organizer", finished["tree"]["district"])
    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    issued = client.post(f"/api/v1/courses/{finished['course'].id}/certificates", headers=auth)
    assert issued.status_code == 200 and len(issued.json["issued"]) == 2
    assert {c.issued_on for c in db.session.scalars(select(Certificate))} == {date(2024, 10, 2)}


def test_a_version_one_snapshot_still_renders(finished):
    """A certificate issued before this change keeps its snapshot: no version, work unit or confirmation."""
    certificate = _certificate_of(issue_certificates(finished["course"], actor=None, today=TODAY),
                                  finished["people"][0])
    old = {key: value for key, value in certificate.snapshot.items()
           if key not in ("version", "work_unit", "curriculum_title_confirmed", "curriculum_decision")}
    certificate.snapshot = old
    certificate.pdf_path = None  # rendered from the snapshot, as a revoked or demo certificate is
    body = _body(_lines(pdf_bytes(certificate)))
    assert body[3:6] == ["Sinh ngày: 15/03/1985", "Đơn vị công tác: UBND thị trấn Nhã Nam",
                         "Chức vụ: Công chức Văn hóa - Xã hội"]
    assert body[-1].endswith("thời lượng 12 giờ.") and "1288" not in " ".join(body)


def _text_positions(pdf: bytes) -> list[tuple[str, float]]:
    """Each drawn string with its baseline's height on the page (points from the bottom)."""
    found: list[tuple[str, float]] = []
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(
        visitor_text=lambda value, cm, tm, *_: found.append((value.strip(), tm[5])) if value.strip() else None)
    return found


def test_a_long_body_shrinks_and_never_meets_the_signature(app):
    """Longest title, position and venue: the signer's name stays inside the frame, under the body."""
    from trainer.certificates.pdf import MARGIN, CertificateData, render_certificate
    from trainer.documents.layout import Letterhead

    head = Letterhead(parent_agency="ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", agency="PHÒNG VĂN HÓA VÀ THÔNG TIN",
                      place_name="Tân Yên", signer_prefix="KT. TRƯỞNG PHÒNG", signer_title="PHÓ TRƯỞNG PHÒNG",
                      signer_name="Nguyễn Văn Bình")
    data = CertificateData(
        full_name="Tôn Nữ Hoàng Thị Phương Thảo Nguyễn", birth_date=date(1985, 3, 15), unit_name="Xã Việt Ngọc",
        position="Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam xã kiêm Chủ tịch Hội Liên hiệp Phụ nữ xã",
        curriculum_title="Chương trình bồi dưỡng kiến thức, kỹ năng thông tin, tuyên truyền cho cán bộ làm công tác "
                         "thông tin, tuyên truyền thuộc cơ quan Đảng và các tổ chức chính trị - xã hội cấp xã và kiến "
                         "thức, kỹ năng chuyên môn, nghiệp vụ thông tin cơ sở cho công chức văn hóa - xã hội cấp xã",
        course_title="", start_date=date(2024, 10, 1), end_date=date(2024, 10, 3),
        venue="Hội trường Trung tâm Văn hóa - Thông tin và Thể thao huyện Tân Yên, thôn Tân Lập, xã Cao Xá, huyện "
              "Tân Yên, tỉnh Bắc Giang", hours=12.5, letterhead=head, serial="0015/2024", code="ABCDEFGHJK23",
        issued_on=date(2024, 10, 3), verify_url="https://trainer.example.vn/verify/ABCDEFGHJK23",
        curriculum_decision=REFERENCE[len("(ban hành kèm theo "):-1])
    positions = _text_positions(render_certificate(data))
    y_of = {value: y for value, y in positions}
    last_body = min(y for value, y in positions if "thời lượng" in value or "tỉnh Bắc Giang" in value)
    assert y_of["Nguyễn Văn Bình"] >= MARGIN  # inside the frame
    assert last_body > y_of["Tân Yên, ngày 03 tháng 10 năm 2024"] + 12  # a line's gap above the signature
    # no line ends in a lone dash nor starts with one
    assert not any(value.startswith("- ") or value.endswith(" -") for value, _ in positions)


def _checkbox(page: str) -> str:
    return re.search(r'<input[^>]*name="title_confirmed"[^>]*>', page).group(0)


def test_an_admin_confirms_the_title_and_later_certificates_cite_the_decision(client, finished, f):
    curriculum = finished["course"].curriculum
    curriculum.decision = DECISION
    db.session.commit()
    login(client, f.user("admin").email)
    url = f"/curricula/{curriculum.code}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "checked" not in _checkbox(page)  # the seeded titles are not confirmed
    data = {"csrf_token": csrf_token_from(page), "title": curriculum.title, "completion_threshold": "0.8",
            "title_confirmed": "y"}
    for i, module in enumerate(curriculum.modules):
        data |= {f"modules-{i}-code": module.code, f"modules-{i}-title": module.title,
                 f"modules-{i}-hours": str(module.hours)}
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(curriculum)
    assert curriculum.confirmed["title"] is True
    english = client.get(f"{url}?lang=en").get_data(as_text=True)
    assert "The programme's title has been checked against the Decision" in english
    assert " checked " in _checkbox(english)
    certificate = issue_certificates(finished["course"], actor=None, today=TODAY).issued[0]
    assert REFERENCE in _body(_lines(pdf_bytes(certificate)))
    del data["title_confirmed"]  # unticked: certificates issued afterwards no longer cite it
    assert client.post(url, data=data).status_code == 302
    db.session.refresh(curriculum)
    assert curriculum.confirmed["title"] is False
