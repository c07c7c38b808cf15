"""Each enrolment's stored attended hours (trainer.attendance.hours) follow every way attendance, sessions
and enrolments are written, and agree with the register's hours computed from the records."""

from __future__ import annotations

import os
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from tests.factories import Factories
from tests.reports.conftest import Dataset, add_session, attend, enrol
from tests.sql import backend_pid, wait_until_blocked
from trainer.attendance.marks import unmark_attendance
from trainer.attendance.models import AttendanceMethod, AttendanceRecord
from trainer.attendance.register import get_register
from trainer.attendance.services import Who, check_in
from trainer.core.db import utcnow
from trainer.courses.models import Course, Enrolment
from trainer.courses.services import enrol_participant
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession
from trainer.schedule.services import update_session


def stored(course: Course, person: Participant) -> Decimal:
    """The enrolment's attended hours as the database holds them now (a column, not a loaded object)."""
    db.session.flush()
    return db.session.scalar(select(Enrolment.attended_hours).where(
        Enrolment.course_id == course.id, Enrolment.participant_id == person.id))


def sessions_of(course: Course) -> list[CourseSession]:
    """The sessions of `course` in time order."""
    return list(db.session.scalars(select(CourseSession).where(CourseSession.course_id == course.id)
                                   .order_by(CourseSession.starts_at)))


def test_stored_hours_agree_with_the_register(data: Dataset):
    for name, course in data.courses.items():
        for row in get_register(course).rows:
            assert stored(course, db.session.get(Participant, row.participant_id)) == row.hours_attended, name
    assert stored(data.courses["K1"], data.people["P2"]) == 8  # 4 + 4 of 10 h
    assert stored(data.courses["K1"], data.people["P7"]) == 0  # withdrawn, never came
    assert stored(data.courses["K5"], data.people["P6"]) == 0  # no session


def test_marking_and_unmarking_through_the_services(data: Dataset, f: Factories):
    k1, p3 = data.courses["K1"], data.people["P3"]
    admin = f.user("admin")
    assert stored(k1, p3) == 6  # 4 + 2
    check_in(sessions_of(k1)[1], Who(participant_id=p3.id), method=AttendanceMethod.MANUAL, actor=admin, now=utcnow())
    assert stored(k1, p3) == 10
    unmark_attendance(sessions_of(k1)[0], p3, reason="Nhầm người", actor=admin)
    assert stored(k1, p3) == 6  # 4 + 2 again, the other 4 h session
    assert stored(data.courses["K2"], p3) == 4  # the person's other course is untouched


def test_core_inserts_and_deletes(data: Dataset):
    k1, p2 = data.courses["K1"], data.people["P2"]
    last = sessions_of(k1)[2]
    db.session.execute(insert(AttendanceRecord).values(course_session_id=last.id, participant_id=p2.id,
                                                       method=AttendanceMethod.QR, checked_in_at=utcnow()))
    assert stored(k1, p2) == 10
    # The check-in fast path's statement: a repeat changes nothing.
    upsert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(AttendanceRecord)
    db.session.execute(upsert.values(course_session_id=last.id, participant_id=p2.id, method=AttendanceMethod.QR,
                                     checked_in_at=utcnow())
                       .on_conflict_do_nothing(index_elements=["course_session_id", "participant_id"]))
    assert stored(k1, p2) == 10
    db.session.execute(delete(AttendanceRecord).where(AttendanceRecord.participant_id == p2.id))
    assert stored(k1, p2) == 0


def test_a_record_moved_to_another_session_or_person(data: Dataset):
    k1, k2, p1, p2 = data.courses["K1"], data.courses["K2"], data.people["P1"], data.people["P2"]
    first = sessions_of(k1)[0]
    db.session.execute(update(AttendanceRecord)
                       .where(AttendanceRecord.course_session_id == first.id, AttendanceRecord.participant_id == p2.id)
                       .values(course_session_id=sessions_of(k1)[2].id))
    assert stored(k1, p2) == 6  # 4 + 2
    db.session.execute(update(AttendanceRecord)
                       .where(AttendanceRecord.course_session_id == sessions_of(k2)[0].id,
                              AttendanceRecord.participant_id == p1.id)
                       .values(participant_id=data.people["P5"].id, course_session_id=sessions_of(k1)[0].id))
    assert stored(k2, p1) == 4  # lost one of the two 4 h sessions
    assert stored(k2, data.people["P5"]) == 8  # unchanged: the record moved to K1, where P5 is not enrolled


def test_a_session_whose_hours_change(data: Dataset, f: Factories):
    k1 = data.courses["K1"]
    last = sessions_of(k1)[2]  # 2 h, attended by P1, P3 and P4
    update_session(last, starts_at=last.starts_at, ends_at=last.starts_at + timedelta(hours=3, minutes=30),
                   actor=f.user("admin"), title=last.title)
    assert [stored(k1, data.people[p]) for p in ("P1", "P2", "P3", "P4")] == [Decimal("11.5"), 8, Decimal("7.5"),
                                                                               Decimal("11.5")]
    assert stored(data.courses["K2"], data.people["P1"]) == 8  # other courses untouched


def test_a_session_deleted(data: Dataset):
    k1 = data.courses["K1"]
    extra = add_session(k1, date(2024, 3, 11), 3, hour=13)
    attend(data.people["P2"], extra)
    assert stored(k1, data.people["P2"]) == 11
    db.session.execute(delete(AttendanceRecord).where(AttendanceRecord.course_session_id == extra.id))
    db.session.execute(delete(CourseSession).where(CourseSession.id == extra.id))
    assert stored(k1, data.people["P2"]) == 8


