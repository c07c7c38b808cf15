"""Use-cases of a course's decisions and letters: the user's number and date for each, and the data each
prints (letters.py draws it). Bounded statements whatever the course's size."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.certificates.models import Certificate
from trainer.core.clock import local_zone
from trainer.core.errors import ValidationError
from trainer.core.text import N_, clean_text
from trainer.courses.issuer import course_letterhead
from trainer.courses.models import Course
from trainer.documents.queries import course_info, list_enrolled
from trainer.documents.roster import name_sort_key
from trainer.extensions import db
from trainer.finance.letters import (
    CourseLetter,
    Numbering,
    Person,
    render_completion_decision,
    render_open_decision,
    render_summons,
)
from trainer.finance.models import CourseDocument
from trainer.finance.words import workplace
from trainer.participants.models import Participant
from trainer.schedule.models import CourseSession

KINDS = ("open_decision", "summons", "completion_decision")
LABELS = {"open_decision": N_("Quyết định mở lớp"), "summons": N_("Giấy triệu tập"),
          "completion_decision": N_("Quyết định công nhận hoàn thành")}
FILES = {"open_decision": "01-quyet-dinh-mo-lop", "summons": "02-giay-trieu-tap",
         "completion_decision": "09-quyet-dinh-cong-nhan-hoan-thanh"}


def course_documents(course: Course) -> dict[str, CourseDocument]:
    """The numbers and dates entered for the course's documents, by kind (one statement)."""
    rows = db.session.scalars(select(CourseDocument).where(CourseDocument.course_id == course.id))
    return {row.kind: row for row in rows}


def check_number(value: Any, field: str) -> str:
    """A document number as typed: "12" or "12/QĐ-VHTT" (at most 40 characters, nothing hidden)."""
    number = clean_text(value, field, 40, label="số văn bản")
    if number and not (number[0].isdigit() and all(ch.isalnum() or ch in "/-." for ch in number)):
        message = "Số văn bản bắt đầu bằng chữ số, ví dụ 12 hoặc 12/QĐ-VHTT."
        raise ValidationError("invalid_number", message, fields={field: message})
    return number


def save_documents(actor: User, course: Course, values: dict[str, dict[str, Any]]) -> None:
    """Store {kind: {number, signed_on, basis}} for the course's documents; logged. Raises ValidationError."""
    existing = course_documents(course)
    checked = {kind: {"number": check_number(v.get("number"), f"{kind}_number"),
                      "signed_on": v.get("signed_on") if isinstance(v.get("signed_on"), date) else None,
                      "basis": clean_text((v.get("basis") or "").replace("\r\n", "\n"), f"{kind}_basis", 2000,
                                          label="căn cứ").replace(" \n", "\n")}
               for kind, v in values.items() if kind in KINDS}
    for kind, fields in checked.items():
        row = existing.get(kind)
        if row is None:
            db.session.add(CourseDocument(course_id=course.id, kind=kind, updated_by_id=actor.id, **fields))
        else:
            for key, value in fields.items():
                setattr(row, key, value)
            row.updated_by_id = actor.id
    db.session.flush()
    record_audit(actor, "course.documents_set", course, course_id=course.id, kinds=sorted(checked))


def _numbering(row: CourseDocument | None) -> Numbering:
    return Numbering(row.number, row.signed_on) if row is not None else Numbering()


def _bases(row: CourseDocument | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (row.basis if row else "").splitlines() if line.strip())


def _people(participants: list[Participant]) -> tuple[Person, ...]:
    """Trainees in Vietnamese name order."""
    ordered = sorted(participants, key=lambda p: name_sort_key(p.full_name))
    return tuple(Person(p.full_name, p.birth_date, p.position or "", workplace(p.unit.name)) for p in ordered)


def letter_data(course: Course, kind: str) -> CourseLetter:
    """What the document `kind` of the course prints."""
    rows = course_documents(course)
    row = rows.get(kind)
    numbering = _numbering(row)
    letterhead = course_letterhead(course)
    info = course_info(course)
    if kind == "completion_decision":
        certificates = db.session.scalars(
            select(Certificate).where(Certificate.course_id == course.id, Certificate.revoked_at.is_(None))
            .options(joinedload(Certificate.participant).joinedload(Participant.unit))).all()
        ordered = sorted(certificates, key=lambda c: name_sort_key(c.participant.full_name))
        people = tuple(Person(c.participant.full_name, c.participant.birth_date, c.participant.position or "",
                              workplace(c.participant.unit.name), c.serial) for c in ordered)
        return CourseLetter(letterhead, info, numbering, people, _bases(row),
                            open_decision=_numbering(rows.get("open_decision")))
    people = _people(list_enrolled(course))
    if kind == "open_decision":
        return CourseLetter(letterhead, info, numbering, people, _bases(row))
    first = db.session.scalar(select(CourseSession.starts_at).where(CourseSession.course_id == course.id)
                              .order_by(CourseSession.starts_at).limit(1))
    groups: dict[str, list[Person]] = {}
    for person in people:
        groups.setdefault(person.workplace, []).append(person)
    return CourseLetter(letterhead, info, numbering, people, _bases(row),
                        opens_at=first.astimezone(local_zone()) if first else None,
                        groups=tuple((name, tuple(group)) for name, group in sorted(groups.items())))


RENDERERS = {"open_decision": render_open_decision, "summons": render_summons,
             "completion_decision": render_completion_decision}


def render_letter(course: Course, kind: str) -> bytes:
    """The PDF of the course's document `kind`."""
    return RENDERERS[kind](letter_data(course, kind))
