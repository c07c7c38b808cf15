"""The trainee's own page /me: recognised by the phone or signed in with phone and personal code; their
courses, the sessions they attended, and their valid certificates as PDF."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader

from tests.attendance.conftest import hall  # noqa: F401, F811 - the check-in tests' running session
from tests.conftest import csrf_token_from
from tests.sql import count_statements
from trainer.attendance.tokens import make_token
from trainer.certificates.services import issue_certificates, revoke_certificate
from trainer.core import clock
from trainer.extensions import db
from trainer.public.me import LIMITS


def _sign_in(client, phone: str, code: str):
    page = client.get("/me").get_data(as_text=True)
    return client.post("/me", data={"csrf_token": csrf_token_from(page), "phone": phone, "code": code})


def _issued(finished, f):
    organizer = f.user("organizer", finished["tree"]["district"])
    issue_certificates(finished["course"], actor=organizer, today=date(2024, 10, 5))
    db.session.commit()
    return organizer


def test_a_stranger_gets_a_small_sign_in_form_without_script(client):
    response = client.get("/me")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(response.data) < 30_000
    assert "<script" not in html and 'name="phone"' in html and 'name="code"' in html
    assert response.headers["Cache-Control"] == "no-store"


def test_phone_and_code_open_the_courses_and_the_certificate(client, finished, f):
    _issued(finished, f)
    hang, _uoc, mai = finished["people"]
    signed = _sign_in(client, hang.phone, hang.code.lower())  # the code as typed, in any case
    assert signed.status_code == 302
    page = client.get("/me")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(page.data) < 30_000 and "<script" not in html
    assert "Nguyễn Thị Hằng" in html and "Lớp bồi dưỡng thông tin cơ sở năm 2024" in html
    assert "Đã học 12 giờ" in html and "Hoàn thành" in html and html.count("Buổi ") >= 3
    link = html.split('href="/me/certificates/')[1].split('"')[0]
    pdf = client.get(f"/me/certificates/{link}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "Nguyễn Thị Hằng" in PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Lò Thị Mai" not in html  # nobody else's record
    mai_signed = _sign_in(f_client := client.application.test_client(), mai.phone, mai.code)
    assert mai_signed.status_code == 302
    assert "Tải giấy chứng nhận" not in f_client.get("/me").get_data(as_text=True)  # 33%: no certificate
    assert f_client.get(f"/me/certificates/{link}").status_code == 404  # Hằng's is not hers


def test_a_revoked_certificate_is_neither_listed_nor_served(client, finished, f):
    organizer = _issued(finished, f)
    hang = finished["people"][0]
    _sign_in(client, hang.phone, hang.code)
    code = client.get("/me").get_data(as_text=True).split('href="/me/certificates/')[1].split(".pdf")[0]
    from trainer.certificates.services import find_by_code

    revoke_certificate(find_by_code(code), reason="Cấp nhầm", actor=organizer)
    db.session.commit()
    assert "/me/certificates/" not in client.get("/me").get_data(as_text=True)
    assert client.get(f"/me/certificates/{code}.pdf").status_code == 404


def test_wrong_pairs_lock_the_client_even_for_the_right_pair(client, finished):
    hang, uoc, _mai = finished["people"]
    wrong = _sign_in(client, hang.phone, uoc.code)  # a real phone with another person's code
    assert wrong.status_code == 422 and "không đúng" in wrong.get_data(as_text=True)
    assert "Nguyễn Thị Hằng" not in wrong.get_data(as_text=True)
    for _ in range(LIMITS[0].limit - 1):
        assert _sign_in(client, "0900000000", "XXXXXX").status_code == 422
    locked = _sign_in(client, hang.phone, hang.code)
    assert locked.status_code == 429 and "thử lại sau" in locked.get_data(as_text=True)


def test_the_phone_that_checked_in_is_recognised_and_can_sign_out(client, hall):  # noqa: F811
    course_session = hall["session"]
    token = make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                       clock.now())[1]
    page = client.get(f"/c/{token}").get_data(as_text=True)
    grace = page.split('name="grace" value="')[1].split('"')[0]
    client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": grace, "phone": "0912345600"})
    mine = client.get("/me").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in mine and "Lớp bồi dưỡng thông tin cơ sở 2024" in mine
    client.post("/me/sign-out", data={"csrf_token": csrf_token_from(mine)})
    client.delete_cookie("trainer_device")
    assert 'name="code"' in client.get("/me").get_data(as_text=True)


def test_the_check_in_of_the_courses_last_day_links_to_the_page(client, hall, clock_at):  # noqa: F811
    course_session = hall["session"]
    hall["course"].end_date = clock.local_today(course_session.starts_at)
    db.session.commit()
    token = make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                       clock.now())[1]
    page = client.get(f"/c/{token}").get_data(as_text=True)
    grace = page.split('name="grace" value="')[1].split('"')[0]
    done = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": grace,
                                            "phone": "0912345600"}).get_data(as_text=True)
    assert 'id="me-link"' in done and 'href="/me"' in done
    hall["course"].end_date = clock.local_today(course_session.starts_at) + timedelta(days=1)
    db.session.commit()
    again = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": grace,
                                             "phone": "0912345600"}).get_data(as_text=True)
    assert 'id="me-link"' not in again


def test_the_verify_page_leads_the_holder_to_their_page(client, finished, f):
    _issued(finished, f)
    hang = finished["people"][0]
    _sign_in(client, hang.phone, hang.code)
    code = client.get("/me").get_data(as_text=True).split('href="/me/certificates/')[1].split(".pdf")[0]
    assert 'href="/me"' in client.get(f"/verify/{code}").get_data(as_text=True)


def test_the_page_makes_the_same_few_statements_for_one_or_many_courses(client, finished, f):
    _issued(finished, f)
    hang = finished["people"][0]
    _sign_in(client, hang.phone, hang.code)
    with count_statements() as one:
        client.get("/me")
    for i in range(5):
        course = f.course(finished["tree"]["district"], title=f"Lớp {i}", start_date=date(2025, 1, 1 + i),
                          end_date=date(2025, 1, 1 + i))
        from trainer.courses.models import Enrolment

        db.session.add(Enrolment(course=course, participant=hang))
    db.session.commit()
    with count_statements() as six:
        client.get("/me")
    assert len(one) == len(six) <= 4, one
