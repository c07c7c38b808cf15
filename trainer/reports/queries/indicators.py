"""The Project 6 indicator report of a unit (or of the whole country) for a period.

Five statements whatever the data size: the child units, the curricula, then three aggregates grouped
by child unit in SQL: what lies in the scope's units (courses organized, communes, people registered),
the people's training (trainee-turns, trained officers), and the official headcounts (queries.headcounts).
Every course, person and commune lies under exactly one child (or under the unit itself), so the unit's
totals are the sums of its groups; the headcount is the unit's own entry when it has one.

In the 2025 scheme, the scope also holds the 2024 units whose history successor lies in it (queries.base
Successor, subtree_cte): their courses and people count under their successor's child unit, so a unit
formed on 1 July 2025 reports its predecessors' history; communes are still counted in the 2025 scheme,
and headcounts are those entered for the 2025 units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CTE,
    Boolean,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from trainer.attendance.completion import completion_requirements, is_completed
from trainer.courses.models import Enrolment, EnrolmentStatus
from trainer.curricula.models import Curriculum, TargetGroup
from trainer.extensions import db
from trainer.participants.models import Gender, Participant
from trainer.reports.queries.base import (
    Period,
    ReportScope,
    Successor,
    child_key,
    counted_courses,
    revoked_certificates,
    subtree_cte,
)
from trainer.reports.queries.headcounts import add_headcounts, headcount_year
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
    enrolled: int = 0
    trainee_turns: int = 0
    completed_turns: int = 0
    trained_officers: int = 0
    female: int = 0
    ethnic_minority: int = 0
    communes_total: int = 0
    communes_with_trained_officer: int = 0
    by_target_group: dict[str, int] = field(default_factory=dict)
    by_curriculum: dict[str, int] = field(default_factory=dict)
    registered: dict[str, int] = field(default_factory=dict)
    officers_in_post: int | None = None  # set for the rows and the total only (reports.queries.headcounts)

    def __post_init__(self) -> None:
        for groups in (self.by_target_group, self.registered):
            groups.update({group: groups.get(group, 0) for group in TARGET_GROUPS})
        self.by_curriculum.update({code: self.by_curriculum.get(code, 0) for code in self.curricula})

    def add(self, other: Figures) -> None:
        """Add the figures of a disjoint group (people and courses are never in two groups)."""
        for name in ("courses", "sessions", "hours_delivered", "enrolled", "trainee_turns", "completed_turns",
                     "trained_officers", "female", "ethnic_minority", "communes_total",
                     "communes_with_trained_officer"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.by_target_group, other.by_target_group), (self.by_curriculum, other.by_curriculum),
                             (self.registered, other.registered)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value

    def coverage_percent(self) -> float | None:
        """Trained officers per 100 officers in post, one decimal; None without a headcount (or of zero)."""
        if not self.officers_in_post:
            return None
        return float((Decimal(self.trained_officers * 100) / self.officers_in_post).quantize(Decimal("0.1")))

    def as_json(self) -> dict[str, Any]:
        """The contract's figures, plus the registry coverage with its numerator and denominator."""
        registered = sum(self.registered.values())
        return {
            "courses": self.courses, "sessions": self.sessions, "hours_delivered": json_number(self.hours_delivered),
            "enrolled": self.enrolled, "trainee_turns": self.trainee_turns, "completed_turns": self.completed_turns,
            "trained_officers": self.trained_officers,
            "by_target_group": dict(self.by_target_group), "by_curriculum": dict(self.by_curriculum),
            "female": self.female, "ethnic_minority": self.ethnic_minority,
            "communes_total": self.communes_total,
            "communes_with_trained_officer": self.communes_with_trained_officer,
            "officers_in_post": self.officers_in_post, "coverage_percent": self.coverage_percent(),
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


def _add_units(groups: dict[str, Figures], own: Figures, courses: CTE, subtree: CTE) -> None:
    """What lies in the scope's units, by child unit, in one statement over the subtree CTE (three groupings
    joined by UNION ALL): the courses organized there with their sessions and scheduled hours; the communes;
    the participants registered there, by target group."""
    zero, no_label = literal_column("0"), cast(null(), String(40))
    activity = (select(literal_column("'activity'").label("kind"), subtree.c.k, no_label.label("label"),
                       func.count(distinct(courses.c.id)), func.count(CourseSession.id),
                       func.coalesce(func.sum(CourseSession.hours), 0))
                .select_from(courses).join(subtree, subtree.c.id == courses.c.unit_id)
                .outerjoin(CourseSession, CourseSession.course_id == courses.c.id)
                .group_by(subtree.c.k))
    communes = (select(literal_column("'communes'"), subtree.c.k, no_label, func.count(subtree.c.id), zero, zero)
                .where(subtree.c.level == UnitLevel.COMMUNE, subtree.c.current == 1)
                .group_by(subtree.c.k))
    registered = (select(literal_column("'registered'"), subtree.c.k, cast(Participant.target_group, String(40)),
                         func.count(), zero, zero)
                  .join(subtree, subtree.c.id == Participant.unit_id)
                  .group_by(subtree.c.k, Participant.target_group))
    for kind, key, label, n, sessions, hours in db.session.execute(union_all(activity, communes, registered)):
        target = groups.get(key, own)
        if kind == "activity":
            target.courses, target.sessions = n, int(sessions)
            target.hours_delivered = Decimal(str(hours)).quantize(Decimal("0.01"))
        elif kind == "communes":
            target.communes_total = n
        else:
            target.registered[label] = n


def _add_people(groups: dict[str, Figures], own: Figures, courses: CTE, scope: ReportScope,
                child_paths: list[str], curriculum_codes: dict[int, str]) -> None:
    """Enrolments, trainee-turns and trained officers by child unit: enrolments, turns (those with an
    attended session) and completed turns; trained totals, women, ethnic minority and communes reached;
    trained by target group; trained by curriculum.

    One statement and one pass over the enrolments (not withdrawn) of people in scope in counted courses,
    materialized once: each with its person's unit and whether it trains them (completed, and its
    certificate, if one was issued, not revoked); then three groupings of that CTE joined by UNION ALL. A
    person trained twice counts once in each figure. The people's units are joined by primary key (not
    through the subtree CTE): SQLite materializes a CTE used twice without an index, and would scan it once
    per enrolment. The curricula are grouped by id and named here (`curriculum_codes`): joined to their
    table in the statement, SQLite looked each enrolment's up, a fifth of the statement's time."""
    requirements = completion_requirements(select(courses.c.id), "course_required")
    revoked = revoked_certificates()
    completed = is_completed(Enrolment.attended_hours, requirements.c.required)
    trains = and_(completed, revoked.c.course_id.is_(None))
    # Attended hours are those of the sessions marked present or late (an excused absence adds none), and
    # every session has hours: an enrolment with hours is one with an attended session.
    unit = Successor(scope)  # a 2024 commune counts as its 2025 successor in a 2025-scheme report
    people = (unit.join(select(Enrolment.participant_id, courses.c.curriculum_id, Participant.target_group,
                               Participant.gender, Participant.ethnic_minority, unit.id.label("unit_id"),
                               unit.level.label("level"), child_key(unit.path, scope, child_paths).label("k"),
                               trains.label("trained"), _when(Enrolment.attended_hours > 0, 1).label("attended"),
                               _when(completed, 1).label("completed"))
                        .select_from(Enrolment)
                        .join(courses, courses.c.id == Enrolment.course_id)
                        .outerjoin(requirements, requirements.c.course_id == Enrolment.course_id)
                        .join(Participant, Participant.id == Enrolment.participant_id)
                        .join(Unit, Unit.id == Participant.unit_id))
              .outerjoin(revoked, and_(revoked.c.course_id == Enrolment.course_id,
                                       revoked.c.participant_id == Enrolment.participant_id))
              .where(Enrolment.status == EnrolmentStatus.ENROLLED, unit.path.startswith(scope.path, autoescape=True))
              .cte("enrolled_people").prefix_with("MATERIALIZED"))
    # A person has one child unit, target group, gender and ethnicity: counted apart in each such group,
    # they add up to the totals (no count of distinct people per child unit needed); not so across
    # curricula (one person, two curricula) or communes, which get their own groupings.
    no_label, no_flag, zero = cast(null(), String(40)), cast(null(), Boolean), literal_column("0")
    by_group = (select(literal_column("'group'").label("kind"), people.c.k, cast(people.c.target_group, String(40))
                       .label("label"), cast(people.c.gender, String(10)).label("gender"), people.c.ethnic_minority,
                       func.count(distinct(_when(people.c.trained, people.c.participant_id))),
                       func.count().label("enrolled"), func.count(people.c.attended).label("turns"),
                       func.count(people.c.completed).label("completed"))
                .group_by(people.c.k, people.c.target_group, people.c.gender, people.c.ethnic_minority))
    by_curriculum = (select(literal_column("'curriculum'"), people.c.k, cast(people.c.curriculum_id, String(40)),
                            cast(null(), String(10)), no_flag, func.count(distinct(people.c.participant_id)),
                            zero, zero, zero)
                     .where(people.c.trained)
                     .group_by(people.c.k, people.c.curriculum_id))
    communes = (select(literal_column("'communes'"), people.c.k, no_label, cast(null(), String(10)), no_flag,
                       func.count(distinct(people.c.unit_id)), zero, zero, zero)
                .where(people.c.trained, people.c.level == UnitLevel.COMMUNE)
                .group_by(people.c.k))
    for kind, key, label, gender, minority, n, enrolled, turns, completed_turns in db.session.execute(
            union_all(by_group, by_curriculum, communes)):
        target = groups.get(key, own)
        if kind == "group":
            target.enrolled += enrolled
            target.trainee_turns += turns
            target.completed_turns += completed_turns
            target.trained_officers += n
            target.by_target_group[label] += n
            target.female += n if gender == Gender.FEMALE else 0
            target.ethnic_minority += n if minority else 0
        elif kind == "curriculum":
            target.by_curriculum[curriculum_codes[int(label)]] = n
        else:
            target.communes_with_trained_officer = n


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
    curriculum_codes = dict(db.session.execute(select(Curriculum.id, Curriculum.code).order_by(Curriculum.code)).all())
    curricula = tuple(curriculum_codes.values())
    groups = {child.path: Figures(curricula) for child in children}
    own = Figures(curricula)
    subtree = subtree_cte(scope, list(groups))
    # Not materialized: PostgreSQL then estimates its joins (a materialized CTE hides its statistics, and a
    # misestimate turns the enrolments' join into nested loops).
    courses = counted_courses(period).cte("counted").prefix_with("NOT MATERIALIZED")
    _add_units(groups, own, courses, subtree)
    _add_people(groups, own, courses, scope, list(groups), curriculum_codes)
    total = Figures(curricula)
    for figures in (*groups.values(), own):
        total.add(figures)
    add_headcounts(groups, total, scope, list(groups), headcount_year(period))
    rows = [{"unit": {"code": child.code, "name": child.name, "level": child.level.value},
             **groups[child.path].as_json()} for child in children]
    return {"unit": unit_json(unit, scheme), "year": period.year,
            "period": {"from": period.date_from.isoformat() if period.date_from else None,
                       "to": period.date_to.isoformat() if period.date_to else None, "half": period.half},
            **total.as_json(), "own": own.as_json(), "rows": rows}
