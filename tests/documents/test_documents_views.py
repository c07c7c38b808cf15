"""Downloads of a course's roster and badges: content, headers, audit and bounded queries."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import login
from tests.documents.helpers import decode_qr_codes, pdf_lines
from tests.factories import Factories
from tests.sql import count_statements
from trainer.audit.models import AuditEntry
from trainer.extensions import db
from trainer.participants.models import Gender
from trainer.units.models import UnitIssuer


@pytest.fixture
def setting(f: Factories, enrol):
    """A Tân Yên course with two enrolled officers and one who withdrew, and a district organizer."""
    tree = f.tree()
    course = f.course(tree["district"], f.curriculum("CT1"), title="Lớp bồi dưỡng thông tin cơ sở năm 2024")
    hang = f.participant(tree["commune"], full_name="Nguyễn Thị Hằng", birth_date=date(1985, 4, 2),
                         position="Công chức văn hóa - xã hội", email="hang@example.vn")
    uoc = f.participant(tree["commune_b"], full_name=unicodedata.normalize("NFD", "Đặng Văn Ước"),
                        gender=Gender.MALE, position="Cán bộ Hội Nông dân", target_group="mass_org_staff")
    gone = f.participant(tree["commune"], full_name="Trần Văn Rút")
    enrol(course, hang)
    enrol(course, uoc)
    enrol(course, gone, withdrawn=True)
    organizer = f.user("organizer", tree["district"])
    return {"tree": tree, "course": course, "hang": hang, "uoc": uoc, "gone": gone, "organizer": organizer}


def _text(pdf: bytes) -> list[str]:
    """Every text line of a PDF, all pages together."""
    return [line for page in pdf_lines(pdf) for line in page]


def test_roster_pdf_lists_the_enrolled_participants_only(client, setting):
    login(client, setting["organizer"].email)
    response = client.get(f"/courses/{setting['course'].id}/roster.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    lines = _text(response.data)
    for expected in ("ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", "PHÒNG VĂN HÓA VÀ THÔNG TIN", "DANH SÁCH HỌC VIÊN",
                     "Lớp bồi dưỡng thông tin cơ sở năm 2024", "Thời gian: từ ngày 01/10/2024 đến ngày 03/10/2024",
                     "Nguyễn Thị Hằng", "1985", "Thị trấn Nhã Nam", "Đặng Văn Ước", "Xã Cao Xá",
                     "Tổng số: 2 học viên, trong đó nữ: 1"):
        assert expected in lines, expected
    assert "Trần Văn Rút" not in " ".join(lines)
    # printed after the districts went: still the course's issuer and place, dated on the course's first day
    assert "Tân Yên, ngày 01 tháng 10 năm 2024" in lines


def test_downloads_are_named_in_ascii_and_in_utf8(client, setting):
    login(client, setting["organizer"].email)
    course_id = setting["course"].id
    pdf = client.get(f"/courses/{course_id}/roster.pdf").headers
    assert pdf["Content-Disposition"] == (
        f"inline; filename=\"danh-sach-hoc-vien-{course_id}.pdf\"; "
        f"filename*=UTF-8''danh-s%C3%A1ch-h%E1%BB%8Dc-vi%C3%AAn-{course_id}.pdf")
    assert pdf["Cache-Control"] == "private, no-store"
    badges = client.get(f"/courses/{course_id}/badges.pdf").headers["Content-Disposition"]
    assert badges.startswith(f"inline; filename=\"the-hoc-vien-{course_id}.pdf\"; filename*=UTF-8''")
    xlsx = client.get(f"/courses/{course_id}/roster.xlsx").headers["Content-Disposition"]
    assert xlsx.startswith(f"attachment; filename=\"danh-sach-hoc-vien-{course_id}.xlsx\"; filename*=UTF-8''")


def test_roster_uses_the_units_stored_letterhead(client, setting):
    db.session.add(UnitIssuer(unit=setting["tree"]["district"], agency_parent="UBND HUYỆN TÂN YÊN",
                              agency_name="Phòng Văn hóa - Thông tin", place_name="Tân Yên",
                              signer_prefix="KT. TRƯỞNG PHÒNG", signer_title="PHÓ TRƯỞNG PHÒNG",
                              signer_name="Lê Thị Thu Hà"))
    login(client, setting["organizer"].email)
    lines = _text(client.get(f"/courses/{setting['course'].id}/roster.pdf").data)
    for expected in ("UBND HUYỆN TÂN YÊN", "PHÒNG VĂN HÓA - THÔNG TIN", "KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG",
                     "Lê Thị Thu Hà"):
        assert expected in lines, expected
    assert any(line.startswith("Tân Yên, ngày ") for line in lines)


def test_badges_pdf_carries_each_enrolled_participants_code(client, setting):
    login(client, setting["organizer"].email)
    response = client.get(f"/courses/{setting['course'].id}/badges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert decode_qr_codes(response.data) == [sorted([setting["hang"].code, setting["uoc"].code])]
    lines = _text(response.data)
    assert "Đặng Văn Ước" in lines and "Nguyễn Thị Hằng" in lines and "Xã Cao Xá" in lines
    assert "Trần Văn Rút" not in lines


def test_roster_xlsx_holds_the_rows_with_phone_and_email(client, setting):
    login(client, setting["organizer"].email)
    response = client.get(f"/courses/{setting['course'].id}/roster.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=6, max_row=7)]
    hang, uoc = setting["hang"], setting["uoc"]
    assert rows[0][:10] == [1, hang.code, "Nguyễn Thị Hằng", "Nữ", 1985, "Thị trấn Nhã Nam",
                            "Công chức văn hóa - xã hội",
                            "Công chức văn hóa - xã hội cấp xã phụ trách đài truyền thanh", hang.phone,
                            "hang@example.vn"]
    assert rows[1][:4] == [2, uoc.code, "Đặng Văn Ước", "Nam"]


def test_each_download_is_recorded_in_the_audit_log(client, setting):
    login(client, setting["organizer"].email)
    course = setting["course"]
    for suffix in ("roster.pdf", "badges.pdf", "roster.xlsx"):
        assert client.get(f"/courses/{course.id}/{suffix}").status_code == 200
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.object_type, e.object_id, e.actor_id, e.unit_id) for e in entries] == [
        ("course.roster_export", "Course", course.id, setting["organizer"].id, course.unit_id)] * 3
    assert [e.details for e in entries] == [{"document": "roster", "format": "pdf", "rows": 2},
                                            {"document": "badges", "format": "pdf", "rows": 2},
                                            {"document": "roster", "format": "xlsx", "rows": 2}]


def test_documents_page_links_the_three_downloads(client, setting):
    login(client, setting["organizer"].email)
    course_id = setting["course"].id
    html = client.get(f"/courses/{course_id}/documents").get_data(as_text=True)
    for suffix in ("roster.pdf", "badges.pdf", "roster.xlsx"):
        assert f'href="/courses/{course_id}/{suffix}"' in html
    assert '<dd class="col-sm-9" id="enrolled">2</dd>' in html
    assert db.session.scalars(select(AuditEntry)).all() == []  # looking is not exporting


def _statements(client, url: str) -> int:
    """How many SQL statements one GET of `url` runs."""
    db.session.commit()
    with count_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_documents_load_in_the_same_number_of_queries_for_5_and_200_participants(client, f: Factories, enrol):
    tree = f.tree()
    small, large = f.course(tree["district"]), f.course(tree["district"])
    communes = [tree["commune"], tree["commune_b"], tree["commune2"]]
    for i in range(200):
        participant = f.participant(communes[i % 3])
        enrol(large, participant)
        if i < 5:
            enrol(small, participant)
    login(client, f.user("reviewer", tree["province"]).email)
    counts = {suffix: (_statements(client, f"/courses/{small.id}/{suffix}"),
                       _statements(client, f"/courses/{large.id}/{suffix}"))
              for suffix in ("roster.pdf", "badges.pdf", "roster.xlsx", "documents")}
    assert all(few == many <= 12 for few, many in counts.values()), counts
