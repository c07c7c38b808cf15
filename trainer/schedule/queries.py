"""Read-only queries of the schedule: the calendar of sessions in a user's scope and their clashes."""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, column, literal, select, union_all, values
from sqlalchemy.orm import aliased, contains_eager

from trainer.accounts.models import User
from trainer.core.permissions import Need, scoped
from trainer.core.text import fold
from trainer.courses.models import Course, CourseStatus
from trainer.extensions import db
from trainer.finance.lecturers import load_lecturers
from trainer.finance.models import session_lecturers
from trainer.schedule.models import CourseSession
from trainer.units.models import Unit, UnitLevel

# A clash list longer than this is cut: it would no longer be read, and a generic venue name
# typed for a hundred parallel courses would otherwise make the pairs grow quadratically.
MAX_CONFLICTS = 500


class CalendarView(enum.StrEnum):
    WEEK = "week"
    MONTH = "month"


class ConflictKind(enum.StrEnum):
    VENUE = "venue"
    TRAINER = "trainer"


@dataclass(frozen=True)
class Conflict:
    """Two displayed sessions that overlap in time at the same venue and/or with the same trainer."""

    first: CourseSession
    second: CourseSession
    kinds: frozenset[str]  # ConflictKind values


@dataclass
class Calendar:
    """What the calendar page shows: its days, the sessions per local day and the clashes among them."""

    view: CalendarView
    anchor: date
    first_day: date  # inclusive, local
    last_day: date  # inclusive, local
    days: list[date]
    sessions_by_day: dict[date, list[CourseSession]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    conflict_kinds: dict[int, set[str]] = field(default_factory=dict)  # session id -> ConflictKind values
    truncated: bool = False

    @property
    def session_count(self) -> int:
        """How many sessions the calendar shows."""
        return sum(len(rows) for rows in self.sessions_by_day.values())


def calendar_days(view: CalendarView, anchor: date) -> tuple[date, date]:
    """First and last local day shown: the Monday-to-Sunday week of `anchor`, or the whole weeks
    covering its month (a grid starts on a Monday)."""
    if view is CalendarView.WEEK:
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6)
    first = anchor.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    last = next_month - timedelta(days=1)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def shift(view: CalendarView, anchor: date, steps: int) -> date:
    """The anchor of the previous (-1) or next (+1) week or month."""
    if view is CalendarView.WEEK:
        return anchor + timedelta(weeks=steps)
    month_index = anchor.year * 12 + anchor.month - 1 + steps
    return date(month_index // 12, month_index % 12 + 1, 1)


def local_bounds(first_day: date, last_day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants of local midnight starting `first_day` and ending `last_day`."""
    start = datetime.combine(first_day, time.min, tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return start, end


def sessions_between(user: User, start: datetime, end: datetime, unit: Unit | None = None) -> Select:
    """Sessions starting in [start, end) of courses `user` may view (not cancelled), optionally
    below `unit`, with their course loaded (one statement)."""
    stmt = (select(CourseSession).join(CourseSession.course)
            .where(CourseSession.starts_at >= start, CourseSession.starts_at < end,
                   Course.status != CourseStatus.CANCELLED)
            .options(contains_eager(CourseSession.course))
            .order_by(CourseSession.starts_at, CourseSession.ends_at, CourseSession.id))
    if unit is not None:
        stmt = stmt.where(Course.unit_id.in_(select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))))
    return scoped(stmt, Course.unit_id, Need.VIEW, user)


def effective_venue(course_session: CourseSession) -> str:
    """Where the session takes place: its own venue, else its course's."""
    return course_session.venue or course_session.course.venue


def find_conflicts(sessions: list[CourseSession], limit: int = MAX_CONFLICTS) -> list[tuple[int, int, str]]:
    """Pairs (first id, second id, kind) of `sessions` overlapping in time at the same venue or with the
    same trainer; touching ends (11:30 and 11:30) do not overlap. One statement whatever the count.

    Folding (case, spacing, diacritics: core.text.fold) cannot run alike in SQLite and PostgreSQL,
    so each session's folded venue and trainer are numbered here and sent as an all-integer VALUES
    table; the pairing itself is a self-join in SQL over that table and the sessions' times.
    """
    if len(sessions) < 2:
        return []
    numbers: dict[str, int] = {}
    rows = []
    for s in sessions:
        venue, trainer = fold(effective_venue(s)), fold(s.trainer_name or "")
        rows.append((s.id, numbers.setdefault("v:" + venue, len(numbers) + 1) if venue else 0,
                     numbers.setdefault("t:" + trainer, len(numbers) + 1) if trainer else 0))
    # Integers only, so literal rendering is safe, and no bind-parameter limit caps the row count.
    keys = values(column("id", Integer), column("venue", Integer), column("trainer", Integer),
                  name="keys", literal_binds=True).data(rows).cte("keys")
    k1, k2 = keys.alias("k1"), keys.alias("k2")
    s1, s2 = aliased(CourseSession), aliased(CourseSession)

    def pairs(key: str, kind: ConflictKind) -> Select:
        """Overlapping pairs sharing a non-empty `key` (venue or trainer number)."""
        return (select(k1.c.id.label("first_id"), k2.c.id.label("second_id"), literal(kind.value).label("kind"))
                .join(k2, (k2.c[key] == k1.c[key]) & (k2.c.id > k1.c.id))
                .join(s1, s1.id == k1.c.id).join(s2, s2.id == k2.c.id)
                .where(k1.c[key] != 0, s1.starts_at < s2.ends_at, s2.starts_at < s1.ends_at))

    # The same registry lecturer (trainer.finance) in two overlapping sessions is a trainer clash too.
    l1, l2 = session_lecturers.alias("l1"), session_lecturers.alias("l2")
    by_lecturer = (select(k1.c.id.label("first_id"), k2.c.id.label("second_id"),
                          literal(ConflictKind.TRAINER.value).label("kind")).distinct()
                   .select_from(k1)
                   .join(l1, l1.c.course_session_id == k1.c.id)
                   .join(l2, (l2.c.lecturer_id == l1.c.lecturer_id) & (l2.c.course_session_id > l1.c.course_session_id))
                   .join(k2, k2.c.id == l2.c.course_session_id)
                   .join(s1, s1.id == k1.c.id).join(s2, s2.id == k2.c.id)
                   .where(s1.starts_at < s2.ends_at, s2.starts_at < s1.ends_at))
    both = union_all(pairs("venue", ConflictKind.VENUE), pairs("trainer", ConflictKind.TRAINER),
                     by_lecturer).subquery()
    stmt = select(both.c.first_id, both.c.second_id, both.c.kind).order_by(
        both.c.first_id, both.c.second_id, both.c.kind).limit(limit + 1)
    return [(a, b, kind) for a, b, kind in db.session.execute(stmt)]


def build_calendar(user: User, view: CalendarView, anchor: date, zone: ZoneInfo,
                   unit: Unit | None = None) -> Calendar:
    """The calendar of `view` around `anchor`, with days and times in `zone` (two statements)."""
    first_day, last_day = calendar_days(view, anchor)
    start, end = local_bounds(first_day, last_day, zone)
    shown = sessions_between(user, start, end, unit)
    sessions = list(db.session.scalars(shown))
    load_lecturers(sessions, shown.with_only_columns(CourseSession.id).order_by(None))
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    calendar = Calendar(view=view, anchor=anchor, first_day=first_day, last_day=last_day, days=days)
    by_day: dict[date, list[CourseSession]] = defaultdict(list)
    for s in sessions:  # grouping for display: each session on the local day it starts
        by_day[s.starts_at.astimezone(zone).date()].append(s)
    calendar.sessions_by_day = dict(by_day)
    pairs = find_conflicts(sessions)
    calendar.truncated = len(pairs) > MAX_CONFLICTS
    by_id = {s.id: s for s in sessions}
    grouped: dict[tuple[int, int], set[str]] = defaultdict(set)
    for first_id, second_id, kind in pairs[:MAX_CONFLICTS]:
        grouped[(first_id, second_id)].add(kind)
    for (first_id, second_id), kinds in grouped.items():
        calendar.conflicts.append(Conflict(by_id[first_id], by_id[second_id], frozenset(kinds)))
        for session_id in (first_id, second_id):
            calendar.conflict_kinds.setdefault(session_id, set()).update(kinds)
    calendar.conflicts.sort(key=lambda c: (c.first.starts_at, c.second.starts_at))
    return calendar


def filter_units(user: User, scheme: str) -> Select:
    """Provinces and districts of `scheme` the user may view, for the calendar's unit filter."""
    stmt = (select(Unit).where(Unit.scheme == scheme, Unit.level != UnitLevel.COMMUNE)
            .order_by(Unit.path))
    return scoped(stmt, Unit.id, Need.VIEW, user)
