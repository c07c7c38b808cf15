"""The one check-in use case (trainer.attendance.services.check_in): one test per rule and result code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.attendance.conftest import make_session
from trainer.attendance.marks import unmark_attendance
from trainer.attendance.models import AttendanceMethod, AttendanceRecord, CheckinAttempt
from trainer.attendance.services import (
    ATTEMPTS_KEEP,
    CHECKIN_LIMITS,
    CheckinRefused,
    Client,
    Who,
    check_in,
)
from trainer.audit.models import AuditEntry
from trainer.core.throttle import TooManyAttempts
from trainer.courses.models import CourseStatus, Enrolment, EnrolmentStatus
from trainer.extensions import db

QR = AttendanceMethod.QR
ZALO = "Mozilla/5.0 (Linux; Android 11; SM-A125F) Zalo"


def phone_check_in(hall, phone: str, *, client: Client | None = None, now=None):
    """A trainee's own check-in with their phone number, by default from the hall's network and a device of
    that phone's own."""
    client = client or Client.of("203.0.113.7", ZALO, f"device-{phone}")
    return check_in(hall["session"], Who(phone=phone), method=QR, now=now or hall["now"], client=client)


def _attempts() -> list[tuple]:
    return db.session.execute(select(CheckinAttempt.reason, CheckinAttempt.phone_tried)
                              .order_by(CheckinAttempt.id)).all()


def test_checked_in_then_already_checked_in(hall):
    first = phone_check_in(hall, "+84 91 234 5600")
    again = phone_check_in(hall, "0912 345 600")
    assert (first.status, again.status) == ("checked_in", "already_checked_in")
    assert first.full_name == again.full_name == "Nguyễn Thị Hằng"
    assert again.checked_in_at == first.checked_in_at == hall["now"]
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == 1


def test_not_enrolled_is_refused_and_stored(hall):
    with pytest.raises(CheckinRefused) as err:
        phone_check_in(hall, "0900000000")
    assert err.value.code == "not_enrolled" and err.value.status == 404
    assert _attempts() == [("not_enrolled", "0900000000")]


def test_withdrawn_participant_is_not_enrolled(hall):
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.participant_id == hall["people"][0].id))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    with pytest.raises(CheckinRefused) as err:
        phone_check_in(hall, "0912345600")
    assert err.value.code == "not_enrolled"


def test_someone_of_another_course_learns_nothing_about_it(hall, f):
    other = f.course(hall["tree"]["district2"], title="Lớp Yên Thế")
    make_session(other, hall["now"] - timedelta(minutes=5))
    db.session.add(Enrolment(course=other, participant=hall["outsider"]))
    with pytest.raises(CheckinRefused) as err:
        phone_check_in(hall, "0977000111")
    assert err.value.code == "not_enrolled"
    assert "Yên Thế" not in err.value.message and "Hoàng Văn Nam" not in err.value.message
    assert err.value.message == phone_refusal_for_a_stranger(hall).message  # the same words as a stranger gets
    attempt = db.session.scalars(select(CheckinAttempt).order_by(CheckinAttempt.id)).first()
    assert attempt.participant_id == hall["outsider"].id  # the organizer can still see who tried


def phone_refusal_for_a_stranger(hall) -> CheckinRefused:
    with pytest.raises(CheckinRefused) as err:
        phone_check_in(hall, "0900000001")
    return err.value


def test_too_early_and_too_late_are_checkin_closed(hall):
    course_session = hall["session"]
    for now, reason in ((course_session.starts_at - timedelta(minutes=31), "too_early"),
                        (course_session.ends_at + timedelta(seconds=1), "too_late")):
        with pytest.raises(CheckinRefused) as err:
            phone_check_in(hall, "0912345600", now=now)
        assert (err.value.code, err.value.reason, err.value.status) == ("checkin_closed", reason, 409)
    assert [r for r, _ in _attempts()] == ["too_early", "too_late"]


def test_window_opens_30_minutes_before_unless_the_course_says_otherwise(hall):
    starts = hall["session"].starts_at
    assert phone_check_in(hall, "0912345600", now=starts - timedelta(minutes=30)).status == "checked_in"
    hall["course"].checkin_opens_minutes = 60
    assert phone_check_in(hall, "0987654321", now=starts - timedelta(minutes=59)).status == "checked_in"


def test_a_session_moved_refuses_at_once(hall):
    hall["session"].starts_at += timedelta(days=1)
    hall["session"].ends_at += timedelta(days=1)
    db.session.commit()  # what another worker would see: no process keeps the old times
    with pytest.raises(CheckinRefused) as err:
        phone_check_in(hall, "0912345600")
    assert err.value.reason == "too_early"


def test_qr_and_badge_are_late_after_the_start_plus_margin_hand_marks_never(hall, f):
    starts = hall["session"].starts_at
    on_time = phone_check_in(hall, "0912345600", now=starts + timedelta(minutes=15))
    late = phone_check_in(hall, "0987654321", now=starts + timedelta(minutes=16))
    assert (on_time.is_late, late.is_late) == (False, True)
    organizer = f.user("organizer", hall["tree"]["district"])
    by_hand = check_in(hall["session"], Who(participant_id=hall["people"][2].id), method=AttendanceMethod.MANUAL,
                       now=starts + timedelta(hours=2), actor=organizer)
    assert by_hand.is_late is False


