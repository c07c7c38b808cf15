"""In a real browser: a clerk uploads a list with mistakes to a course, downloads it back with its error column,
fixes it (as in Excel), uploads it again and sees one summary on the course page (#15, items 12 and 13)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from tests.participants.helpers import row, workbook_bytes
from trainer.extensions import db

pytestmark = pytest.mark.e2e


def test_error_file_round_trip_then_one_summary(page: Page, f: Factories, tmp_path: Path) -> None:
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    course = f.course(t["district"], title="Lớp cán bộ truyền thanh xã")
    db.session.commit()
    rows = [row(full_name=f"Nguyễn Văn Số {i}", gender="Nam", phone=f"0913000{i:03d}") for i in range(5)]
    rows[1] = row(full_name="Lê Thị Sai", phone="0913000101", birth_date="31/02/1990")
    rows[3] = row(full_name="Đỗ Văn Khác", gender="Nam", phone="0913000103", unit="99999", target_group="press_staff")
    upload = tmp_path / "danh-sach.xlsx"
    upload.write_bytes(workbook_bytes(rows))

    log_in(page, organizer.email, PASSWORD)
    page.goto(f"/courses/{course.id}")
    page.get_by_role("link", name="Nhập từ Excel và ghi danh").click()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("#import-summary")).to_contain_text("Có 2 lỗi ở 2 dòng")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp có cột lỗi (.xlsx)").click()
    workbook = load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
    sheet = workbook.active
    assert sheet["J1"].value == "Lỗi" and sheet["J2"].value is None and sheet["J4"].value is None
    assert sheet["J3"].value.startswith("Ngày sinh: ") and sheet["J5"].value.startswith("Đơn vị: ")
    assert [sheet.cell(r, 1).value for r in range(2, 7)] == [r[0] for r in rows]

    sheet["C3"], sheet["G5"] = "28/02/1990", "07306 - Thị trấn Nhã Nam"  # what the clerk does in Excel
    fixed = tmp_path / "danh-sach-da-sua.xlsx"
    workbook.save(fixed)
    page.locator("input[type=file]").set_input_files(str(fixed))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("#import-summary")).to_contain_text("Không có lỗi: sẽ thêm 5 người mới")
    expect(page.locator("#error-file")).to_have_count(0)
    page.get_by_role("button", name="Xác nhận nhập").click()

    expect(page).to_have_url(f"{page.url.split('/courses/')[0]}/courses/{course.id}")
    flashes = page.locator("main > .alert")
    summary = flashes.filter(has_text="Đã nhập 5 người")
    expect(summary).to_have_count(1)
    expect(summary).to_contain_text("5 mới, 0 cập nhật, 0 không đổi. Đã ghi danh 5 người vào khóa học. 1 người "
                                    "không thuộc nhóm đối tượng")
    expect(summary.locator("details li")).not_to_be_visible()
    summary.locator("summary").click()
    expect(summary.locator("details li")).to_have_text(["Đỗ Văn Khác không thuộc nhóm đối tượng của chương trình "
                                                        f"{course.curriculum.code}; vẫn được ghi danh."])
    with_flash = flashes.count()
    page.reload()
    expect(page.locator("main > .alert", has_text="Đã nhập")).to_have_count(0)
    assert page.locator("main > .alert").count() == with_flash - 1  # one message, the rest the course's own
