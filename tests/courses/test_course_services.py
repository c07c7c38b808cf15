"""Course rules: planning from a curriculum, editing, status workflow, cancelling, warnings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.courses.helpers import START
from trainer.audit.models import AuditEntry
from trainer.core.errors import DomainError, ValidationError
from trainer.courses.models import CourseStatus, Enrolment
from trainer.courses.queries import get_course_figures
from trainer.courses.services import (
    cancel_course,
    change_course_status,
    course_warnings,
    default_course_title,
    get_curriculum_by_code,
    update_course,
)
from trainer.extensions import db
from trainer.schedule.services import add_session, local_datetime


def _edit(course, **changes) -> dict:
    """update_course arguments: the course's current values with `changes`."""
    values = {"title": course.title, "venue": course.venue, "start_date": course.start_date,
              "end_date": course.end_date, "capacity": course.capacity, "unit": course.unit}
    values.update(changes)
    return values


def test_create_course_copies_the_curriculum_modules_and_unit_name(w, make_course):
    course = make_course(actor=w.organizer)
    assert [(m.code, m.title, m.hours) for m in course.modules] == [
        (m.code, m.title, m.hours) for m in w.curriculum.modules]
    assert course.unit_name == "Huyện Tân Yên" and course.created_by is w.organizer
    w.curriculum.modules[0].hours = Decimal(9)  # correcting the curriculum later changes no course
    db.session.flush()
    assert course.modules[0].hours == Decimal(2)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "course.create"))
    assert entry.object_id == course.id and entry.unit_id == w.t["district"].id


def test_create_course_without_title_takes_the_curriculum_default(w, make_course):
    course = make_course(title="  ")
    assert course.title == default_course_title(w.curriculum, START.year) == \
        f"Lớp bồi dưỡng Thông tin cơ sở năm {START.year}"


def test_create_course_title_is_nfc(make_course):
    assert make_course(title="Lớp bồi dưỡng Nhã Nam".replace("ã", "a\u0303")).title == "Lớp bồi dưỡng Nhã Nam"


def test_create_course_refuses_a_unit_outside_the_organizer_scope(w, make_course):
    with pytest.raises(DomainError) as err:
        make_course(actor=w.district_organizer, unit=w.t["district2"])
    assert err.value.code == "unit_out_of_scope" and err.value.status == 403
    assert "unit_code" in err.value.fields


def test_commune_may_organize_a_course(w, make_course, f):
    commune_organizer = f.user("organizer", w.t["commune"])
    assert make_course(actor=commune_organizer, unit=w.t["commune"]).unit_name == "Thị trấn Nhã Nam"


def test_reviewer_cannot_create_a_course(w, make_course):
    with pytest.raises(DomainError) as err:
        make_course(actor=w.reviewer)
    assert err.value.code == "unit_out_of_scope"


def test_unknown_curriculum_code_is_a_field_error(w):
    with pytest.raises(ValidationError) as err:
        get_curriculum_by_code("CT9")
    assert err.value.code == "unknown_curriculum" and err.value.fields == {
        "curriculum_code": "Không có chương trình bồi dưỡng mã “CT9”."}


def test_end_before_start_is_refused(make_course):
    with pytest.raises(ValidationError) as err:
        make_course(end_date=START - timedelta(days=1))
    assert err.value.code == "invalid_dates" and "end_date" in err.value.fields


def test_an_unreasonably_long_course_is_refused(make_course):
    with pytest.raises(ValidationError) as err:
        make_course(end_date=START + timedelta(days=40))
    assert err.value.code == "course_too_long"


def test_missing_venue_is_refused(make_course):
    with pytest.raises(ValidationError) as err:
        make_course(venue="")
    assert err.value.code == "required" and err.value.fields == {"venue": "Nhập địa điểm."}


def test_too_long_title_is_refused(make_course):
    with pytest.raises(ValidationError) as err:
        make_course(title="x" * 401)
    assert err.value.code == "too_long"


@pytest.mark.parametrize("capacity", [0, -3, 2.5, True])
def test_capacity_must_be_a_positive_integer(make_course, capacity):
    with pytest.raises(ValidationError) as err:
        make_course(capacity=capacity)
    assert err.value.code == "invalid_capacity"


def test_a_new_course_cannot_start_running(make_course):
    with pytest.raises(ValidationError) as err:
        make_course(status=CourseStatus.RUNNING)
    assert err.value.code == "invalid_status"


def test_course_longer_than_five_days_is_accepted_with_a_warning(make_course):
    course = make_course(end_date=START + timedelta(days=6))
    warnings = course_warnings(course, **{k: v for k, v in get_course_figures(course).items() if k != "enrolled_count"})
    assert "Khóa học kéo dài 7 ngày, quá 5 ngày theo hướng dẫn của Bộ." in warnings


