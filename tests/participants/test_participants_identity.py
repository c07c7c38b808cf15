"""An import never turns one person into another: every changed field is listed before anything is written,
and a phone that now belongs to someone with another name is an identity conflict until confirmed."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from sqlalchemy import func, select

from tests.conftest import csrf_token_from, login
from tests.participants.helpers import row, workbook_bytes
from trainer.audit.models import AuditEntry
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.participants.models import Gender, Participant
from trainer.participants.services import import_participants

NOW = datetime.fromisoformat("2025-06-01T09:00:00+07:00")
GROUP = "Công chức văn hóa - xã hội cấp xã phụ trách đài truyền thanh"


def _run(world, data: bytes, *, dry_run: bool = False, confirm_identity: bool = False, actor: str = "org_district"):
    return import_participants(io.BytesIO(data), actor=world[actor], dry_run=dry_run,
                               confirm_identity=confirm_identity, now=NOW)


def _binh_row(**overrides):
    """The row of the world's Trần Văn Bình (0987000001), as stored."""
    values = {"full_name": "Trần Văn Bình", "gender": "Nam", "birth_date": None, "phone": "0987000001",
              "ethnicity": "", "target_group": GROUP, "position": ""}
    values.update(overrides)
    return row(**values)


def _count() -> int:
    return db.session.scalar(select(func.count(Participant.id)))


# --- the dry run lists every change ----------------------------------------------------------------


def test_dry_run_lists_every_field_an_update_changes(app, world):
    person = world["person"]
    result = _run(world, workbook_bytes([_binh_row(position="Phó Chủ tịch", unit="07309 - Xã Cao Xá",
                                                   birth_date="02/09/1979", email="Binh@Example.vn")]), dry_run=True)
    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 1, 0, [])
    assert [c.as_dict() for c in result.changes] == [
        {"row": 2, "participant_id": person.id, "field": "birth_date", "old": None, "new": "1979-09-02"},
        {"row": 2, "participant_id": person.id, "field": "email", "old": None, "new": "binh@example.vn"},
        {"row": 2, "participant_id": person.id, "field": "unit_code", "old": "07306", "new": "07309"},
        {"row": 2, "participant_id": person.id, "field": "position", "old": "", "new": "Phó Chủ tịch"}]
    unit = next(c for c in result.changes if c.field == "unit_code")
    assert (unit.label, unit.old_text, unit.new_text) == ("Đơn vị", "07306 - Thị trấn Nhã Nam", "07309 - Xã Cao Xá")
    db.session.expire_all()
    assert db.session.get(Participant, person.id).position == ""  # a dry run writes nothing


def test_a_row_as_stored_changes_nothing(app, world):
    result = _run(world, workbook_bytes([_binh_row()]))
    assert (result.updated, result.unchanged, result.changes) == (0, 1, [])
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.update")).all()


def test_the_same_name_written_otherwise_is_the_same_person(app, world):
    result = _run(world, workbook_bytes([_binh_row(full_name="TRẦN  VĂN BÌNH", gender="Nữ")]))
    assert result.errors == [] and result.participants[0].id == world["person"].id
    assert {c.field: (c.old, c.new) for c in result.changes} == {
        "full_name": ("Trần Văn Bình", "TRẦN VĂN BÌNH"), "gender": ("male", "female")}


def test_a_name_typed_without_diacritics_keeps_the_stored_marks(app, world):
    result = _run(world, workbook_bytes([_binh_row(full_name="Tran Van Binh", position="Cán bộ")]))
    assert result.errors == [] and result.participants[0].full_name == "Trần Văn Bình"
    assert [c.field for c in result.changes] == ["position"]


# --- identity conflicts ----------------------------------------------------------------------------


