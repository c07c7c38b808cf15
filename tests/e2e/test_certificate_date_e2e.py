"""In a real browser: the organizer dates a course's certificates (the course's last day by default), a
date before it is refused with the reason, and the chosen date is the one printed."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.certificates.conftest import finished  # noqa: F401 - the fixture, shared
from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from trainer.extensions import db

pytestmark = pytest.mark.e2e


def test_organizer_chooses_the_date_printed(page: Page, f: Factories, finished, tmp_path) -> None:  # noqa: F811
    organizer = f.user("organizer", finished["tree"]["district"])
    db.session.commit()
    log_in(page, organizer.email, PASSWORD)
    page.goto(f"/courses/{finished['course'].id}/certificates")
    date_field = page.get_by_label("Ngày cấp (in trên giấy chứng nhận)")
    expect(date_field).to_have_value("2024-10-02")  # the course's last day, not today
    expect(page.locator("#issued-on-help")).to_contain_text("02/10/2024")
    page.screenshot(path=tmp_path / "issue-form.png")

    date_field.fill("2024-09-30")
    page.get_by_role("button", name="Cấp giấy chứng nhận cho người hoàn thành").click()
    expect(page.locator("#issued-on-error")).to_contain_text("trước ngày kết thúc khóa học (02/10/2024)")
    expect(page.locator("#issued-count")).to_have_text("0")
    expect(date_field).to_have_value("2024-09-30")  # what was typed stays, to be corrected

    date_field.fill("2024-10-04")
    page.get_by_role("button", name="Cấp giấy chứng nhận cho người hoàn thành").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã cấp 2 giấy chứng nhận.")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="In tất cả (một tệp PDF)").click()
    reader = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    assert all("Tân Yên, ngày 04 tháng 10 năm 2024" in p.extract_text() for p in reader.pages)
