"""Payment lists equal a hand computation on a small finished course (tests/finance/demo.py).

By hand, with the rates in force on 1/10/2024 (150.000 đ a day; tiers 1/3/4: 2.000.000, 1.000.000, 600.000 đ):
- Lê Thị Ánh: 2/10 present (3/10 excused) → 1 day → 150.000
- Trần Văn Bình: 1/10 present and late (2/10 excused twice) → 1 day → 150.000
- Nguyễn Thị Hằng: 1/10, 2/10 (late counts), 3/10 at 06:30 → 3 days → 450.000
- Phạm Văn Dũng: excused only → not on the list
  total 750.000 → "Bảy trăm năm mươi nghìn đồng"
- Nguyễn Văn An (tier 3): 3 sessions → 3.000.000; Hoàng Thị Bích (4): 2 → 1.200.000; Vũ Minh Châu (1): 1 →
  2.000.000; total 6.200.000 → "Sáu triệu hai trăm nghìn đồng"; the session with a typed name only: apart.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import login
from tests.finance.demo import finished_course
from trainer.extensions import db
from trainer.finance.payments import lecturer_payments, trainee_payments

TRAINEES = [("Lê Thị Ánh", 1, 150_000, 150_000), ("Trần Văn Bình", 1, 150_000, 150_000),
            ("Nguyễn Thị Hằng", 3, 150_000, 450_000)]
LECTURERS = [("Nguyễn Văn An", 3, 3, 1_000_000, 3_000_000), ("Hoàng Thị Bích", 4, 2, 600_000, 1_200_000),
             ("Vũ Minh Châu", 1, 1, 2_000_000, 2_000_000)]


@pytest.fixture
def demo(world, f):
    return finished_course(world, f)


def test_trainee_list_equals_the_hand_computation(demo):
    data = trainee_payments(demo["course"])
    assert [(r.full_name, r.quantity, r.rate, r.amount) for r in data.rows] == TRAINEES
    assert data.total == 750_000
    assert data.total_in_words == "Bảy trăm năm mươi nghìn đồng"
    assert data.rate_source == "Nghị quyết áp dụng từ 01/01/2024"


def test_lecturer_list_equals_the_hand_computation(demo):
    data = lecturer_payments(demo["course"])
    assert [(r.full_name, r.tier, r.quantity, r.rate, r.amount) for r in data.rows] == LECTURERS
    assert (data.total, data.total_in_words) == (6_200_000, "Sáu triệu hai trăm nghìn đồng")
    assert data.unpriced_sessions == 1


def _pdf_lines(body: bytes) -> list[str]:
    return [line.strip() for page in PdfReader(io.BytesIO(body)).pages for line in page.extract_text().splitlines()]


def test_downloads_carry_the_same_figures(client, world, demo):
    db.session.commit()
    login(client, world["reviewer"].email)
    course_id = demo["course"].id
    sheet = load_workbook(io.BytesIO(client.get(f"/courses/{course_id}/payments/trainees.xlsx").data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "STT")
    assert [tuple(row[1:2] + row[3:6]) for row in rows[header + 1:header + 4]] == [
        (name, days, rate, amount) for name, days, rate, amount in TRAINEES]
    assert rows[header + 4][5] == 750_000
    assert any(row[0] == "Số tiền bằng chữ: Bảy trăm năm mươi nghìn đồng." for row in rows)
    lines = _pdf_lines(client.get(f"/courses/{course_id}/payments/trainees.pdf").data)
    assert "DANH SÁCH KÝ NHẬN TIỀN HỖ TRỢ HỌC VIÊN" in lines
    assert "Số tiền bằng chữ: Bảy trăm năm mươi nghìn đồng." in lines
    assert "Tổng cộng" in lines and lines[lines.index("Tổng cộng") + 1] == "750.000"
    lecturers = _pdf_lines(client.get(f"/courses/{course_id}/payments/lecturers.pdf").data)
    assert "Số tiền bằng chữ: Sáu triệu hai trăm nghìn đồng." in lecturers
    page = client.get(f"/courses/{course_id}/payments").get_data(as_text=True)
    assert "750.000" in page and "6.200.000" in page


def test_without_rates_the_page_says_so_and_downloads_go_back(client, world):
    db.session.commit()
    login(client, world["organizer"].email)
    course_id = world["course"].id
    page = client.get(f"/courses/{course_id}/payments").get_data(as_text=True)
    assert 'id="no-rates"' in page and "chưa nhập định mức chi" in page
    response = client.get(f"/courses/{course_id}/payments/trainees.xlsx")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/courses/{course_id}/payments")


def test_dossier_holds_every_paper(client, world, demo):
    db.session.commit()
    login(client, world["organizer"].email)
    response = client.get(f"/courses/{demo['course'].id}/dossier.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    for expected in ("03-danh-sach-hoc-vien.pdf", "04-danh-sach-diem-danh.pdf", "05-so-diem-danh.xlsx",
                     "06-danh-sach-ky-nhan-ho-tro-hoc-vien.pdf", "06-danh-sach-ky-nhan-ho-tro-hoc-vien.xlsx",
                     "07-danh-sach-chi-thu-lao-giang-vien.pdf", "08-so-cap-giay-chung-nhan.xlsx",
                     "10-du-toan-quyet-toan.xlsx"):
        assert expected in names


def test_pages_and_dossier_statements_do_not_grow_with_the_class(client, world, demo, f):
    from tests.sql import count_statements
    from trainer.attendance.models import AttendanceMethod, AttendanceRecord
    from trainer.courses.models import Enrolment
    from trainer.finance.lecturers import assign_lecturers

    db.session.commit()
    login(client, world["organizer"].email)
    course_id = demo["course"].id
    urls = [f"/courses/{course_id}/payments", f"/courses/{course_id}/budget", f"/courses/{course_id}/dossier.zip",
            f"/courses/{course_id}/paperwork/summons.pdf"]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with count_statements() as statements:
                assert client.get(url).status_code == 200
            result.append(len(statements))
        return result

    before = counts()
    for i in range(12):
        person = f.participant(world["commune2"] if i % 2 else world["commune"], full_name=f"Học Viên Số {i}")
        db.session.add(Enrolment(course=demo["course"], participant=person))
        for course_session in demo["sessions"][: 1 + i % 6]:
            db.session.add(AttendanceRecord(course_session=course_session, participant=person,
                                            method=AttendanceMethod.MANUAL))
    an, bich, chau = demo["lecturers"]
    assign_lecturers(demo["sessions"][5], [an.id, bich.id, chau.id])
    db.session.commit()
    assert counts() == before


def test_a_script_with_a_token_downloads_the_list_or_gets_409(client, world, bearer, f):
    headers = bearer(world["reviewer"])
    course_id = world["course"].id
    refused = client.get(f"/courses/{course_id}/payments/trainees.xlsx", headers=headers)
    assert refused.status_code == 409
    finished_course(world, f)
    response = client.get(f"/courses/{course_id}/payments/trainees.xlsx", headers=headers)
    assert response.status_code == 200 and response.data[:2] == b"PK"