def test_a_phone_of_someone_with_another_name_is_an_identity_conflict(app, world):
    person = world["person"]
    result = _run(world, workbook_bytes([row(phone="0912000901"),
                                         row(full_name="Nguyễn Thị Hoa", gender="Nữ", phone="0987 000 001")]))
    ((error),) = result.errors
    assert (error.row, error.code, error.participant_id) == (3, "identity_conflict", person.id)
    assert "Trần Văn Bình" in error.message and person.code in error.message and "xác nhận" in error.message
    assert (result.created, result.updated, result.changes) == (0, 0, [])
    assert [(c.row, c.name_in_file, c.holder.id) for c in result.conflicts] == [(3, "Nguyễn Thị Hoa", person.id)]
    db.session.expire_all()
    stored = db.session.get(Participant, person.id)
    assert (stored.full_name, stored.gender, stored.phone, _count()) == ("Trần Văn Bình", Gender.MALE, "0987000001", 1)


def test_confirmed_conflict_creates_a_new_person_and_the_earlier_keeps_their_history(app, world, f):
    person = world["person"]
    course = f.course(world["district"], title="Lớp cũ của anh Bình")
    db.session.add(Enrolment(course=course, participant=person))
    db.session.flush()
    data = workbook_bytes([row(full_name="Nguyễn Thị Hoa", gender="Nữ", phone="0987000001", birth_date="15/03/85")])
    dry = _run(world, data, dry_run=True, confirm_identity=True)
    assert (dry.errors, dry.created, dry.updated) == ([], 1, 0)
    assert [c.as_dict() for c in dry.changes] == [
        {"row": 2, "participant_id": person.id, "field": "phone", "old": "0987000001", "new": None}]
    result = _run(world, data, confirm_identity=True)
    (hoa,) = result.participants
    assert hoa.id != person.id and (hoa.full_name, hoa.phone, hoa.birth_date) == \
        ("Nguyễn Thị Hoa", "0987000001", date(1985, 3, 15))
    db.session.expire_all()
    earlier = db.session.get(Participant, person.id)
    assert (earlier.full_name, earlier.gender, earlier.phone) == ("Trần Văn Bình", Gender.MALE, None)
    assert [e.course.title for e in earlier.enrolments] == ["Lớp cũ của anh Bình"]
    assert not db.session.get(Participant, hoa.id).enrolments
    update = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.update")).one()
    assert update.object_id == person.id and update.details == {"via": "import", "fields": ["phone"],
                                                                "reason": "identity_conflict"}
    imported = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.import")).one()
    assert imported.details["phones_reassigned"] == 1


def test_a_confirmed_new_person_still_needs_an_ethnicity(app, world):
    result = _run(world, workbook_bytes([row(full_name="Nguyễn Thị Hoa", phone="0987000001", ethnicity=None)]),
                  confirm_identity=True)
    assert [(e.row, e.code) for e in result.errors] == [(2, "ethnicity_required")] and _count() == 1


def test_confirming_never_takes_a_phone_from_outside_the_scope(app, world, f):
    f.participant(world["hanoi_commune"], full_name="Phạm Thu Hà", phone="0912000902")
    result = _run(world, workbook_bytes([row(full_name="Nguyễn Thị Hoa", phone="0912000902")]),
                  confirm_identity=True)
    assert [(e.code, "Phạm Thu Hà" in e.message) for e in result.errors] == [("duplicate_phone", False)]
    assert _count() == 2


# --- the API -------------------------------------------------------------------------------------------


def _post(client, headers, data: bytes, query: str):
    return client.post(f"/api/v1/participants/import{query}", data={"file": (io.BytesIO(data), "ds.xlsx")},
                       headers=headers, content_type="multipart/form-data")


