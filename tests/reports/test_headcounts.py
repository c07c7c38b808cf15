"""Official headcounts of officers to train (`officers_in_post`) and the coverage they give: the API, the
entry page, and the report's figures (a unit's own entry, else the sum of its children's)."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from tests.conftest import csrf_token_from, login
from tests.factories import Factories
from tests.reports.conftest import Dataset
from trainer.accounts.services import issue_api_token
from trainer.audit.models import AuditEntry
from trainer.extensions import db
from trainer.reports.models import OfficerHeadcount
from trainer.reports.queries import indicator_report
from trainer.reports.queries.base import Period


def _put(client, user, body: dict, query: str = ""):
    return client.put(f"/api/v1/reports/headcounts{query}", json=body,
                      headers={"Authorization": f"Bearer {issue_api_token(user)}"})


def test_reviewer_enters_a_headcount_and_the_report_divides_by_it(client, data: Dataset, f: Factories):
    reviewer = f.user("reviewer", data.t["province"])
    response = _put(client, reviewer, {"unit_code": "24", "year": 2024, "officers_in_post": 10})
    assert response.status_code == 200
    assert response.json == {"unit": {"code": "24", "name": "Tỉnh Bắc Giang", "level": "province"}, "year": 2024,
                             "officers_in_post": 10}
    report = indicator_report(data.t["province"], year=2024)
    assert (report["officers_in_post"], report["coverage_percent"]) == (10, 40.0)  # 4 trained of 10
    assert [(row["officers_in_post"], row["coverage_percent"]) for row in report["rows"]] == [(None, None)] * 2
    # the registry stays a figure of its own: 4 trained of the 8 registered
    assert (report["registry"]["trained"], report["registry"]["registered"]) == (4, 8)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "report.headcount_set"))
    assert entry.details == {"year": 2024, "before": None, "after": 10} and entry.unit_id == data.t["province"].id
    assert indicator_report(data.t["province"], year=2023)["officers_in_post"] is None  # another year
    assert indicator_report(data.t["province"])["coverage_percent"] is None  # all years: no one headcount


def test_a_unit_without_its_own_entry_is_the_sum_of_its_children(client, data: Dataset, f: Factories):
    admin = f.user("admin")
    for code, n in (("07306", 4), ("07309", 3), ("217", 6)):
        assert _put(client, admin, {"unit_code": code, "year": 2024, "officers_in_post": n}).status_code == 200
    report = indicator_report(data.t["province"], year=2024)
    # Tân Yên entered nothing: its communes' 4 + 3; Yên Thế entered 6; the province is their sum
    assert [row["officers_in_post"] for row in report["rows"]] == [7, 6]
    assert [row["coverage_percent"] for row in report["rows"]] == [42.9, 16.7]  # 3 of 7, 1 of 6
    assert (report["officers_in_post"], report["coverage_percent"]) == (13, 30.8)  # 4 of 13
    district = indicator_report(data.t["district"], year=2024)
    assert (district["officers_in_post"], [row["officers_in_post"] for row in district["rows"]]) == (7, [4, 3])
    # the district's own entry overrides its communes' sum, for itself and for the province
    assert _put(client, admin, {"unit_code": "216", "year": 2024, "officers_in_post": 20}).status_code == 200
    report = indicator_report(data.t["province"], year=2024)
    assert ([row["officers_in_post"] for row in report["rows"]], report["officers_in_post"]) == ([20, 6], 26)
    assert indicator_report(data.t["district"], year=2024)["rows"][0]["officers_in_post"] == 4
    # a date range within one year is measured against that year's headcount
    ranged = indicator_report(data.t["province"], date_from=Period.of_year(2024).date_from,
                              date_to=Period.of_year(2024, 1).date_to)
    assert ranged["officers_in_post"] == 26
    # null clears
    assert _put(client, admin, {"unit_code": "216", "year": 2024, "officers_in_post": None}).json[
        "officers_in_post"] is None
    assert indicator_report(data.t["province"], year=2024)["officers_in_post"] == 13


def test_who_may_enter_headcounts(client, data: Dataset, f: Factories):
    body = {"unit_code": "07306", "year": 2024, "officers_in_post": 5}
    organizer = _put(client, f.user("organizer", data.t["province"]), body)
    assert (organizer.status_code, organizer.json["error"]["code"]) == (403, "forbidden")
    other = _put(client, f.user("reviewer", data.t["district2"]), body)  # Yên Thế's reviewer, a Tân Yên commune
    assert (other.status_code, other.json["error"]["code"]) == (404, "unit_not_found")
    assert _put(client, f.user("reviewer", data.t["district"]), body).status_code == 200
    assert client.put("/api/v1/reports/headcounts", json=body).status_code == 401


def test_bad_values_are_refused_in_vietnamese(client, data: Dataset, f: Factories):
    reviewer = f.user("reviewer", data.t["province"])
    for body, code in (({"unit_code": "24", "year": 2024, "officers_in_post": -1}, "invalid_headcount"),
                       ({"unit_code": "24", "year": 1800, "officers_in_post": 3}, "invalid_year"),
                       ({"unit_code": "24", "year": 2024, "officers_in_post": "many"}, "invalid_headcount")):
        response = _put(client, reviewer, body)
        assert response.status_code == 422, body
        assert response.json["error"]["code"] == code
    assert _put(client, reviewer, {"unit_code": "99999", "year": 2024, "officers_in_post": 3}).status_code == 404
    assert indicator_report(data.t["province"], year=2024)["officers_in_post"] is None


def test_entry_page_saves_all_or_keeps_what_was_typed(client, data: Dataset, f: Factories):
    login(client, f.user("reviewer", data.t["province"]).email)
    page = client.get("/reports/headcounts?unit=24&year=2024")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="u24"' in html and 'name="u216"' in html and 'name="u217"' in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    bad = client.post("/reports/headcounts", data={"csrf_token": token, "unit": "24", "year": "2024",
                                                   "u24": "", "u216": "12", "u217": "mười"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Số cán bộ phải là số nguyên từ 0 đến 1.000.000." in html
    assert 'value="12"' in html and 'value="mười"' in html  # what was typed stays
    assert indicator_report(data.t["province"], year=2024)["officers_in_post"] is None  # nothing half-saved
    good = client.post("/reports/headcounts", data={"csrf_token": token, "unit": "24", "year": "2024",
                                                    "u24": "", "u216": "12", "u217": "8"})
    assert good.status_code == 302
    report_page = client.get("/reports/?unit=24&year=2024").get_data(as_text=True)
    figures = report_page.split('id="figures"', 1)[1].split('id="charts"', 1)[0]
    assert "20 %" in figures and "4 / 20 cán bộ cần bồi dưỡng" in figures  # 4 trained of 12 + 8
    assert 'href="/reports/headcounts?unit=24&amp;year=2024"' in report_page
    assert client.post("/reports/headcounts", data={"unit": "24", "year": "2024", "u216": "1"}).status_code == 400


def test_organizers_do_not_see_the_entry_page(client, data: Dataset, f: Factories):
    login(client, f.user("organizer", data.t["province"]).email)
    assert client.get("/reports/headcounts?unit=24").status_code == 403
    assert "/reports/headcounts" not in client.get("/reports/?unit=24&year=2024").get_data(as_text=True)


# --- Excel -------------------------------------------------------------------------------------


def _workbook(rows: list[tuple]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Danh sách gửi Sở"])
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Số cán bộ cần bồi dưỡng"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _upload(client, body: io.BytesIO, name: str = "so-can-bo.xlsx", unit: str = "24"):
    html = client.get(f"/reports/headcounts?unit={unit}&year=2024").get_data(as_text=True)
    return client.post("/reports/headcounts/import", data={
        "csrf_token": csrf_token_from(html), "unit": unit, "year": "2024", "file": (body, name)},
        content_type="multipart/form-data")


def test_the_list_downloads_fills_in_excel_and_uploads_back(client, data: Dataset, f: Factories):
    login(client, f.user("reviewer", data.t["province"]).email)
    db.session.add(OfficerHeadcount(unit_id=data.t["district2"].id, year=2024, officers_in_post=9))
    db.session.commit()
    response = client.get("/reports/headcounts.xlsx?unit=24&year=2024")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows == [["Mã đơn vị", "Tên đơn vị", "Số cán bộ cần bồi dưỡng"], ["24", "Tỉnh Bắc Giang", None],
                    ["216", "Huyện Tân Yên", None], ["217", "Huyện Yên Thế", 9]]
    sheet["C5"], sheet["C6"] = 12, None  # Tân Yên filled in, Yên Thế cleared
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    buffer.seek(0)
    assert _upload(client, buffer).status_code == 302
    report = indicator_report(data.t["province"], year=2024)
    assert ([row["officers_in_post"] for row in report["rows"]], report["officers_in_post"]) == ([12, None], 12)


def test_codes_typed_as_numbers_are_found(client, data: Dataset, f: Factories):
    login(client, f.user("reviewer", data.t["district"]).email)
    # Excel drops the leading zero of 07306 typed as a number
    assert _upload(client, _workbook([(7306, "Thị trấn Nhã Nam", 4), ("07309", "Xã Cao Xá", 3.0)]),
                   unit="216").status_code == 302
    assert [row["officers_in_post"] for row in indicator_report(data.t["district"], year=2024)["rows"]] == [4, 3]


def test_bad_rows_are_each_reported_and_nothing_is_saved(client, data: Dataset, f: Factories):
    login(client, f.user("reviewer", data.t["province"]).email)
    response = _upload(client, _workbook([("216", "Huyện Tân Yên", 5), ("99999", "Xã Lạ", 2), ("217", "", -3),
                                          ("216", "Huyện Tân Yên", 6), ("24", "Tỉnh", "nhiều")]))
    assert response.status_code == 422
    problems = re.findall(r"<li>(Dòng \d+: [^<]*)</li>", response.get_data(as_text=True).split('id="problems"')[1])
    assert problems == [
        "Dòng 4: Mã đơn vị “99999” không thuộc danh sách của trang này.",
        "Dòng 5: Số cán bộ phải là số nguyên từ 0 đến 1.000.000.",
        "Dòng 6: Đơn vị 216 đã có ở dòng 3.",
        "Dòng 7: Số cán bộ phải là số nguyên từ 0 đến 1.000.000."]
    assert indicator_report(data.t["province"], year=2024)["rows"][0]["officers_in_post"] is None


def test_a_file_that_is_not_a_workbook_gets_a_message(client, data: Dataset, f: Factories):
    login(client, f.user("reviewer", data.t["province"]).email)
    response = _upload(client, io.BytesIO(b"Ma don vi;So can bo\n216;5\n"), name="danh-sach.xlsx")
    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)
    empty = _upload(client, _workbook([]), name="x.xlsx")
    assert empty.status_code == 422 and "Tệp không có dòng số liệu nào dưới dòng tiêu đề." in empty.get_data(
        as_text=True)
    assert indicator_report(data.t["province"], year=2024)["officers_in_post"] is None
    assert client.post("/reports/headcounts/import", data={"unit": "24", "year": "2024"}).status_code == 400
