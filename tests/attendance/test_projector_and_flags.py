"""The projector's poll (ETag, no QR when unchanged) and the flag on people checked in from one client."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token_from, login
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.attendance.register import get_register
from trainer.attendance.services import Client, Who, check_in
from trainer.extensions import db


def _phone(hall, phone: str, device: str, *, address: str = "203.0.113.7", agent: str = "Zalo Android 11"):
    return check_in(hall["session"], Who(phone=phone), method=AttendanceMethod.QR, now=hall["now"],
                    client=Client.of(address, agent, device))


def test_an_unchanged_poll_costs_a_304_and_no_body(client, hall, f):
    login(client, f.user("organizer", hall["tree"]["district"]).email)
    url = f"/sessions/{hall['session'].id}/live.json"
    first = client.get(url)
    assert first.status_code == 200 and first.json["qr_svg"].startswith("<svg") and first.headers["ETag"]
    token = first.json["token"]
    again = client.get(f"{url}?qr={token}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert len(again.data) + sum(len(k) + len(v) for k, v in again.headers.items()) < 1024
    _phone(hall, "0912345600", "d1")
    arrived = client.get(f"{url}?qr={token}", headers={"If-None-Match": first.headers["ETag"]})
    assert arrived.status_code == 200 and arrived.json["attendees"][0]["full_name"] == "Nguyễn Thị Hằng"
    assert arrived.json["qr_svg"] is None  # the QR on the screen is still the current one
    assert len(arrived.data) < 1024


def test_people_checked_in_from_one_client_are_flagged_until_confirmed(client, hall, f):
    _phone(hall, "0912345600", "d1")
    _phone(hall, "0987654321", "d2")  # the cookie was deleted: another device id, the same phone and network
    _phone(hall, "0355555555", "d3", agent="Chrome Android 13")  # same hall network, another phone: not flagged
    db.session.commit()
    hang, uoc, mai = (p.id for p in hall["people"])
    sid = hall["session"].id
    assert get_register(hall["course"]).flagged == {(hang, sid), (uoc, sid)}
    organizer = f.user("organizer", hall["tree"]["district"])
    login(client, organizer.email)
    live = client.get(f"/sessions/{sid}/live.json").json
    assert live["present"] == 3 and live["flagged"] == 2
    assert {a["full_name"]: a["flagged"] for a in live["attendees"]} == {
        "Nguyễn Thị Hằng": True, "Đặng Văn Ước": True, "Lò Thị Mai": False}
    page = client.get(f"/sessions/{sid}/marks").get_data(as_text=True)
    assert page.count('name="confirm"') == 2
    response = client.post(f"/sessions/{sid}/marks", data={
        "csrf_token": csrf_token_from(page), "method": "manual",
        **{f"mark-{pid}": "present" for pid in (hang, uoc, mai)}, "confirm": [hang, uoc]})
    assert response.status_code == 302
    db.session.expire_all()
    assert get_register(hall["course"]).flagged == set()
    assert set(db.session.scalars(select(AttendanceRecord.confirmed_by_id))) == {organizer.id, None}
    assert client.get(f"/sessions/{sid}/live.json").json["flagged"] == 0


def test_the_projectors_button_revokes_the_codes_shown(client, hall, f):
    login(client, f.user("organizer", hall["tree"]["district"]).email)
    sid = hall["session"].id
    page = client.get(f"/sessions/{sid}/projector").get_data(as_text=True)
    shown = client.get(f"/sessions/{sid}/live.json").json["token"]
    response = client.post(f"/sessions/{sid}/revoke-codes", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    assert client.get(f"/sessions/{sid}/live.json").json["token"] != shown
    assert client.get(f"/c/{shown}").status_code == 400
