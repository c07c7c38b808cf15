"""Every document of a course prints the course's issuer, signer title and signer name: the certificate, the roster,
and the sign-in sheet (its date line left for the pen); a certificate keeps the issuer it was issued
with. The report prints the unit's issuer of its period, with the number and date the user gave."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import login
from tests.documents.helpers import pdf_lines
from trainer.certificates.services import issue_certificates, pdf_bytes
from trainer.extensions import db
from trainer.reports.queries import Period
from trainer.reports.services import export_report
from trainer.units.models import UnitIssuer

ISSUER = {"agency_parent": "Ủy ban nhân dân huyện Tân Yên", "agency_name": "Phòng Văn hóa và Thông tin",
          "place_name": "Tân Yên", "signer_prefix": "KT. TRƯỞNG PHÒNG", "signer_title": "PHÓ TRƯỞNG PHÒNG",
          "signer_name": "Lê Thị Thu Hà"}
HEAD = ["ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", "PHÒNG VĂN HÓA VÀ THÔNG TIN"]
SIGNER = ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Lê Thị Thu Hà"]


def _all_lines(body: bytes) -> list[str]:
    return [line for page in pdf_lines(body) for line in page]


@pytest.fixture
def course(finished):
    """The finished course of Tân Yên with its own issuer copy."""
    course = finished["course"]
    for name, value in ISSUER.items():
        setattr(course, name, value)
    return course


def test_certificate_names_issuer_and_signer_and_keeps_them(course):
    certificate = issue_certificates(course, actor=None, issued_on=date(2024, 10, 5),
                                     today=date(2024, 10, 5)).issued[0]
    lines = _all_lines(pdf_bytes(certificate))
    for expected in [*HEAD, *SIGNER, "Tân Yên, ngày 05 tháng 10 năm 2024"]:
        assert expected in lines, expected
    course.signer_name = "Người Khác"  # a later edit of the course never changes an issued certificate
    assert "Lê Thị Thu Hà" in _all_lines(pdf_bytes(certificate))


def test_roster_names_issuer_and_signer(client, course, f):
    login(client, f.user("organizer", course.unit).email)
    lines = _all_lines(client.get(f"/courses/{course.id}/roster.pdf").data)
    for expected in [*HEAD, *SIGNER, "Tân Yên, ngày 01 tháng 10 năm 2024"]:
        assert expected in lines, expected


def test_signin_sheet_names_the_signer_and_leaves_the_date_blank(client, course, f):
    login(client, f.user("organizer", course.unit).email)
    lines = _all_lines(client.get(f"/courses/{course.id}/signin-sheet.pdf").data)
    for expected in [*HEAD, *SIGNER, "…, ngày … tháng … năm …"]:
        assert expected in lines, expected
    assert not any(line.startswith("Tân Yên, ngày") for line in lines)


def test_report_prints_the_signer_and_the_labour_office(finished, f):
    district = finished["tree"]["district"]
    f_issuer = UnitIssuer(unit=district, valid_from=None, valid_to=date(2025, 6, 30), signer_name="Lê Thị Thu Hà",
                          agency_name="Phòng Văn hóa và Thông tin", place_name="Tân Yên", signer_title="TRƯỞNG PHÒNG")
    db.session.add(f_issuer)
    db.session.flush()
    body = export_report(district, Period.of_year(2024), fmt="pdf", actor=None, on=date(2025, 1, 6),
                         number="3").body
    lines = _all_lines(body)
    for expected in (*HEAD, "Số: 03/BC-VHTT", "Tân Yên, ngày 06 tháng 01 năm 2025", "TRƯỞNG PHÒNG", "Lê Thị Thu Hà",
                     "- Sở Thông tin và Truyền thông (b/c);", "- Phòng Lao động - Thương binh và Xã hội;"):
        assert expected in lines, expected
