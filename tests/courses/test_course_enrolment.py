"""Enrolment rules: enrol_participant, enrol_participants and withdraw_enrolment."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from tests.courses.helpers import START
from trainer.audit.models import AuditEntry
from trainer.core.errors import DomainError, ValidationError
from trainer.courses.models import CourseStatus, Enrolment, EnrolmentStatus
from trainer.courses.services import (
    cancel_course,
    enrol_participant,
    enrol_participants,
    enrolment_warnings,
    withdraw_enrolment,
)
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.schedule.services import add_session, local_datetime

BEFORE = datetime.combine(START - timedelta(days=5), time(3), tzinfo=UTC)


def test_enrol_participant(w, course):
    enrolment = enrol_participant(course, w.participant, actor=w.organizer, now=BEFORE)
    assert (enrolment.status, enrolment.enrolled_at, enrolment.target_group_mismatch) == (
        EnrolmentStatus.ENROLLED, BEFORE, False)
    assert enrolment_warnings(enrolment) == []
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "enrolment.create"))
    assert entry.details == {"course_id": course.id, "participant_id": w.participant.id,
                             "target_group_mismatch": False}
    assert entry.unit_id == course.unit_id


def test_enrol_twice_is_refused(w, course):
    enrol_participant(course, w.participant, actor=w.organizer)
    with pytest.raises(DomainError) as err:
        enrol_participant(course, w.participant, actor=w.organizer)
    assert err.value.code == "already_enrolled" and err.value.status == 409


def test_enrol_over_capacity_is_refused(w, make_course, f):
    course = make_course(capacity=1)
    enrol_participant(course, w.participant, actor=w.organizer)
    with pytest.raises(DomainError) as err:
        enrol_participant(course, f.participant(w.t["commune"]), actor=w.organizer)
    assert err.value.code == "course_full" and err.value.status == 409


def test_withdrawn_participants_free_their_place(w, make_course, f):
    course = make_course(capacity=1)
    withdraw_enrolment(enrol_participant(course, w.participant, actor=w.organizer), reason="Ốm",
                       actor=w.organizer, now=BEFORE)
    assert enrol_participant(course, f.participant(w.t["commune"]), actor=w.organizer).status is \
        EnrolmentStatus.ENROLLED


@pytest.mark.parametrize("status", [CourseStatus.FINISHED, CourseStatus.CANCELLED])
def test_a_finished_or_cancelled_course_takes_no_enrolment(w, course, status):
    if status is CourseStatus.CANCELLED:
        cancel_course(course, reason="Bão", actor=w.organizer)
    else:
        course.status = status
    with pytest.raises(DomainError) as err:
        enrol_participant(course, w.participant, actor=w.organizer)
    assert err.value.code == "course_closed" and err.value.status == 409


def test_a_draft_course_takes_enrolments(w, make_course):
    course = make_course(status=CourseStatus.DRAFT)
    assert enrol_participant(course, w.participant, actor=w.organizer).course is course


def test_a_participant_the_actor_may_not_view_is_not_found(w, course, f):
    stranger = f.participant(w.t["hanoi_commune"])
    with pytest.raises(DomainError) as err:
        enrol_participant(course, stranger, actor=w.organizer)
    assert err.value.code == "participant_not_found" and err.value.status == 404


def test_a_district_organizer_cannot_enrol_someone_of_another_district(w, make_course, f):
    course = make_course(actor=w.district_organizer)
    with pytest.raises(DomainError) as err:
        enrol_participant(course, f.participant(w.t["commune2"]), actor=w.district_organizer)
    assert err.value.code == "participant_not_found"


def test_a_reviewer_cannot_enrol(w, course):
    with pytest.raises(DomainError) as err:
        enrol_participant(course, w.participant, actor=w.reviewer)
    assert err.value.code == "forbidden" and err.value.status == 403


def test_another_target_group_is_accepted_with_a_warning(w, course, f):
    party = f.participant(w.t["commune"], full_name="Trần Văn Đức", target_group=TargetGroup.PARTY_INFO_STAFF)
    enrolment = enrol_participant(course, party, actor=w.organizer)
    assert enrolment.target_group_mismatch is True
    assert enrolment_warnings(enrolment) == [
        "Trần Văn Đức không thuộc nhóm đối tượng của chương trình CT1; vẫn được ghi danh."]


def test_re_enrolling_a_withdrawn_participant_reactivates_the_row(w, course):
    enrolment = enrol_participant(course, w.participant, actor=w.organizer, now=BEFORE)
    withdraw_enrolment(enrolment, reason="Bận công tác", actor=w.organizer, now=BEFORE)
    again = enrol_participant(course, w.participant, actor=w.organizer, now=BEFORE + timedelta(hours=1))
    assert again.id == enrolment.id and again.status is EnrolmentStatus.ENROLLED
    assert (again.withdrawn_at, again.withdraw_reason) == (None, None)
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "enrolment.reactivate")) == 1


def test_enrol_several_skips_those_already_enrolled(w, course, f):
    others = [f.participant(w.t["commune"]) for _ in range(2)]
    enrol_participant(course, w.participant, actor=w.organizer)
    result = enrol_participants(course, [w.participant, *others, others[0]], actor=w.organizer)
    assert [e.participant for e in result.enrolled] == others
    assert result.skipped == [(w.participant, "đã được ghi danh trước đó")]


def test_enrol_several_refuses_the_whole_batch_when_it_does_not_fit(w, make_course, f):
    course = make_course(capacity=2)
    enrol_participant(course, w.participant, actor=w.organizer)
    with pytest.raises(DomainError) as err:
        enrol_participants(course, [f.participant(w.t["commune"]) for _ in range(2)], actor=w.organizer)
    assert err.value.code == "course_full" and err.value.message == "Khóa học chỉ còn 1 chỗ, bạn đã chọn 2 người."
    assert db.session.scalar(select(func.count(Enrolment.id))) == 1


def test_withdraw_keeps_the_row_and_the_reason(w, course):
    enrolment = enrol_participant(course, w.participant, actor=w.organizer)
    withdraw_enrolment(enrolment, reason="Chuyển công tác", actor=w.organizer, now=BEFORE)
    assert (enrolment.status, enrolment.withdraw_reason, enrolment.withdrawn_at) == (
        EnrolmentStatus.WITHDRAWN, "Chuyển công tác", BEFORE)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "enrolment.withdraw"))
    assert "Chuyển công tác" not in str(entry.details)  # free text stays out of the audit log


def test_withdraw_needs_a_reason(w, course):
    enrolment = enrol_participant(course, w.participant, actor=w.organizer)
    with pytest.raises(ValidationError) as err:
        withdraw_enrolment(enrolment, reason="  ", actor=w.organizer, now=BEFORE)
    assert err.value.code == "reason_required"


def test_withdraw_twice_is_refused(w, course):
    enrolment = enrol_participant(course, w.participant, actor=w.organizer)
    withdraw_enrolment(enrolment, reason="Ốm", actor=w.organizer, now=BEFORE)
    with pytest.raises(DomainError) as err:
        withdraw_enrolment(enrolment, reason="Ốm", actor=w.organizer, now=BEFORE)
    assert err.value.code == "not_enrolled"


def test_withdraw_refused_once_the_first_session_started(w, course):
    enrolment = enrol_participant(course, w.participant, actor=w.organizer)
    first = add_session(course, starts_at=local_datetime(START, time(13, 30)),
                        ends_at=local_datetime(START, time(17)), actor=w.organizer)
    assert withdraw_enrolment(enrolment, reason="Ốm", actor=w.organizer,
                              now=first.starts_at - timedelta(minutes=1)).status is EnrolmentStatus.WITHDRAWN
    enrolment.status = EnrolmentStatus.ENROLLED
    with pytest.raises(DomainError) as err:
        withdraw_enrolment(enrolment, reason="Ốm", actor=w.organizer, now=first.starts_at)
    assert err.value.code == "course_started" and err.value.status == 409


def test_withdraw_refused_from_the_start_date_without_sessions(w, course):
    enrolment = enrol_participant(course, w.participant, actor=w.organizer)
    midnight_local = local_datetime(START, time(0))
    with pytest.raises(DomainError) as err:
        withdraw_enrolment(enrolment, reason="Ốm", actor=w.organizer, now=midnight_local)
    assert err.value.code == "course_started"
    assert withdraw_enrolment(enrolment, reason="Ốm", actor=w.organizer,
                              now=midnight_local - timedelta(seconds=1)).status is EnrolmentStatus.WITHDRAWN
