"""The check-in's fast path (trainer.attendance.fastpath): the contract's answers in at most two
statements once the session is cached, a cache that follows changes, and the full path behind it."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from tests.attendance.conftest import make_session
from tests.sql import count_statements
from trainer.attendance import fastpath
from trainer.attendance.models import AttendanceMethod, AttendanceRecord, CheckinAttempt
from trainer.attendance.tokens import make_token
from trainer.core.db import utcnow
from trainer.core.dbsetup import AUTOCOMMIT_BIND
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant


def _token(course_session) -> str:
    return make_token(course_session.id, course_session.checkin_secret, course_session.checkin_version,
                      utcnow())[1]


def _checkin(client, course_session, phone: str):
    return client.post("/api/v1/checkin", json={"token": _token(course_session), "phone": phone})


def test_a_new_check_in_takes_two_statements_and_a_repeat_one(client, hall):
    # On PostgreSQL one: the look-up and the insert are one statement.
    postgres = db.engine.dialect.name == "postgresql"
    course_session = hall["session"]
    assert _checkin(client, course_session, "0355555555").status_code == 200  # the session is now cached
    token = _token(course_session)
    with count_statements() as statements:
        first = client.post("/api/v1/checkin", json={"token": token, "phone": "0912345600"})
    assert first.status_code == 200 and first.json["status"] == "checked_in" and first.json["late"] is False
    assert len(statements) == (1 if postgres else 2), statements  # the person and their record; the insert
    with count_statements() as statements:
        again = client.post("/api/v1/checkin", json={"token": token, "phone": "0912 345 600"})
    assert again.json["status"] == "already_checked_in" and len(statements) == 1, statements
    assert again.json["checked_in_at"] == first.json["checked_in_at"]
    assert again.json["participant"] == {"full_name": "Nguyễn Thị Hằng"}
    record = db.session.scalar(select(AttendanceRecord).where(
        AttendanceRecord.participant_id == hall["people"][0].id))
    assert record.method is AttendanceMethod.QR and record.course_session_id == course_session.id
    assert record.checked_in_at.isoformat() == first.json["checked_in_at"]


def test_lateness_follows_the_course_rule(client, hall, f):
    late = make_session(hall["course"], utcnow() - timedelta(minutes=20), title="Buổi chiều")
    answer = _checkin(client, late, "0987654321")
    assert answer.json["status"] == "checked_in" and answer.json["late"] is True
    assert db.session.scalar(select(AttendanceRecord.is_late).where(
        AttendanceRecord.course_session_id == late.id)) is True


def test_withdrawn_and_outsiders_go_to_the_full_path_and_are_refused(client, hall):
    place = db.session.scalar(select(Enrolment).where(Enrolment.participant_id == hall["people"][2].id))
    place.status = EnrolmentStatus.WITHDRAWN
    refused = _checkin(client, hall["session"], "0355555555")
    assert refused.status_code == 404 and refused.json["error"]["code"] == "not_enrolled"
    outsider = _checkin(client, hall["session"], "0977000111")
    assert outsider.status_code == 404
    assert db.session.scalar(select(CheckinAttempt.reason).where(
        CheckinAttempt.participant_id == hall["outsider"].id)) == "not_enrolled"
    assert db.session.scalar(select(AttendanceRecord.id)) is None


def test_a_change_in_this_process_reaches_the_cache_at_once(client, hall):
    course_session = hall["session"]
    assert _checkin(client, course_session, "0912345600").json["status"] == "checked_in"
    old_token = _token(course_session)
    course_session.checkin_version += 1  # the organizer revoked the codes on the projector
    revoked = client.post("/api/v1/checkin", json={"token": old_token, "phone": "0987654321"})
    assert revoked.status_code == 400 and revoked.json["error"]["code"] == "token_invalid"
    hall["course"].status = CourseStatus.CANCELLED
    cancelled = _checkin(client, course_session, "0987654321")
    assert cancelled.status_code == 409 and cancelled.json["error"]["fields"] == {"reason": "course_cancelled"}


def test_a_change_from_another_process_is_seen_within_the_cache_time(client, hall, monkeypatch):
    course_session = hall["session"]
    assert _checkin(client, course_session, "0912345600").json["status"] == "checked_in"
    # A plain UPDATE, as another worker process would make: this process's cache does not hear of it.
    db.session.execute(update(Course).where(Course.id == hall["course"].id).values(status=CourseStatus.CANCELLED))
    assert _checkin(client, course_session, "0987654321").json["status"] == "checked_in"
    later = fastpath.time.monotonic() + fastpath.SESSION_CACHE_SECONDS + 0.1
    monkeypatch.setattr(fastpath.time, "monotonic", lambda: later)
    refused = _checkin(client, course_session, "0355555555")
    assert refused.status_code == 409 and refused.json["error"]["fields"] == {"reason": "course_cancelled"}


def test_a_lost_connection_hands_over_to_the_full_path(client, hall, monkeypatch):
    def lost(*args, **kwargs):
        raise DBAPIError("SELECT", {}, Exception("server closed the connection unexpectedly"),
                         connection_invalidated=True)

    monkeypatch.setattr(fastpath, "_checkin", lost)
    answer = _checkin(client, hall["session"], "0912345600")
    assert answer.status_code == 200 and answer.json["status"] == "checked_in"


def test_a_connection_closed_under_the_driver_is_replaced(client, hall):
    # The database went away under a pooled connection of the fast path's engine (no pre-ping there):
    # the driver's error hands this check-in to the full path and the pool drops the connection.
    engine = db.engines[AUTOCOMMIT_BIND]
    assert _checkin(client, hall["session"], "0912345600").json["status"] == "checked_in"
    pooled = engine.raw_connection()
    pooled.driver_connection.close()
    pooled.close()  # back in the pool, dead
    answer = _checkin(client, hall["session"], "0987654321")
    assert answer.status_code == 200 and answer.json["status"] == "checked_in"
    again = _checkin(client, hall["session"], "0987654321")
    assert again.json["status"] == "already_checked_in"
    assert db.session.scalar(select(func.count()).select_from(AttendanceRecord)) == 2


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "full path"])
def test_both_paths_give_the_same_answers(client, hall, monkeypatch, fast):
    if not fast:
        monkeypatch.setattr("trainer.attendance.lane.quick_checkin", lambda *args, **kwargs: None)
    course_session = hall["session"]
    first = _checkin(client, course_session, "0912345600").json
    by_code = client.post("/api/v1/checkin", json={"token": _token(course_session),
                                                   "participant_code": hall["people"][1].code.lower()}).json
    again = _checkin(client, course_session, "+84 912 345 600").json
    assert (first["status"], by_code["status"], again["status"]) == ("checked_in", "checked_in",
                                                                     "already_checked_in")
    assert first["message"] == "Điểm danh thành công."
    assert again["message"] == "Bạn đã điểm danh buổi này rồi."
    assert again["checked_in_at"] == first["checked_in_at"] and again["late"] is first["late"] is False
    assert by_code["participant"] == {"full_name": "Đặng Văn Ước"}
    assert first["session"] == {"id": course_session.id, "title": "Buổi sáng ngày 1"}


def _plan_nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL's planner")
def test_the_record_is_read_by_its_key_while_the_session_fills(hall):
    # Statistics taken before the session had records, as for every new session (a hall's burst
    # outruns autovacuum): PostgreSQL then estimated one record for the session, and read all of
    # them for each check-in, filtering on the participant.
    course, course_session, unit_id = hall["course"], hall["session"], hall["outsider"].unit_id
    earlier = make_session(course, utcnow() - timedelta(days=1), title="Buổi hôm qua")
    ids = db.session.scalars(insert(Participant).returning(Participant.id), [
        {"code": f"L{n:07d}", "full_name": "Học viên", "name_search": "hoc vien", "gender": "female",
         "phone": f"0966{n:06d}", "unit_id": unit_id, "target_group": "commune_culture_officer"}
        for n in range(400)]).all()
    records = [{"participant_id": pid, "checked_in_at": utcnow(), "method": AttendanceMethod.QR, "is_late": False}
               for pid in ids]
    db.session.execute(insert(AttendanceRecord), [{**r, "course_session_id": earlier.id} for r in records])
    db.session.execute(text("ANALYZE attendance_records"))
    db.session.execute(insert(AttendanceRecord), [{**r, "course_session_id": course_session.id} for r in records])
    statement = fastpath._Statements(db.engine.dialect).by_phone
    params = statement.params({"course_id": course.id, "session_id": course_session.id, "key": "0912345600",
                               "checked_in_at": utcnow(), "is_late": False})
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement.sql}",
                                                   params).scalar()[0]["Plan"]
    nodes = list(_plan_nodes(plan))
    record_scans = [node for node in nodes
                    if node.get("Relation Name") == "attendance_records" and node["Node Type"].endswith("Scan")]
    assert record_scans and all(node["Actual Rows"] == 0 for node in record_scans), plan
    assert not any(node.get("Rows Removed by Join Filter") or node.get("Rows Removed by Filter")
                   for node in nodes), plan
