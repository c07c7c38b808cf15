"""The person-level list behind the trained-officers figure (the "Danh sách" sheet of the export).

Personal data: callers log each export in the audit log. The ethnic-minority flag is left out on
purpose: it is sensitive, and reports show it only as a count (domain/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from trainer.curricula.models import Curriculum
from trainer.documents.roster import name_sort_key
from trainer.extensions import db
from trainer.participants.models import Participant
from trainer.reports.queries.base import (
    Period,
    ReportScope,
    counted_courses,
    participants_in,
    trained_cte,
)
from trainer.units.models import Unit
from trainer.units.services import default_scheme


@dataclass(frozen=True)
class OfficerRow:
    """One trained officer as the detailed list shows them."""

    full_name: str
    gender: str  # "female" | "male"
    birth_year: int | None
    commune: str
    target_group: str  # a TargetGroup code
    curricula: tuple[str, ...]  # codes of the curricula completed in the period, sorted


def trained_officers_detail(unit: Unit | None, period: Period, *, scheme: str | None = None) -> list[OfficerRow]:
    """The trained officers of `unit` (None: the whole country of `scheme`) in `period`, as counted by
    `trained_officers`, by commune then in Vietnamese name order (given name first). One statement; each
    person's curricula are aggregated in SQL.
    """
    scope = ReportScope(scheme=unit.scheme if unit is not None else (scheme or default_scheme()), unit=unit)
    courses = counted_courses(period).cte("counted")
    trained = trained_cte(courses, participants_in(scope))
    pairs = (select(trained.c.participant_id, Curriculum.code).distinct()
             .join(Curriculum, Curriculum.id == trained.c.curriculum_id).subquery("pairs"))
    stmt = (select(Participant.full_name, Participant.gender, Participant.birth_date, Unit.name,
                   Participant.target_group, func.aggregate_strings(pairs.c.code, ","), Unit.path, Participant.id)
            .select_from(pairs)
            .join(Participant, Participant.id == pairs.c.participant_id)
            .join(Unit, Unit.id == Participant.unit_id)
            .group_by(Participant.id, Participant.full_name, Participant.gender, Participant.birth_date,
                      Participant.target_group, Participant.name_search, Unit.name, Unit.path)
            .order_by(Unit.path, Participant.id))
    rows = db.session.execute(stmt).all()
    # SQL cannot sort by the given name (the last word) portably; the list is printed whole anyway.
    rows.sort(key=lambda row: (row.path, *name_sort_key(row.full_name), row.id))
    return [OfficerRow(full_name=name, gender=str(gender), birth_year=born.year if born else None, commune=commune,
                       target_group=str(group), curricula=tuple(sorted(set(codes.split(",")))))
            for name, gender, born, commune, group, codes, _, _ in rows]
