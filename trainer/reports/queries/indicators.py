"""The Project 6 indicator report of a unit (or of the whole country) for a period.

Seven statements whatever the data size: the child units, the curricula, then one aggregate each
for the activity figures, the trainee-turns, the communes, the registry and the trained officers,
all grouped by child unit in SQL. Every course, person and commune lies under exactly one child
(or under the unit itself), so the unit's totals are the sums of its groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import CTE, String, case, cast, distinct, func, literal_column, null, select, union_all

from trainer.courses.models import Enrolment, EnrolmentStatus
from trainer.curricula.models import Curriculum, TargetGroup
from trainer.extensions import db
from trainer.participants.models import Gender, Participant
from trainer.reports.queries.base import (
    Period,
    ReportScope,
    child_key,
    counted_courses,
    participants_in,
    subtree_cte,
    trained_cte,
)
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit, UnitLevel
from trainer.units.services import default_scheme

TARGET_GROUPS = tuple(group.value for group in TargetGroup)
NATIONAL_NAME = "Toàn quốc"


@dataclass
class Figures:
    """The figures of one group (a child unit, the unit itself, or the total)."""

    curricula: tuple[str, ...]
    courses: int = 0
    sessions: int = 0
    hours_delivered: Decimal = Decimal(0)
    trainee_turns: int = 0
    trained_officers: int = 0
    female: int = 0
    ethnic_minority: int = 0
    communes_total: int = 0
    communes_with_trained_officer: int = 0
    by_target_group: dict[str, int] = field(default_factory=dict)
    by_curriculum: dict[str, int] = field(default_factory=dict)
    registered: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for groups in (self.by_target_group, self.registered):
            groups.update({group: groups.get(group, 0) for group in TARGET_GROUPS})
        self.by_curriculum.update({code: self.by_curriculum.get(code, 0) for code in self.curricula})

    def add(self, other: Figures) -> None:
        """Add the figures of a disjoint group (people and courses are never in two groups)."""
        for name in ("courses", "sessions", "hours_delivered", "trainee_turns", "trained_officers", "female",
                     "ethnic_minority", "communes_total", "communes_with_trained_officer"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.by_target_group, other.by_target_group), (self.by_curriculum, other.by_curriculum),
                             (self.registered, other.registered)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value

    def as_json(self) -> dict[str, Any]:
        """The contract's figures, plus the registry coverage with its numerator and denominator."""
        registered = sum(self.registered.values())
        return {
            "courses": self.courses, "sessions": self.sessions, "hours_delivered": json_number(self.hours_delivered),
            "trainee_turns": self.trainee_turns, "trained_officers": self.trained_officers,
            "by_target_group": dict(self.by_target_group), "by_curriculum": dict(self.by_curriculum),
            "female": self.female, "ethnic_minority": self.ethnic_minority,
            "communes_total": self.communes_total,
            "communes_with_trained_officer": self.communes_with_trained_officer,
            "registry": {"trained": self.trained_officers, "registered": registered,
                         "coverage": round(self.trained_officers / registered, 4) if registered else None,
                         "by_target_group": dict(self.registered)},
        }


def json_number(value: Decimal | int | float) -> int | float:
    """2 rather than 2.0; 3.5 stays 3.5."""
    value = Decimal(str(value)).quantize(Decimal("0.01"))
    return int(value) if value == value.to_integral_value() else float(value)


def unit_json(unit: Unit | None, scheme: str) -> dict[str, Any]:
    """`{code, name, level, scheme}` of the report's unit; the whole country has no code."""
    if unit is None:
        return {"code": None, "name": NATIONAL_NAME, "level": "national", "scheme": scheme}
    return {"code": unit.code, "name": unit.name, "level": unit.level.value, "scheme": unit.scheme}


def _children(scope: ReportScope) -> list[Unit]:
    """The child units of the scope (provinces for the whole country), by code."""
    stmt = select(Unit).order_by(Unit.code)
    if scope.unit is None:
        stmt = stmt.where(Unit.scheme == scope.scheme, Unit.parent_id.is_(None))
    else:
        stmt = stmt.where(Unit.parent_id == scope.unit.id)
    return list(db.session.scalars(stmt))


def _add_activity(groups: dict[str, Figures], own: Figures, courses: CTE, subtree: CTE) -> None:
    """Courses organized in scope, their sessions and scheduled hours, by child unit."""
    sessions = (select(CourseSession.course_id, func.count(CourseSession.id).label("n"),
                       func.sum(CourseSession.hours).label("hours"))
                .where(CourseSession.course_id.in_(select(courses.c.id)))
                .group_by(CourseSession.course_id).subquery("course_totals"))
    stmt = (select(subtree.c.k, func.count(courses.c.id), func.coalesce(func.sum(sessions.c.n), 0),
                   func.coalesce(func.sum(sessions.c.hours), 0))
            .select_from(courses).join(subtree, subtree.c.id == courses.c.unit_id)
            .outerjoin(sessions, sessions.c.course_id == courses.c.id)
            .group_by(subtree.c.k))
    for key, n_courses, n_sessions, hours in db.session.execute(stmt):
        target = groups.get(key, own)
        target.courses, target.sessions = n_courses, int(n_sessions)
        target.hours_delivered = Decimal(str(hours)).quantize(Decimal("0.01"))


