"""Read-only loading of what a course's documents print, in a fixed number of queries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from trainer.courses.models import Course, Enrolment, EnrolmentStatus
from trainer.documents.badges import BadgeCard, BadgesData
from trainer.documents.layout import CourseInfo, Letterhead, default_letterhead
from trainer.documents.roster import RosterData, RosterRow
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.units.models import Unit


def letterhead_for(unit: Unit, unit_name: str | None = None, *, on: date | None = None) -> Letterhead:
    """The unit's stored letterhead, its blank fields filled from defaults derived from `unit_name`
    (default: the unit's current name) for a document dated `on`. Two queries at most."""
    parent_name = unit.parent.name if unit.parent is not None else ""
    default = default_letterhead(unit_name or unit.name, str(unit.level), parent_name=parent_name, on=on)
    stored = unit.letterhead
    if stored is None:
        return default
    # The signer's three fields go together: an empty prefix is legitimate when a title is stored.
    has_signer = any((stored.signer_prefix, stored.signer_title, stored.signer_name))
    signer = stored if has_signer else default
    recipients = tuple(line.strip() for line in (stored.recipients or "").splitlines() if line.strip())
    return Letterhead(parent_agency=stored.parent_agency or default.parent_agency,
                      agency=stored.agency or default.agency, place_name=stored.place_name or default.place_name,
                      signer_prefix=signer.signer_prefix, signer_title=signer.signer_title,
                      signer_name=signer.signer_name, agency_abbr=stored.agency_abbr or default.agency_abbr,
                      recipients=recipients)


def course_info(course: Course) -> CourseInfo:
    """What the documents say about `course` (one query for its curriculum)."""
    return CourseInfo(title=course.title, curriculum_code=course.curriculum.code,
                      curriculum_title=course.curriculum.title, start_date=course.start_date,
                      end_date=course.end_date, venue=course.venue, unit_name=course.unit_name)


def list_enrolled(course: Course) -> list[Participant]:
    """The course's enrolled (not withdrawn) participants with their communes, in one query."""
    stmt = (select(Participant).join(Enrolment, Enrolment.participant_id == Participant.id)
            .where(Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ENROLLED)
            .options(joinedload(Participant.unit)))
    return list(db.session.scalars(stmt))


def count_enrolled(course: Course) -> int:
    """How many participants are enrolled (not withdrawn) in `course`."""
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ENROLLED)) or 0


def roster_data(course: Course, *, on: date) -> RosterData:
    """The roster of `course` as of the day `on` (the place-and-date line)."""
    rows = tuple(RosterRow(code=p.code, full_name=p.full_name, gender=str(p.gender),
                           birth_year=p.birth_date.year if p.birth_date else None, commune=p.unit.name,
                           position=p.position or "", target_group=str(p.target_group), phone=p.phone or "",
                           email=p.email or "")
                 for p in list_enrolled(course))
    return RosterData(letterhead=letterhead_for(course.unit, course.unit_name, on=on), course=course_info(course),
                      rows=rows, issued_on=on)


def badges_data(course: Course) -> BadgesData:
    """The badges of the enrolled participants of `course`."""
    cards = tuple(BadgeCard(code=p.code, full_name=p.full_name, commune=p.unit.name, position=p.position or "")
                  for p in list_enrolled(course))
    return BadgesData(course=course_info(course), cards=cards)
