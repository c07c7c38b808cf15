"""The Excel import: dry run, all-or-nothing, re-import updates, every kind of bad file and bad cell."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.participants.helpers import HEADERS, count_statements, row, workbook_bytes
from trainer.audit.models import AuditEntry
from trainer.core.errors import DomainError
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.participants.services import import_participants

NOW = datetime.fromisoformat("2025-06-01T09:00:00+07:00")


def _run(world, data: bytes, *, dry_run: bool = False, actor: str = "org_district"):
    return import_participants(io.BytesIO(data), actor=world[actor], dry_run=dry_run, now=NOW)


def _count() -> int:
    return db.session.scalar(select(func.count(Participant.id)))


def _errors(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


# --- a good file ----------------------------------------------------------------------------------


def test_dry_run_counts_without_writing(app, world):
    result = _run(world, workbook_bytes([row(), row()]), dry_run=True)
    assert (result.rows, result.created, result.updated, result.errors) == (2, 2, 0, [])
    assert result.participants == [] and _count() == 1


def test_import_creates_people_in_file_order_with_every_rule_applied(app, world):
    nfd = unicodedata.normalize("NFD", "Lò Thị Mai")
    result = _run(world, workbook_bytes([
        row(full_name=nfd, phone="+84 91 234 5601", ethnicity="Thái", email="Mai@Example.vn"),
        row(full_name="Nguyễn Văn An", gender="Nam", birth_date=None, unit="07309 - Xã Cao Xá",
            target_group="party_info_staff")]))
    assert (result.created, result.updated, result.errors) == (2, 0, [])
    mai, an = result.participants
    assert mai.full_name == "Lò Thị Mai" and mai.name_search == "lo thi mai" and mai.phone == "0912345601"
    assert mai.ethnic_minority is True and mai.email == "mai@example.vn" and mai.unit.code == "07306"
    assert an.gender.value == "male" and an.birth_date is None and an.unit.name == "Xã Cao Xá"
    assert an.target_group.value == "party_info_staff" and an.ethnic_minority is False
    assert len({mai.code, an.code}) == 2 and all(len(p.code) == 8 for p in (mai, an))
    assert mai.notice_version == app.config["PRIVACY_NOTICE_VERSION"]
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["participant.create", "participant.create", "participant.import"]


def test_reimporting_the_same_file_updates_instead_of_duplicating(app, world):
    data = workbook_bytes([row(phone="0912000001"), row(phone="0912000002")])
    first = _run(world, data)
    db.session.commit()
    again = _run(world, data)
    assert (again.created, again.updated, again.unchanged, again.errors, again.changes) == (0, 0, 2, [], [])
    assert [p.id for p in again.participants] == [p.id for p in first.participants] and _count() == 3


def test_reimport_applies_the_changes_of_the_file(app, world):
    _run(world, workbook_bytes([row(phone="0912000001", position="Cán bộ")]))
    result = _run(world, workbook_bytes([row(phone="091 200 0001", position="Phó Chủ tịch",
                                             unit="07309 - Xã Cao Xá", ethnicity="")]))
    person = result.participants[0]
    assert result.updated == 1 and person.position == "Phó Chủ tịch" and person.unit.code == "07309"
    assert person.ethnic_minority is False  # an empty ethnicity keeps the stored flag
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.update")).one()
    assert entry.details["fields"] == ["position", "unit_id"] and entry.object_id == person.id


def test_header_may_sit_below_notes_and_columns_may_move(app, world):
    headers = ["STT", "SĐT", "Họ và tên", "Giới tính", "Dân tộc", "Đơn vị", "Nhóm đối tượng"]
    data = workbook_bytes([[1, "0912000009", "Hà Văn Tú", "nam", "Tày", "07306", "commune_culture_officer"]],
                          headers=headers, above=5)
    result = _run(world, data)
    assert result.errors == [] and result.participants[0].full_name == "Hà Văn Tú"


def test_numbers_typed_in_general_cells_get_their_leading_zeros_back(app, world):
    result = _run(world, workbook_bytes([row(phone=912000003, unit=7306)]))
    assert result.errors == [] and result.participants[0].phone == "0912000003"
    assert result.participants[0].unit.code == "07306"


def test_real_date_cells_and_text_dates_are_both_accepted(app, world):
    result = _run(world, workbook_bytes([row(birth_date=datetime(1985, 3, 15)), row(birth_date="15/03/1985")]))
    assert [p.birth_date.isoformat() for p in result.participants] == ["1985-03-15", "1985-03-15"]


def _five_thousand(position: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for i in range(5000):
        sheet.append(row(full_name=f"Người Thứ {i}", phone=f"0356{i:06d}", ethnicity="Tày" if i % 2 else "Kinh",
                         position=position))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_5000_rows_import_in_a_bounded_number_of_statements(app, world):
    db.session.commit()
    with count_statements() as seen:
        result = _run(world, _five_thousand("Cán bộ"))
    assert (result.created, result.errors) == (5000, []) and len(result.participants) == 5000
    assert len(seen) <= 20, len(seen)
    assert _count() == 5001
    db.session.commit()
    with count_statements() as again:
        result = _run(world, _five_thousand("Phó Chủ tịch"))
    assert (result.updated, len(result.changes)) == (5000, 5000) and len(again) <= 20, len(again)
    assert {(c.field, c.old, c.new) for c in result.changes} == {("position", "Cán bộ", "Phó Chủ tịch")}


# --- bad cells: every problem with its row and column, nothing written ---------------------------


def test_formula_cells_are_flagged(app, world):
    data = workbook_bytes([row(), row(phone="=A1", full_name='=CONCATENATE("A","B")')])
    result = _run(world, data)
    assert [(r, c) for r, c, _ in _errors(result)] == [(3, "Họ và tên"), (3, "Số điện thoại")]
    assert all("công thức" in m for _, _, m in _errors(result))
    assert result.created == 0 and _count() == 1


@pytest.mark.parametrize(("value", "fragment"), [
    ("1985-15-03", "không có thật"), ("31/02/1990", "không có thật"), ("15/03/2030", "tương lai"),
    ("ngày 15", "dạng ngày/tháng/năm"), (9999, "dạng ngày/tháng/năm"), (1985, "chỉ có năm"),
    ("1985", "chỉ có năm"), ("31/02/85", "không có thật")])
def test_impossible_or_badly_written_dates_are_reported(app, world, value, fragment):
    result = _run(world, workbook_bytes([row(birth_date=value)]))
    assert len(result.errors) == 1 and result.errors[0].row == 2 and result.errors[0].column == "Ngày sinh"
    assert fragment in result.errors[0].message and _count() == 1


def test_unknown_and_unmanaged_units_are_reported(app, world):
    result = _run(world, workbook_bytes([row(unit="99999 - Xã Không Có"), row(unit="00001 - Phường Phúc Xá")]))
    (r1, c1, m1), (r2, c2, m2) = _errors(result)
    assert (r1, c1, r2, c2) == (2, "Đơn vị", 3, "Đơn vị")
    assert "99999" in m1 and "không có quyền" in m2


def test_duplicate_phones_inside_the_file_report_both_rows(app, world):
    result = _run(world, workbook_bytes([row(phone="0912000001"), row(), row(phone="+84 912 000 001")]))
    assert _errors(result) == [(2, "Số điện thoại", "Số điện thoại trùng với dòng 4 trong tệp."),
                               (4, "Số điện thoại", "Số điện thoại trùng với dòng 2 trong tệp.")]
    assert _count() == 1


def test_every_problem_of_a_row_is_reported_and_good_rows_are_not_written(app, world):
    data = workbook_bytes([row(), row(full_name="", gender="Khác", phone="123", ethnicity="Klingon",
                                      target_group="Nông dân", email="sai@", position="x" * 201)])
    result = _run(world, data)
    assert [c for r, c, _ in _errors(result)] == ["Họ và tên", "Giới tính", "Dân tộc", "Số điện thoại", "Email",
                                                  "Chức vụ", "Nhóm đối tượng"]
    assert {r for r, _, _ in _errors(result)} == {3} and result.created == 0 and _count() == 1


def test_a_new_person_needs_an_ethnicity(app, world):
    result = _run(world, workbook_bytes([row(ethnicity=None)]))
    assert _errors(result) == [(2, "Dân tộc", "Chưa nhập dân tộc.")]


def test_a_phone_of_someone_outside_the_scope_is_refused_without_naming_them(app, world, f):
    other = f.participant(world["hanoi_commune"], phone="0912000077")
    result = _run(world, workbook_bytes([row(phone="0912000077")]))
    ((number, column, message),) = _errors(result)
    assert (number, column, result.errors[0].code) == (2, "Số điện thoại", "duplicate_phone")
    assert "ngoài phạm vi" in message
    for secret in (other.code, other.full_name, "Phường Phúc Xá", "Hà Nội"):
        assert secret not in message


def test_reviewers_may_not_import(app, world):
    with pytest.raises(DomainError) as err:
        _run(world, workbook_bytes([row()]), actor="reviewer")
    assert err.value.code == "forbidden" and err.value.status == 403
