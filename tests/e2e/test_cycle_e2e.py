"""In a real browser, the reporting cycle of issue 17: a district organizer plans the year, drafts the annual
report from the figures of its courses, writes it and sends it; the province's reviewer returns it with a
comment; the organizer sees the return on the dashboard, fixes the report and sends it again; the reviewer
approves it, and the district's course pages then say the period is locked."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD, Factories
from tests.reports.conftest import Dataset, data  # noqa: F401 - the dataset fixture, shared
from trainer.extensions import db

pytestmark = pytest.mark.e2e


def _sign_in(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_plan_report_return_fix_resubmit_approve(page: Page, browser: Browser, live_server: str,
                                                 data: Dataset, f: Factories, clock_at) -> None:  # noqa: F811
    clock_at.set(datetime(2024, 10, 21, 2, tzinfo=UTC))
    organizer = f.user("organizer", data.t["district"])
    reviewer = f.user("reviewer", data.t["province"])
    db.session.commit()

    # The organizer plans 2024: two CT1 classes for 60 trainees.
    _sign_in(page, organizer.email)
    page.goto("/cycle/plans?year=2024")
    page.locator("#classes_CT1_all").fill("2")
    page.locator("#trainees_CT1_all").fill("60")
    page.locator("#save-plan").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu kế hoạch năm 2024 của Huyện Tân Yên.")
    expect(page.locator("#plan-actual")).to_contain_text("CT1")
    page.goto("/")
    expect(page.locator("#plan-progress")).to_contain_text("Số lớp: 1 / 2 theo kế hoạch; lượt người tham dự: 4 / 60.")

    # ... and drafts the annual report from the figures of the year's courses.
    page.get_by_role("link", name="Báo cáo định kỳ").first.click()
    page.get_by_label("Kỳ báo cáo").select_option("2024")
    page.get_by_role("button", name="Xem").click()
    page.locator("#create-report").click()
    expect(page.locator("#report-status")).to_contain_text("Đang soạn")
    expect(page.locator("#figures")).to_contain_text("Lượt người tham dự")
    page.get_by_label("1. Kết quả thực hiện").fill("Tổ chức 01 lớp CT1 tại Thị trấn Nhã Nam.")
    page.get_by_label("4. Đề xuất, kiến nghị").fill("Đề nghị tỉnh bổ sung kinh phí.")
    page.locator("#save-narrative").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu nội dung báo cáo.")
    page.locator("#submit-report").click()
    expect(page.locator("#report-status")).to_contain_text("Đã gửi, chờ duyệt")
    report_url = page.url

    # The province's reviewer sees it on the board and returns it with a comment.
    with browser.new_context(base_url=live_server, locale="vi-VN") as context:
        province = context.new_page()
        _sign_in(province, reviewer.email)
        expect(province.locator("#cycle-reminders")).to_contain_text("1 báo cáo của đơn vị trực thuộc đang chờ duyệt.")
        province.goto("/cycle/reports?period=2024")
        row = province.locator('#board tr[data-unit="216"]')
        expect(row).to_contain_text("Đã gửi, chờ duyệt")
        expect(province.locator('#board tr[data-unit="217"]')).to_contain_text("Chưa lập báo cáo")
        row.get_by_role("link", name="Mở").click()
        province.get_by_label("Ý kiến khi trả lại").fill("Bổ sung đánh giá chung.")
        province.locator("#return-report").click()
        expect(province.locator("#report-status")).to_contain_text("Bị trả lại")

        # The organizer sees the return on the dashboard, fixes the report and sends it again.
        page.goto("/")
        page.locator("#cycle-reminders").get_by_role("link", name="Sửa và gửi lại").click()
        expect(page).to_have_url(report_url)
        expect(page.locator("#review-comment")).to_contain_text("Bổ sung đánh giá chung.")
        page.get_by_label("2. Đánh giá chung").fill("Đạt 50% kế hoạch số lớp.")
        page.locator("#save-narrative").click()
        page.locator("#submit-report").click()
        expect(page.locator("#report-status")).to_contain_text("Đã gửi, chờ duyệt")

        # The reviewer approves it: the figures are frozen and the period locked.
        province.reload()
        province.locator("#approve-report").click()
        expect(province.locator("#report-status")).to_contain_text("Đã duyệt")
        expect(province.locator("#locked-note")).to_be_visible()
        expect(province.locator("#history")).to_contain_text("Trả lại")
        with province.expect_download() as pdf:
            province.get_by_role("link", name="Tải Excel").click()
        assert pdf.value.suggested_filename == "bao-cao-216-2024.xlsx"

    for url in (f"/courses/{data.courses['K1'].id}", f"/courses/{data.courses['K1'].id}/enrol"):
        page.goto(url)
        expect(page.locator("#period-locked")).to_contain_text("năm 2024 của Huyện Tân Yên đã được cấp trên duyệt")
