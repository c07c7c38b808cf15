"""Each enrolment's attended hours (`enrolments.attended_hours`): kept by database triggers, here only.

The rule: an enrolment's attended hours are the sum of `course_sessions.hours` of its course's sessions the
participant has an attendance record for that is not an excused absence (rounded to hundredths). Reports
and the register read the stored number, one per enrolment, instead of joining the attendance table.

One mechanism, the same on SQLite and PostgreSQL: every write *adds or subtracts the hours it changes*,
in a row trigger, whoever writes (the check-in, marks, sheet entries, the demo generator's bulk inserts):

| write                                         | what the trigger does to the enrolment(s)            |
|-----------------------------------------------|-------------------------------------------------------|
| attendance record inserted / deleted          | + / − its session's hours (an excused one: nothing)   |
| attendance record moved, or excused or not    | − what the old row counted, + what the new one counts |
| a session's hours or course changed           | − old hours in the old course, + new hours in the new,|
|                                               | for every participant with a record of that session  |
| enrolment inserted or moved                   | recomputed from the records (they may come first)    |

A session with attendance cannot be deleted (foreign key), so deleting one changes nothing.

Concurrency (PostgreSQL; SQLite has one writer at a time): `SET x = x + h` re-reads a row it waited for,
so two check-ins of one person add both. A check-in reads its session's hours after taking a SHARE lock
on *that session's row*: an organizer's uncommitted change of the session's hours makes it wait and then
add the new hours; a check-in in flight makes the change wait, whose own statement then sees the new
record. No table lock: an edit of one session never holds back the check-ins of any other.

The DDL is attached to the tables' `after_create` event, so `db.create_all()` (the tests) builds it;
migrations 0007 and 0010 hold frozen copies (tests/test_migrations.py compares them). A SQLite batch migration that
rebuilds enrolments, attendance_records or course_sessions drops their triggers with the old table: it must
create them again. Read the column in SQL: an Enrolment object already loaded does not see a trigger's update.
"""

# ruff: noqa: S608 - DDL assembled from this module's constants only, nothing from outside

from __future__ import annotations

from sqlalchemy import DDL, Table, event

from trainer.attendance.models import AttendanceRecord
from trainer.courses.models import Enrolment
from trainer.schedule.models import CourseSession

# The attended hours of the enrolment row being updated, from scratch (`enrolments` is the UPDATE's target).
HOURS_OF_ENROLMENT = """(SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id
            AND NOT a.excused)"""


def _shift(sign: str, row: str) -> str:
    """SQL: add (`+`) or subtract (`-`) the hours of record `row` (OLD or NEW)'s session to its person's
    enrolment in the session's course; an excused absence counts nothing."""
    session = f"{row}.course_session_id"
    return (f"UPDATE enrolments SET attended_hours = round(attended_hours {sign} "
            f"(SELECT hours FROM course_sessions WHERE id = {session}), 2)\n"
            f"        WHERE participant_id = {row}.participant_id "
            f"AND course_id = (SELECT course_id FROM course_sessions WHERE id = {session}) AND NOT {row}.excused;")


def _session_shift(sign: str, row: str) -> str:
    """SQL: add or subtract session `row` (OLD or NEW)'s hours for everyone attending it (not excused)."""
    return (f"UPDATE enrolments SET attended_hours = round(attended_hours {sign} {row}.hours, 2)\n"
            f"        WHERE course_id = {row}.course_id AND participant_id IN "
            f"(SELECT participant_id FROM attendance_records WHERE course_session_id = {row}.id AND NOT excused);")


RECOMPUTE_NEW_ENROLMENT = f"UPDATE enrolments SET attended_hours = {HOURS_OF_ENROLMENT} WHERE id = NEW.id;"