@pytest.mark.parametrize("how", ["service", "orm"])
def test_an_enrolment_created_after_its_attendance(data: Dataset, f: Factories, how: str):
    k5, p7 = data.courses["K5"], data.people["P7"]  # K5 still takes enrolments
    sessions = [add_session(k5, date(2024, 11, 5), 4), add_session(k5, date(2024, 11, 6), "3.5")]
    attend(p7, *sessions)  # recorded from a paper sheet before the enrolment was entered
    if how == "service":
        enrol_participant(k5, p7, actor=f.user("admin"))
    else:
        enrol(k5, p7)
    assert stored(k5, p7) == Decimal("7.5")
    assert stored(k5, data.people["P6"]) == 0  # enrolled, absent


def test_many_enrolments_and_records_in_bulk(data: Dataset, f: Factories):
    course = f.course(data.t["district"], data.courses["K1"].curriculum, start_date=date(2024, 6, 1))
    sessions = [add_session(course, date(2024, 6, 1), "1.25"), add_session(course, date(2024, 6, 1), "2.5", hour=13)]
    people = [f.participant(data.t["commune"], full_name=f"Học viên {i}") for i in range(6)]
    # Half the records arrive before their enrolments (the demo generator writes tables in separate chunks).
    db.session.execute(insert(AttendanceRecord), [
        {"course_session_id": s.id, "participant_id": p.id, "method": AttendanceMethod.SHEET, "checked_in_at": utcnow()}
        for p in people[:3] for s in sessions])
    db.session.execute(insert(Enrolment), [{"course_id": course.id, "participant_id": p.id} for p in people])
    db.session.execute(insert(AttendanceRecord), [
        {"course_session_id": sessions[0].id, "participant_id": p.id, "method": AttendanceMethod.SHEET,
         "checked_in_at": utcnow()} for p in people[3:5]])
    assert [stored(course, p) for p in people] == [Decimal("3.75")] * 3 + [Decimal("1.25")] * 2 + [0]


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="SQLite runs one writer at a time")
def test_two_checkins_of_one_person_committed_at_once(data: Dataset):
    """Two transactions record one person at two sessions of a course: the later one waits for the first's
    lock on the enrolment, then adds its hours to the row the first committed."""
    k1, p2 = data.courses["K1"], data.people["P2"]
    first, _, last = (s.id for s in sessions_of(k1))
    db.session.execute(delete(AttendanceRecord).where(AttendanceRecord.participant_id == p2.id))
    db.session.commit()
    record = insert(AttendanceRecord).values(participant_id=p2.id, method=AttendanceMethod.QR, checked_in_at=utcnow())
    with db.engine.connect() as one, db.engine.connect() as two:
        one.execute(record.values(course_session_id=first))  # holds the enrolment's lock until it commits
        pids = backend_pid(two), backend_pid(one)
        waiting = threading.Thread(target=lambda: (two.execute(record.values(course_session_id=last)), two.commit()))
        waiting.start()
        wait_until_blocked(pids[0], by=pids[1])  # the second insert's trigger waits for the first's row
        one.commit()
        waiting.join(10)
    assert stored(k1, p2) == 6  # 4 + 2


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="SQLite runs one writer at a time")
def test_a_check_in_while_its_session_hours_change(data: Dataset):
    """A check-in adds its session's hours (PostgreSQL): one inserted while an organizer's change of those
    hours is uncommitted waits for it, then adds the new hours, not the ones its statement began with."""
    k1, p2 = data.courses["K1"], data.people["P2"]
    first = sessions_of(k1)[0].id
    db.session.execute(delete(AttendanceRecord).where(AttendanceRecord.participant_id == p2.id))
    db.session.commit()
    record = insert(AttendanceRecord).values(participant_id=p2.id, course_session_id=first,
                                             method=AttendanceMethod.QR, checked_in_at=utcnow())
    with db.engine.connect() as organizer, db.engine.connect() as trainee:
        organizer.execute(update(CourseSession).where(CourseSession.id == first).values(hours=Decimal("5.5")))
        pids = backend_pid(trainee), backend_pid(organizer)
        waiting = threading.Thread(target=lambda: (trainee.execute(record), trainee.commit()))
        waiting.start()
        wait_until_blocked(pids[0], by=pids[1])  # the check-in waits for the change of its session
        organizer.commit()
        waiting.join(10)
    assert stored(k1, p2) == Decimal("5.5")


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="SQLite runs one writer at a time")
def test_an_edit_of_one_session_holds_back_no_check_in_elsewhere(data: Dataset):
    """An organizer's uncommitted change of one session's hours locks that session's row and the enrolments
    it changes, nothing else: a check-in to another session goes through at once (it used to wait for a
    table lock on every attendance record in the country)."""
    k1, k2, p3 = data.courses["K1"], data.courses["K2"], data.people["P3"]
    edited, elsewhere = sessions_of(k1)[2].id, sessions_of(k2)[1].id  # P3 attended the first, not the second
    db.session.commit()
    with db.engine.connect() as organizer, db.engine.connect() as trainee:
        organizer.execute(update(CourseSession).where(CourseSession.id == edited).values(hours=Decimal("3.5")))
        trainee.exec_driver_sql("SET lock_timeout = '2s'")  # a wait fails the insert instead of hanging
        trainee.execute(insert(AttendanceRecord).values(participant_id=p3.id, course_session_id=elsewhere,
                                                        method=AttendanceMethod.QR, checked_in_at=utcnow()))
        trainee.commit()
        organizer.commit()
    assert stored(k2, p3) == 8  # 4 + 4
    assert stored(k1, p3) == Decimal("7.5")  # 4 + 3.5
