"""The PDF of a revoked certificate carries a large red "ĐÃ THU HỒI" stamp with the revocation date;
a valid one does not, and a reissue takes the stamp away."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pypdfium2

from tests.certificates.test_pdf_and_web import _lines, _qr_texts
from tests.conftest import csrf_token_from, login
from trainer.certificates.services import issue_certificates, pdf_bytes, revoke_certificate
from trainer.extensions import db

ISSUE_DAY = date(2024, 10, 5)
# 23:30 UTC on 4 December is 06:30 on 5 December in Hà Nội: the stamp prints the local date.
REVOKED_AT = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)


def _red_pixels(pdf: bytes) -> int:
    """How many strongly red pixels the page shows at 50 dpi (the certificate itself is black on white)."""
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=50 / 72).to_pil().convert("RGB")
    return sum(1 for r, g, b in image.getdata() if r > 170 and g < 110 and b < 110)


def test_revoked_pdf_is_stamped_with_the_local_date_and_stays_readable(finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    revoked, valid = issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY).issued
    revoke_certificate(revoked, reason="Cấp nhầm người", actor=organizer, now=REVOKED_AT)

    pdf = pdf_bytes(revoked)
    lines = _lines(pdf)
    assert "ĐÃ THU HỒI" in lines and "Ngày thu hồi: 05/12/2026" in lines
    assert revoked.snapshot["full_name"] in lines and f"Số vào sổ: {revoked.serial}" in lines  # not hidden
    assert _qr_texts(pdf) == [f"https://trainer.example.vn/verify/{revoked.code}"]  # opens "đã bị thu hồi"
    assert _red_pixels(pdf) > 2000  # a large stamp, not a footnote

    valid_pdf = pdf_bytes(valid)
    assert not any("THU HỒI" in line for line in _lines(valid_pdf))
    assert _red_pixels(valid_pdf) == 0


def test_staff_download_after_revoking_is_stamped_until_reissued(client, finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    certificate = issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY).issued[0]
    db.session.commit()
    login(client, organizer.email)
    token = csrf_token_from(client.get(f"/courses/{finished['course'].id}/certificates").get_data(as_text=True))
    assert not any("THU HỒI" in line for line in _lines(client.get(f"/certificates/{certificate.code}.pdf").data))

    client.post(f"/certificates/{certificate.code}/revoke", data={"csrf_token": token, "reason": "Cấp nhầm"})
    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "đã bị thu hồi" in verify and f"/certificates/{certificate.code}.pdf" in verify  # staff get the PDF
    stamped = client.get(f"/certificates/{certificate.code}.pdf")
    assert stamped.status_code == 200 and "ĐÃ THU HỒI" in _lines(stamped.data)

    client.post(f"/certificates/{certificate.code}/reissue", data={"csrf_token": token, "reason": "Đã sửa"})
    again = client.get(f"/certificates/{certificate.code}.pdf").data
    assert not any("THU HỒI" in line for line in _lines(again)) and _red_pixels(again) == 0


def test_public_look_up_gives_the_local_revocation_date(client, finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    certificate = issue_certificates(finished["course"], actor=organizer, today=ISSUE_DAY).issued[0]
    revoke_certificate(certificate, reason="Cấp nhầm", actor=organizer, now=REVOKED_AT)
    db.session.commit()
    body = client.get(f"/api/v1/certificates/{certificate.code}").json
    assert body["revoked"] is True and body["revoked_on"] == "2026-12-05"
