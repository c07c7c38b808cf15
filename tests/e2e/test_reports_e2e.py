"""In a real browser: a district reviewer opens the indicator dashboard, drills down to a commune and
downloads the report as .xlsx and .pdf."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.factories import PASSWORD, Factories
from tests.reports.conftest import Dataset, data  # noqa: F401 - the dataset fixture, shared
from trainer.extensions import db

pytestmark = pytest.mark.e2e


def test_district_reviewer_drills_down_and_downloads(page: Page, data: Dataset, f: Factories) -> None:  # noqa: F811
    reviewer = f.user("reviewer", data.t["district"])
    db.session.commit()
    page.goto("/login")
    page.get_by_label("Email").fill(reviewer.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto("/reports/")
    expect(page.locator("h1")).to_have_text("Báo cáo chỉ tiêu Đề án 6: Huyện Tân Yên")
    page.get_by_label("Năm").select_option("2024")
    page.get_by_role("button", name="Xem báo cáo").click()
    expect(page).to_have_url(re.compile(r"year=2024"))
    expect(page.locator("#figures")).to_contain_text("Số người được bồi dưỡng")
    expect(page.locator("#charts svg:visible")).to_have_count(3)  # the unit chart drawn for a phone is hidden

    page.locator("#rows").get_by_role("link", name="Thị trấn Nhã Nam").click()
    expect(page.locator("h1")).to_have_text("Báo cáo chỉ tiêu Đề án 6: Thị trấn Nhã Nam")
    expect(page).to_have_url(re.compile(r"unit=07306.*year=2024|year=2024.*unit=07306"))
    expect(page.locator("#rows tfoot")).to_contain_text("Tổng cộng")

    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="Tải báo cáo Excel (.xlsx)").click()
    workbook = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()))
    assert workbook["Báo cáo"]["A8"].value == "Địa bàn: Thị trấn Nhã Nam"
    assert [row[1] for row in workbook["Danh sách"].iter_rows(min_row=5, max_row=6, values_only=True)] == [
        "Nguyễn Thị Hằng", "Đặng Văn Ước"]

    page.get_by_label("Số báo cáo").fill("5")
    page.get_by_label("Ngày báo cáo (ngày ký)").fill("2025-01-10")
    pdf_url = page.evaluate("""() => {
        const form = document.getElementById('export-form');
        const button = [...form.querySelectorAll('button')].find(b => b.textContent.includes('PDF'));
        return button.formAction + '?' + new URLSearchParams(new FormData(form)).toString();
    }""")
    response = page.request.get(pdf_url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Kết quả bồi dưỡng, tập huấn cán bộ thông tin và truyền thông cơ sở năm 2024" in text
    assert "Số: 05/BC-UBND" in text and "Nhã Nam, ngày 10 tháng 01 năm 2025" in text
