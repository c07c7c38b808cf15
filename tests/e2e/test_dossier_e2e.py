"""In a real browser: an organizer takes a finished course from its page to its whole dossier (payment lists
checked on screen, decisions numbered, ZIP downloaded) in under a minute."""

from __future__ import annotations

import io
import time
import zipfile

from playwright.sync_api import Page, expect

from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from tests.finance.demo import finished_course
from trainer.certificates.services import issue_certificates
from trainer.extensions import db


def test_organizer_produces_the_whole_dossier_in_under_a_minute(page: Page, f: Factories) -> None:
    t = f.tree()
    world = {**t, "course": f.course(t["district"], title="Lớp bồi dưỡng CT1 Tân Yên"),
             "organizer": f.user("organizer", t["district"]), "reviewer": f.user("reviewer", t["province"])}
    demo = finished_course(world, f)
    issue_certificates(demo["course"], actor=world["organizer"], store_pdfs=False)
    db.session.commit()
    started = time.monotonic()
    log_in(page, world["organizer"].email, PASSWORD)
    page.goto(f"/courses/{demo['course'].id}")
    page.locator("#money-link").click()
    expect(page.locator("#list-trainees .total")).to_have_text("750.000")
    expect(page.locator("#list-lecturers .total")).to_have_text("6.200.000")
    expect(page.get_by_text("Bảy trăm năm mươi nghìn đồng")).to_be_visible()
    page.locator("#paperwork-link").click()
    page.get_by_label("Số quyết định mở lớp").fill("5")
    page.locator("#open_decision_signed_on").fill("2024-09-25")
    page.get_by_label("Số giấy triệu tập").fill("7")
    page.get_by_label("Số quyết định công nhận hoàn thành").fill("18")
    page.locator("#completion_decision_signed_on").fill("2024-10-04")
    page.locator("#paperwork-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hồ sơ lớp học (ZIP)").click()
    download = download_info.value
    body = download.path().read_bytes()
    elapsed = time.monotonic() - started
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert download.suggested_filename.endswith(".zip")
    assert {"01-quyet-dinh-mo-lop.pdf", "02-giay-trieu-tap.pdf", "03-danh-sach-hoc-vien.pdf",
            "04-danh-sach-diem-danh.pdf", "05-so-diem-danh.xlsx", "06-danh-sach-ky-nhan-ho-tro-hoc-vien.pdf",
            "07-danh-sach-chi-thu-lao-giang-vien.xlsx", "08-so-cap-giay-chung-nhan.xlsx",
            "09-quyet-dinh-cong-nhan-hoan-thanh.pdf"} <= set(names)
    assert elapsed < 60, f"{elapsed:.1f} s"
