"""Building blocks of the indicator queries: period, scope, counted courses and the completion construct.

Everything here returns SQL constructs (selects and CTEs), so that the figures are aggregated by the
database whatever the number of rows; nothing loops over courses, people or attendance in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import CTE, ColumnElement, Select, Subquery, and_, case, func, literal_column, select, union_all
from sqlalchemy.orm import aliased

from trainer.attendance.completion import completion_cte
from trainer.certificates.models import Certificate
from trainer.courses.models import Course, CourseStatus
from trainer.participants.models import Participant
from trainer.units.models import Unit, UnitSuccessor

# The scheme whose reports reach across the 1 July 2025 reform to the 2024 units merged into theirs.
CROSSWALK_SCHEME = "2025"


@dataclass(frozen=True)
class Period:
    """The courses whose start date falls in [date_from, date_to]; an open end has no bound.

    `year` and `half` say how the period was asked for (they label the report), the dates decide.
    """

    date_from: date | None = None
    date_to: date | None = None
    year: int | None = None
    half: int | None = None

    @classmethod
    def of_year(cls, year: int, half: int | None = None) -> Period:
        """A calendar year, or its first (1 Jan-30 Jun) or second (1 Jul-31 Dec) half."""
        if half == 1:
            return cls(date(year, 1, 1), date(year, 6, 30), year, 1)
        if half == 2:
            return cls(date(year, 7, 1), date(year, 12, 31), year, 2)
        return cls(date(year, 1, 1), date(year, 12, 31), year)


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: a unit's subtree, or the whole country of a scheme when `unit` is None."""

    scheme: str
    unit: Unit | None = None

    @property
    def path(self) -> str:
        """The path prefix of every unit in scope ("2024/24/", or "2024/" for the whole country)."""
        return self.unit.path if self.unit is not None else f"{self.scheme}/"


def counted_courses(period: Period) -> Select:
    """Courses that count in `period` (start date in it, not cancelled), wherever they were organized:
    (id, unit_id, curriculum_id, completion_threshold), the threshold being the course's own or NULL."""
    stmt = (select(Course.id, Course.unit_id, Course.curriculum_id, Course.completion_threshold)
            .where(Course.status != CourseStatus.CANCELLED))
    if period.date_from is not None:
        stmt = stmt.where(Course.start_date >= period.date_from)
    if period.date_to is not None:
        stmt = stmt.where(Course.start_date <= period.date_to)
    return stmt


def _prefix(path_col: ColumnElement[str], length: int) -> ColumnElement[str]:
    """substr(path, 1, length), the numbers written inline (PostgreSQL types them as integer, not bigint)."""
    return func.substr(path_col, literal_column("1"), literal_column(str(int(length))))


def child_key(path_col: ColumnElement[str], scope: ReportScope, child_paths: list[str]) -> ColumnElement[str]:
    """The path of the child of the scope's unit that a unit (by its `path_col`) lies under.

    A unit of the scope's unit itself gets the scope's own path. GSO codes have one width per
    level, so every child path has the same length and the key is one prefix (hash-groupable);
    children of mixed lengths still work through a CASE per length.
    """
    own = _prefix(path_col, len(scope.path))
    lengths = sorted({len(path) for path in child_paths})
    if len(lengths) == 1:
        return _prefix(path_col, lengths[0])
    if not lengths:
        return own
    whens = [(_prefix(path_col, n).in_([p for p in child_paths if len(p) == n]), _prefix(path_col, n))
             for n in lengths]
    return case(*whens, else_=own)


class Successor:
    """Where a unit's records count in the scope's scheme: in a 2025-scheme report, a 2024 unit counts as its
    history successor (unit_successors, from materials/units/crosswalk-2024-2025.csv), so that a province
    formed on 1 July 2025 reports its predecessors' courses and people; in a 2024-scheme report, as itself.

    `path`, `id` and `level` are those of the unit a row of `Unit` counts as; `join(stmt)` adds the two
    outer joins (by primary key) they need after `Unit` has been joined, and nothing in the 2024 scheme.
    """

    def __init__(self, scope: ReportScope) -> None:
        self.active = scope.scheme == CROSSWALK_SCHEME
        self.link = aliased(UnitSuccessor, name="successor_link")
        self.unit = aliased(Unit, name="successor_unit")
        pick = func.coalesce if self.active else (lambda _new, old: old)
        self.path = pick(self.unit.path, Unit.path)
        self.id = pick(self.unit.id, Unit.id)
        self.level = pick(self.unit.level, Unit.level)

    def join(self, stmt: Select) -> Select:
        if not self.active:
            return stmt
        return (stmt.outerjoin(self.link, and_(self.link.old_unit_id == Unit.id, self.link.history))
                .outerjoin(self.unit, self.unit.id == self.link.new_unit_id))


def subtree_cte(scope: ReportScope, child_paths: list[str]) -> CTE:
    """The units in scope (id, level, k, current), `k` being the path of the child unit each lies under;
    in the 2025 scheme also the 2024 units whose history successor is in scope (`current` 0), under
    their successor's child."""
    current = (select(Unit.id, Unit.level, child_key(Unit.path, scope, child_paths).label("k"),
                      literal_column("1").label("current"))
               .where(Unit.path.startswith(scope.path, autoescape=True)))
    if scope.scheme != CROSSWALK_SCHEME:
        return current.cte("subtree")
    new = aliased(Unit, name="new_unit")
    predecessors = (select(Unit.id, Unit.level, child_key(new.path, scope, child_paths), literal_column("0"))
                    .select_from(UnitSuccessor)
                    .join(new, new.id == UnitSuccessor.new_unit_id)
                    .join(Unit, Unit.id == UnitSuccessor.old_unit_id)
                    .where(UnitSuccessor.history, new.path.startswith(scope.path, autoescape=True)))
    return union_all(current, predecessors).cte("subtree")


def revoked_certificates() -> Subquery:
    """(course_id, participant_id) of the revoked certificates, a few in a thousand.

    Read from their partial index and joined as a small set, so that checking an enrolment is a hash or
    in-memory look-up, not a read of its certificate (a large row) for every enrolment counted. DISTINCT
    keeps SQLite from folding it back into a look-up of each enrolment's certificate.
    """
    return (select(Certificate.course_id, Certificate.participant_id).distinct()
            .where(Certificate.revoked_at.is_not(None))
            .subquery("revoked"))


def trained_cte(courses: CTE, participant_ids: Select | None) -> CTE:
    """(participant_id, curriculum_id): who completed a counted course of which curriculum, and whose
    certificate for that course, if one was issued, is not revoked. One row per person and curriculum."""
    completion = completion_cte(select(courses.c.id), participant_ids=participant_ids)
    revoked = revoked_certificates()
    return (select(completion.c.participant_id, Course.curriculum_id).distinct()
            .select_from(completion)
            .join(Course, Course.id == completion.c.course_id)
            .outerjoin(revoked, and_(revoked.c.course_id == completion.c.course_id,
                                     revoked.c.participant_id == completion.c.participant_id))
            .where(completion.c.completed, revoked.c.course_id.is_(None))
            .cte("trained"))


def participants_in(scope: ReportScope) -> Select:
    """Ids of the participants whose commune (their unit, or in the 2025 scheme its successor) is in scope."""
    successor = Successor(scope)
    return (successor.join(select(Participant.id).join(Unit, Unit.id == Participant.unit_id))
            .where(successor.path.startswith(scope.path, autoescape=True)))
