"""In a real browser with a camera: the organizer's badge scanner reads a printed badge and marks its holder.

Chromium's camera here is a fake device playing a video of the badge, cut from the app's own badges
PDF (tests/e2e/camera.py). Linux Chromium has no BarcodeDetector, and the page is made to forget it
anyway, so the vendored ZXing decoder does the reading, under the page's Content-Security-Policy.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zxingcpp
from flask.testing import FlaskClient
from playwright.sync_api import Browser, Playwright, expect
from sqlalchemy import select

from tests.conftest import login
from tests.e2e.camera import badge_photo, qr_photo, write_y4m
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_csp_e2e import WatchedPage
from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.extensions import db
from trainer.schedule.models import CourseSession

pytestmark = pytest.mark.e2e

DECODER = "/static/vendor/zxing-library/zxing.min.js"
QUIET_MS = 4000  # scan.js: a code in view is posted once, again only after this long out of sight
ALLOW_CAMERA = "--use-fake-ui-for-media-stream"  # answers "Allow" to the camera prompt


@pytest.fixture
def room(running_class):
    """A district organizer and a course session running now, with two enrolled officers."""
    return running_class


def badge_video(client: FlaskClient, room, holder, path: Path) -> Path:
    """A Y4M video of `holder`'s badge, printed from the course's badges PDF as the organizer downloads it."""
    login(client, room["organizer"].email, PASSWORD)
    response = client.get(f"/courses/{room['course'].id}/badges.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    frame = badge_photo(response.data, holder.code)
    # The frame shows this badge's code and no other one (what the scanner sees is unambiguous).
    assert [b.text for b in zxingcpp.read_barcodes(frame)] == [holder.code]
    return write_y4m(path, [frame, frame])


@pytest.fixture
def camera_page(playwright: Playwright, live_server: str) -> Iterator[Callable[..., WatchedPage]]:
    """Opens a page in a Chromium of its own whose camera plays a video file: `camera_page(video, **context)`.

    The fake camera's flags hold for a whole browser launch, hence a launch per call."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium (`make chromium`) to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    browsers: list[Browser] = []

    def open_page(video: Path, *, allowed: bool = True, **options) -> WatchedPage:
        """`allowed=False`: the organizer refuses the camera (no fake "Allow" click, no permission)."""
        fake_camera = [*([ALLOW_CAMERA] if allowed else []), "--use-fake-device-for-media-stream",
                       f"--use-file-for-fake-video-capture={video}"]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=[*CHROMIUM_ARGS, *fake_camera])
        browsers.append(browser)
        context = browser.new_context(base_url=live_server, locale="vi-VN",
                                      permissions=["camera"] if allowed else [], **options)
        context.set_default_timeout(10_000)
        watched = WatchedPage(context.new_page())
        # The test is about the vendored decoder: a Chromium that one day has a detector must not skip it.
        watched.page.add_init_script("delete window.BarcodeDetector;")
        return watched

    yield open_page
    for browser in browsers:
        browser.close()  # before the live server stops (this fixture depends on it)


def _records(course_session: CourseSession) -> list[AttendanceRecord]:
    db.session.expire_all()
    return list(db.session.scalars(select(AttendanceRecord).where(
        AttendanceRecord.course_session_id == course_session.id)))


