"""The course register: hours, ratio, completion; roster marking and paper-sheet entry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.attendance.conftest import make_session
from tests.conftest import csrf_token_from, login
from trainer.accounts.services import issue_api_token
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.attendance.register import get_register
from trainer.attendance.services import Who, check_in
from trainer.audit.models import AuditEntry
from trainer.core import clock
from trainer.extensions import db


def mark(course_session, person, organizer) -> None:
    """An organizer ticks `person` present at `course_session` by hand."""
    check_in(course_session, Who(participant_id=person.id), method=AttendanceMethod.MANUAL, now=clock.now(),
             actor=organizer)

def _five_sessions(hall):
    """Five 4-hour sessions (20 h); the first is the hall's running one."""
    start = hall["session"].starts_at
    return [hall["session"]] + [make_session(hall["course"], start + timedelta(days=d)) for d in range(1, 5)]


def test_hours_ratio_and_completion_at_80_percent(hall, f):
    sessions = _five_sessions(hall)
    organizer = f.user("organizer", hall["tree"]["district"])
    hang, uoc, mai = hall["people"]
    for person, attended in ((hang, sessions), (uoc, sessions[:4]), (mai, sessions[:3])):
        for s in attended:
            mark(s, person, organizer)
    register = get_register(hall["course"])
    rows = {r.full_name: r for r in register.rows}
    assert register.scheduled_hours == Decimal(20) and register.threshold == Decimal("0.8")
    assert (rows["Nguyễn Thị Hằng"].hours_attended, rows["Nguyễn Thị Hằng"].completed) == (Decimal(20), True)
    assert (rows["Đặng Văn Ước"].attendance_ratio, rows["Đặng Văn Ước"].completed) == (0.8, True)
    assert (rows["Lò Thị Mai"].sessions_attended, rows["Lò Thị Mai"].completed) == (3, False)
    hall["course"].completion_threshold = Decimal("0.9")
    assert [r.completed for r in get_register(hall["course"]).rows if r.full_name == "Đặng Văn Ước"] == [False]


def test_register_api_per_contract(client, hall, f):
    sessions = _five_sessions(hall)
    organizer = f.user("organizer", hall["tree"]["district"])
    for s in sessions:
        mark(s, hall["people"][0], organizer)
    reviewer = f.user("reviewer", hall["tree"]["province"])
    body = client.get(f"/api/v1/courses/{hall['course'].id}/attendance",
                      headers={"Authorization": f"Bearer {issue_api_token(reviewer)}"}).json
    first = next(i for i in body["items"] if i["full_name"] == "Nguyễn Thị Hằng")
    assert first == {"participant_id": hall["people"][0].id, "code": hall["people"][0].code,
                     "full_name": "Nguyễn Thị Hằng", "sessions_attended": 5, "hours_attended": 20.0,
                     "attendance_ratio": 1.0, "completed": True}
    assert body["total"] == 3 and body["scheduled_hours"] == 20.0


def test_register_makes_the_same_number_of_statements_for_3_or_60_people(hall, f, app):
    from tests.sql import count_statements
    from trainer.courses.models import Enrolment

    _five_sessions(hall)

    def count() -> int:
        with count_statements() as statements:
            get_register(hall["course"])
        return len(statements)

    small = count()
    for i in range(57):
        db.session.add(Enrolment(course=hall["course"], participant=f.participant(hall["tree"]["commune"],
                                                                                  phone=f"0933{i:06d}")))
    db.session.flush()
    assert count() == small


def test_marks_page_enters_a_paper_sheet_and_unmarks_with_reason(client, hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    login(client, organizer.email)
    url = f"/sessions/{hall['session'].id}/marks"
    page = client.get(url).get_data(as_text=True)
    token = csrf_token_from(page)
    ids = [str(p.id) for p in hall["people"]]

    def chosen(*present: str) -> dict[str, str]:
        return {f"mark-{pid}": "present" if pid in present else "" for pid in ids}

    response = client.post(url, data={"csrf_token": token, "method": "sheet", **chosen(*ids[:2]), "reason": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(AttendanceRecord.id)).where(
        AttendanceRecord.method == AttendanceMethod.SHEET)) == 2
    refused = client.post(url, data={"csrf_token": token, "method": "manual", **chosen(ids[0]), "reason": ""})
    assert refused.status_code == 200 and "Nhập lý do" in refused.get_data(as_text=True)
    done = client.post(url, data={"csrf_token": token, "method": "manual", **chosen(ids[0]),
                                  "reason": "Về sớm, không ký"})
    assert done.status_code == 302
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == 1
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "attendance.unmark")) == 1
    html = client.get(f"/courses/{hall['course'].id}/register").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in html and "✓" in html


