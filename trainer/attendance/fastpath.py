"""The trainee check-in's fast path: a check-in that succeeds or repeats, in at most three statements.

Forty phones in a commune hall check in within the same minute, and `POST /api/v1/checkin` is the
only request of the system that comes in such bursts. Its two common answers, "checked in" and
"already checked in", are decided here from plain rows with statements built once, on a
connection of its own, without loading ORM entities: the session with its course's rules; the
participant with their enrolment and their record of the session (a repeat ends there); one
INSERT … ON CONFLICT DO NOTHING RETURNING, the unique constraint deciding between two
simultaneous taps. Everything else (a bad or expired token, a closed window, an unknown or
unenrolled number) returns None, and the full path of trainer.attendance.services decides it,
stores the refused attempt and answers: one place holds the refusal rules, and the fast path
only ever says yes.

The session's row (secret, version, times, its course's status and rules) is kept per process for
SESSION_CACHE_SECONDS: every phone of a hall scans the same session, so a burst reads it once. A
change made through the ORM in this process (a course cancelled, a session moved, its codes
revoked) empties the cache at once; other worker processes see it within those few seconds.
"""

from __future__ import annotations

import time
from datetime import datetime
from itertools import chain
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import Connection, Row, and_, bindparam, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.attendance.services import MESSAGES, checkin_window, is_late
from trainer.attendance.tokens import TokenError, parse_token, verify_token
from trainer.core.dbsetup import AUTOCOMMIT_BIND
from trainer.core.errors import DomainError
from trainer.courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

SESSION_CACHE_SECONDS = 5.0
_CACHE_KEY = "trainer.checkin_sessions"

_SESSION = (select(CourseSession.id, CourseSession.title, CourseSession.checkin_secret,
                   CourseSession.checkin_version, CourseSession.starts_at, CourseSession.ends_at,
                   Course.id.label("course_id"), Course.status, Course.checkin_opens_minutes,
                   Course.late_after_minutes)
            .join(Course, Course.id == CourseSession.course_id)
            .where(CourseSession.id == bindparam("session_id")))


def _enrolled_by(column) -> Any:
    """The enrolled participant with this phone or code, and their record of the session if any."""
    return (select(Participant.id, Participant.full_name, AttendanceRecord.checked_in_at, AttendanceRecord.is_late)
            .join(Enrolment, and_(Enrolment.participant_id == Participant.id,
                                  Enrolment.course_id == bindparam("course_id"),
                                  Enrolment.status == EnrolmentStatus.ENROLLED))
            .outerjoin(AttendanceRecord, and_(AttendanceRecord.participant_id == Participant.id,
                                              AttendanceRecord.course_session_id == bindparam("session_id")))
            .where(column == bindparam("key")))


_ENROLLED_BY_PHONE = _enrolled_by(Participant.phone)
_ENROLLED_BY_CODE = _enrolled_by(Participant.code)
_EXISTING = (select(AttendanceRecord.checked_in_at, AttendanceRecord.is_late)
             .where(AttendanceRecord.course_session_id == bindparam("session_id"),
                    AttendanceRecord.participant_id == bindparam("participant_id")))
_INSERTS: dict[str, Any] = {}


def _insert(dialect: str) -> Any:
    """INSERT … ON CONFLICT (session, participant) DO NOTHING RETURNING id, in the engine's dialect."""
    if dialect not in _INSERTS:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        _INSERTS[dialect] = (insert(AttendanceRecord)
                             .values(course_session_id=bindparam("session_id"),
                                     participant_id=bindparam("participant_id"),
                                     checked_in_at=bindparam("checked_in_at"), method=AttendanceMethod.QR,
                                     is_late=bindparam("is_late"))
                             .on_conflict_do_nothing(index_elements=["course_session_id", "participant_id"])
                             .returning(AttendanceRecord.id))
    return _INSERTS[dialect]


def _session_row(connection, session_id: int) -> Row | None:
    """The session's row with its course's rules, from this process's cache when fresh."""
    cache: dict[int, tuple[float, Row | None]] = current_app.extensions.setdefault(_CACHE_KEY, {})
    now = time.monotonic()
    cached = cache.get(session_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    row = connection.execute(_SESSION, {"session_id": session_id}).first()
    if row is not None:  # unknown ids are not kept: a flood of made-up tokens must not fill memory
        cache[session_id] = (now + SESSION_CACHE_SECONDS, row)
    return row


def forget_sessions(app: Flask) -> None:
    """Drop this process's cached session rows (a course or session just changed)."""
    app.extensions.pop(_CACHE_KEY, None)


@event.listens_for(Session, "after_flush")
def _forget_on_change(session: Session, flush_context: Any) -> None:
    if has_app_context() and any(isinstance(obj, Course | CourseSession)
                                 for obj in chain(session.dirty, session.deleted)):
        forget_sessions(current_app._get_current_object())


def quick_checkin(token: str, *, phone: str | None, participant_code: str | None,
                  now: datetime) -> dict[str, Any] | None:
    """The contract's answer when this check-in succeeds or repeats one; None when the full path must
    decide (any refusal). Writes at most one attendance record, on a connection of its own (no ORM
    session: the request's session stays untouched for the full path)."""
    from trainer.participants.services import normalise_phone

    try:
        session_id = parse_token(token)[0]
        if participant_code:
            statement, key = _ENROLLED_BY_CODE, participant_code.strip().upper()
        else:
            statement, key = _ENROLLED_BY_PHONE, normalise_phone(phone or "")
    except DomainError:
        return None
    # Autocommit: the reads need no transaction and the INSERT is atomic on its own, so neither
    # BEGIN nor COMMIT travels to the database (an in-memory SQLite has no second engine: one
    # transaction, committed here).
    engine = db.engines.get(AUTOCOMMIT_BIND)
    try:
        with (engine or db.engine).connect() as connection:
            answer = _checkin(connection, token, session_id, statement, key, now)
            if engine is None:
                connection.commit()
            return answer
    except DBAPIError as exc:
        if exc.connection_invalidated:  # the database restarted: the full path reconnects (pinged)
            return None
        raise


def _checkin(connection: Connection, token: str, session_id: int, statement: Any, key: str,
             now: datetime) -> dict[str, Any] | None:
    session = _session_row(connection, session_id)
    if session is None or session.status is CourseStatus.CANCELLED:
        return None
    try:
        verify_token(token, session.checkin_secret, session.checkin_version, now)
    except TokenError:
        return None
    opens, closes = checkin_window(session.starts_at, session.ends_at, session.checkin_opens_minutes)
    if not opens <= now <= closes:
        return None
    person = connection.execute(statement, {"course_id": session.course_id, "session_id": session.id,
                                            "key": key}).first()
    if person is None:
        return None
    status, checked_in_at, late = "already_checked_in", person.checked_in_at, person.is_late
    if checked_in_at is None:
        status, checked_in_at = "checked_in", now
        late = is_late(session.starts_at, session.late_after_minutes, now)
        inserted = connection.execute(_insert(connection.dialect.name), {
            "session_id": session.id, "participant_id": person.id, "checked_in_at": now, "is_late": late}).first()
        if inserted is None:  # the same person's other tap, a moment earlier, holds the record
            status = "already_checked_in"
            checked_in_at, late = connection.execute(_EXISTING, {"session_id": session.id,
                                                                    "participant_id": person.id}).one()
    return {"status": status, "message": MESSAGES[status], "late": late,
            "checked_in_at": checked_in_at.isoformat(), "participant": {"full_name": person.full_name},
            "session": {"id": session.id, "title": session.title}}
