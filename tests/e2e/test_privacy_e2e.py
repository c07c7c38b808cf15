"""In a real browser, on a phone-sized screen: an organizer downloads a person's data, then anonymises them
after the confirmation page; both pages fit 360 px."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from trainer.core.text import fold
from trainer.extensions import db

pytestmark = pytest.mark.e2e


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_organizer_downloads_and_anonymises_on_a_phone(phone_page: Page, f: Factories, tmp_path) -> None:
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    person = f.participant(t["commune"], full_name="Phạm Thị Nguyệt Ánh", name_search=fold("Phạm Thị Nguyệt Ánh"),
                           email="anh.pham@example.vn", position="Phó Chủ tịch Hội Liên hiệp Phụ nữ xã")
    db.session.commit()
    page = phone_page
    log_in(page, organizer.email, PASSWORD)
    page.goto(f"/participants/{person.id}")
    _fits(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải dữ liệu cá nhân").click()
    data = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert data["participant"]["email"] == "anh.pham@example.vn"

    page.get_by_role("link", name="Ẩn danh hóa").click()
    expect(page.locator("h1")).to_contain_text("Ẩn danh hóa")
    _fits(page)
    page.screenshot(path=str(tmp_path / "anonymise.png"), full_page=True)
    page.get_by_role("button", name="Ẩn danh hóa vĩnh viễn").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()  # neither reason nor confirmation
    page.get_by_label("Lý do").fill("Theo đơn yêu cầu xóa dữ liệu ngày 05/12/2026")
    page.get_by_label("Tôi hiểu").check()
    page.get_by_role("button", name="Ẩn danh hóa vĩnh viễn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ẩn danh hóa người này")
    expect(page.locator("#anonymised-note")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Phạm Thị Nguyệt Ánh")
    _fits(page)