def test_cancelled_course_refuses_trainees_and_organizers(hall, f):
    hall["course"].status = CourseStatus.CANCELLED
    with pytest.raises(CheckinRefused) as err:
        phone_check_in(hall, "0912345600")
    assert err.value.reason == "course_cancelled"
    with pytest.raises(CheckinRefused) as err:
        check_in(hall["session"], Who(participant_id=hall["people"][0].id), method=AttendanceMethod.BADGE,
                 now=hall["now"], actor=f.user("organizer", hall["tree"]["district"]))
    assert err.value.reason == "course_cancelled"


def test_one_device_checks_in_one_person_per_session(hall):
    phone = Client.of("203.0.113.7", ZALO, "device-1")
    phone_check_in(hall, "0912345600", client=phone)
    with pytest.raises(CheckinRefused) as err:
        phone_check_in(hall, "0987654321", client=phone)
    assert err.value.code == "device_used"
    assert phone_check_in(hall, "0912345600", client=phone).status == "already_checked_in"


def test_a_device_that_tries_other_numbers_is_locked_too(hall, f):
    """device_used tells the caller the number is in the class: it counts as a failed look-up, so a phone
    cannot sort numbers into enrolled and not without limit."""
    phone = Client.of("203.0.113.7", ZALO, "device-1")
    phone_check_in(hall, "0912345600", client=phone)
    for i in range(CHECKIN_LIMITS[0].limit):
        person = f.participant(hall["tree"]["commune"], phone=f"0966{i:06d}")
        db.session.add(Enrolment(course=hall["course"], participant=person))
        with pytest.raises(CheckinRefused) as err:
            phone_check_in(hall, person.phone, client=phone)
        assert err.value.code == "device_used"
    with pytest.raises(TooManyAttempts):
        phone_check_in(hall, "0987654321", client=phone)


def test_failed_look_ups_lock_the_client_before_any_name_is_told(hall, clock_at):
    limit = CHECKIN_LIMITS[0]
    for i in range(limit.limit):
        with pytest.raises(CheckinRefused):
            phone_check_in(hall, f"09000000{i:02d}")
    with pytest.raises(TooManyAttempts) as err:  # an enrolled phone now answers no name either
        phone_check_in(hall, "0912345600")
    assert (err.value.code, err.value.status) == ("too_many_attempts", 429)
    assert "Nguyễn" not in err.value.message and "phút" in err.value.message
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == 0
    elsewhere = Client.of("198.51.100.9", "Mozilla/5.0", "device-9")  # another network is not affected
    assert phone_check_in(hall, "0987654321", client=elsewhere).status == "checked_in"
    clock_at.advance(limit.window.total_seconds())  # the oldest failures age out
    assert phone_check_in(hall, "0912345600", now=clock_at.now(),
                          client=Client.of("203.0.113.7", ZALO, "device-2")).status == "checked_in"


def test_a_remembered_phone_checks_in_while_its_network_is_locked(hall):
    for i in range(CHECKIN_LIMITS[0].limit):
        with pytest.raises(CheckinRefused):
            phone_check_in(hall, f"09000000{i:02d}")
    remembered = check_in(hall["session"], Who(participant_id=hall["people"][1].id), method=QR, now=hall["now"],
                          client=Client.of("203.0.113.7", "x", "device-3"))
    assert remembered.status == "checked_in"  # it looks nobody up: the phone proved who it was before


def test_many_successes_from_one_network_are_never_limited(hall, f):
    for i in range(CHECKIN_LIMITS[0].limit + 5):
        person = f.participant(hall["tree"]["commune"], phone=f"0966{i:06d}")
        db.session.add(Enrolment(course=hall["course"], participant=person))
        client = Client.of("203.0.113.7", "Zalo", f"device-{i}")
        assert phone_check_in(hall, person.phone, client=client).status == "checked_in"


def test_refused_attempts_are_kept_thirty_days(hall, clock_at):
    with pytest.raises(CheckinRefused):
        phone_check_in(hall, "0900000000")
    clock_at.advance(ATTEMPTS_KEEP.total_seconds() + 1)
    with pytest.raises(CheckinRefused):  # the session is long over: refused, and stored
        phone_check_in(hall, "0900000001", now=clock_at.now())
    assert _attempts() == [("too_late", "0900000001")]


def test_organizer_marks_outside_the_window_and_unmarks_with_reason(hall, f):
    organizer = f.user("organizer", hall["tree"]["district"])
    later = hall["session"].ends_at + timedelta(days=1)
    result = check_in(hall["session"], Who(participant_id=hall["people"][0].id), method=AttendanceMethod.MANUAL,
                      now=later, actor=organizer)
    assert result.status == "checked_in"
    assert db.session.scalar(select(AttendanceRecord.recorded_by_id)) == organizer.id
    with pytest.raises(Exception) as err:
        unmark_attendance(hall["session"], hall["people"][0], reason=" ", actor=organizer)
    assert getattr(err.value, "code", None) == "reason_required"
    assert unmark_attendance(hall["session"], hall["people"][0], reason="Nhập nhầm", actor=organizer)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["attendance.mark", "attendance.unmark"]
    assert db.session.scalar(select(func.count(AttendanceRecord.id))) == 0
    assert _attempts() == []  # organizers' refusals are not trainees' attempts
