"""Entering a 40-person paper sign-in sheet on the marks page: "all present", the exceptions, save: at most
five clicks plus one per exception; the running count and the name filter help; it fits a phone."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from trainer.attendance.models import AttendanceMethod, AttendanceRecord, mark_of
from trainer.core.db import utcnow
from trainer.courses.models import Enrolment
from trainer.demo.names import Namer
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

pytestmark = pytest.mark.e2e


def _class_of_40(f: Factories) -> tuple[str, CourseSession, list[str]]:
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    now = utcnow()
    course = f.course(t["district"], start_date=now.date() - timedelta(days=1), end_date=now.date())
    course_session = CourseSession(course=course, title="Buổi sáng hôm qua", starts_at=now - timedelta(days=1),
                                   ends_at=now - timedelta(days=1) + timedelta(hours=4), hours=4)
    db.session.add(course_session)
    namer, names = Namer(random.Random(3)), []
    for i in range(40):
        name = f"{namer.full_name(female=i % 2 == 0, province_code='24', minority=i % 5 == 0)} {i:02d}"
        names.append(name)
        db.session.add(Enrolment(course=course, participant=f.participant(t["commune"], full_name=name,
                                                                          phone=f"0913{i:06d}")))
    db.session.commit()
    return organizer.email, course_session, names


def test_a_paper_sheet_of_40_in_five_clicks_plus_the_exceptions(page: Page, f: Factories) -> None:
    email, course_session, names = _class_of_40(f)
    log_in(page, email, PASSWORD)
    page.goto(f"/sessions/{course_session.id}/marks")
    expect(page.locator("#marks-count")).to_contain_text("Có mặt 0/40")
    clicks = 0
    page.select_option("#method", "sheet"); clicks += 1  # noqa: E702 - one click each, counted
    page.get_by_role("button", name="Tất cả có mặt").click(); clicks += 1  # noqa: E702
    expect(page.locator("#marks-count")).to_contain_text("Có mặt 40/40")
    late, excused, absent = names[3], names[17], names[29]
    for name, choice in ((late, "Muộn"), (excused, "Có phép"), (absent, "Vắng")):  # the exceptions
        page.locator(f'tr[data-name="{name}"] label', has_text=choice).click()
    page.locator("#marks-filter").fill("nguyen")  # the filter narrows the list (accents ignored)
    visible = page.locator("#marks tbody tr:visible")
    assert 0 < visible.count() < 40
    assert all("nguyễn" in (visible.nth(i).get_attribute("data-name") or "").lower() for i in range(visible.count()))
    page.locator("#marks-filter").fill("")
    expect(page.locator("#marks-count")).to_contain_text("Có mặt 38/40 · Muộn 1 · Có phép 1 · Vắng 1")
    page.get_by_role("button", name="Lưu điểm danh").click(); clicks += 1  # noqa: E702
    expect(page.locator(".alert-success")).to_contain_text("39 người thêm")  # 37 present, 1 late, 1 excused
    assert clicks <= 5
    db.session.expire_all()
    marks = {name: (mark_of(late_, excused_).value, method) for name, late_, excused_, method in db.session.execute(
        select(Participant.full_name, AttendanceRecord.is_late, AttendanceRecord.excused, AttendanceRecord.method)
        .join(AttendanceRecord, AttendanceRecord.participant_id == Participant.id))}
    assert len(marks) == 39 and absent not in marks
    assert marks[late] == ("late", AttendanceMethod.SHEET) and marks[excused] == ("excused", AttendanceMethod.SHEET)
    assert sum(1 for mark, _ in marks.values() if mark == "present") == 37


def test_the_marks_page_fits_a_phone(browser: Browser, live_server: str, f: Factories) -> None:
    email, course_session, names = _class_of_40(f)
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": 360, "height": 740},
                                  is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        log_in(page, email, PASSWORD)
        page.goto(f"/sessions/{course_session.id}/marks")
        expect(page.locator("#marks-count")).to_contain_text("0/40")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.locator(f'tr[data-name="{names[0]}"] label', has_text="Có phép").tap()
        expect(page.locator("#marks-count")).to_contain_text("Có phép 1")
    finally:
        context.close()
