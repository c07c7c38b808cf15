"""Read-only, scoped queries of participants: the searchable list, its counts, unit choices, enrolments."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from trainer.accounts.models import User
from trainer.core.errors import DomainError
from trainer.core.permissions import Need, scoped, unit_filter
from trainer.core.text import like_pattern
from trainer.courses.models import Course, Enrolment
from trainer.curricula.models import TargetGroup
from trainer.extensions import db
from trainer.participants.fields import CODE_ALPHABET, CODE_LENGTH, normalise_phone
from trainer.participants.models import Gender, Participant
from trainer.units.models import Unit


def list_participants(user: User, *, q: str | None = None, unit: Unit | None = None,
                      target_group: TargetGroup | str | None = None) -> Select:
    """Participants `user` may view, by name, with their unit loaded in the same query.

    `q` matches names ignoring diacritics and case (name_search LIKE, portable to SQLite and
    PostgreSQL), or exactly a phone number (in any accepted format) or a personal code; `unit`
    keeps its subtree.
    """
    stmt = scoped(select(Participant), Participant.unit_id, Need.VIEW, user)
    if unit is not None:
        stmt = stmt.where(Participant.unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path,
                                                                                            autoescape=True))))
    if target_group:
        stmt = stmt.where(Participant.target_group == TargetGroup(target_group))
    if q and q.strip():
        matches = [Participant.name_search.like(like_pattern(q), escape="\\")]
        code = q.strip().upper()
        if len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code):
            matches.append(Participant.code == code)
        with suppress(DomainError):  # not a phone number: a name or a code only
            matches.append(Participant.phone == normalise_phone(q))
        stmt = stmt.where(or_(*matches))
    return stmt.order_by(Participant.name_search, Participant.id).options(joinedload(Participant.unit))


def summarise(stmt: Select) -> dict[str, int]:
    """Counts of a participant list in one aggregate query: total, women, ethnic-minority people."""
    sub = stmt.order_by(None).subquery()
    total, female, minority = db.session.execute(select(
        func.count(), func.count().filter(sub.c.gender == Gender.FEMALE),
        func.count().filter(sub.c.ethnic_minority.is_(True))).select_from(sub)).one()
    return {"total": total, "female": female, "ethnic_minority": minority}


def list_unit_choices(user: User, need: Need, *, scheme: str, limit: int | None = None) -> list[Any]:
    """(code, name) of the units of `scheme` the user may view or manage, in tree order (a province's
    districts each followed by their communes)."""
    stmt = (select(Unit.code, Unit.name).where(Unit.scheme == scheme, unit_filter(user, need, Unit.id))
            .order_by(Unit.path))
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.execute(stmt).all())


def list_enrolments(participant: Participant) -> list[Enrolment]:
    """The participant's enrolments, latest course first, with each course, its curriculum and unit loaded."""
    return list(db.session.scalars(
        select(Enrolment).join(Course).where(Enrolment.participant_id == participant.id)
        .order_by(Course.start_date.desc(), Course.id.desc())
        .options(joinedload(Enrolment.course).joinedload(Course.curriculum),
                 joinedload(Enrolment.course).joinedload(Course.unit))))
