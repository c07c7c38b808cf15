"""Decisions and letters from the course's data, numbered and dated by the user, in the Decree 30 layout."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.conftest import csrf_token_from, login
from tests.finance.demo import finished_course
from trainer.certificates.services import issue_certificates
from trainer.documents.layout import Letterhead
from trainer.extensions import db
from trainer.finance.letters import Numbering, authority, number_line
from trainer.finance.paperwork import letter_data


@pytest.fixture
def demo(world, f):
    return finished_course(world, f)


def _pages(body: bytes) -> list[list[str]]:
    return [[line.strip() for line in page.extract_text().splitlines()] for page in PdfReader(io.BytesIO(body)).pages]


def test_number_line_pads_keeps_or_leaves_blank():
    assert number_line(Numbering("5"), "QĐ", "VHTT") == "Số: 05/QĐ-VHTT"
    assert number_line(Numbering("12/QĐ-UBND"), "QĐ", "VHTT") == "Số: 12/QĐ-UBND"
    assert number_line(Numbering(""), "GTT", "VHTT") == "Số: ……/GTT-VHTT"


def test_authority_names_who_decides():
    phong = Letterhead("ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", "PHÒNG VĂN HÓA VÀ THÔNG TIN", "Tân Yên",
                       signer_prefix="KT. TRƯỞNG PHÒNG", signer_title="PHÓ TRƯỞNG PHÒNG")
    assert authority(phong) == "TRƯỞNG PHÒNG VĂN HÓA VÀ THÔNG TIN"
    xa = Letterhead("", "ỦY BAN NHÂN DÂN XÃ CAO XÁ", "Cao Xá", signer_prefix="TM. ỦY BAN NHÂN DÂN",
                    signer_title="CHỦ TỊCH")
    assert authority(xa) == "ỦY BAN NHÂN DÂN XÃ CAO XÁ"
    so = Letterhead("ỦY BAN NHÂN DÂN TỈNH BẮC GIANG", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bắc Giang",
                    signer_title="GIÁM ĐỐC")
    assert authority(so) == "GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"


def test_organizer_numbers_the_documents_and_they_print_it(client, world, demo):
    issue_certificates(demo["course"], actor=world["organizer"], store_pdfs=False)
    db.session.commit()
    login(client, world["organizer"].email)
    course_id = demo["course"].id
    page = client.get(f"/courses/{course_id}/paperwork").get_data(as_text=True)
    response = client.post(f"/courses/{course_id}/paperwork", data={
        "csrf_token": csrf_token_from(page), "open_decision_number": "5", "open_decision_signed_on": "2024-09-25",
        "open_decision_basis": "Căn cứ Kế hoạch số 45/KH-UBND ngày 10/3/2024 của UBND huyện Tân Yên;",
        "summons_number": "7", "summons_signed_on": "2024-09-26", "completion_decision_number": "",
        "completion_decision_signed_on": ""})
    assert response.status_code == 302
    opening = _pages(client.get(f"/courses/{course_id}/paperwork/open-decision.pdf").data)
    first = opening[0]
    assert "Số: 05/QĐ-VHTT" in " ".join(first) and "Tân Yên, ngày 25 tháng 9 năm 2024" in " ".join(first)
    assert "QUYẾT ĐỊNH" in first and "Về việc mở lớp bồi dưỡng CT1 Tân Yên" in first
    assert "TRƯỞNG PHÒNG VĂN HÓA VÀ THÔNG TIN" in first
    assert any(line.startswith("Căn cứ Kế hoạch số 45/KH-UBND") for line in first)
    annex = " ".join(opening[-1])
    assert "DANH SÁCH HỌC VIÊN" in annex and "Tổng số: 4 người." in annex
    assert annex.index("Lê Thị Ánh") < annex.index("Trần Văn Bình") < annex.index("Phạm Văn Dũng")
    summons = _pages(client.get(f"/courses/{course_id}/paperwork/summons.pdf").data)
    texts = [" ".join(p) for p in summons]
    assert len(texts) == 2 and all("GIẤY TRIỆU TẬP" in t and "Số: 07/GTT-VHTT" in t for t in texts)
    assert "UBND thị trấn Nhã Nam" in texts[0] and "Trần Văn Bình" in texts[0] and "Lê Thị Ánh" not in texts[0]
    assert "UBND xã Cao Xá" in texts[1] and "Lê Thị Ánh" in texts[1] and "Trần Văn Bình" not in texts[1]
    assert "Thời gian: 07 giờ 30, ngày 01/10/2024 (khai giảng)" in texts[0]
    completion = " ".join(" ".join(p) for p in _pages(
        client.get(f"/courses/{course_id}/paperwork/completion-decision.pdf").data))
    assert "Số:" in completion and "/QĐ-VHTT" in completion and "ngày … tháng … năm …" in completion
    assert "Căn cứ Quyết định số 05/QĐ-VHTT ngày 25/09/2024 về việc mở lớp bồi dưỡng CT1 Tân Yên;" in completion
    assert "Nguyễn Thị Hằng" in completion and "Tổng số: 1 người." in completion
    assert "Trần Văn Bình" not in completion


def test_reviewer_reads_but_cannot_number(client, world, demo):
    db.session.commit()
    login(client, world["reviewer"].email)
    page = client.get(f"/courses/{demo['course'].id}/paperwork")
    assert page.status_code == 200 and 'id="paperwork-form"' not in page.get_data(as_text=True)
    token = csrf_token_from(client.get("/account/tokens").get_data(as_text=True))
    assert client.post(f"/courses/{demo['course'].id}/paperwork", data={"csrf_token": token}).status_code == 403


def test_bad_number_is_refused_and_nothing_saved(client, world, demo):
    db.session.commit()
    login(client, world["organizer"].email)
    course_id = demo["course"].id
    page = client.get(f"/courses/{course_id}/paperwork").get_data(as_text=True)
    response = client.post(f"/courses/{course_id}/paperwork", data={
        "csrf_token": csrf_token_from(page), "open_decision_number": "số năm", "summons_number": "7"})
    assert response.status_code == 422 and "Số văn bản bắt đầu bằng chữ số" in response.get_data(as_text=True)
    assert letter_data(demo["course"], "summons").numbering.number == ""
