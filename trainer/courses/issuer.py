"""Who issues a course's documents: a copy of its unit's issuer settings in force on the course's last day, made
when the course is planned (and again when its unit or dates change while the copy is untouched), which the
organizer may edit. Certificates, roster, sign-in sheet and register print it."""

from __future__ import annotations

from typing import Any

from trainer.accounts.models import User
from trainer.audit.services import record_audit
from trainer.core.errors import N_, DomainError, said
from trainer.core.text import clean_text
from trainer.courses.models import Course, CourseStatus
from trainer.documents.issuers import Letterhead
from trainer.units.issuers import FIELDS, NO_ISSUER, issuer_in_force, no_issuer_message

# (course field, maximum length, Vietnamese label, required)
COURSE_ISSUER_FIELDS = tuple(field for field in FIELDS if field[0] != "agency_abbr")
FIELD_NAMES = tuple(name for name, *_ in COURSE_ISSUER_FIELDS)


def _as_fields(letterhead: Letterhead | None) -> dict[str, str]:
    """The course fields of a letterhead (all blank for None)."""
    if letterhead is None:
        return dict.fromkeys(FIELD_NAMES, "")
    return {"agency_parent": letterhead.parent_agency, "agency_name": letterhead.agency,
            "place_name": letterhead.place_name, "signer_prefix": letterhead.signer_prefix,
            "signer_title": letterhead.signer_title, "signer_name": letterhead.signer_name}


def unit_issuer_fields(course: Course) -> dict[str, str]:
    """What the course's unit settings give for its dates (the course's last day: its documents are signed at
    or after it, so a course ending on 1 July 2025 is never signed by a district body)."""
    return _as_fields(issuer_in_force(course.unit, course.end_date, unit_name=course.unit_name))


def course_issuer_fields(course: Course) -> dict[str, str]:
    """The course's own copy."""
    return {name: getattr(course, name) or "" for name in FIELD_NAMES}


def has_issuer(course: Course) -> bool:
    """True when the course names who issues its documents."""
    return bool(course.agency_name and course.signer_title)


def copy_unit_issuer(course: Course) -> bool:
    """Copy the unit's settings in force on the course's dates; False when none is (the organizer chooses)."""
    for name, value in unit_issuer_fields(course).items():
        setattr(course, name, value)
    return has_issuer(course)


def set_course_issuer(course: Course, values: dict[str, Any], *, actor: User) -> Course:
    """Change the course's issuer fields given in `values` (others stay). Raises ValidationError naming the field
    ('required' | 'too_long' | 'invalid_characters'), DomainError('course_cancelled', 409)."""
    if course.status is CourseStatus.CANCELLED:
        raise DomainError("course_cancelled", N_("Khóa học đã bị hủy, không thể thay đổi."), status=409)
    merged = {**course_issuer_fields(course), **{k: v for k, v in values.items() if k in FIELD_NAMES}}
    cleaned = {name: clean_text(merged.get(name), name, length, label=label, required=required)
               for name, length, label, required in COURSE_ISSUER_FIELDS}
    changed = sorted(name for name, value in cleaned.items() if getattr(course, name) != value)
    for name, value in cleaned.items():
        setattr(course, name, value)
    record_audit(actor, "course.issuer", course, fields=changed)
    return course


def issuer_warnings(course: Course) -> list[str]:
    """Vietnamese warnings about the course's issuer: none chosen (none was in force on its dates), no signer's
    name."""
    if not has_issuer(course):
        return [no_issuer_message(course.unit_name, course.end_date)]
    if not course.signer_name:
        return [said(N_("Chưa nhập họ tên người ký giấy chứng nhận và các văn bản của khóa học."))]
    return []


def course_letterhead(course: Course) -> Letterhead:
    """What the course's documents print as issuer and signer. A course without its own copy (planned before
    courses kept one) takes its unit's settings for its dates. Raises DomainError('issuer_missing', 409) when
    no issuer is known: nothing is printed under an agency that did not exist."""
    fields = course_issuer_fields(course) if has_issuer(course) else unit_issuer_fields(course)
    if not (fields["agency_name"] and fields["signer_title"]):
        raise DomainError("issuer_missing", NO_ISSUER, status=409,
                          params={"unit": course.unit_name, "day": course.end_date.strftime("%d/%m/%Y")})
    unit_issuer = issuer_in_force(course.unit, course.end_date, unit_name=course.unit_name)
    same_agency = unit_issuer is not None and unit_issuer.agency == fields["agency_name"]
    return Letterhead(parent_agency=fields["agency_parent"], agency=fields["agency_name"],
                      place_name=fields["place_name"], signer_prefix=fields["signer_prefix"],
                      signer_title=fields["signer_title"], signer_name=fields["signer_name"],
                      agency_abbr=unit_issuer.agency_abbr if same_agency else "")  # "Số: 05/QĐ-VHTT"
