"""Browser fixtures: a live server of the test app and a headless Debian Chromium driven by Playwright.

Plain `playwright` (sync API) with our own fixtures, not pytest-playwright: the browser is Debian's
chromium (`playwright install` cannot download one here), see /work/shared/STACK.md "Browser tests".
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from tests.factories import Factories
from trainer.core.db import utcnow
from trainer.courses.models import Enrolment
from trainer.extensions import db
from trainer.schedule.models import CourseSession

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
HERE = Path(__file__).parent


# A browser that drops a connection while the live server sends it a static file (Bootstrap's script, when
# the page has already moved on) leaves the dev server's file for the garbage collector; on a busy machine that
# lands in whichever test runs next. Only that leak, of a static file, is let through.
STATIC_FILE_LEFT_OPEN = pytest.mark.filterwarnings(
    r"ignore:Exception ignored in. <_io.FileIO name='[^']*/static/[^']*' mode='rb':"
    "pytest.PytestUnraisableExceptionWarning")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is an `e2e` test (`-m "not e2e"` leaves the browser out)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(STATIC_FILE_LEFT_OPEN)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app served on a free local port in a background thread; yields its base URL.

    Each request pushes its own app context (hence its own DB session): data the test creates must be
    committed (`db.session.commit()`) before the browser can see it.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server",
                              daemon=True)  # a short poll makes shutdown() quick
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver, started once per run."""
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's headless Chromium, launched once per run; missing it fails in CI and skips elsewhere."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium (`make chromium`) to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def _page(browser: Browser, base_url: str, **options) -> Iterator[Page]:
    context = browser.new_context(base_url=base_url, locale="vi-VN", **options)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()  # before the live server stops (this fixture depends on it)


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A desktop page in a fresh context; relative URLs (`page.goto("/login")`) go to the live server."""
    yield from _page(browser, live_server, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A phone-sized touch page (360x740) in a fresh context, for the pages used in the classroom."""
    yield from _page(browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)


def make_running_class(f: Factories) -> dict[str, Any]:
    """A district organizer and a course with a session running now (started five minutes ago), two enrolled
    officers with phones, and two officers of the same commune who are not enrolled; committed, so that the
    browser sees them."""
    t = f.tree()
    organizer = f.user("organizer", t["district"])
    now = utcnow()
    course = f.course(t["district"], title="Lớp bồi dưỡng kỹ năng thông tin cơ sở", start_date=now.date(),
                      end_date=now.date() + timedelta(days=2))
    course_session = CourseSession(course=course, title="Sáng thứ Ba", starts_at=now - timedelta(minutes=5),
                                   ends_at=now + timedelta(hours=3), hours=3)
    db.session.add(course_session)
    people = [f.participant(t["commune"], full_name="Nguyễn Thị Hằng", phone="0912345600"),
              f.participant(t["commune"], full_name="Trần Văn Ước", phone="0987654321")]
    for person in people:
        db.session.add(Enrolment(course=course, participant=person))
    others = [f.participant(t["commune"], full_name=name) for name in ("Lê Thị Ngọc Ánh", "Phạm Đức Thắng")]
    db.session.commit()
    return {"tree": t, "organizer": organizer, "course": course, "session": course_session, "people": people,
            "others": others}


@pytest.fixture
def running_class(f: Factories) -> dict[str, Any]:
    """`make_running_class`'s class."""
    return make_running_class(f)
