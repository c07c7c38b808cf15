"""The lecturers' registry: one per province, assigned to sessions, with calendar clashes shown."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import csrf_token_from, login
from tests.schedule.conftest import VN, local
from trainer.core.errors import DomainError
from trainer.extensions import db
from trainer.finance.lecturers import create_lecturer, lecturer_calendar, province_of
from trainer.schedule.queries import CalendarView, build_calendar
from trainer.schedule.services import add_session


def _lecturer(world, name="Nguyễn Văn An", agency="Trường Chính trị tỉnh", tier=3, unit="province"):
    return create_lecturer(world["organizer"], world[unit], full_name=name, agency=agency, tier=tier)


def test_district_organizer_adds_to_the_province_registry(client, world, bearer):
    response = client.post("/api/v1/lecturers", headers=bearer(world["organizer"]), json={
        "full_name": "  Trần   Thị Bình ", "agency": "Sở Văn hóa, Thể thao và Du lịch", "tier": 2,
        "phone": "+84 91 234 5600"})
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["full_name"], body["tier"], body["phone"], body["unit_code"]) == (
        "Trần Thị Bình", 2, "0912345600", "24")
    found = client.get("/api/v1/lecturers?q=tran thi binh", headers=bearer(world["reviewer"])).json
    assert [item["id"] for item in found["items"]] == [body["id"]]
    # Hà Nội's organizer does not see Bắc Giang's registry.
    assert client.get("/api/v1/lecturers", headers=bearer(world["outsider"])).json["total"] == 0
    assert client.get(f"/api/v1/lecturers/{body['id']}", headers=bearer(world["outsider"])).status_code == 404


def test_lecturer_refused_twice_and_with_a_bad_tier(client, world, bearer):
    body = {"full_name": "Lê Văn Cường", "agency": "Trường Chính trị tỉnh", "tier": 4}
    assert client.post("/api/v1/lecturers", headers=bearer(world["organizer"]), json=body).status_code == 201
    again = client.post("/api/v1/lecturers", headers=bearer(world["organizer"]),
                        json={**body, "full_name": "le van cuong"})
    assert (again.status_code, again.json["error"]["code"]) == (409, "lecturer_exists")
    bad = client.post("/api/v1/lecturers", headers=bearer(world["organizer"]), json={**body, "tier": 7})
    assert bad.status_code == 422 and "tier" in bad.json["error"]["fields"]
    refused = client.post("/api/v1/lecturers", headers=bearer(world["reviewer"]), json=body)
    assert (refused.status_code, refused.json["error"]["code"]) == (403, "forbidden")


def test_session_takes_lecturer_ids_of_its_province_only(client, world, bearer, f):
    an = _lecturer(world)
    stranger = _lecturer(world, name="Phạm Văn Hà", unit="hanoi")
    course = world["course"]
    url = f"/api/v1/courses/{course.id}/sessions"
    headers = bearer(world["organizer"])
    created = client.post(url, headers=headers, json={"starts_at": "2024-10-01T07:30:00+07:00",
                                                      "ends_at": "2024-10-01T11:30:00+07:00",
                                                      "lecturer_ids": [an.id]})
    assert created.status_code == 201, created.json
    assert created.json["lecturer_ids"] == [an.id]
    session_id = created.json["id"]
    kept = client.patch(f"{url}/{session_id}", headers=headers, json={"title": "Khai giảng"})
    assert kept.json["lecturer_ids"] == [an.id]
    refused = client.patch(f"{url}/{session_id}", headers=headers, json={"lecturer_ids": [stranger.id]})
    assert (refused.status_code, refused.json["error"]["code"]) == (422, "unknown_lecturer")
    cleared = client.patch(f"{url}/{session_id}", headers=headers, json={"lecturer_ids": []})
    assert cleared.json["lecturer_ids"] == []
    listed = client.get(url, headers=headers).json["items"]
    assert [s["lecturer_ids"] for s in listed] == [[]]


def test_province_of_a_commune_is_its_province(world):
    assert province_of(world["commune"]) is world["province"]
    assert province_of(world["province"]) is world["province"]


def test_a_lecturer_in_two_classes_at_once_is_a_clash(client, world, f):
    an = _lecturer(world)
    other_course = f.course(world["commune"], title="Lớp Nhã Nam", venue="Nhà văn hóa Nhã Nam")
    first = add_session(world["course"], starts_at=local("2024-10-02 07:30"), ends_at=local("2024-10-02 11:30"),
                        actor=world["organizer"], lecturer_ids=[an.id])
    second = add_session(other_course, starts_at=local("2024-10-02 09:00"), ends_at=local("2024-10-02 11:00"),
                         actor=world["organizer"], lecturer_ids=[an.id])
    add_session(other_course, starts_at=local("2024-10-02 13:30"), ends_at=local("2024-10-02 17:00"),
                actor=world["organizer"], lecturer_ids=[an.id])  # after the first: no clash
    sessions, clashes = lecturer_calendar(an)
    assert len(sessions) == 3
    assert clashes == {first.id: [second], second.id: [first]}
    calendar = build_calendar(world["organizer"], CalendarView.WEEK, date(2024, 10, 2), VN)
    assert [(c.first.id, c.second.id, c.kinds) for c in calendar.conflicts] == [
        (first.id, second.id, frozenset({"trainer"}))]
    db.session.commit()
    login(client, world["organizer"].email)
    page = client.get(f"/lecturers/{an.id}").get_data(as_text=True)
    assert page.count('class="table-warning clash"') == 2 and "Lớp Nhã Nam" in page
    week = client.get("/schedule/?date=2024-10-02").get_data(as_text=True)
    assert "Trùng giảng viên" in week and "Nguyễn Văn An" in week


def test_session_form_assigns_lecturers_and_warns_of_a_clash(client, world, f):
    an = _lecturer(world)
    other_course = f.course(world["commune"], title="Lớp Nhã Nam")
    add_session(other_course, starts_at=local("2024-10-01 08:00"), ends_at=local("2024-10-01 10:00"),
                actor=world["organizer"], lecturer_ids=[an.id])
    db.session.commit()
    login(client, world["organizer"].email)
    url = f"/courses/{world['course'].id}/sessions/new"
    form = client.get(url).get_data(as_text=True)
    assert "Nguyễn Văn An (Trường Chính trị tỉnh)" in form
    response = client.post(url, data={"csrf_token": csrf_token_from(form), "day": "2024-10-01",
                                      "start_time": "07:30", "end_time": "11:30", "lecturer_ids": str(an.id)},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Trùng lịch giảng viên Nguyễn Văn An" in html
    assert "Lớp Nhã Nam" in html


def test_lecturer_pages_add_and_edit(client, world):
    login(client, world["organizer"].email)
    form = client.get("/lecturers/new").get_data(as_text=True)
    response = client.post("/lecturers/new", data={"csrf_token": csrf_token_from(form), "full_name": "Đỗ Thị Mai",
                                                   "agency": "Báo Bắc Giang", "tier": "4", "phone": ""})
    assert response.status_code == 302
    listing = client.get("/lecturers/?q=do thi").get_data(as_text=True)
    assert "Đỗ Thị Mai" in listing and "Báo Bắc Giang" in listing
    bad = client.post("/lecturers/new", data={"csrf_token": csrf_token_from(form), "full_name": "",
                                              "tier": "9"})
    assert bad.status_code == 422


def test_reviewer_cannot_add_through_the_service_guard(world):
    from trainer.finance.lecturers import registry_province

    with pytest.raises(DomainError) as err:
        registry_province(world["reviewer"])
    assert err.value.code == "forbidden"
