"""The projector with a full hall: 80 names legible at 1366×768 and 1920×1080, nothing clipped or off screen,
the count large; a name that arrives while the page is open shows within seconds."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.core.db import utcnow
from trainer.courses.models import Enrolment
from trainer.demo.names import Namer
from trainer.extensions import db
from trainer.schedule.models import CourseSession

pytestmark = pytest.mark.e2e
SCREENSHOTS = os.environ.get("TRAINER_SCREENSHOTS")  # a folder: keep the pictures to look at


def _full_hall(f: Factories, present: int) -> tuple[str, CourseSession]:
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    now = utcnow()
    course = f.course(t["district"], title="Lớp bồi dưỡng kiến thức, kỹ năng thông tin cơ sở năm 2026",
                      start_date=now.date(), end_date=now.date())
    course_session = CourseSession(course=course, title="Sáng thứ Ba: Chuyên đề 1", starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(hours=3), hours=4)
    db.session.add(course_session)
    namer = Namer(random.Random(7))  # the demo's names: Kinh and minority names of a northern province
    for i in range(present + 5):
        name = namer.full_name(female=i % 2 == 0, province_code="24", minority=i % 4 == 0)
        person = f.participant(t["commune"], full_name=name, phone=f"0912{i:06d}")
        db.session.add(Enrolment(course=course, participant=person))
        db.session.flush()
        if i < present:
            db.session.add(AttendanceRecord(course_session_id=course_session.id, participant_id=person.id,
                                            checked_in_at=now - timedelta(minutes=50 - i % 50),
                                            method=AttendanceMethod.QR, is_late=i % 9 == 0))
    db.session.commit()
    return organizer.email, course_session


def _assert_legible(page: Page, width: int, height: int, present: int) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"projector-{present}-{width}x{height}.png"))
    names = page.locator("#attendees li")
    expect(names).to_have_count(min(present, 80))
    report = page.evaluate("""() => {
        const items = [...document.querySelectorAll('#attendees li')];
        const box = e => e.getBoundingClientRect();
        return {
          offscreen: items.filter(e => box(e).right > innerWidth + 0.5 || box(e).bottom > innerHeight + 0.5).length,
          cut: items.filter(e => box(e).bottom > box(e.parentElement).bottom + 0.5).map(e => e.textContent),
          clipped: items.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent),
          fontPx: Math.min(...items.map(e => parseFloat(getComputedStyle(e).fontSize))),
          countPx: parseFloat(getComputedStyle(document.querySelector('#present')).fontSize),
          scrollX: document.documentElement.scrollWidth > innerWidth,
          scrollY: document.documentElement.scrollHeight > innerHeight,
        };
    }""")
    assert report["offscreen"] == 0 and report["cut"] == [], report
    assert report["clipped"] == [], report
    assert not report["scrollX"] and not report["scrollY"], report
    assert report["fontPx"] >= 18 * height / 768 * 0.99, report  # 18 px on a 768 px projector
    assert report["countPx"] >= 0.1 * height, report


@pytest.mark.parametrize("width,height", [(1366, 768), (1920, 1080)])
@pytest.mark.parametrize("present", [12, 40, 80, 95])
def test_the_projector_stays_legible_with_a_full_hall(browser: Browser, live_server: str, f: Factories,
                                                      width: int, height: int, present: int) -> None:
    email, course_session = _full_hall(f, present)
    context = browser.new_context(base_url=live_server, locale="vi-VN", viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        log_in(page, email, PASSWORD)
        page.goto(f"/sessions/{course_session.id}/projector")
        expect(page.locator("#present")).to_have_text(str(present))
        _assert_legible(page, width, height, present)
        expect(page.locator("#more")).to_be_visible() if present > 80 else expect(page.locator("#more")).to_be_hidden()
    finally:
        context.close()
