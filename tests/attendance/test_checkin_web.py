"""The trainee check-in pages (/c/<token>, /c) and the check-in API, as phones use them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from trainer.accounts.services import issue_api_token
from trainer.attendance.models import AttendanceRecord, CheckinAttempt
from trainer.attendance.tokens import accepted_windows, make_token, typed_code
from trainer.core.db import utcnow
from trainer.extensions import db


def _token(course_session, now=None) -> str:
    return make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                      now or utcnow())[1]


def _checkin(client, token: str, **form):
    page = client.get(f"/c/{token}")
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    grace = html.split('name="grace" value="')[1].split('"')[0]
    return client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(html), "grace": grace, **form})


def test_page_is_small_plain_html_without_external_assets(client, hall):
    response = client.get(f"/c/{_token(hall['session'])}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(response.data) < 8_000
    assert "<script" not in html and "stylesheet" not in html and "http" not in html.split("<body>")[1]
    assert "Lớp bồi dưỡng thông tin cơ sở 2024" in html and 'type="tel"' in html
    assert response.headers["Cache-Control"] == "no-store"


def test_phone_check_in_then_one_tap_on_the_remembered_phone(client, hall, f):
    from tests.attendance.conftest import make_session

    response = _checkin(client, _token(hall["session"]), phone="091 234 5600")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-code="checked_in"' in html and "Nguyễn Thị Hằng" in html
    # the next session of the same course: the phone is remembered, one tap is enough
    afternoon = make_session(hall["course"], utcnow() - timedelta(minutes=1), title="Buổi chiều")
    page = client.get(f"/c/{_token(afternoon)}").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in page and 'name="one_tap"' in page
    tap = _checkin(client, _token(afternoon))
    assert 'data-code="checked_in"' in tap.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == 2


def test_every_refusal_reads_in_vietnamese(client, hall):
    unknown = _checkin(client, _token(hall["session"]), phone="0900000000")
    assert unknown.status_code == 404 and "không có trong danh sách học viên" in unknown.get_data(as_text=True)
    empty = _checkin(client, _token(hall["session"]), phone="")
    assert empty.status_code == 422 and "Nhập số điện thoại" in empty.get_data(as_text=True)
    invalid = client.get("/c/1-2-abcdefghijklmnop")
    assert invalid.status_code == 400 and "Mã QR không hợp lệ" in invalid.get_data(as_text=True)
    old = _token(hall["session"], utcnow() - timedelta(minutes=5))
    expired = client.get(f"/c/{old}")
    assert expired.status_code == 410 and "Mã QR đã hết hạn" in expired.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CheckinAttempt.id))) == 1  # the unknown number


def test_grace_period_keeps_a_slow_phone_after_the_code_rotated(client, hall, app):
    # A token of two seconds ago: its window opened at least two seconds ago, so a TTL of one second
    # has passed for it (one made now, in a window's first second, was not yet expired).
    token = _token(hall["session"], utcnow() - timedelta(seconds=2))
    page = client.get(f"/c/{token}").get_data(as_text=True)
    app.config["CHECKIN_TOKEN_TTL"] = 1  # the token is now expired...
    grace = page.split('name="grace" value="')[1].split('"')[0]
    late = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": grace,
                                            "phone": "0912345600"})
    assert 'data-code="checked_in"' in late.get_data(as_text=True)  # ...but the scan opened a grace period
    forged = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": "x",
                                              "phone": "0987654321"})
    assert forged.status_code == 410


def test_typed_code_leads_to_the_session(client, hall):
    course_session = hall["session"]
    window = list(accepted_windows(utcnow()))[-1]
    code = typed_code(course_session.id, course_session.checkin_secret, course_session.checkin_version, window)
    page = client.get("/c").get_data(as_text=True)
    response = client.post("/c", data={"code": code, "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and response.headers["Location"].startswith(f"/c/{course_session.id}-")
    wrong = client.post("/c", data={"code": "000000" if code != "000000" else "111111",
                                    "csrf_token": csrf_token_from(page)})
    assert wrong.status_code == 422 and "Mã không đúng" in wrong.get_data(as_text=True)


def test_api_checkin_per_contract(client, hall):
    token = _token(hall["session"])
    ok = client.post("/api/v1/checkin", json={"token": token, "phone": "0912345600"})
    assert ok.status_code == 200
    assert ok.json["status"] == "checked_in" and ok.json["participant"] == {"full_name": "Nguyễn Thị Hằng"}
    assert ok.json["session"] == {"id": hall["session"].id, "title": "Buổi sáng ngày 1"}
    code = hall["people"][1].code
    assert client.post("/api/v1/checkin", json={"token": token, "participant_code": code}).json["status"] == \
        "checked_in"
    again = client.post("/api/v1/checkin", json={"token": token, "phone": "0912345600"})
    assert again.json["status"] == "already_checked_in"


def test_api_checkin_errors_per_contract(client, hall):
    course_session = hall["session"]
    expired = client.post("/api/v1/checkin", json={"token": _token(course_session, utcnow() - timedelta(minutes=3)),
                                                    "phone": "0912345600"})
    assert expired.status_code == 410 and expired.json["error"]["code"] == "token_expired"
    invalid = client.post("/api/v1/checkin", json={"token": "nope", "phone": "0912345600"})
    assert invalid.status_code == 400 and invalid.json["error"]["code"] == "token_invalid"
    unknown = client.post("/api/v1/checkin", json={"token": _token(course_session), "phone": "0900000000"})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_enrolled"
    course_session.ends_at = utcnow() - timedelta(minutes=1)
    closed = client.post("/api/v1/checkin", json={"token": _token(course_session), "phone": "0912345600"})
    assert closed.status_code == 409 and closed.json["error"]["code"] == "checkin_closed"
    assert closed.json["error"]["fields"] == {"reason": "too_late"}
    malformed = client.post("/api/v1/checkin", data="{", content_type="application/json")
    assert malformed.status_code == 400 and malformed.json["error"]["code"] == "malformed_json"


def test_token_for_another_session_cannot_be_reused(client, hall, f):
    from tests.attendance.conftest import make_session

    other = make_session(f.course(hall["tree"]["district2"]), utcnow())
    token = _token(other)
    forged = f"{hall['session'].id}-" + token.split("-", 1)[1]
    response = client.post("/api/v1/checkin", json={"token": forged, "phone": "0912345600"})
    assert response.status_code == 400 and response.json["error"]["code"] == "token_invalid"


def test_organizer_token_projector_and_marks(client, hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    course_session = hall["session"]
    body = client.get(f"/api/v1/sessions/{course_session.id}/checkin-token", headers=auth).json
    assert body["url"].endswith(f"/c/{body['token']}") and body["expires_at"]
    assert client.post("/api/v1/checkin", json={"token": body["token"], "phone": "0912345600"}).status_code == 200

    mark = client.post(f"/api/v1/sessions/{course_session.id}/attendance", headers=auth,
                       json={"participant_code": hall["people"][1].code, "method": "badge"})
    assert mark.status_code == 200 and mark.json["status"] == "checked_in"
    neighbour = f.participant(hall["tree"]["commune_b"], phone="0911222333")
    not_enrolled = client.post(f"/api/v1/sessions/{course_session.id}/attendance", headers=auth,
                               json={"participant_code": neighbour.code, "method": "badge"})
    assert not_enrolled.status_code == 404 and not_enrolled.json["error"]["code"] == "not_enrolled"
    hidden = client.post(f"/api/v1/sessions/{course_session.id}/attendance", headers=auth,
                         json={"participant_code": hall["outsider"].code, "method": "badge"})
    assert hidden.status_code == 404 and hidden.json["error"]["code"] == "participant_not_found"
    undo = client.delete(f"/api/v1/sessions/{course_session.id}/attendance", headers=auth,
                         json={"participant_code": hall["people"][1].code, "reason": "Quét nhầm thẻ"})
    assert undo.status_code == 200 and undo.json["status"] == "unmarked"

    login(client, organizer.email)
    projector = client.get(f"/sessions/{course_session.id}/projector").get_data(as_text=True)
    assert "<svg" in projector and "Lớp bồi dưỡng thông tin cơ sở 2024" in projector
    live = client.get(f"/sessions/{course_session.id}/live.json").json
    assert live["present"] == 1 and live["enrolled"] == 3 and live["attendees"][0]["full_name"] == "Nguyễn Thị Hằng"
    assert len(live["code"]) == 6 and live["open"] is True


def test_trainees_reach_the_course_materials_with_their_sizes(client, hall, f, app, tmp_path):
    import io

    from trainer.materials.services import add_material

    app.config["MATERIALS_DIR"] = str(tmp_path / "materials")
    organizer = f.user("organizer", hall["tree"]["district"])
    pdf = b"%PDF-1.4\n" + b"0" * 3000 + b"\n%%EOF\n"
    add_material(io.BytesIO(pdf), "Bài giảng chuyên đề 1.pdf", actor=organizer, title="Bài giảng chuyên đề 1",
                 course=hall["course"])
    html = client.get(f"/c/{_token(hall['session'])}").get_data(as_text=True)
    assert "Bài giảng chuyên đề 1" in html and "3 KB" in html
    link = html.split('class="materials">')[1].split('href="')[1].split('"')[0]
    download = client.get(link)
    assert download.status_code == 200 and download.data == pdf
    assert client.get(link[:-3] + "xyz").status_code == 404
