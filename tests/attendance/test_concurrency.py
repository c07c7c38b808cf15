"""Forty phones scanning within the same second against a running server store exactly one record each."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.serving import make_server

from tests.attendance.conftest import make_session
from tests.factories import Factories
from trainer.attendance.models import AttendanceRecord
from trainer.attendance.tokens import make_token
from trainer.core.db import utcnow
from trainer.courses.models import Enrolment
from trainer.extensions import db

PHONES = 40


def _post(url: str, body: dict, barrier: threading.Barrier) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    barrier.wait()  # every request leaves at the same moment
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_forty_phones_at_once_each_stored_once_without_errors(app, f: Factories):
    t = f.tree()
    course = f.course(t["district"])
    course_session = make_session(course, utcnow() - timedelta(minutes=5))
    phones = [f"0988{i:06d}" for i in range(PHONES)]
    for phone in phones:
        db.session.add(Enrolment(course=course, participant=f.participant(t["commune"], phone=phone)))
    db.session.commit()
    token = make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                       utcnow())[1]

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/api/v1/checkin"
    bodies = [{"token": token, "phone": phone} for phone in phones] * 2  # every phone taps twice
    barrier = threading.Barrier(len(bodies))
    try:
        with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
            results = list(pool.map(lambda body: _post(url, body, barrier), bodies))
    finally:
        server.shutdown()
        server.server_close()

    assert Counter(status for status, _ in results) == {200: 2 * PHONES}, results
    statuses = Counter(body["status"] for _, body in results)
    assert statuses == {"checked_in": PHONES, "already_checked_in": PHONES}
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == PHONES
    assert db.session.scalar(select(func.count(func.distinct(AttendanceRecord.participant_id)))) == PHONES
