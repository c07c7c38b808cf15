"""The check-in benchmark's pieces (scripts/bench): the floor app, wrk's report, the wrk scripts against the
real pages, the projector's byte count. None needs a long run; the wrk ones are skipped without wrk."""

from __future__ import annotations

import importlib
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import insert, select
from werkzeug.serving import make_server

from tests.factories import PASSWORD, Factories
from trainer.accounts.models import Role
from trainer.accounts.services import issue_api_token
from trainer.attendance.models import AttendanceRecord
from trainer.attendance.tokens import make_token
from trainer.core import clock
from trainer.courses.models import CourseStatus, Enrolment
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "bench"))

from loadgen import parse_wrk, read_numbers, run_wrk  # noqa: E402 - scripts/bench is not a package
from projector import Browser  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
GRACE_RE = re.compile(r'name="grace" value="([^"]*)"')
needs_wrk = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make bench installs it)")

WRK_REPORT = """Running 5s test @ http://127.0.0.1:4000
  2 threads and 200 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   823.36ms  544.68ms   1.66s    63.33%
  Latency Distribution
     50%  863.20ms
     75%    1.31s
     90%    1.51s
     99%    1.66s
  1230 requests in 5.04s, 57.02KB read
  Socket errors: connect 0, read 3, write 0, timeout 2
Requests/sec:    244.05
Transfer/sec:     18.74KB
phones: started=640 confirmed=600 refused=1 failed=0 top=1280
"""


def test_parse_wrk_reads_rate_latency_errors_and_the_scripts_counts() -> None:
    load = parse_wrk(WRK_REPORT, 5, cpu=0.5)
    assert (load.rps, load.p50, load.p99, load.requests, load.seconds, load.errors) == (244.05, 863.2, 1660, 1230,
                                                                                        5.04, 5)
    assert load.phones == {"started": 640, "confirmed": 600, "refused": 1, "failed": 0, "top": 1280}
    assert round(load.confirmed_per_s) == 119


@pytest.fixture
def floor(monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The floor app, its pages sized as a benchmark would size them."""
    monkeypatch.setenv("FLOOR_FORM_BYTES", "3000")
    monkeypatch.setenv("FLOOR_RESULT_BYTES", "2500")
    import floor_app

    return importlib.reload(floor_app).app


def test_floor_pages_are_as_large_as_asked_and_the_post_needs_the_pages_csrf_token(floor: Flask) -> None:
    client = floor.test_client()
    page = client.get("/c/7-1-abc")
    assert len(page.data) == 3000 and "session" in page.headers["Set-Cookie"]
    html = page.get_data(as_text=True)
    form = {"grace": GRACE_RE.search(html).group(1), "phone": "0977000042"}
    assert floor.test_client().post("/c/7-1-abc", data={**form, "csrf_token": "forged"}).status_code == 400
    result = client.post("/c/7-1-abc", data={**form, "csrf_token": CSRF_RE.search(html).group(1)})
    assert result.status_code == 200 and len(result.data) == 2500
    assert "Điểm danh thành công" in result.get_data(as_text=True) and "Học viên 42" in result.get_data(as_text=True)


@dataclass
class Served:
    """The test's app served on a port by werkzeug (one request at a time), as loadgen's servers are used."""

    port: int

    @property
    def url(self) -> str:
        """Its base URL."""
        return f"http://127.0.0.1:{self.port}"

    def settle(self) -> None:
        """Nothing is left queued: the server answers one connection at a time."""


@pytest.fixture
def classroom(app: Flask, f: Factories) -> dict:
    """A running course of 10 people numbered as the benchmark numbers them (participant i: `Học viên i`,
    phone 0977 + six digits of i, code B + seven digits of i), a session open now, an admin's API token."""
    t = f.tree()
    course = f.course(t["district"], status=CourseStatus.RUNNING, start_date=date.today(),
                      end_date=date.today() + timedelta(days=1))
    now = clock.now()
    course_session = CourseSession(course=course, title="Buổi đo tải", starts_at=now - timedelta(minutes=5),
                                   ends_at=now + timedelta(hours=3), hours=3)
    db.session.add(course_session)
    db.session.flush()
    db.session.execute(insert(Participant), [
        {"code": f"B{i:07d}", "full_name": f"Học viên {i}", "name_search": f"hoc vien {i}", "gender": "female",
         "phone": f"0977{i:06d}", "unit_id": t["commune"].id, "target_group": "commune_culture_officer"}
        for i in range(10)])
    ids = db.session.scalars(select(Participant.id).where(Participant.code.like("B%")).order_by(Participant.id))
    db.session.execute(insert(Enrolment), [{"course_id": course.id, "participant_id": pid} for pid in ids])
    admin = f.user(Role.ADMIN)
    api_token = issue_api_token(admin, name="bench")
    db.session.commit()
    token = make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version, now)[1]
    return {"session": course_session, "token": token, "api_token": api_token}


@pytest.fixture
def served(app: Flask) -> Iterator[Served]:
    """The test's app on a free port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(server.server_port)
    server.shutdown()
    thread.join()


def _stored(session_id: int) -> dict[int, int]:
    db.session.commit()  # a fresh transaction: see what the server committed
    rows = db.session.execute(select(Participant.phone, db.func.count()).join(
        AttendanceRecord, AttendanceRecord.participant_id == Participant.id)
        .where(AttendanceRecord.course_session_id == session_id).group_by(Participant.phone)).all()
    return {int(phone[4:]): count for phone, count in rows}


@needs_wrk
def test_trainee_script_checks_phones_in_through_the_page_form(classroom: dict, served: Served, tmp_path: Path) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(f"{classroom['token']}\n")
    load = run_wrk("trainee.lua", served, [tokens, 0, 1, tmp_path / "ok-", 10], connections=1, seconds=1, threads=1)
    confirmed = read_numbers(str(tmp_path / "ok-"), threads=1)
    assert confirmed and load.phones["confirmed"] == len(confirmed) and load.errors == 0
    # every number from 0 up was a new phone until the class ran out ("not enrolled" afterwards)
    assert sorted(confirmed) == list(range(len(confirmed)))
    assert {n: 1 for n in confirmed}.items() <= _stored(classroom["session"].id).items()


@needs_wrk
def test_api_script_scans_badges_with_the_bearer_token(classroom: dict, served: Served, tmp_path: Path) -> None:
    ids = tmp_path / "ids"
    ids.write_text(f"{classroom['session'].id}\n")
    load = run_wrk("api.lua", served, ["badge", ids, 0, 1, tmp_path / "ok-", 10, classroom["api_token"]],
                   connections=1, seconds=1, threads=1)
    confirmed = read_numbers(str(tmp_path / "ok-"), threads=1)
    assert confirmed and load.phones["confirmed"] == len(confirmed) and load.phones["failed"] == 0
    assert {n: 1 for n in confirmed}.items() <= _stored(classroom["session"].id).items()


def test_projector_browser_revalidates_with_the_etag_and_counts_the_bytes(app: Flask, f: Factories,
                                                                          classroom: dict, served: Served) -> None:
    f.user(Role.ADMIN, email="projector@example.com")
    db.session.commit()
    browser = Browser(served.port)
    browser.log_in("projector@example.com", PASSWORD)
    path = f"/sessions/{classroom['session'].id}/live.json?qr={classroom['token']}"
    first, state = browser.poll(path)
    again, cached = browser.poll(path)
    assert first.status == 200 and again.status == 304 and again.body == b"" and cached == state
    assert again.received < first.received and again.total == again.sent + again.received
