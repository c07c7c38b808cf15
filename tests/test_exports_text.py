"""Text that breaks exports (#13, item 4): one text rule for every field, text-only cells in every .xlsx.

A name with a control, zero-width or direction character is refused by the forms and the API with the
rule's message; a name or position that looks like a formula comes back from every workbook as text; and a
bad value stored before the rule (written here by SQL) no longer makes any export answer 500.
"""

from __future__ import annotations

import io
from datetime import date, time
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import text, update

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from trainer.accounts.services import issue_api_token
from trainer.attendance.models import AttendanceMethod
from trainer.attendance.services import Who, check_in
from trainer.core import clock
from trainer.core.xlsx import put, text_only
from trainer.courses.services import enrol_participant
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.services import add_session, local_datetime

HIDDEN = {"\x01": "U+0001", "\u200b": "U+200B", "\u202e": "U+202E"}
FORMULA_NAME = '=HYPERLINK("http://evil.example","Nguyễn Văn A")'
FORMULA_POSITION = "=cmd|' /C calc'!A0"
OTHER_TRIGGERS = ["+84 cán bộ", "-Phó chủ tịch", "@SUM(A1)", "#N/A"]


@pytest.fixture
def world(f: Factories) -> dict[str, Any]:
    """A district course with one attended session (so its participants completed it) and an organizer."""
    tree = f.tree()
    admin = f.user("admin")
    course = f.course(tree["district"], f.curriculum("CT1", hours=(4,)), start_date=date(2024, 10, 1),
                      end_date=date(2024, 10, 1))
    session = add_session(course, starts_at=local_datetime(date(2024, 10, 1), time(7, 30)),
                          ends_at=local_datetime(date(2024, 10, 1), time(11, 30)), actor=admin)
    people = [f.participant(tree["commune"], full_name=FORMULA_NAME, position=FORMULA_POSITION),
              f.participant(tree["commune"], full_name="Trần Văn Bình", position=OTHER_TRIGGERS[1])]
    for person in people:
        enrol_participant(course, person, actor=admin)
        check_in(session, Who(participant_id=person.id), method=AttendanceMethod.MANUAL, actor=admin, now=clock.now())
    return {**tree, "admin": admin, "organizer": f.user("organizer", tree["district"]), "course": course,
            "people": people}


def _exports(w: dict[str, Any]) -> dict[str, str]:
    """Every download that holds a participant's name, by name."""
    course = w["course"].id
    return {"participants": "/participants/export.xlsx", "roster": f"/courses/{course}/roster.xlsx",
            "register": f"/courses/{course}/register.xlsx",
            "report_district": "/reports/indicators.xlsx?unit=216&year=2024",
            "report_province": "/reports/indicators.xlsx?unit=24&year=2024",
            "report_country": "/reports/indicators.xlsx?year=2024",
            "template": "/participants/template.xlsx",
            "signin_pdf": f"/courses/{course}/signin-sheet.pdf", "roster_pdf": f"/courses/{course}/roster.pdf",
            "badges_pdf": f"/courses/{course}/badges.pdf", "report_pdf": "/reports/indicators.pdf?unit=216&year=2024"}


def _cells(body: bytes) -> list[Any]:
    workbook = load_workbook(io.BytesIO(body))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


# --- the rule, on forms and the API -----------------------------------------------------------


def _form_post(client, url: str, data: dict[str, str]):
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


