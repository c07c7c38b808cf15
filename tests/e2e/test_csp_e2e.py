"""In a real browser, with the Content-Security-Policy on: the pages that run JavaScript (projector,
badge scanner, marks, enrolment, new course, certificates, the unit search, the confirmations) raise
no CSP violation and their scripts still work; the trainee's check-in page runs none at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import _page
from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD
from trainer.attendance.tokens import make_token
from trainer.core.db import utcnow
from trainer.curricula.services import seed_curricula
from trainer.extensions import db
from trainer.schedule.models import CourseSession

pytestmark = pytest.mark.e2e

# Chromium reports a violation in the console ("Refused to … Content Security Policy …"); the
# securitypolicyviolation event is logged too, by a script Playwright injects outside the page's CSP.
REPORT_VIOLATIONS = """document.addEventListener('securitypolicyviolation', function (e) {
  console.error('securitypolicyviolation: ' + e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile);
});"""


class WatchedPage:
    """A browser page whose CSP violations and script errors are collected."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.violations: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "securitypolicyviolation" in message.text:
            self.violations.append(message.text)

    def clean(self) -> None:
        """No violation, no uncaught script error so far (waiting for late reports first)."""
        self.page.wait_for_timeout(200)
        assert self.violations == [], self.violations
        assert self.errors == [], self.errors


@pytest.fixture
def watched(page: Page) -> WatchedPage:
    return WatchedPage(page)


@pytest.fixture
def watched_phone(browser: Browser, live_server: str) -> Iterator[WatchedPage]:
    for phone in _page(browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True,
                       has_touch=True):
        yield WatchedPage(phone)


@pytest.fixture
def hall(running_class):
    """A district organizer, a course running now with one session and two enrolled officers."""
    return running_class


def test_the_detector_sees_a_violation(watched: WatchedPage, hall) -> None:
    # The check of every other test: an inline script injected into a page is refused and reported.
    log_in(watched.page, hall["organizer"].email, PASSWORD)
    watched.page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.injected = true'; document.body.appendChild(s); }""")
    watched.page.wait_for_timeout(200)
    assert watched.page.evaluate("window.injected === undefined")
    assert any("script-src" in v for v in watched.violations), watched.violations


def test_the_projector_refreshes_under_the_policy(watched: WatchedPage, hall) -> None:
    page = watched.page
    log_in(page, hall["organizer"].email, PASSWORD)
    page.goto(f"/sessions/{hall['session'].id}/projector")
    expect(page.locator("#present")).to_have_text("0")
    qr_url = page.locator("#qr").get_attribute("data-url")
    token = qr_url.rsplit("/c/", 1)[1]
    answer = page.request.post("/api/v1/checkin", data={"token": token, "phone": "0912345600"})
    assert answer.ok, answer.text()
    expect(page.locator("#attendees")).to_contain_text("Nguyễn Thị Hằng", timeout=10_000)
    expect(page.locator("#present")).to_have_text("1")
    watched.clean()


def test_the_badge_scanner_marks_under_the_policy(watched: WatchedPage, hall) -> None:
    page = watched.page
    log_in(page, hall["organizer"].email, PASSWORD)
    page.goto(f"/sessions/{hall['session'].id}/scan")
    page.locator("#code").fill(hall["people"][1].code)
    page.locator("#manual button[type=submit]").click()
    expect(page.locator("#result")).to_contain_text("Trần Văn Ước: đã điểm danh")
    page.locator("#code").fill(hall["people"][1].code.lower())
    page.wait_for_timeout(4100)  # the scanner ignores the same code for 4 s (a badge held in front of it)
    page.locator("#manual button[type=submit]").click()
    expect(page.locator("#result")).to_contain_text("Trần Văn Ước: đã điểm danh trước đó")
    watched.clean()


def test_the_marks_page_saves_under_the_policy(watched: WatchedPage, hall) -> None:
    page = watched.page
    log_in(page, hall["organizer"].email, PASSWORD)
    page.goto(f"/sessions/{hall['session'].id}/marks")
    page.locator('tr[data-name="Nguyễn Thị Hằng"] label', has_text="Có mặt").click()
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.locator(".alert-success")).to_be_visible()
    watched.clean()


def test_enrolment_ticks_everyone_under_the_policy(watched: WatchedPage, hall) -> None:
    page = watched.page
    log_in(page, hall["organizer"].email, PASSWORD)
    page.goto(f"/courses/{hall['course'].id}/enrol")
    boxes = page.locator("input.pick")
    expect(boxes).to_have_count(2)
    page.locator("#check-all").check()
    for index in range(2):
        expect(boxes.nth(index)).to_be_checked()
    page.get_by_role("button", name="Ghi danh những người đã chọn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi danh 2 học viên.")
    watched.clean()


def test_a_new_course_title_follows_the_curriculum_under_the_policy(watched: WatchedPage, hall) -> None:
    seed_curricula(Path(__file__).resolve().parents[2] / "materials" / "curricula")
    db.session.commit()
    page = watched.page
    log_in(page, hall["organizer"].email, PASSWORD)
    page.goto("/courses/new")
    title = page.get_by_label("Tên khóa học")
    first = title.input_value()
    curriculum = page.get_by_label("Chương trình", exact=True)
    other = curriculum.locator("option").nth(1).get_attribute("value")
    curriculum.select_option(other)
    expect(title).not_to_have_value(first)
    page.get_by_label("Ngày bắt đầu").fill("2031-03-02")
    page.get_by_label("Ngày bắt đầu").dispatch_event("change")
    expect(title).to_have_value(re.compile(r"2031$"))
    watched.clean()


def test_deleting_a_session_asks_first_under_the_policy(watched: WatchedPage, hall) -> None:
    page = watched.page
    log_in(page, hall["organizer"].email, PASSWORD)
    page.goto(f"/courses/{hall['course'].id}")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button[type=submit]").first.click()
    assert asked == ["Xóa buổi học này?"]
    expect(page.locator("h1")).to_contain_text("Lớp bồi dưỡng kỹ năng thông tin cơ sở")  # not submitted
    assert db.session.get(CourseSession, hall["session"].id) is not None
    watched.clean()


def test_the_certificates_page_and_the_unit_search_under_the_policy(watched: WatchedPage, hall,
                                                                   monkeypatch) -> None:
    monkeypatch.setattr("trainer.participants.views.DATALIST_LIMIT", 1)  # search units as one types
    page = watched.page
    log_in(page, hall["organizer"].email, PASSWORD)
    page.goto(f"/courses/{hall['course'].id}/certificates")
    expect(page.locator("#completed-count")).to_have_text("0")
    watched.clean()
    page.goto("/participants/new")
    unit = page.locator('input[list="unit-options"]').first
    unit.press_sequentially("Cao X")
    expect(page.locator("#unit-options option")).to_have_count(1, timeout=5_000)
    assert "Xã Cao Xá" in page.locator("#unit-options option").first.get_attribute("value")
    watched.clean()


def test_the_trainee_page_runs_no_script(watched_phone: WatchedPage, hall) -> None:
    page = watched_phone.page
    s = hall["session"]
    page.goto(f"/c/{make_token(s.id, s.checkin_secret, s.checkin_version, utcnow())[1]}")
    assert page.locator("script").count() == 0
    page.get_by_label("Số điện thoại đã đăng ký").fill("0912345600")
    page.get_by_role("button", name="Điểm danh").click()
    expect(page.locator("#result")).to_contain_text("Điểm danh thành công.")
    assert page.locator("script").count() == 0
    watched_phone.clean()
