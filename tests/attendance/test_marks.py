"""Marks: present, late or excused (vắng có phép, which counts as no attendance), by the organizer or the
check-in, on the service, the API and the register."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import login
from trainer.accounts.services import issue_api_token
from trainer.attendance.models import AttendanceMark, AttendanceMethod, AttendanceRecord
from trainer.attendance.services import Client, Who, check_in
from trainer.courses.models import Enrolment
from trainer.extensions import db

MANUAL = AttendanceMethod.MANUAL


def _hours(hall, person) -> Decimal:
    db.session.flush()
    return db.session.scalar(select(Enrolment.attended_hours).where(Enrolment.participant_id == person.id,
                                                                    Enrolment.course_id == hall["course"].id))


def test_an_excused_absence_counts_no_hours_until_the_person_turns_up(hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    hang = hall["people"][0]
    excused = check_in(hall["session"], Who(participant_id=hang.id), method=MANUAL, now=hall["now"], actor=organizer,
                       mark=AttendanceMark.EXCUSED)
    assert (excused.status, excused.mark) == ("checked_in", AttendanceMark.EXCUSED)
    assert _hours(hall, hang) == 0
    came = check_in(hall["session"], Who(phone=hang.phone), method=AttendanceMethod.QR, now=hall["now"],
                    client=Client.of("203.0.113.7", "Zalo", "d1"))
    assert (came.status, came.mark) == ("checked_in", AttendanceMark.PRESENT)
    assert _hours(hall, hang) == hall["session"].hours
    record = db.session.scalar(select(AttendanceRecord))
    assert (record.method, record.excused) == (AttendanceMethod.QR, False)


def test_an_organizers_mark_replaces_the_recorded_one_and_a_repeat_keeps_it(hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    uoc = hall["people"][1]
    check_in(hall["session"], Who(participant_id=uoc.id), method=MANUAL, now=hall["now"], actor=organizer)
    assert _hours(hall, uoc) == hall["session"].hours
    late = check_in(hall["session"], Who(participant_id=uoc.id), method=MANUAL, now=hall["now"], actor=organizer,
                    mark=AttendanceMark.LATE)
    assert (late.status, late.mark) == ("already_checked_in", AttendanceMark.LATE)
    again = check_in(hall["session"], Who(participant_id=uoc.id), method=AttendanceMethod.BADGE, now=hall["now"],
                     actor=organizer)
    assert again.mark is AttendanceMark.LATE  # a scan without a mark keeps what the organizer said
    check_in(hall["session"], Who(participant_id=uoc.id), method=MANUAL, now=hall["now"], actor=organizer,
             mark=AttendanceMark.EXCUSED)
    assert _hours(hall, uoc) == 0


def test_the_api_takes_a_mark_and_lists_the_sessions_marks(client, hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    auth = {"Authorization": f"Bearer {issue_api_token(organizer)}"}
    url = f"/api/v1/sessions/{hall['session'].id}/attendance"
    hang, uoc, mai = hall["people"]
    for person, mark in ((hang, None), (uoc, "late"), (mai, "excused")):
        body = {"participant_id": person.id, "method": "sheet", **({"mark": mark} if mark else {})}
        assert client.post(url, json=body, headers=auth).json["mark"] == (mark or "present")
    bad = client.post(url, json={"participant_id": hang.id, "mark": "absent"}, headers=auth)
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_mark"
    reviewer = f.user("reviewer", hall["tree"]["province"])
    listed = client.get(url, headers={"Authorization": f"Bearer {issue_api_token(reviewer)}"})
    assert {i["full_name"]: (i["mark"], i["method"]) for i in listed.json["items"]} == {
        "Nguyễn Thị Hằng": ("present", "sheet"), "Đặng Văn Ước": ("late", "sheet"), "Lò Thị Mai": ("excused", "sheet")}


def test_register_workbook_and_projector_show_an_excused_absence_as_such(client, hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    hang, uoc, _mai = hall["people"]
    check_in(hall["session"], Who(participant_id=hang.id), method=MANUAL, now=hall["now"], actor=organizer)
    check_in(hall["session"], Who(participant_id=uoc.id), method=MANUAL, now=hall["now"], actor=organizer,
             mark=AttendanceMark.EXCUSED)
    db.session.commit()
    login(client, organizer.email)
    register = client.get(f"/courses/{hall['course'].id}/register").get_data(as_text=True)
    uoc_row = register.split("Đặng Văn Ước")[1].split("</tr>")[0]
    assert 'title="vắng có phép">P<' in uoc_row
    sheet = load_workbook(io.BytesIO(client.get(f"/courses/{hall['course'].id}/register.xlsx").data)).active
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row[1]}
    assert rows["Đặng Văn Ước"][3] == "P" and rows["Đặng Văn Ước"][4] == 0  # the mark; no session attended
    assert any(str(v).startswith("Ghi chú: ✓ có mặt; M đến muộn; P vắng có phép") for v in rows)
    live = client.get(f"/sessions/{hall['session'].id}/live.json").json
    assert live["present"] == 1 and [a["full_name"] for a in live["attendees"]] == ["Nguyễn Thị Hằng"]
