"""The indicator dashboard: figures, drill-down, charts, filters in the URL, downloads, scope."""

from __future__ import annotations

import re
from html import unescape

from tests.conftest import login
from tests.documents.helpers import pdf_lines
from tests.factories import Factories
from tests.reports.conftest import Dataset
from trainer.accounts.services import issue_api_token


def _pdf_lines(body: bytes) -> list[str]:
    """The lines of every page of a PDF."""
    return [line for page in pdf_lines(body) for line in page]


def _page(client, f: Factories, unit, url: str, role: str = "reviewer"):
    login(client, f.user(role, unit).email)
    return client.get(url)


def _row_cells(html: str, name: str) -> list[str]:
    """The cells of the table row whose unit cell holds `name`."""
    table = html.split('id="rows"', 1)[1]
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row,
                                                                                        re.S)]
        if len(cells) > 1 and cells[1].startswith(name):
            return cells
    raise AssertionError(f"no row for {name}")


def test_dashboard_shows_figures_rows_and_charts(client, data: Dataset, f: Factories):
    response = _page(client, f, data.t["province"], "/reports/?unit=24&year=2024")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Báo cáo chỉ tiêu Đề án 6: Tỉnh Bắc Giang" in html
    assert "cơ sở năm 2024" in html
    # STT, unit, then Số lớp, Số buổi, Số giờ, lượt ghi danh, tham dự, hoàn thành, Số người được BD, Nữ, DTTS,
    # xã có, tổng xã, cán bộ cần bồi dưỡng, tỷ lệ (none entered), danh sách
    assert _row_cells(html, "Huyện Tân Yên")[2:] == ["1", "3", "10", "6", "6", "5", "3", "2", "2", "2", "2", "–", "–",
                                                     "5"]
    assert _row_cells(html, "Tỉnh Bắc Giang")[2:5] == ["1", "2", "8"]  # the province's own course
    footer = html.split("<tfoot>", 1)[1]
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", footer)).split()[:16] == [
        "Tổng", "cộng", "3", "5", "18", "9", "7", "6", "4", "3", "2", "3", "3", "–", "–", "8"]
    figures = html.split('id="figures"', 1)[1].split('id="charts"', 1)[0]
    assert "Lượt người tham dự" in figures and "9 lượt ghi danh · 6 lượt hoàn thành" in figures
    # four charts: by unit (drawn twice, for a desktop and for a phone), by curriculum, by target group
    assert html.count("<svg") == 4 and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert 'aria-label="Số người được bồi dưỡng theo đơn vị"' in html


def test_rows_drill_down_to_the_commune_keeping_the_filters(client, data: Dataset, f: Factories):
    html = _page(client, f, data.t["district"], "/reports/?year=2024&half=1").get_data(as_text=True)
    link = re.search(r'href="(/reports/\?[^"]*unit=07306[^"]*)"', html).group(1)
    assert "year=2024" in link and "half=1" in link
    commune = client.get(unescape(link)).get_data(as_text=True)
    assert "Báo cáo chỉ tiêu Đề án 6: Thị trấn Nhã Nam" in commune
    assert "6 tháng đầu năm 2024" in commune
    # the breadcrumb climbs back to the district but not to the province the reviewer cannot see
    assert 'href="/reports/?unit=216' in commune and "Tỉnh Bắc Giang" not in commune


def _export_form(html: str) -> tuple[dict[str, str], dict[str, str]]:
    """The export form's hidden fields and its buttons' targets by label."""
    form = html.split('id="export-form"', 1)[1].split("</form>", 1)[0]
    hidden = {unescape(k): unescape(v) for k, v in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form)}
    targets = {unescape(label): unescape(url) for url, label in re.findall(r'formaction="([^"]+)">([^<]+)</button>',
                                                                        form)}
    return hidden, targets


def test_download_form_carries_the_filters(client, data: Dataset, f: Factories):
    html = _page(client, f, data.t["province"], "/reports/?unit=216&from=2024-03-01&to=2024-12-31").get_data(
        as_text=True)
    hidden, targets = _export_form(html)
    assert hidden == {"unit": "216", "from": "2024-03-01", "to": "2024-12-31"}
    assert sorted(targets.values()) == ["/reports/indicators.pdf", "/reports/indicators.xlsx"]
    assert 'name="number"' in html and 'name="date"' in html
    for url in targets.values():
        assert client.get(url, query_string={**hidden, "number": "", "date": "2025-01-10"}).status_code == 200


def test_report_number_and_date_come_from_the_user(client, data: Dataset, f: Factories):
    login(client, f.user("reviewer", data.t["province"]).email)
    args = {"unit": "24", "year": "2024"}
    lines = _pdf_lines(client.get("/reports/indicators.pdf", query_string={**args, "number": "7",
                                                                            "date": "2025-01-10"}).data)
    assert "Số: 07/BC-STTTT" in lines and "Bắc Giang, ngày 10 tháng 01 năm 2025" in lines
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in lines  # the sector that ran the programme in 2024
    assert "- Sở Lao động - Thương binh và Xã hội;" in lines
    blank = _pdf_lines(client.get("/reports/indicators.pdf", query_string={**args, "number": ""}).data)
    assert "Số: …/BC-STTTT" in blank  # left for the pen; dated today
    refused = client.get("/reports/indicators.pdf", query_string={**args, "number": "abc", "date": "2025-13-01"})
    assert refused.status_code == 302
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Số báo cáo phải là số nguyên dương" in unescape(page)


def test_a_district_report_after_the_reform_asks_for_an_issuer(client, data: Dataset, f: Factories):
    login(client, f.user("reviewer", data.t["province"]).email)
    refused = client.get("/reports/indicators.pdf", query_string={"unit": "216", "year": "2025", "half": "2",
                                                                   "date": "2026-01-10"})
    assert refused.status_code == 302
    page = unescape(client.get(refused.headers["Location"]).get_data(as_text=True))
    assert "Không có cơ quan ban hành mặc định cho Huyện Tân Yên vào ngày 10/01/2026" in page


def test_exports_accept_a_bearer_token(client, data: Dataset, f: Factories):
    token = issue_api_token(f.user("reviewer", data.t["province"]))
    response = client.get("/reports/indicators.pdf?unit=24&year=2024", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.get("/reports/indicators.xlsx?unit=24", headers={"Authorization": "Bearer nope"}).status_code == 302


def test_export_with_a_bad_period_is_422(client, data: Dataset, f: Factories):
    response = _page(client, f, data.t["province"], "/reports/indicators.xlsx?unit=24&year=24x")
    assert response.status_code == 422 and "Năm phải là số" in response.get_data(as_text=True)
