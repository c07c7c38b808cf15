"""In a real browser: the projector shows a session's QR, a trainee's phone opens it and checks in,
and the projector lists the name within seconds."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_trainee_checks_in_from_a_phone_and_appears_on_the_projector(page: Page, phone_page: Page,
                                                                     running_class) -> None:
    organizer, course_session = running_class["organizer"], running_class["session"]

    log_in(page, organizer.email, PASSWORD)
    page.goto(f"/sessions/{course_session.id}/projector")
    expect(page.locator(".session")).to_contain_text("Sáng thứ Ba")
    expect(page.locator("#present")).to_have_text("0")
    qr_url = page.locator("#qr").get_attribute("data-url")
    assert qr_url and "/c/" in qr_url

    phone_page.goto(qr_url)  # what the phone's camera opens
    expect(phone_page.locator("h1")).to_have_text("Sáng thứ Ba")
    phone_page.get_by_label("Số điện thoại đã đăng ký").fill("+84 91 234 5600")
    phone_page.get_by_role("button", name="Điểm danh").click()
    expect(phone_page.locator("#result")).to_contain_text("Điểm danh thành công.")
    expect(phone_page.locator("#result")).to_contain_text("Nguyễn Thị Hằng")

    expect(page.locator("#attendees")).to_contain_text("Nguyễn Thị Hằng", timeout=10_000)
    expect(page.locator("#present")).to_have_text("1")

    # the same phone later: one tap, no typing
    phone_page.goto(qr_url)
    expect(phone_page.locator("button[name=one_tap]")).to_be_visible()
    expect(phone_page.locator("form")).to_contain_text("Nguyễn Thị Hằng")
    phone_page.get_by_role("button", name="Điểm danh", exact=True).click()
    expect(phone_page.locator("#result")).to_contain_text("Bạn đã điểm danh buổi này rồi.")
