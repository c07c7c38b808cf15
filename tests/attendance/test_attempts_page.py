"""The refused-attempts page speaks Vietnamese and offers what can be done for the person a number named."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.attendance.services import CheckinRefused, Client, Who, check_in
from trainer.courses.models import Enrolment
from trainer.extensions import db


def _refused(hall, phone: str) -> None:
    with pytest.raises(CheckinRefused):
        check_in(hall["session"], Who(phone=phone), method=AttendanceMethod.QR, now=hall["now"],
                 client=Client.of("203.0.113.7", "Zalo", f"d-{phone}"))
    db.session.commit()


def test_labels_and_enrol_and_mark_the_person_a_refused_number_named(client, hall, f):
    neighbour = f.participant(hall["tree"]["commune_b"], full_name="Trần Văn Bình", phone="0911222333")
    _refused(hall, "0911222333")  # a registered officer, not on the class list
    _refused(hall, "0900000000")  # nobody's number
    login(client, f.user("organizer", hall["tree"]["district"]).email)
    url = f"/sessions/{hall['session'].id}/attempts"
    page = client.get(url).get_data(as_text=True)
    assert "not_enrolled" not in page and page.count("Số hoặc mã không có trong danh sách lớp") == 2
    assert "Trần Văn Bình" in page and "chưa ghi danh vào lớp" in page
    assert 'href="/participants/new?phone=0900000000"' in page
    form = client.get("/participants/new?phone=0900000000").get_data(as_text=True)
    assert 'value="0900000000"' in form

    done = client.post(f"{url}/{neighbour.id}", data={"csrf_token": csrf_token_from(page), "action": "enrol_mark"})
    assert done.status_code == 302
    assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.participant_id == neighbour.id)) == 1
    assert db.session.scalar(select(AttendanceRecord.method).where(
        AttendanceRecord.participant_id == neighbour.id)) is AttendanceMethod.MANUAL
    assert "đã có mặt" in client.get(url).get_data(as_text=True)


def test_a_person_outside_the_organizers_scope_is_not_named(client, hall, f):
    _refused(hall, "0977000111")  # the outsider, in another district's commune
    login(client, f.user("organizer", hall["tree"]["district"]).email)
    page = client.get(f"/sessions/{hall['session'].id}/attempts").get_data(as_text=True)
    assert "Hoàng Văn Nam" not in page and "Ghi danh" not in page and "chưa có trong danh sách cán bộ" not in page
