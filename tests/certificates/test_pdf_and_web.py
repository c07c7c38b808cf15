"""The certificate PDF read back (text and QR), the verification page and API, bulk files, the CLI."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from tests.conftest import csrf_token_from, login
from trainer.accounts.services import issue_api_token
from trainer.certificates.services import issue_certificates, pdf_bytes
from trainer.extensions import db

ISSUE_DAY = date(2024, 10, 5)


def _lines(pdf: bytes, page: int = 0) -> list[str]:
    text = PdfReader(io.BytesIO(pdf)).pages[page].extract_text()
    assert unicodedata.is_normalized("NFC", text)
    return [line.strip() for line in text.splitlines()]


def _qr_texts(pdf: bytes, page: int = 0) -> list[str]:
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=150 / 72).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def test_pdf_has_every_vietnamese_string_and_a_qr_to_the_verify_page(finished):
    certificate = next(c for c in issue_certificates(finished["course"], actor=None, issued_on=ISSUE_DAY,
                                                     today=ISSUE_DAY).issued
                       if c.participant.full_name == "Nguyễn Thị Hằng")
    pdf = pdf_bytes(certificate)
    lines = _lines(pdf)
    text = "\n".join(lines)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "GIẤY CHỨNG NHẬN",
                     "Nguyễn Thị Hằng", "Sinh ngày: 15/03/1985", "UBND thị trấn Nhã Nam", "Công chức Văn hóa - Xã hội",
                     "ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", "PHÒNG VĂN HÓA VÀ THÔNG TIN",
                     "từ ngày 01/10/2024 đến ngày 02/10/2024", "Hội trường UBND huyện", "thời lượng 12 giờ",
                     f"Số vào sổ: {certificate.serial}", f"Mã xác minh: {certificate.code}",
                     "Tân Yên, ngày 05 tháng 10 năm 2024"):
        assert expected in " ".join(lines), expected  # a paragraph's text, wherever its lines break
    assert finished["course"].curriculum.title.split()[0] in text
    assert _qr_texts(pdf) == [f"https://trainer.example.vn/verify/{certificate.code}"]


def test_nfd_input_is_drawn_as_nfc(finished):
    finished["people"][0].full_name = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    certificate = next(c for c in issue_certificates(finished["course"], actor=None, today=ISSUE_DAY).issued
                       if c.participant_id == finished["people"][0].id)
    assert "Nguyễn Thị Hằng" in _lines(pdf_bytes(certificate))


def test_verification_page_and_api_say_valid_then_revoked(client, finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    certificate = issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY).issued[0]
    page = client.get(f"/verify/{certificate.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-valid="true"' in html and "Giấy chứng nhận hợp lệ" in html
    assert finished["people"][0].phone not in html and "15/03/1985" not in html
    body = client.get(f"/api/v1/certificates/{certificate.code.lower()}").json
    assert body["valid"] is True and body["serial"] == certificate.serial and body["curriculum_code"]
    assert set(body) >= {"serial", "code", "valid", "revoked", "full_name", "course_title", "curriculum_code",
                         "unit_name", "start_date", "end_date", "hours", "issued_on"}

    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    no_reason = client.post(f"/api/v1/certificates/{certificate.code}/revoke", json={}, headers=auth)
    assert no_reason.status_code == 422 and no_reason.json["error"]["code"] == "reason_required"
    revoked = client.post(f"/api/v1/certificates/{certificate.code}/revoke", json={"reason": "Cấp nhầm"},
                          headers=auth)
    assert revoked.status_code == 200 and revoked.json["revoked"] is True
    html = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert 'data-valid="false"' in html and "đã bị thu hồi" in html


def test_unknown_and_malformed_codes(client):
    unknown = client.get("/api/v1/certificates/23456789ABCD")
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "certificate_not_found"
    malformed = client.get("/api/v1/certificates/%3Cscript%3E")
    assert malformed.status_code == 400 and malformed.json["error"]["code"] == "code_malformed"
    page = client.get("/verify/nope")
    assert page.status_code == 400 and "không đúng định dạng" in page.get_data(as_text=True)


def test_api_issue_per_contract(client, finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    body = client.post(f"/api/v1/courses/{finished['course'].id}/certificates", headers=auth).json
    assert "warnings" not in body  # a public QR address: nothing to warn about
    assert len(body["issued"]) == 2 and body["skipped"] == [{"participant_id": finished["people"][2].id,
                                                            "reason": "not_completed"}]
    again = client.post(f"/api/v1/courses/{finished['course'].id}/certificates", headers=auth).json
    assert again["issued"] == [] and len(again["skipped"]) == 3
    reviewer = f.user("reviewer", finished["tree"]["district"])
    forbidden = client.post(f"/api/v1/courses/{finished['course'].id}/certificates",
                            headers={"Authorization": f"Bearer {issue_api_token(reviewer)}"})
    assert forbidden.status_code == 403


def test_organizer_issues_and_downloads_bulk_files(client, finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    login(client, organizer.email)
    page = client.get(f"/courses/{finished['course'].id}/certificates").get_data(as_text=True)
    assert "Thiếu 5,6 giờ" in page
    response = client.post(f"/courses/{finished['course'].id}/certificates/issue",
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    bulk = client.get(f"/courses/{finished['course'].id}/certificates.pdf")
    reader = PdfReader(io.BytesIO(bulk.data))
    assert len(reader.pages) == 2
    names = {line for page in range(2) for line in _lines(bulk.data, page)}
    assert {"Nguyễn Thị Hằng", "Đặng Văn Ước"} <= names
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/courses/{finished['course'].id}/certificates.zip").data))
    assert len(archive.namelist()) == 2 and all(n.endswith(".pdf") for n in archive.namelist())


def test_cli_issue_with_progress(runner, finished):
    db.session.commit()
    result = runner.invoke(args=["certificates", "issue", "--course", str(finished["course"].id)])
    assert result.exit_code == 0, result.output
    assert "2 issued, 0 already issued, 1 not completed" in result.output
    again = runner.invoke(args=["certificates", "issue", "--course", str(finished["course"].id)])
    assert "0 issued, 2 already issued" in again.output
    missing = runner.invoke(args=["certificates", "issue", "--course", "999999"])
    assert missing.exit_code != 0 and "Không có khóa học số 999999" in missing.output


def test_revoke_and_reissue_from_the_course_page(client, finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    certificate = issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY).issued[0]
    login(client, organizer.email)
    page = client.get(f"/courses/{finished['course'].id}/certificates").get_data(as_text=True)
    token = csrf_token_from(page)
    no_reason = client.post(f"/certificates/{certificate.code}/revoke", data={"csrf_token": token, "reason": ""})
    assert no_reason.status_code == 302
    assert "Nhập lý do thu hồi." in client.get(no_reason.headers["Location"]).get_data(as_text=True)
    client.post(f"/certificates/{certificate.code}/revoke", data={"csrf_token": token, "reason": "Cấp nhầm"})
    assert 'data-valid="false"' in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    done = client.post(f"/certificates/{certificate.code}/reissue", data={"csrf_token": token, "reason": "Đã sửa"})
    assert f"Đã cấp lại giấy chứng nhận số {certificate.serial}." in client.get(done.headers["Location"]).get_data(
        as_text=True)
    assert 'data-valid="true"' in client.get(f"/verify/{certificate.code}").get_data(as_text=True)
