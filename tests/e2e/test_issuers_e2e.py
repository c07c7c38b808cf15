"""In a real browser: a district organizer records who signed the district's documents in 2024, is refused an
overlapping period with a clear message, then gives a course after the reform its issuer."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, Factories
from trainer.extensions import db


def test_organizer_keeps_issuer_periods_and_a_course_issuer(page: Page, f: Factories) -> None:
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    course = f.course(t["district"], start_date=date(2026, 3, 2), end_date=date(2026, 3, 3))
    db.session.commit()
    page.goto("/login")
    page.get_by_label("Email").fill(organizer.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.goto(f"/units/{t['district'].id}/issuers")
    expect(page.locator("#in-force")).to_contain_text("Không có cơ quan ban hành")
    page.get_by_role("link", name="Thêm thiết lập cho một thời kỳ").click()
    page.get_by_label("Có hiệu lực từ ngày").fill("2024-01-01")
    page.get_by_label("Đến hết ngày").fill("2025-06-30")
    page.get_by_label("Cơ quan chủ quản").fill("Ủy ban nhân dân huyện Tân Yên")
    page.get_by_label("Cơ quan ban hành (ví dụ").fill("Phòng Văn hóa và Thông tin")
    page.get_by_label("Địa danh").fill("Tân Yên")
    page.get_by_label("Chức vụ người ký").fill("TRƯỞNG PHÒNG")
    page.get_by_label("Họ và tên người ký").fill("Nguyễn Văn Bình")
    page.locator("#issuer-form button[type=submit]").click()
    expect(page.locator("#periods")).to_contain_text("Nguyễn Văn Bình")
    expect(page.locator("#periods")).to_contain_text("30/06/2025")

    page.get_by_role("link", name="Thêm thiết lập cho một thời kỳ").click()
    page.get_by_label("Có hiệu lực từ ngày").fill("2025-06-01")
    page.get_by_label("Cơ quan ban hành (ví dụ").fill("Phòng khác")
    page.get_by_label("Địa danh").fill("Tân Yên")
    page.get_by_label("Chức vụ người ký").fill("TRƯỞNG PHÒNG")
    page.locator("#issuer-form button[type=submit]").click()
    expect(page.locator("#issuer-form")).to_contain_text("Thời gian hiệu lực trùng với thiết lập")

    page.goto(f"/courses/{course.id}")
    expect(page.locator(".course-warning").last).to_contain_text("Không có cơ quan ban hành mặc định")
    page.get_by_role("link", name="Cơ quan ban hành, người ký").click()
    page.get_by_label("Cơ quan chủ quản").fill("Ủy ban nhân dân tỉnh Bắc Ninh")
    page.get_by_label("Cơ quan ban hành (ví dụ").fill("Sở Văn hóa, Thể thao và Du lịch")
    page.get_by_label("Địa danh").fill("Bắc Ninh")
    page.get_by_label("Quyền hạn ký").fill("KT. GIÁM ĐỐC")
    page.get_by_label("Chức vụ người ký").fill("PHÓ GIÁM ĐỐC")
    page.get_by_label("Họ và tên người ký").fill("Lê Văn An")
    page.locator("#issuer-form button[type=submit]").click()
    expect(page.locator("#issuer")).to_contain_text("Sở Văn hóa, Thể thao và Du lịch")
    expect(page.locator("#issuer")).to_contain_text("Lê Văn An")