def test_warning_when_scheduled_hours_differ_from_planned(w, course):
    add_session(course, starts_at=local_datetime(START, datetime.min.time().replace(hour=8)),
                ends_at=local_datetime(START, datetime.min.time().replace(hour=11, minute=30)), actor=w.admin)
    figures = get_course_figures(course)
    assert (figures["scheduled_hours"], figures["planned_hours"], figures["sessions_count"]) == (
        Decimal("3.5"), Decimal(6), 1)
    assert course_warnings(course, planned_hours=figures["planned_hours"],
                           scheduled_hours=figures["scheduled_hours"], sessions_count=1) == [
        "Số giờ đã lên lịch (3,5 giờ) khác số giờ của chương trình (6 giờ)."]


def test_no_warning_when_hours_match(course):
    assert course_warnings(course, planned_hours=Decimal(6), scheduled_hours=Decimal("6.00"), sessions_count=2) == []


def test_update_course_changes_fields_and_audits_their_names(w, course):
    update_course(course, **_edit(course, title="Lớp mới", capacity=30), actor=w.organizer)
    assert (course.title, course.capacity) == ("Lớp mới", 30)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "course.update"))
    assert entry.details == {"fields": ["capacity", "title"]}


def test_update_course_moves_it_to_another_unit_in_scope(w, course):
    update_course(course, **_edit(course, unit=w.t["district2"]), actor=w.organizer)
    assert (course.unit_id, course.unit_name) == (w.t["district2"].id, "Huyện Yên Thế")


def test_capacity_cannot_drop_below_the_enrolled(w, course, f):
    for _ in range(3):
        db.session.add(Enrolment(course=course, participant=f.participant(w.t["commune"])))
    db.session.flush()
    with pytest.raises(ValidationError) as err:
        update_course(course, **_edit(course, capacity=2), actor=w.organizer)
    assert err.value.code == "capacity_below_enrolled"


def test_dates_cannot_leave_scheduled_sessions_outside(w, course):
    day3 = START + timedelta(days=2)
    add_session(course, starts_at=local_datetime(day3, datetime.min.time().replace(hour=8)),
                ends_at=local_datetime(day3, datetime.min.time().replace(hour=10)), actor=w.admin)
    with pytest.raises(ValidationError) as err:
        update_course(course, **_edit(course, end_date=START + timedelta(days=1)), actor=w.organizer)
    assert err.value.code == "sessions_outside_dates"


def test_a_cancelled_course_cannot_be_edited(w, course):
    cancel_course(course, reason="Bão", actor=w.organizer)
    with pytest.raises(DomainError) as err:
        update_course(course, **_edit(course, title="Khác"), actor=w.organizer)
    assert err.value.code == "course_cancelled"


@pytest.mark.parametrize(("start", "target", "allowed"), [
    (CourseStatus.DRAFT, CourseStatus.OPEN, True), (CourseStatus.OPEN, CourseStatus.RUNNING, True),
    (CourseStatus.RUNNING, CourseStatus.FINISHED, True), (CourseStatus.FINISHED, CourseStatus.RUNNING, True),
    (CourseStatus.DRAFT, CourseStatus.FINISHED, False), (CourseStatus.DRAFT, CourseStatus.RUNNING, False),
    (CourseStatus.FINISHED, CourseStatus.OPEN, False),
])
def test_status_transitions(w, course, start, target, allowed):
    course.status = start
    if allowed:
        assert change_course_status(course, target, actor=w.organizer).status is target
    else:
        with pytest.raises(DomainError) as err:
            change_course_status(course, target, actor=w.organizer)
        assert err.value.code == "invalid_transition" and err.value.status == 409


def test_cancel_needs_a_reason(w, course):
    with pytest.raises(ValidationError) as err:
        change_course_status(course, CourseStatus.CANCELLED, actor=w.organizer, cancel_reason=" ")
    assert err.value.code == "reason_required" and "cancel_reason" in err.value.fields


def test_cancel_keeps_history_and_is_audited(w, course):
    db.session.add(Enrolment(course=course, participant=w.participant))
    now = datetime(2024, 9, 1, 3, tzinfo=UTC)
    cancel_course(course, reason="Trùng lịch họp Hội đồng nhân dân", actor=w.organizer, now=now)
    assert (course.status, course.cancel_reason, course.cancelled_at) == (
        CourseStatus.CANCELLED, "Trùng lịch họp Hội đồng nhân dân", now)
    assert len(course.enrolments) == 1 and len(course.modules) == 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "course.cancel"))
    assert entry.actor_id == w.organizer.id and entry.details == {"previous": "open"}


def test_a_cancelled_course_cannot_be_cancelled_again_nor_reopened(w, course):
    cancel_course(course, reason="Bão", actor=w.organizer)
    for action in (lambda: cancel_course(course, reason="x", actor=w.organizer),
                   lambda: change_course_status(course, CourseStatus.OPEN, actor=w.organizer)):
        with pytest.raises(DomainError) as err:
            action()
        assert err.value.code == "course_cancelled"


def test_a_finished_course_cannot_be_cancelled(w, course):
    course.status = CourseStatus.FINISHED
    with pytest.raises(DomainError) as err:
        cancel_course(course, reason="x", actor=w.organizer)
    assert err.value.code == "invalid_transition"