def test_scanner_page_posts_badges_to_the_api(client, hall, f):
    login(client, f.user("organizer", hall["tree"]["district"]).email)
    html = client.get(f"/sessions/{hall['session'].id}/scan").get_data(as_text=True)
    assert "/static/js/scan.js" in html and f"/api/v1/sessions/{hall['session'].id}/attendance" in html
    with client.get("/static/js/scan.js") as script:  # the page's script
        assert "BarcodeDetector" in script.get_data(as_text=True)


def test_signin_sheet_and_register_workbook(client, hall, f):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    sessions = _five_sessions(hall)
    organizer = f.user("organizer", hall["tree"]["district"])
    for s in sessions[:4]:
        mark(s, hall["people"][1], organizer)
    login(client, organizer.email)
    pdf = client.get(f"/courses/{hall['course'].id}/signin-sheet.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    for expected in ("DANH SÁCH ĐIỂM DANH HỌC VIÊN", "Lớp bồi dưỡng thông tin cơ sở 2024", "Nguyễn Thị Hằng",
                     "Đặng Văn Ước", "Lò Thị Mai", "Thị trấn Nhã Nam", "Tổng số: 3 học viên."):
        assert expected in text, expected

    workbook = load_workbook(io.BytesIO(client.get(f"/courses/{hall['course'].id}/register.xlsx").data))
    sheet = workbook.active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=7, values_only=True) if row[1]}
    uoc = rows["Đặng Văn Ước"]
    assert list(uoc[3:8]).count("✓") == 4 and uoc[8:12] == (4, 16, 0.8, "Đạt")
    assert rows["Lò Thị Mai"][-1] == "Chưa đạt"
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "course.roster_export")) == 2


def test_course_rules_change_window_lateness_and_completion(client, hall, f):
    from datetime import timedelta
    from decimal import Decimal

    from trainer.attendance.services import CheckinRefused, Client

    def checkin_with_token(course_session, *, phone, now):
        return check_in(course_session, Who(phone=phone), method=AttendanceMethod.QR, now=now,
                        client=Client.of("203.0.113.7", "Zalo", f"device-{phone}"))

    organizer = f.user("organizer", hall["tree"]["district"])
    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    url = f"/api/v1/courses/{hall['course'].id}"
    bad = client.patch(url, json={"checkin_opens_minutes": 999}, headers=auth)
    assert bad.status_code == 422 and "checkin_opens_minutes" in bad.json["error"]["fields"]
    ok = client.patch(url, json={"checkin_opens_minutes": 60, "late_after_minutes": 5,
                                 "completion_threshold": 0.9}, headers=auth)
    assert ok.status_code == 200 and ok.json["rules"] == {"checkin_opens_minutes": 60, "late_after_minutes": 5,
                                                          "completion_threshold": 0.9, "issues_certificates": True}
    db.session.expire_all()
    course_session = hall["session"]
    assert checkin_with_token(course_session, phone="0912345600",
                              now=course_session.starts_at - timedelta(minutes=59)).status == "checked_in"
    assert checkin_with_token(course_session, phone="0987654321",
                              now=course_session.starts_at + timedelta(minutes=6)).is_late
    with pytest.raises(CheckinRefused):
        checkin_with_token(course_session, phone="0355555555", now=course_session.starts_at - timedelta(minutes=61))
    assert get_register(hall["course"]).threshold == Decimal("0.9")

    login(client, organizer.email)
    page = client.get(f"/courses/{hall['course'].id}/rules").get_data(as_text=True)
    response = client.post(f"/courses/{hall['course'].id}/rules", data={
        "csrf_token": csrf_token_from(page), "checkin_opens_minutes": "30", "late_after_minutes": "15",
        "completion_percent": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert hall["course"].completion_threshold is None and hall["course"].issues_certificates is False