def _add_turns(groups: dict[str, Figures], own: Figures, courses: CTE, subtree: CTE) -> None:
    """Enrolments (not withdrawn) of people in scope in counted courses, by child unit."""
    stmt = (select(subtree.c.k, func.count(Enrolment.id)).select_from(Enrolment)
            .join(courses, courses.c.id == Enrolment.course_id)
            .join(Participant, Participant.id == Enrolment.participant_id)
            .join(subtree, subtree.c.id == Participant.unit_id)
            .where(Enrolment.status == EnrolmentStatus.ENROLLED)
            .group_by(subtree.c.k))
    for key, turns in db.session.execute(stmt):
        groups.get(key, own).trainee_turns = turns


def _add_registry(groups: dict[str, Figures], own: Figures, subtree: CTE) -> None:
    """Communes in scope, and participants registered in scope by target group, by child unit (two statements)."""
    communes = (select(subtree.c.k, func.count(subtree.c.id)).where(subtree.c.level == UnitLevel.COMMUNE)
                .group_by(subtree.c.k))
    for key, n in db.session.execute(communes):
        groups.get(key, own).communes_total = n
    registered = (select(subtree.c.k, cast(Participant.target_group, String), func.count(Participant.id))
                  .join(subtree, subtree.c.id == Participant.unit_id)
                  .group_by(subtree.c.k, Participant.target_group))
    for key, group, n in db.session.execute(registered):
        groups.get(key, own).registered[group] = n


def _add_trained(groups: dict[str, Figures], own: Figures, courses: CTE, scope: ReportScope,
                 child_paths: list[str]) -> None:
    """Trained officers by child unit: totals, women, ethnic minority and communes reached; by target group;
    by curriculum. One statement: three groupings of the same trained-people CTE, joined by UNION ALL.

    The people's units are joined by primary key (not through the subtree CTE): SQLite materializes a CTE
    used twice without an index, and would scan it once per trained person."""
    # The whole country needs no filter on people (the join to units below keeps the scheme's own).
    trained = trained_cte(courses, participants_in(scope) if scope.unit is not None else None)
    people = (select(trained.c.participant_id, trained.c.curriculum_id, Participant.target_group,
                     Participant.gender, Participant.ethnic_minority, Participant.unit_id, Unit.level,
                     child_key(Unit.path, scope, child_paths).label("k"))
              .join(Participant, Participant.id == trained.c.participant_id)
              .join(Unit, Unit.id == Participant.unit_id)
              .where(Unit.path.startswith(scope.path, autoescape=True))
              .cte("trained_people"))
    zero = literal_column("0")
    person = people.c.participant_id
    totals = (select(literal_column("'all'").label("kind"), people.c.k, cast(null(), String(40)).label("label"),
                     func.count(distinct(person)),
                     func.count(distinct(_when(people.c.gender == Gender.FEMALE, person))),
                     func.count(distinct(_when(people.c.ethnic_minority.is_(True), person))),
                     func.count(distinct(_when(people.c.level == UnitLevel.COMMUNE, people.c.unit_id))))
              .group_by(people.c.k))
    by_group = (select(literal_column("'group'"), people.c.k, cast(people.c.target_group, String(40)),
                       func.count(distinct(person)), zero, zero, zero)
                .group_by(people.c.k, people.c.target_group))
    by_curriculum = (select(literal_column("'curriculum'"), people.c.k, cast(Curriculum.code, String(40)),
                            func.count(distinct(person)), zero, zero, zero)
                     .join(Curriculum, Curriculum.id == people.c.curriculum_id)
                     .group_by(people.c.k, Curriculum.code))
    for kind, key, label, n, women, minority, communes in db.session.execute(
            union_all(totals, by_group, by_curriculum)):
        target = groups.get(key, own)
        if kind == "all":
            target.trained_officers, target.female, target.ethnic_minority = n, women, minority
            target.communes_with_trained_officer = communes
        elif kind == "group":
            target.by_target_group[label] = n
        else:
            target.by_curriculum[label] = n


def _when(condition: Any, value: Any) -> Any:
    """CASE WHEN condition THEN value END (NULL otherwise, which COUNT skips)."""
    return case((condition, value))


def indicator_report(unit: Unit | None, *, date_from: date | None = None, date_to: date | None = None,
                     year: int | None = None, half: int | None = None, scheme: str | None = None) -> dict[str, Any]:
    """The indicator report of `unit` (None: the whole country of `scheme`) for courses starting in
    [date_from, date_to] — or in `year` (and `half`) when no date is given — in the contract's shape.

    Does no permission check: callers pass a unit the user may view.
    """
    if date_from is None and date_to is None and year is not None:
        period = Period.of_year(year, half)
    else:
        period = Period(date_from, date_to, year, half)
    scheme = unit.scheme if unit is not None else (scheme or default_scheme())
    scope = ReportScope(scheme=scheme, unit=unit)
    children = _children(scope)
    curricula = tuple(db.session.scalars(select(Curriculum.code).order_by(Curriculum.code)))
    groups = {child.path: Figures(curricula) for child in children}
    own = Figures(curricula)
    subtree = subtree_cte(scope, list(groups))
    courses = counted_courses(period).cte("counted")
    _add_activity(groups, own, courses, subtree)
    _add_turns(groups, own, courses, subtree)
    _add_registry(groups, own, subtree)
    _add_trained(groups, own, courses, scope, list(groups))
    total = Figures(curricula)
    for figures in (*groups.values(), own):
        total.add(figures)
    rows = [{"unit": {"code": child.code, "name": child.name, "level": child.level.value},
             **groups[child.path].as_json()} for child in children]
    return {"unit": unit_json(unit, scheme), "year": period.year,
            "period": {"from": period.date_from.isoformat() if period.date_from else None,
                       "to": period.date_to.isoformat() if period.date_to else None, "half": period.half},
            **total.as_json(), "own": own.as_json(), "rows": rows}