def test_api_lists_changes_and_refuses_conflicts_until_confirmed(app, client, world, auth):
    headers, person = auth(world["org_district"]), world["person"]
    changed = _post(client, headers, workbook_bytes([_binh_row(position="Trưởng thôn")]), "?dry_run=1")
    assert changed.status_code == 200 and changed.json["changes"] == [
        {"row": 2, "participant_id": person.id, "field": "position", "old": "", "new": "Trưởng thôn"}]
    data = workbook_bytes([row(full_name="Nguyễn Thị Hoa", phone="0987000001")])
    conflict = _post(client, headers, data, "")
    assert conflict.status_code == 422 and conflict.json["errors"][0]["code"] == "identity_conflict"
    assert conflict.json["errors"][0]["participant_id"] == person.id and "confirm_identity" in \
        conflict.json["error"]["message"]
    done = _post(client, headers, data, "?confirm_identity=1")
    assert done.status_code == 200 and done.json["created"] == 1 and done.json["confirm_identity"] is True
    assert done.json["changes"] == [{"row": 2, "participant_id": person.id, "field": "phone", "old": "0987000001",
                                     "new": None}]
    assert db.session.get(Participant, done.json["participant_ids"][0]).full_name == "Nguyễn Thị Hoa"


# --- the page ------------------------------------------------------------------------------------------


def _upload(client, data: bytes):
    token = csrf_token_from(client.get("/participants/import").get_data(as_text=True))
    return client.post("/participants/import", data={"csrf_token": token, "file": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")


def _token(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def _change(html: str, label: str) -> tuple[str, str]:
    """(old, new) of the changed field `label` listed on the page."""
    match = re.search(rf'<strong>{label}</strong>: <span class="old text-muted">([^<]*)</span> → '
                      r'<span class="new">([^<]*)</span>', html)
    assert match, f"no change of {label} listed"
    return match.group(1), match.group(2)


def test_page_dry_run_shows_each_changed_field_old_and_new(app, client, world):
    login(client, world["org_district"].email)
    response = _upload(client, workbook_bytes([_binh_row(unit="07309 - Xã Cao Xá", position="Trưởng thôn")]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="import-changes"' in html
    assert _change(html, "Đơn vị") == ("07306 - Thị trấn Nhã Nam", "07309 - Xã Cao Xá")
    assert _change(html, "Chức vụ") == ("(trống)", "Trưởng thôn")
    assert "cập nhật 1 người đã có" in html


def test_page_shows_conflicts_and_confirms_them_in_two_steps(app, client, world):
    person = world["person"]
    login(client, world["org_district"].email)
    response = _upload(client, workbook_bytes([row(full_name="Nguyễn Thị Hoa", phone="0987000001")]))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="identity-conflicts"' in html and "Trần Văn Bình" in html
    assert "/participants/import/confirm" not in html
    token = _token(html)
    unticked = client.post("/participants/import/identities", data={"csrf_token": csrf_token_from(html),
                                                                    "token": token})
    assert unticked.status_code == 422 and "Hãy đánh dấu ô xác nhận" in unticked.get_data(as_text=True)
    checked = client.post("/participants/import/identities", data={"csrf_token": csrf_token_from(html),
                                                                  "token": token, "checked": "y"})
    page = checked.get_data(as_text=True)
    assert checked.status_code == 200 and "sẽ thêm 1 người mới" in page
    assert _change(page, "Số điện thoại") == ("0987000001", "(trống)")
    assert 'name="confirm_identity" type="hidden" value="1"' in page and _count() == 1
    done = client.post("/participants/import/confirm", data={"csrf_token": csrf_token_from(page),
                                                            "token": _token(page), "confirm_identity": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Participant, person.id).phone is None
    hoa = db.session.scalars(select(Participant).where(Participant.phone == "0987000001")).one()
    assert hoa.full_name == "Nguyễn Thị Hoa" and _count() == 2


def test_page_confirm_without_the_flag_refuses_a_conflict(app, client, world):
    login(client, world["org_district"].email)
    html = _upload(client, workbook_bytes([row(full_name="Nguyễn Thị Hoa", phone="0987000001")])).get_data(
        as_text=True)
    response = client.post("/participants/import/confirm", data={"csrf_token": csrf_token_from(html),
                                                                "token": _token(html)})
    assert response.status_code == 422 and _count() == 1
    db.session.expire_all()
    assert db.session.get(Participant, world["person"].id).phone == "0987000001"