def test_a_badge_held_to_the_laptop_camera_marks_its_holder_once(camera_page, client, room, tmp_path) -> None:
    holder = room["people"][1]
    watched = camera_page(badge_video(client, room, holder, tmp_path / "badge.y4m"),
                          viewport={"width": 1366, "height": 768})
    page = watched.page
    posts, scripts = [], []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/attendance" in r.url else None)
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    log_in(page, room["organizer"].email, PASSWORD)
    page.goto(f"/sessions/{room['session'].id}/scan")
    expect(page.locator("#camera")).to_be_visible()
    expect(page.locator("#result")).to_have_text("Trần Văn Ước: đã điểm danh", timeout=20_000)
    assert any(url.endswith(DECODER) for url in scripts), scripts  # the vendored decoder read it
    assert page.evaluate("'BarcodeDetector' in window") is False

    records = _records(room["session"])
    assert [(r.participant_id, r.method, r.recorded_by_id) for r in records] == [
        (holder.id, AttendanceMethod.BADGE, room["organizer"].id)]
    # The badge stays in front of the camera longer than the quiet time: still one post, one line.
    page.wait_for_timeout(QUIET_MS + 1500)
    assert len(posts) == 1, posts
    expect(page.locator("#log li")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    watched.clean()


def test_a_phone_sized_scanner_reads_the_badge_and_fits_360_px(camera_page, client, room, tmp_path) -> None:
    holder = room["people"][0]
    watched = camera_page(badge_video(client, room, holder, tmp_path / "badge.y4m"),
                          viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = watched.page
    log_in(page, room["organizer"].email, PASSWORD)
    page.goto(f"/sessions/{room['session'].id}/scan")
    expect(page.locator("#result")).to_have_text("Nguyễn Thị Hằng: đã điểm danh", timeout=20_000)
    assert [(r.participant_id, r.method) for r in _records(room["session"])] == [(holder.id, AttendanceMethod.BADGE)]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("#camera").bounding_box()
    assert box is not None and box["width"] <= 360 and box["height"] > 100  # the preview is shown, within the screen
    watched.clean()


def test_a_qr_code_that_is_no_badge_is_not_posted(camera_page, room, tmp_path) -> None:
    # The projector's check-in link, say, shown to the scanner by mistake.
    link = f"http://127.0.0.1/c/{'A' * 40}"
    watched = camera_page(write_y4m(tmp_path / "link.y4m", [qr_photo(link)] * 2),
                          viewport={"width": 1366, "height": 768})
    page = watched.page
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" and "/attendance" in r.url else None)
    log_in(page, room["organizer"].email, PASSWORD)
    page.goto(f"/sessions/{room['session'].id}/scan")
    expect(page.locator("#result")).to_have_text("Mã QR này không phải thẻ học viên.", timeout=20_000)
    assert posts == [] and _records(room["session"]) == []
    watched.clean()


def test_a_badge_read_while_the_network_is_down_is_tried_again(camera_page, client, room, tmp_path) -> None:
    holder = room["people"][1]
    watched = camera_page(badge_video(client, room, holder, tmp_path / "badge.y4m"),
                          viewport={"width": 1366, "height": 768})
    page = watched.page
    log_in(page, room["organizer"].email, PASSWORD)
    failures = []

    def drop_the_first_post(route) -> None:
        if not failures:
            failures.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/api/v1/sessions/*/attendance", drop_the_first_post)
    page.goto(f"/sessions/{room['session'].id}/scan")
    expect(page.locator("#log li").last).to_have_text(f"{holder.code}: Mất kết nối, thử lại.", timeout=20_000)
    # The badge is still in view: once the quiet time is over, the scanner tries again and gets through.
    expect(page.locator("#result")).to_have_text("Trần Văn Ước: đã điểm danh", timeout=QUIET_MS + 10_000)
    assert len(failures) == 1
    assert [r.participant_id for r in _records(room["session"])] == [holder.id]
    watched.clean()


def test_a_refused_camera_says_so_and_typing_still_marks(camera_page, room, tmp_path) -> None:
    watched = camera_page(write_y4m(tmp_path / "camera.y4m", [qr_photo("P0000000")] * 2), allowed=False,
                          viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = watched.page
    log_in(page, room["organizer"].email, PASSWORD)
    page.goto(f"/sessions/{room['session'].id}/scan")
    expect(page.locator("#camera-note")).to_contain_text("Trang chưa được phép dùng camera")
    expect(page.locator("#camera")).to_be_hidden()
    page.locator("#code").fill(room["people"][0].code.lower())
    page.locator("#manual button[type=submit]").click()
    expect(page.locator("#result")).to_have_text("Nguyễn Thị Hằng: đã điểm danh")
    assert [r.method for r in _records(room["session"])] == [AttendanceMethod.BADGE]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    watched.clean()