@pytest.mark.parametrize("hidden", HIDDEN)
def test_the_participant_form_refuses_hidden_characters_and_keeps_what_was_typed(client, world, hidden):
    login(client, world["organizer"].email)
    typed = f"Nguyễn{hidden} Thị Hằng"
    response = _form_post(client, "/participants/new", {
        "full_name": typed, "gender": "female", "birth_date": "", "ethnicity": "Kinh", "phone": "0912345600",
        "email": "", "unit_code": "07306 - Thị trấn Nhã Nam", "position": "", "target_group": "other"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Họ và tên có ký tự ẩn hoặc ký tự điều khiển ({HIDDEN[hidden]}, ở vị trí 7)" in html
    assert f'value="{typed}"' in html
    assert db.session.query(Participant).filter_by(phone="0912345600").count() == 0


@pytest.mark.parametrize("hidden", HIDDEN)
def test_the_api_refuses_hidden_characters_with_the_message(client, world, hidden):
    token = issue_api_token(world["organizer"])
    response = client.post("/api/v1/participants", headers={"Authorization": f"Bearer {token}"}, json={
        "full_name": f"Nguyễn{hidden} Thị Hằng", "gender": "female", "ethnicity": "Kinh", "phone": "0912345600",
        "unit_code": "07306", "target_group": "other"})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid_characters" and HIDDEN[hidden] in error["fields"]["full_name"]


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/v1/courses", {"curriculum_code": "CT1", "unit_code": "216", "venue": "Hội\u200btrường",
                         "start_date": "2024-11-01", "end_date": "2024-11-02"}, "venue"),
    ("/api/v1/courses/{course}", {"title": "Lớp\u202e thử"}, "title"),
    ("/api/v1/courses/{course}", {"status": "cancelled", "cancel_reason": "Mưa\x01 bão"}, "cancel_reason"),
    ("/api/v1/courses/{course}/sessions", {"starts_at": "2024-10-01T13:30", "ends_at": "2024-10-01T17:00",
                                           "trainer_name": "Ông\u2066 A"}, "trainer_name"),
    ("/api/v1/courses/{course}/enrollments/{person}/withdraw", {"reason": "Chuyển\u200d công tác"}, "reason"),
    ("/api/v1/sessions/{session}/attendance", {"participant_id": 1, "reason": "Nhầm\x07"}, "reason"),
    ("/api/v1/users", {"email": "new@example.vn", "role": "admin", "full_name": "Lê\u202d Văn"}, "full_name"),
])
def test_every_api_text_field_refuses_hidden_characters(client, world, url, body, field):
    course = world["course"]
    url = url.format(course=course.id, person=world["people"][0].id, session=course.sessions[0].id)
    method = "PATCH" if url.endswith(f"courses/{course.id}") else "DELETE" if url.endswith("attendance") else "POST"
    token = issue_api_token(world["admin"])
    response = client.open(url, method=method, json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "invalid_characters" and field in response.json["error"]["fields"]


def test_a_nul_byte_in_a_search_is_a_400_not_a_500(client, world):
    login(client, world["organizer"].email)
    assert client.get("/participants/?q=Nguy%00n").status_code == 400
    token = issue_api_token(world["organizer"])
    for url, status in (("/api/v1/participants?q=%00", 422), ("/api/v1/units?q=a%00", 422),
                        ("/api/v1/participants?undocumented=%00", 400), ("/api/v1/certificates/%00ABCDEFGHJK", 400)):
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
        assert (response.status_code, response.json["error"]["code"]) == (status, "invalid_characters"), url


@pytest.mark.parametrize(("url", "field", "data"), [
    ("/courses/new", "title", {"curriculum": "CT1", "unit": "{district}", "venue": "Hội trường",
                               "start_date": "2024-11-01", "end_date": "2024-11-02", "status": "open"}),
    ("/courses/{course}/cancel", "reason", {}),
    ("/courses/{course}/sessions/new", "trainer_name", {"day": "2024-10-01", "start_time": "13:30",
                                                       "end_time": "17:00"}),
])
def test_other_forms_refuse_hidden_characters_and_keep_the_text(client, world, url, field, data):
    login(client, world["organizer"].email)
    url = url.format(course=world["course"].id)
    data = {key: value.format(district=world["district"].id) for key, value in data.items()}
    typed = "Văn\u200b bản"
    response = _form_post(client, url, {**data, field: typed})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert "có ký tự ẩn hoặc ký tự điều khiển (U+200B, ở vị trí 4)" in html and typed in html


# --- text-only cells ---------------------------------------------------------------------------


@pytest.mark.parametrize("export", ["participants", "roster", "register", "report_district", "report_province",
                                    "report_country"])
def test_formula_looking_names_come_back_as_text(client, world, export):
    login(client, world["admin"].email)
    response = client.get(_exports(world)[export])
    assert response.status_code == 200
    cells = _cells(response.data)
    assert not [c.coordinate for c in cells if c.data_type in ("f", "e")]
    names = [c for c in cells if c.value == FORMULA_NAME]
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)
    if export in ("participants", "roster"):
        positions = [c for c in cells if c.value == FORMULA_POSITION]
        assert positions and all(c.data_type == "s" for c in positions)


def test_every_formula_start_is_written_as_text():
    from openpyxl import Workbook

    workbook = Workbook()
    for row, value in enumerate([FORMULA_NAME, *OTHER_TRIGGERS, "Nguyễn\x01 Văn\x1f A"], start=1):
        put(workbook.active, row, 1, value)
    buffer = io.BytesIO()
    text_only(workbook).save(buffer)
    values = [(c.value, c.data_type) for c in _cells(buffer.getvalue())]
    assert values == [(v, "s") for v in [FORMULA_NAME, *OTHER_TRIGGERS, "Nguyễn Văn A"]]


@pytest.mark.parametrize("bad", ["\x01", "\x00", "\x1b"])
def test_an_old_bad_value_does_not_break_any_export(client, world, bad):
    if bad == "\x00" and db.engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL never stored a NUL character in text")
    person = world["people"][1]
    db.session.execute(update(Participant).where(Participant.id == person.id).values(
        full_name=f"Trần{bad} Văn Bình", position=f"Cán{bad} bộ"))
    db.session.execute(text("UPDATE units SET name = :name WHERE code = '07306'"), {"name": f"Thị{bad} trấn"})
    login(client, world["admin"].email)
    for name, url in _exports(world).items():
        response = client.get(url)
        assert response.status_code == 200, name
        if url.split("?")[0].endswith(".xlsx"):
            values = [c.value for c in _cells(response.data) if isinstance(c.value, str)]
            assert not any(bad in v for v in values), name
            if name != "template":
                assert any("Trần Văn Bình" in v for v in values), name


# --- print setup ----------------------------------------------------------------------------------


@pytest.mark.parametrize("export", ["roster", "register", "report_district"])
def test_administrative_workbooks_print_as_decree_30_asks(client, world, export):
    """A4, margins 20/20/30/15 mm, the page number centred at the top from page 2, header rows on every page."""
    login(client, world["admin"].email)
    workbook = load_workbook(io.BytesIO(client.get(_exports(world)[export]).data))
    for sheet in workbook.worksheets:
        margins = sheet.page_margins
        assert [round(v * 25.4) for v in (margins.top, margins.bottom, margins.left, margins.right)] == [20, 20, 30, 15]
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.oddHeader.center.text == "&P" and sheet.HeaderFooter.differentFirst
        assert not sheet.firstHeader.center.text  # no number on page 1
        assert sheet.print_title_rows and sheet.print_title_rows.startswith("$")
