"""In a real browser at 360 x 640 (a small phone): every page fits the screen's width, with no sideways scrolling
of the page (a wide data table may scroll inside its own container). Every GET route of the app is either
visited here, with data in it, or skipped with a reason: a new page fails this test until it is listed.

PHONE_SHOTS=/tmp/shots also saves a full-page screenshot of each page at 360 px and at 1366 px (to look at).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import make_running_class
from tests.e2e.test_curricula_e2e import log_in
from tests.factories import PASSWORD, Factories
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.attendance.tokens import make_token
from trainer.certificates.models import Certificate
from trainer.certificates.services import issue_certificates
from trainer.core import clock
from trainer.core.db import utcnow
from trainer.courses.models import Enrolment
from trainer.cycle.periods import ReportPeriod
from trainer.cycle.submissions import create_submission
from trainer.extensions import db
from trainer.finance.lecturers import assign_lecturers, create_lecturer
from trainer.finance.rates import check_rates, set_rates
from trainer.materials.services import add_material
from trainer.schedule.models import CourseSession
from trainer.units.issuers import save_issuer

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT = 360, 640
LONG_NAME = "Nguyễn Thị Thanh Hương Phương Thảo Ngọc Bích Hoàng Lan"
LONG_EMAIL = "nguyen.thi.thanh.huong.phong.van.hoa.xa.hoi@tanyen.bacgiang.gov.vn"
LONG_TITLE = ("Lớp bồi dưỡng kiến thức, kỹ năng chuyên môn, nghiệp vụ thông tin cơ sở cho công chức văn hóa - xã hội "
              "cấp xã năm 2024")

# GET routes left out, with the reason. Also left out: every /api/ route (JSON) and every URL that names a file
# (.pdf, .xlsx, .zip, .json), see `_skip_reason`.
SKIPPED = {
    "static": "static files",
    "bootstrap.static": "static files",
    "materials.download": "a file download",
    "public.material": "a file download (a signed link to a course material)",
    "cycle.attachment": "a file download (a report's attachment)",
}

# endpoint -> (who, URLs built from the seeded world); who: "public" (logged out), "organizer", "reviewer" (the
# province's) or "admin".
Urls = Callable[[dict[str, Any]], list[str]]
PAGES: dict[str, tuple[str, Urls]] = {
    "accounts.login": ("public", lambda w: ["/login"]),
    "public.code_entry": ("public", lambda w: ["/c"]),
    "public.scan": ("public", lambda w: [f"/c/{w['token']}"]),
    "me.index": ("public", lambda w: ["/me"]),
    "certificates_public.verify": ("public", lambda w: [f"/verify/{w['certificate']}"]),
    "dashboard.index": ("organizer", lambda w: ["/"]),
    "accounts.account": ("organizer", lambda w: ["/account"]),
    "accounts.password": ("organizer", lambda w: ["/account/password"]),
    "accounts.tokens": ("organizer", lambda w: ["/account/tokens"]),
    "courses.index": ("organizer", lambda w: ["/courses/"]),
    "courses.new": ("organizer", lambda w: ["/courses/new"]),
    "courses.detail": ("organizer", lambda w: [f"/courses/{w['course']}", f"/courses/{w['finished']}"]),
    "courses.edit": ("organizer", lambda w: [f"/courses/{w['course']}/edit"]),
    "courses.cancel": ("organizer", lambda w: [f"/courses/{w['course']}/cancel"]),
    "courses.rules": ("organizer", lambda w: [f"/courses/{w['course']}/rules"]),
    "courses.enrol": ("organizer", lambda w: [f"/courses/{w['course']}/enrol"]),
    "courses.withdraw": ("organizer", lambda w: [f"/courses/{w['course']}/enrolments/{w['person']}/withdraw"]),
    "certificates.course_certificates": ("organizer", lambda w: [f"/courses/{w['finished']}/certificates"]),
    "documents.index": ("organizer", lambda w: [f"/courses/{w['course']}/documents"]),
    "attendance.register": ("organizer", lambda w: [f"/courses/{w['course']}/register",
                                                    f"/courses/{w['finished']}/register"]),
    "schedule.index": ("organizer", lambda w: ["/schedule/"]),
    "schedule.timetable": ("organizer", lambda w: [f"/courses/{w['course']}/timetable"]),
    "schedule.session_new": ("organizer", lambda w: [f"/courses/{w['course']}/sessions/new"]),
    "schedule.session_edit": ("organizer", lambda w: [f"/courses/{w['course']}/sessions/{w['session']}/edit"]),
    "attendance.marks": ("organizer", lambda w: [f"/sessions/{w['session']}/marks"]),
    "attendance.attempts": ("organizer", lambda w: [f"/sessions/{w['session']}/attempts"]),
    "attendance.scan": ("organizer", lambda w: [f"/sessions/{w['session']}/scan"]),
    "attendance.projector": ("organizer", lambda w: [f"/sessions/{w['session']}/projector"]),
    "participants.index": ("organizer", lambda w: ["/participants/"]),
    "participants.new": ("organizer", lambda w: ["/participants/new"]),
    "participants.import_upload": ("organizer", lambda w: ["/participants/import"]),
    "participants.detail": ("organizer", lambda w: [f"/participants/{w['person']}"]),
    "participants.edit": ("organizer", lambda w: [f"/participants/{w['person']}/edit"]),
    "participants.anonymise": ("organizer", lambda w: [f"/participants/{w['person']}/anonymise"]),
    "reports.index": ("organizer", lambda w: ["/reports/"]),
    "reports.headcounts": ("reviewer", lambda w: ["/reports/headcounts"]),
    "curricula.index": ("organizer", lambda w: ["/curricula/"]),
    "curricula.detail": ("organizer", lambda w: [f"/curricula/{w['curriculum']}"]),
    "curricula.edit": ("admin", lambda w: [f"/curricula/{w['curriculum']}/edit"]),
    "materials.index": ("organizer", lambda w: ["/materials/"]),
    "materials.course_materials": ("organizer", lambda w: [f"/materials/course/{w['course']}"]),
    "materials.module_materials": ("admin", lambda w: [f"/materials/module/{w['module']}"]),
    "units.index": ("organizer", lambda w: ["/units/"]),
    "accounts.users": ("admin", lambda w: ["/users"]),
    "accounts.user_new": ("admin", lambda w: ["/users/new"]),
    "accounts.user_detail": ("admin", lambda w: [f"/users/{w['organizer_id']}"]),
    "courses.issuer": ("organizer", lambda w: [f"/courses/{w['course']}/issuer"]),
    "units.issuers": ("admin", lambda w: [f"/units/{w['district_id']}/issuers"]),
    "units.new_issuer": ("admin", lambda w: [f"/units/{w['district_id']}/issuers/new"]),
    "units.edit_issuer": ("admin", lambda w: [f"/units/{w['district_id']}/issuers/{w['issuer']}/edit"]),
    "cycle.plan": ("organizer", lambda w: ["/cycle/plans"]),
    "cycle.board_page": ("reviewer", lambda w: ["/cycle/reports"]),
    "cycle.detail": ("organizer", lambda w: [f"/cycle/reports/{w['submission']}"]),
    "finance.lecturers": ("organizer", lambda w: ["/lecturers/"]),
    "finance.lecturer_new": ("organizer", lambda w: ["/lecturers/new"]),
    "finance.lecturer_detail": ("organizer", lambda w: [f"/lecturers/{w['lecturer']}"]),
    "finance.lecturer_edit": ("organizer", lambda w: [f"/lecturers/{w['lecturer']}/edit"]),
    "finance.rates": ("reviewer", lambda w: ["/rates"]),
    "finance.spending_page": ("reviewer", lambda w: ["/spending?year=2024"]),
    "course_money.payments": ("organizer", lambda w: [f"/courses/{w['finished']}/payments"]),
    "course_money.paperwork": ("organizer", lambda w: [f"/courses/{w['finished']}/paperwork"]),
    "course_money.budget": ("organizer", lambda w: [f"/courses/{w['finished']}/budget"]),
}
# Pages whose content differs for an administrator or a reviewer: seen by them too.
ALSO = {"admin": ["/", "/courses/", "/participants/", "/reports/", "/schedule/", "/materials/"],
        "reviewer": ["/", "/reports/"]}
SETTLE = {"attendance.projector", "attendance.scan", "attendance.marks"}  # scripts fill them in after loading

# The outermost elements that stick out to the right of the viewport, past any scrolling container.
OVERFLOW_JS = """(width) => {
  const out = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= width + 0.5) return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right <= width + 0.5 || clipped(el)) continue;
    const parent = el.parentElement;
    if (parent !== document.body && parent.getBoundingClientRect().right > width + 0.5 && !clipped(parent)) continue;
    out.push(name(el) + ' (right edge ' + Math.round(right) + ' px: "' +
             (el.innerText || el.value || '').trim().slice(0, 50).replace(/\\s+/g, ' ') + '")');
  }
  return {scrollWidth: document.documentElement.scrollWidth, culprits: out.slice(0, 6)};
}"""


def _skip_reason(rule: Any) -> str | None:
    if rule.rule.startswith("/api/"):
        return "JSON API"
    if rule.rule.endswith((".pdf", ".xlsx", ".zip", ".json")):
        return "a file, not a page"
    return SKIPPED.get(rule.endpoint)


def seed_world(f: Factories) -> dict[str, Any]:
    """A running class (a session now, with one check-in), a finished course with certificates issued, a
    course material, an officer with a very long name, and users with long e-mail addresses; committed."""
    world = make_running_class(f)
    t, course, course_session = world["tree"], world["course"], world["session"]
    course.title = LONG_TITLE
    organizer = f.user("organizer", t["district"], email=LONG_EMAIL)
    admin = f.user("admin", email="quan.tri.he.thong.so.thong.tin.truyen.thong@bacgiang.gov.vn")
    reviewer = f.user("reviewer", t["province"], email="phong.thong.tin.co.so.so.van.hoa@bacgiang.gov.vn")
    long_named = f.participant(t["commune"], full_name=LONG_NAME, email=LONG_EMAIL,
                               position="Công chức Văn hóa - Xã hội kiêm phụ trách Đài truyền thanh cơ sở")
    db.session.add(Enrolment(course=course, participant=long_named))
    db.session.add(AttendanceRecord(course_session=course_session, participant=world["people"][0],
                                    checked_in_at=utcnow(), method=AttendanceMethod.QR))

    finished = f.course(t["district"], curriculum=course.curriculum, title=LONG_TITLE + " (đợt 1)",
                        start_date=date(2024, 10, 1), end_date=date(2024, 10, 2))
    for day in (1, 2):
        start = utcnow().replace(year=2024, month=10, day=day, hour=1, minute=0, second=0, microsecond=0)
        past = CourseSession(course=finished, title=f"Buổi {day}", starts_at=start, ends_at=start + timedelta(hours=4),
                             hours=2)
        db.session.add(past)
        for person in (*world["people"], long_named):
            db.session.add(AttendanceRecord(course_session=past, participant=person, checked_in_at=start,
                                            method=AttendanceMethod.QR))
    for person in (*world["people"], long_named):
        db.session.add(Enrolment(course=finished, participant=person))
    db.session.flush()
    issue_certificates(finished, actor=organizer, store_pdfs=False)
    lecturer = create_lecturer(organizer, t["province"], full_name=LONG_NAME, agency=LONG_TITLE, tier=2)
    set_rates(reviewer, t["province"], check_rates(date(2020, 1, 1), {"1": 2_000_000, "2": 1_500_000}, 150_000,
                                                   "Nghị quyết số 05/2020/NQ-HĐND ngày 10/7/2020 của HĐND tỉnh"))
    assign_lecturers(past, [lecturer.id])
    add_material(io.BytesIO(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
                 "Bài giảng kỹ năng thông tin cơ sở trên không gian mạng.pdf", actor=organizer, course=course)
    issuer = save_issuer(t["district"], actor=organizer, valid_from=date(2024, 1, 1), valid_to=date(2024, 12, 31),
                         values={"agency_name": "Phòng Văn hóa và Thông tin", "signer_name": LONG_NAME,
                                 "agency_parent": "Ủy ban nhân dân huyện Tân Yên", "place_name": "Tân Yên",
                                 "signer_title": "Trưởng phòng Văn hóa và Thông tin"})
    submission = create_submission(organizer, t["district"], ReportPeriod(2024))
    db.session.commit()
    certificate = db.session.scalar(db.select(Certificate.code).where(Certificate.course_id == finished.id).limit(1))
    _info, token = make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                              clock.now())
    return {"course": course.id, "finished": finished.id, "session": course_session.id, "person": long_named.id,
            "curriculum": course.curriculum.code, "module": course.curriculum.modules[0].id,
            "organizer_id": organizer.id, "certificate": certificate, "token": token,
            "district_id": t["district"].id, "issuer": issuer.id, "submission": submission.id,
            "lecturer": lecturer.id, "organizer": organizer.email, "admin": admin.email, "reviewer": reviewer.email}


def _check(page: Page, url: str, settle: bool, failures: list[str], shots: Path | None, label: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{label} {url}: HTTP {response and response.status}"
    if settle:
        page.wait_for_load_state("networkidle")
    width = page.viewport_size["width"]
    found = page.evaluate(OVERFLOW_JS, width)
    if found["scrollWidth"] > width:
        failures.append(f"{label} {url}: {found['scrollWidth']} px wide; sticking out: {found['culprits']}")
    if shots:
        name = f"{label}-{url.strip('/').replace('/', '_') or 'home'}"
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_every_page_fits_a_360_px_phone(app: Flask, browser: Browser, live_server: str, f: Factories) -> None:
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    unknown = sorted(rule.endpoint for rule in rules if rule.endpoint not in PAGES and not _skip_reason(rule))
    assert not unknown, f"GET routes neither visited nor skipped here: {unknown} (add them to PAGES or SKIPPED)"
    assert not [e for e in PAGES if e not in {rule.endpoint for rule in rules}], "PAGES names a route that is gone"

    world = seed_world(f)
    shots = Path(os.environ["PHONE_SHOTS"]) if os.environ.get("PHONE_SHOTS") else None
    if shots:
        (shots / "wide").mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    # at 360 px, asserted; with PHONE_SHOTS, also at 1366 px (screenshots only, a desktop must not break either)
    passes = [(WIDTH, HEIGHT, shots)] + ([(1366, 768, shots / "wide")] if shots else [])
    for width, height, folder in passes:
        for who in ("public", "organizer", "reviewer", "admin"):
            context = browser.new_context(base_url=live_server, locale="vi-VN", is_mobile=width == WIDTH,
                                          has_touch=width == WIDTH, viewport={"width": width, "height": height})
            context.set_default_timeout(10_000)
            try:
                page = context.new_page()
                if who != "public":
                    log_in(page, world[who], PASSWORD)
                    page.wait_for_url(lambda url: "/login" not in url)
                for endpoint, (role, urls) in PAGES.items():
                    if role == who:
                        for url in urls(world):
                            _check(page, url, endpoint in SETTLE, failures, folder, who)
                for url in ALSO.get(who, []):
                    _check(page, url, False, failures, folder, who)
            finally:
                context.close()
    assert not failures, "Pages wider than the screen:\n" + "\n".join(failures)
