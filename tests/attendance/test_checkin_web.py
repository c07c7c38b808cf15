"""The trainee check-in pages (/c/<token>, /c) and the check-in API, as phones use them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from trainer.accounts.services import issue_api_token
from trainer.attendance.models import AttendanceRecord, CheckinAttempt
from trainer.attendance.services import CODE_LIMITS
from trainer.attendance.tokens import make_token, typed_code, typed_code_windows
from trainer.core import clock
from trainer.extensions import db


def _token(course_session, now=None) -> str:
    return make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                      now or clock.now())[1]


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
    afternoon = make_session(hall["course"], hall["now"] - timedelta(minutes=1), title="Buổi chiều")
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
    old = _token(hall["session"], hall["now"] - timedelta(minutes=5))
    expired = client.get(f"/c/{old}")
    assert expired.status_code == 410 and "Mã QR đã hết hạn" in expired.get_data(as_text=True)
    assert 'href="/c"' in expired.get_data(as_text=True)  # not a dead end: the typed code's page
    assert db.session.scalar(select(func.count(CheckinAttempt.id))) == 1  # the unknown number


def test_a_past_sessions_link_says_it_is_over_before_asking_for_a_phone(client, hall, clock_at):
    clock_at.set(hall["session"].ends_at + timedelta(minutes=1))
    over = client.get(f"/c/{_token(hall['session'])}")
    html = over.get_data(as_text=True)
    assert over.status_code == 409 and "Đã hết giờ điểm danh" in html and 'type="tel"' not in html


def test_revoked_codes_refuse_at_once(client, hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    shown = _token(hall["session"])
    fresh = client.post(f"/api/v1/sessions/{hall['session'].id}/checkin-token/revoke", headers=auth)
    assert fresh.status_code == 200 and fresh.json["token"] != shown
    refused = client.post("/api/v1/checkin", json={"token": shown, "phone": "0912345600"})
    assert refused.status_code == 400 and refused.json["error"]["code"] == "token_invalid"
    assert client.get(f"/c/{shown}").status_code == 400
    ok = client.post("/api/v1/checkin", json={"token": fresh.json["token"], "phone": "0912345600"})
    assert ok.status_code == 200


def test_grace_period_keeps_a_slow_phone_after_the_code_rotated(client, hall, app, clock_at):
    token = _token(hall["session"])
    page = client.get(f"/c/{token}").get_data(as_text=True)
    clock_at.advance(app.config["CHECKIN_TOKEN_TTL"] + 1)  # the token is now expired...
    grace = page.split('name="grace" value="')[1].split('"')[0]
    late = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": grace,
                                            "phone": "0912345600"})
    assert 'data-code="checked_in"' in late.get_data(as_text=True)  # ...but the scan opened a grace period
    forged = client.post(f"/c/{token}", data={"csrf_token": csrf_token_from(page), "grace": "x",
                                              "phone": "0987654321"})
    assert forged.status_code == 410


def _typed(course_session, window) -> str:
    return typed_code(course_session.id, course_session.checkin_secret, course_session.checkin_version, window)


def test_typed_code_leads_to_the_session(client, hall):
    course_session = hall["session"]
    shown, previous = reversed(typed_code_windows(clock.now()))
    page = client.get("/c").get_data(as_text=True)
    for window in (shown, previous):  # as the screen shows it, spaces and all; or the one just before
        code = _typed(course_session, window)
        response = client.post("/c", data={"code": f"{code[:4]} {code[4:]}", "csrf_token": csrf_token_from(page)})
        assert response.status_code == 302, window
        assert response.headers["Location"].startswith(f"/c/{course_session.id}-")
    too_old = client.post("/c", data={"code": _typed(course_session, previous - 1),
                                      "csrf_token": csrf_token_from(page)})
    assert too_old.status_code == 422 and "Mã không đúng" in too_old.get_data(as_text=True)


def test_wrong_typed_codes_lock_the_client_even_for_the_right_one(client, hall):
    page = client.get("/c").get_data(as_text=True)
    right = _typed(hall["session"], typed_code_windows(clock.now())[-1])
    wrong = "00000000" if right != "00000000" else "11111111"
    for _ in range(CODE_LIMITS[0].limit):
        assert client.post("/c", data={"code": wrong, "csrf_token": csrf_token_from(page)}).status_code == 422
    locked = client.post("/c", data={"code": right, "csrf_token": csrf_token_from(page)})
    assert locked.status_code == 429 and "thử lại sau" in locked.get_data(as_text=True)


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
    expired = client.post("/api/v1/checkin", json={"token": _token(course_session, hall["now"] - timedelta(minutes=3)),
                                                    "phone": "0912345600"})
    assert expired.status_code == 410 and expired.json["error"]["code"] == "token_expired"
    invalid = client.post("/api/v1/checkin", json={"token": "nope", "phone": "0912345600"})
    assert invalid.status_code == 400 and invalid.json["error"]["code"] == "token_invalid"
    unknown = client.post("/api/v1/checkin", json={"token": _token(course_session), "phone": "0900000000"})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_enrolled"
    course_session.ends_at = hall["now"] - timedelta(minutes=1)
    closed = client.post("/api/v1/checkin", json={"token": _token(course_session), "phone": "0912345600"})
    assert closed.status_code == 409 and closed.json["error"]["code"] == "checkin_closed"
    assert closed.json["error"]["fields"] == {"reason": "too_late"}
    malformed = client.post("/api/v1/checkin", data="{", content_type="application/json")
    assert malformed.status_code == 400 and malformed.json["error"]["code"] == "malformed_json"


def test_token_for_another_session_cannot_be_reused(client, hall, f):
    from tests.attendance.conftest import make_session

    other = make_session(f.course(hall["tree"]["district2"]), hall["now"])
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
    assert len(live["code"].replace(" ", "")) == 8 and live["open"] is True


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


def test_api_failed_look_ups_answer_429_before_any_name(client, hall):
    from trainer.attendance.services import CHECKIN_LIMITS

    token = _token(hall["session"])
    for i in range(CHECKIN_LIMITS[0].limit):
        assert client.post("/api/v1/checkin", json={"token": token, "phone": f"09000000{i:02d}"}).status_code == 404
    locked = client.post("/api/v1/checkin", json={"token": token, "phone": "0912345600"})
    assert locked.status_code == 429 and locked.json["error"]["code"] == "too_many_attempts"
    assert "Nguyễn" not in locked.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == 0
