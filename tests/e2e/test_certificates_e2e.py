"""In a real browser: an organizer issues and prints a course's certificates, and a phone opening a
certificate's QR sees that it is valid."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.certificates.conftest import finished  # noqa: F401 - the fixture, shared
from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from trainer.extensions import db

pytestmark = pytest.mark.e2e


def test_organizer_issues_prints_and_a_phone_verifies(page: Page, phone_page: Page, f: Factories,
                                                      finished, app) -> None:  # noqa: F811
    app.config["PUBLIC_BASE_URL"] = None  # the QR then points at this (live) server
    organizer = f.user("organizer", finished["tree"]["district"])
    db.session.commit()

    log_in(page, organizer.email, PASSWORD)
    page.goto(f"/courses/{finished['course'].id}/certificates")
    expect(page.locator("#completed-count")).to_have_text("2")
    # The live server answers on 127.0.0.1: the page warns that phones cannot open such a QR and
    # issues nothing until the organizer gives the public address or confirms this one.
    expect(page.locator("#qr-local-warning")).to_contain_text("điện thoại quét mã sẽ không mở được")
    page.get_by_role("button", name="Cấp giấy chứng nhận cho người hoàn thành").click()
    expect(page.locator("#issue-error")).to_contain_text("Chưa cấp giấy chứng nhận nào")
    expect(page.locator("#issued-count")).to_have_text("0")
    page.get_by_label("Vẫn cấp với địa chỉ này").check()  # this test's "phone" does reach 127.0.0.1
    page.get_by_role("button", name="Cấp giấy chứng nhận cho người hoàn thành").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã cấp 2 giấy chứng nhận.")
    expect(page.locator("#issued-count")).to_have_text("2")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="In tất cả (một tệp PDF)").click()
    pdf = download_info.value.path().read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert "Nguyễn Thị Hằng" in "".join(p.extract_text() for p in reader.pages)

    image = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    urls = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert len(urls) == 1 and "/verify/" in urls[0]
    phone_page.goto(urls[0])  # what a phone's camera opens
    expect(phone_page.locator("#verdict")).to_contain_text("Giấy chứng nhận hợp lệ")
