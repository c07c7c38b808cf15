"""In a real browser: an organizer plans a 3-day course, fills it with 40 officers from an Excel
list, and prints the roster and the badges with every diacritic intact."""

from __future__ import annotations

import io
import itertools
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from tests.participants.helpers import row, workbook_bytes
from trainer.curricula.services import seed_curricula
from trainer.extensions import db
from trainer.participants.models import Participant

pytestmark = pytest.mark.e2e

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Bùi", "Đỗ")
GIVEN = (("Thị Hằng", "Nữ"), ("Văn Ước", "Nam"), ("Thị Ngọc Ánh", "Nữ"), ("Đức Thắng", "Nam"), ("Thị Thủy", "Nữ"))
NAMES = [(f"{family} {given}", gender) for family, (given, gender) in itertools.product(FAMILY, GIVEN)]


def _select_containing(page: Page, label: str, text: str) -> None:
    select = page.get_by_label(label, exact=True)
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value)


def test_organizer_plans_a_course_for_40_imported_officers_and_prints(page: Page, f: Factories, tmp_path: Path):
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    seed_curricula(Path(__file__).resolve().parents[2] / "materials" / "curricula")
    db.session.commit()
    start = date.today() + timedelta(days=30)
    start += timedelta(days=(7 - start.weekday()) % 7)  # a Monday: three weekdays in a row

    log_in(page, organizer.email, PASSWORD)
    page.goto("/courses/new")
    _select_containing(page, "Chương trình", "CT1")
    _select_containing(page, "Đơn vị tổ chức", "Tân Yên")
    page.get_by_label("Địa điểm").fill("Hội trường UBND huyện Tân Yên")
    page.get_by_label("Ngày bắt đầu").fill(start.isoformat())
    page.get_by_label("Ngày kết thúc").fill((start + timedelta(days=2)).isoformat())
    page.get_by_label("Số chỗ (để trống nếu không giới hạn)").fill("40")
    page.get_by_role("button", name="Lập khóa học").click()
    expect(page.locator("h1")).to_contain_text("Lớp bồi dưỡng")
    # Tân Yên is a district of the 2024 list, abolished on 1 July 2025: the organizer names who issues the papers
    expect(page.locator(".course-warning").last).to_contain_text("Không có cơ quan ban hành mặc định")
    page.get_by_role("link", name="Cơ quan ban hành, người ký").click()
    page.get_by_label("Cơ quan chủ quản").fill("Ủy ban nhân dân xã Nhã Nam")
    page.get_by_label("Cơ quan ban hành (ví dụ").fill("Phòng Văn hóa - Xã hội")
    page.get_by_label("Địa danh").fill("Nhã Nam")
    page.get_by_label("Chức vụ người ký").fill("TRƯỞNG PHÒNG")
    page.get_by_label("Họ và tên người ký").fill("Nguyễn Văn Bình")
    page.locator("#issuer-form button[type=submit]").click()
    expect(page.locator("#issuer")).to_contain_text("Phòng Văn hóa - Xã hội")

    page.get_by_role("link", name="Xếp lịch nhanh").click()
    page.get_by_label("Từ ngày").fill(start.isoformat())
    page.get_by_label("Số ngày học").fill("3")
    page.get_by_role("button", name="Tạo lịch học").click()
    expect(page.locator("#sessions tbody tr")).to_have_count(6)

    page.get_by_role("link", name="Nhập từ Excel và ghi danh").click()
    workbook = tmp_path / "danh-sach-40-can-bo.xlsx"
    workbook.write_bytes(workbook_bytes([row(full_name=name, gender=gender, phone=f"0915{i:06d}")
                                         for i, (name, gender) in enumerate(NAMES)]))
    page.locator("input[type=file]").set_input_files(str(workbook))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(page.locator(".alert-success").first).to_contain_text("Đã nhập 40 người: 40 mới")
    expect(page.locator("body")).to_contain_text("Đã ghi danh 40 người vào khóa học.")
    course_url = page.url

    roster = page.request.get(course_url + "/roster.pdf")
    assert roster.ok
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(roster.body())).pages)
    assert unicodedata.is_normalized("NFC", text)
    for name, _gender in NAMES:
        assert name in text, name
    assert "Tổng số: 40 học viên" in text and "Thị trấn Nhã Nam" in text
    assert "PHÒNG VĂN HÓA - XÃ HỘI" in text and "Nguyễn Văn Bình" in text

    badges = page.request.get(course_url + "/badges.pdf").body()
    document = pypdfium2.PdfDocument(badges)
    decoded = {b.text for i in range(len(document))
               for b in zxingcpp.read_barcodes(document[i].render(scale=200 / 72).to_pil())}
    db.session.expire_all()
    codes = set(db.session.scalars(select(Participant.code).where(Participant.phone.like("0915%"))))
    assert len(codes) == 40 and decoded == codes
    badge_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(badges)).pages)
    assert all(name in badge_text for name, _gender in NAMES)
