"""The Excel template (headers, notice, dropdown lists) and exports (content, audit log)."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import login
from trainer.audit.models import AuditEntry
from trainer.curricula.models import TARGET_GROUP_LABELS
from trainer.extensions import db
from trainer.participants.ethnicity import ETHNIC_GROUPS
from trainer.participants.excel.columns import COLUMNS
from trainer.participants.services import import_participants

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _template(client, user) -> bytes:
    login(client, user.email)
    response = client.get("/participants/template.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def _list_values(workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.split("!")
    start, end = cells.replace("$", "").split(":")
    return [c.value for (c,) in workbook[sheet_name][f"{start}:{end}"]]


def test_template_has_vietnamese_headers_notice_and_dropdowns(app, client, world):
    workbook = load_workbook(io.BytesIO(_template(client, world["org_district"])))
    sheet = workbook["Danh sách"]
    texts = [sheet.cell(row=r, column=1).value or "" for r in range(1, 10)]
    notice = " ".join(texts)
    for words in ("THÔNG BÁO VỀ XỬ LÝ DỮ LIỆU CÁ NHÂN", "Mục đích", "Dự án 6", "Dữ liệu lưu", "Bên nhận",
                  "Thời gian lưu", "Quyền của bạn", app.config["PRIVACY_NOTICE_VERSION"]):
        assert words in notice
    header_row = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "Họ và tên (*)")
    assert [c.value for c in sheet[header_row][:len(COLUMNS)]] == [c.header for c in COLUMNS]
    lists = workbook["DanhMuc"]
    assert lists.sheet_state == "hidden"
    by_column = {str(v.sqref)[0]: v for v in sheet.data_validations.dataValidation}
    letters = {c.key: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}
    assert set(by_column) == {letters[k] for k in ("gender", "ethnicity", "unit", "target_group")}
    assert all(v.type == "list" and v.showErrorMessage for v in by_column.values())
    assert _list_values(workbook, by_column[letters["gender"]].formula1) == ["Nữ", "Nam"]
    assert _list_values(workbook, by_column[letters["ethnicity"]].formula1) == list(ETHNIC_GROUPS)
    assert _list_values(workbook, by_column[letters["target_group"]].formula1) == \
        [str(v) for v in TARGET_GROUP_LABELS.values()]
    assert _list_values(workbook, by_column[letters["unit"]].formula1) == [
        "216 - Huyện Tân Yên", "07306 - Thị trấn Nhã Nam", "07309 - Xã Cao Xá"]  # what the user manages
    assert sheet.column_dimensions[letters["phone"]].number_format == "@"


def test_filled_in_template_imports_cleanly(app, client, world):
    workbook = load_workbook(io.BytesIO(_template(client, world["org_district"])))
    sheet = workbook["Danh sách"]
    header_row = next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "Họ và tên (*)")
    sheet.append(["Lò Văn Pó", "Nam", "02/09/1979", "Thái", "0912 000 111", "", "07309 - Xã Cao Xá", "Trưởng thôn",
                  str(TARGET_GROUP_LABELS[next(iter(TARGET_GROUP_LABELS))])])
    assert sheet.max_row == header_row + 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    result = import_participants(buffer, actor=world["org_district"], dry_run=False)
    assert result.errors == [] and result.participants[0].unit.code == "07309"
    assert result.participants[0].ethnic_minority is True


def test_export_writes_the_filtered_list_and_logs_who_and_what(app, client, world, f):
    f.participant(world["commune_b"], full_name="Đỗ Thị Lan", phone="0911222333", ethnic_minority=True)
    login(client, world["reviewer"].email)
    response = client.get("/participants/export.xlsx?unit=07309&q=lan")
    assert response.status_code == 200 and response.mimetype == XLSX
    sheet = load_workbook(io.BytesIO(response.data))["Danh sách"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Mã cá nhân", "Họ và tên", "Giới tính")
    assert [r[2] for r in rows[1:]] == ["Đỗ Thị Lan"] and rows[1][5] == "Có" and rows[1][6] == "0911222333"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.export")).one()
    assert entry.actor_id == world["reviewer"].id and entry.at is not None
    assert entry.details == {"kind": "list", "count": 1, "filters": {
        "unit": "07309", "scheme": "2024", "target_group": None, "search": True}}
    assert "lan" not in str(entry.details).lower().replace("list", "")  # the search text is not kept


def test_export_without_filters_is_the_whole_registry_in_scope(app, client, world, f):
    f.participant(world["hanoi_commune"], full_name="Phạm Thu Hà", phone="0911222334")
    login(client, world["org_province"].email)
    response = client.get("/participants/export.xlsx")
    names = [r[2] for r in load_workbook(io.BytesIO(response.data))["Danh sách"].iter_rows(min_row=2, values_only=True)]
    assert names == ["Trần Văn Bình"]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "participant.export")).one()
    assert entry.details["kind"] == "registry" and entry.details["count"] == 1
