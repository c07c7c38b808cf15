"""Check-in rules, one test per result code, on the service directly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.attendance.conftest import make_session
from trainer.attendance.models import AttendanceMethod, AttendanceRecord, CheckinAttempt
from trainer.attendance.services import (
    MAX_FAILURES,
    CheckinRefused,
    checkin_with_token,
    mark_attendance,
    unmark_attendance,
)
from trainer.audit.models import AuditEntry
from trainer.courses.models import CourseStatus, Enrolment, EnrolmentStatus
from trainer.extensions import db


def _attempts() -> list[tuple]:
    return db.session.execute(select(CheckinAttempt.reason, CheckinAttempt.phone_tried)).all()


def test_checked_in_then_already_checked_in(hall):
    first = checkin_with_token(hall["session"], phone="+84 91 234 5600", now=hall["now"])
    again = checkin_with_token(hall["session"], phone="0912 345 600", now=hall["now"])
    assert (first.status, again.status) == ("checked_in", "already_checked_in")
    assert first.participant.full_name == "Nguyễn Thị Hằng" and again.record.id == first.record.id
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == 1


def test_not_enrolled_is_refused_and_stored(hall):
    with pytest.raises(CheckinRefused) as err:
        checkin_with_token(hall["session"], phone="0900000000", now=hall["now"])
    assert err.value.code == "not_enrolled" and err.value.status == 404
    assert _attempts() == [("not_enrolled", "0900000000")]


def test_withdrawn_participant_is_not_enrolled(hall):
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.participant_id == hall["people"][0].id))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    with pytest.raises(CheckinRefused) as err:
        checkin_with_token(hall["session"], phone="0912345600", now=hall["now"])
    assert err.value.code == "not_enrolled"


def test_wrong_course_names_the_trainees_own_class(hall, f):
    other = f.course(hall["tree"]["district2"], title="Lớp Yên Thế")
    make_session(other, hall["now"] - timedelta(minutes=5))
    db.session.add(Enrolment(course=other, participant=hall["outsider"]))
    with pytest.raises(CheckinRefused) as err:
        checkin_with_token(hall["session"], phone="0977000111", now=hall["now"])
    assert err.value.code == "wrong_course" and "Lớp Yên Thế" in err.value.message
    assert _attempts() == [("wrong_course", "0977000111")]


def test_too_early_and_too_late_are_checkin_closed(hall):
    course_session = hall["session"]
    for now, reason in ((course_session.starts_at - timedelta(minutes=31), "too_early"),
                        (course_session.ends_at + timedelta(seconds=1), "too_late")):
        with pytest.raises(CheckinRefused) as err:
            checkin_with_token(course_session, phone="0912345600", now=now)
        assert (err.value.code, err.value.reason, err.value.status) == ("checkin_closed", reason, 409)
    assert [r for r, _ in _attempts()] == ["too_early", "too_late"]


def test_window_opens_30_minutes_before_unless_the_course_says_otherwise(hall):
    course_session = hall["session"]
    assert checkin_with_token(course_session, phone="0912345600",
                              now=course_session.starts_at - timedelta(minutes=30)).status == "checked_in"
    hall["course"].checkin_opens_minutes = 60
    assert checkin_with_token(course_session, phone="0987654321",
                              now=course_session.starts_at - timedelta(minutes=59)).status == "checked_in"


def test_late_after_the_start_plus_margin(hall):
    course_session = hall["session"]
    on_time = checkin_with_token(course_session, phone="0912345600",
                                 now=course_session.starts_at + timedelta(minutes=15))
    late = checkin_with_token(course_session, phone="0987654321",
                              now=course_session.starts_at + timedelta(minutes=16))
    assert (on_time.record.is_late, late.record.is_late) == (False, True)


def test_cancelled_course_refuses(hall):
    hall["course"].status = CourseStatus.CANCELLED
    with pytest.raises(CheckinRefused) as err:
        checkin_with_token(hall["session"], phone="0912345600", now=hall["now"])
    assert err.value.reason == "course_cancelled"


def test_one_device_checks_in_one_person_per_session(hall):
    checkin_with_token(hall["session"], phone="0912345600", device_id="dev1", now=hall["now"])
    with pytest.raises(CheckinRefused) as err:
        checkin_with_token(hall["session"], phone="0987654321", device_id="dev1", now=hall["now"])
    assert err.value.code == "device_used"
    assert checkin_with_token(hall["session"], phone="0912345600", device_id="dev1",
                              now=hall["now"]).status == "already_checked_in"


def test_failed_lookups_are_limited_per_network_but_successes_never(hall):
    for i in range(MAX_FAILURES):
        with pytest.raises(CheckinRefused) as err:
            checkin_with_token(hall["session"], phone=f"09000000{i:02d}", client_key="hall-wifi", now=hall["now"])
        assert err.value.code == "not_enrolled"
    with pytest.raises(CheckinRefused) as err:
        checkin_with_token(hall["session"], phone="0900000099", client_key="hall-wifi", now=hall["now"])
    assert err.value.code == "too_many_attempts" and err.value.status == 429
    # guessing stops, but the hall's own officers still get through on the same network
    assert checkin_with_token(hall["session"], phone="0912345600", client_key="hall-wifi",
                              now=hall["now"]).status == "checked_in"
    with pytest.raises(CheckinRefused) as err:  # another network is not affected by this one's failures
        checkin_with_token(hall["session"], phone="0900000099", client_key="other", now=hall["now"])
    assert err.value.code == "not_enrolled"


def test_many_successes_from_one_network_are_never_limited(hall, f):
    for i in range(MAX_FAILURES + 5):
        person = f.participant(hall["tree"]["commune"], phone=f"0966{i:06d}")
        db.session.add(Enrolment(course=hall["course"], participant=person))
        assert checkin_with_token(hall["session"], phone=person.phone, client_key="hall-wifi",
                                  now=hall["now"]).status == "checked_in"


def test_organizer_marks_outside_the_window_and_unmarks_with_reason(hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    later = hall["session"].ends_at + timedelta(days=1)
    result = mark_attendance(hall["session"], hall["people"][0], method=AttendanceMethod.MANUAL,
                             actor=organizer, now=later)
    assert result.status == "checked_in" and result.record.recorded_by_id == organizer.id
    with pytest.raises(Exception) as err:
        unmark_attendance(hall["session"], hall["people"][0], reason=" ", actor=organizer)
    assert getattr(err.value, "code", None) == "reason_required"
    assert unmark_attendance(hall["session"], hall["people"][0], reason="Nhập nhầm", actor=organizer)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["attendance.mark", "attendance.unmark"]
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == 0