# What each trigger does, in SQL both databases run. On PostgreSQL a record's session row is read FOR SHARE
# first (see the module).
ACTIONS: dict[str, tuple[str, list[str], list[str]]] = {
    # name: (event and table, sessions to lock on PostgreSQL, statements)
    "attendance_records_hours_ai": ("AFTER INSERT ON attendance_records", ["NEW.course_session_id"],
                                    [_shift("+", "NEW")]),
    "attendance_records_hours_ad": ("AFTER DELETE ON attendance_records", ["OLD.course_session_id"],
                                    [_shift("-", "OLD")]),
    "attendance_records_hours_au": ("AFTER UPDATE OF course_session_id, participant_id, excused ON attendance_records",
                                    ["OLD.course_session_id", "NEW.course_session_id"],
                                    [_shift("-", "OLD"), _shift("+", "NEW")]),
    "course_sessions_hours_au": ("AFTER UPDATE OF hours, course_id ON course_sessions", [],
                                 [_session_shift("-", "OLD"), _session_shift("+", "NEW")]),
    "enrolments_hours_ai": ("AFTER INSERT ON enrolments", [], [RECOMPUTE_NEW_ENROLMENT]),
    "enrolments_hours_au": ("AFTER UPDATE OF course_id, participant_id ON enrolments", [], [RECOMPUTE_NEW_ENROLMENT]),
}
# Only when the columns really changed (an UPDATE that writes the same values adds nothing).
CONDITIONS = {
    "attendance_records_hours_au": "OLD.course_session_id IS NOT NEW.course_session_id "
                                   "OR OLD.participant_id IS NOT NEW.participant_id OR OLD.excused IS NOT NEW.excused",
    "course_sessions_hours_au": "OLD.hours IS NOT NEW.hours OR OLD.course_id IS NOT NEW.course_id",
    "enrolments_hours_ai": "EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s "
                           "ON s.id = a.course_session_id "
                           "WHERE a.participant_id = NEW.participant_id AND s.course_id = NEW.course_id "
                           "AND NOT a.excused)",
    "enrolments_hours_au": "OLD.course_id IS NOT NEW.course_id OR OLD.participant_id IS NOT NEW.participant_id",
}


def _sqlite(name: str) -> str:
    timing, _locks, statements = ACTIONS[name]
    when = f"\nWHEN {CONDITIONS[name]}" if name in CONDITIONS else ""
    body = "\n    ".join(statements)
    return f"CREATE TRIGGER {name} {timing} FOR EACH ROW{when}\nBEGIN\n    {body}\nEND"


def _postgresql(name: str) -> list[str]:
    """The trigger's plpgsql function, then the trigger. PostgreSQL's WHEN takes no subquery: such a
    condition becomes the function's IF."""
    timing, locks, statements = ACTIONS[name]
    condition = CONDITIONS.get(name, "").replace(" IS NOT ", " IS DISTINCT FROM ")
    lines = [f"PERFORM 1 FROM course_sessions WHERE id IN ({', '.join(locks)}) ORDER BY id FOR SHARE;"] if locks else []
    lines += statements
    if condition.startswith("EXISTS"):
        lines = [f"IF {condition} THEN", *(f"    {line}" for line in lines), "END IF;"]
        condition = ""
    body = "\n    ".join([*lines, "RETURN NULL;"])
    function = (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n    {body}\nEND\n$$")
    when = f"\n    WHEN ({condition})" if condition else ""
    trigger = f"CREATE TRIGGER {name} {timing} FOR EACH ROW{when}\n    EXECUTE FUNCTION {name}()"
    return [function, trigger]


SQLITE: dict[str, list[str]] = {}
POSTGRESQL: dict[str, list[str]] = {}
for _name, (_timing, _, _) in ACTIONS.items():
    _table = _timing.rsplit(" ON ", 1)[1]
    SQLITE.setdefault(_table, []).append(_sqlite(_name))
    POSTGRESQL.setdefault(_table, []).extend(_postgresql(_name))

TRIGGER_NAMES = frozenset(ACTIONS)


def _install(table: Table) -> None:
    """Create `table`'s triggers right after the table; plpgsql resolves the tables its bodies name when they
    run, so they need not exist yet."""
    for dialect, statements in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
        for statement in statements[table.name]:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


for _table in (AttendanceRecord.__table__, CourseSession.__table__, Enrolment.__table__):
    _install(_table)
