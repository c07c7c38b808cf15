"""Each enrolment's attended hours (`enrolments.attended_hours`), kept by database triggers.

The indicator report decides who completed a course from the hours each enrolled person attended.
Summed at report time, that joins every enrolment of the period to its course's sessions and to the
million-row attendance table; stored on the enrolment, the report reads one number per enrolment.

The stored value is the sum of `course_sessions.hours` of the course's sessions the participant has an
attendance record for, rounded to hundredths (SQLite sums REAL values). Triggers maintain it, not the
application: attendance rows are written by the ORM, by the check-in fast path's Core
INSERT … ON CONFLICT, by sheet imports and by the demo generator's bulk inserts (COPY on PostgreSQL),
and a trigger cannot be forgotten by the next one. The triggers *recompute* the sum of the enrolments
concerned, so the value is right whatever the order of the writes: attendance deleted or moved; a
session's hours or course changed, or the session deleted; an enrolment created after its attendance
(the demo generator writes them in separate chunks). One exception, PostgreSQL's new attendance (below).

SQLite has row triggers only, each a few index look-ups, and one writer at a time. PostgreSQL recomputes
once per statement from the transition table (deleting 5,000 records runs one UPDATE, not 5,000), and
locks the enrolments before recomputing, in a later statement: under READ COMMITTED an UPDATE that
waited for a row lock re-reads that row but not its subquery, so two writers of one person's records
in one course committed at the same moment would otherwise lose one's hours.

A new attendance record on PostgreSQL *adds* its session's hours to the enrolment, in a row trigger:
one UPDATE, where the statement trigger's lock, recompute and transition table cost a trainee's
check-in twice the server time (measured: 0.32 → 0.19 ms of CPU per insert). Adding is right under
concurrency because an UPDATE that waited re-reads the row it adds to; the session's hours it adds
cannot change meanwhile, as a change of a session's hours or course first takes a SHARE lock on
attendance_records, waiting for the inserts in flight and holding back new ones until it commits.
Bulk inserts pay a row trigger per record (the demo generator's COPY).

The DDL is attached to the tables' `after_create` event, so `db.create_all()` (the tests) builds it;
migrations 0004 and 0006 hold frozen copies. A later SQLite batch migration that rebuilds enrolments,
attendance_records or course_sessions drops their triggers with the old table: it must create them again.
Read the column in SQL: an Enrolment object already loaded does not see a trigger's later update.
"""

# ruff: noqa: S608 - DDL assembled from this module's constants only, nothing from outside

from __future__ import annotations

from sqlalchemy import DDL, Table, event

from trainer.attendance.models import AttendanceRecord
from trainer.courses.models import Enrolment
from trainer.schedule.models import CourseSession

# The attended hours of the enrolment row being updated (`enrolments` is the UPDATE's target).
HOURS_OF_ENROLMENT = """(SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id)"""


def _course_of(session_id: str) -> str:
    """SQL: the course of the session whose id is the expression `session_id`."""
    return f"(SELECT course_id FROM course_sessions WHERE id = {session_id})"


def _refresh_sqlite(person: str, session_id: str) -> str:
    """SQL: recompute the enrolment of `person` in the course of the session `session_id` (expressions)."""
    return (f"UPDATE enrolments SET attended_hours = {HOURS_OF_ENROLMENT}\n"
            f"        WHERE participant_id = {person} AND course_id = {_course_of(session_id)};")


SQLITE: dict[str, list[str]] = {
    "attendance_records": [
        f"""CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records
BEGIN
    {_refresh_sqlite("NEW.participant_id", "NEW.course_session_id")}
END""",
        f"""CREATE TRIGGER attendance_records_hours_ad AFTER DELETE ON attendance_records
BEGIN
    {_refresh_sqlite("OLD.participant_id", "OLD.course_session_id")}
END""",
        f"""CREATE TRIGGER attendance_records_hours_au AFTER UPDATE OF course_session_id, participant_id
ON attendance_records
BEGIN
    {_refresh_sqlite("OLD.participant_id", "OLD.course_session_id")}
    {_refresh_sqlite("NEW.participant_id", "NEW.course_session_id")}
END""",
    ],
    "course_sessions": [
        f"""CREATE TRIGGER course_sessions_hours_au AFTER UPDATE OF hours, course_id ON course_sessions
WHEN OLD.hours IS NOT NEW.hours OR OLD.course_id IS NOT NEW.course_id
BEGIN
    UPDATE enrolments SET attended_hours = {HOURS_OF_ENROLMENT}
        WHERE course_id IN (OLD.course_id, NEW.course_id)
        AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = NEW.id);
END""",
        # Sessions with attendance cannot be deleted (schedule.services, the foreign key): insurance only.
        f"""CREATE TRIGGER course_sessions_hours_ad AFTER DELETE ON course_sessions
BEGIN
    UPDATE enrolments SET attended_hours = {HOURS_OF_ENROLMENT}
        WHERE course_id = OLD.course_id AND attended_hours <> 0;
END""",
    ],
    "enrolments": [
        f"""CREATE TRIGGER enrolments_hours_ai AFTER INSERT ON enrolments
WHEN EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
             WHERE a.participant_id = NEW.participant_id AND s.course_id = NEW.course_id)
BEGIN
    UPDATE enrolments SET attended_hours = {HOURS_OF_ENROLMENT} WHERE id = NEW.id;
END""",
        f"""CREATE TRIGGER enrolments_hours_au AFTER UPDATE OF course_id, participant_id ON enrolments
BEGIN
    UPDATE enrolments SET attended_hours = {HOURS_OF_ENROLMENT} WHERE id = NEW.id;
END""",
    ],
}


def _pg_function(name: str, body: str, *, returns: str = "trigger", args: str = "") -> str:
    """SQL: a plpgsql function (created or replaced) running `body`."""
    return (f"CREATE OR REPLACE FUNCTION {name}({args}) RETURNS {returns} LANGUAGE plpgsql AS $$\n"
            f"BEGIN{body}\nEND\n$$")


# The function every PostgreSQL trigger calls: recompute the enrolments of these (participant, course) pairs.
REFRESH_FUNCTION = _pg_function("refresh_attended_hours", f"""
    -- Lock first (in id order: no deadlock), recompute in the next statement, whose
    -- snapshot includes what a concurrent writer holding the lock committed meanwhile.
    PERFORM 1 FROM enrolments AS e
        JOIN unnest(people, courses) AS p(participant_id, course_id)
        ON e.participant_id = p.participant_id AND e.course_id = p.course_id
        ORDER BY e.id FOR UPDATE OF e;
    UPDATE enrolments SET attended_hours = {HOURS_OF_ENROLMENT}
        FROM (SELECT DISTINCT * FROM unnest(people, courses)) AS p(participant_id, course_id)
        WHERE enrolments.participant_id = p.participant_id AND enrolments.course_id = p.course_id;""",
                                returns="void", args="people integer[], courses integer[]")

# Per table: its trigger functions, then its triggers. Statement triggers read the transition table.
POSTGRESQL: dict[str, list[str]] = {
    "attendance_records": [
        _pg_function("attendance_records_hours_added", """
    UPDATE enrolments SET attended_hours = enrolments.attended_hours + s.hours
        FROM course_sessions AS s
        WHERE s.id = NEW.course_session_id AND enrolments.participant_id = NEW.participant_id
            AND enrolments.course_id = s.course_id;
    RETURN NULL;"""),
        _pg_function("attendance_records_hours_changed", f"""
    PERFORM 1 FROM enrolments AS e JOIN changed_records AS r ON e.participant_id = r.participant_id
        JOIN course_sessions AS s ON s.id = r.course_session_id AND e.course_id = s.course_id
        ORDER BY e.id FOR UPDATE OF e;
    UPDATE enrolments SET attended_hours = {HOURS_OF_ENROLMENT}
        FROM (SELECT DISTINCT r.participant_id, s.course_id
              FROM changed_records AS r JOIN course_sessions AS s ON s.id = r.course_session_id) AS p
        WHERE enrolments.participant_id = p.participant_id AND enrolments.course_id = p.course_id;
    RETURN NULL;"""),
        _pg_function("attendance_records_hours_moved", f"""
    PERFORM refresh_attended_hours(ARRAY[OLD.participant_id, NEW.participant_id],
        ARRAY[{_course_of("OLD.course_session_id")}, {_course_of("NEW.course_session_id")}]);
    RETURN NULL;"""),
        """CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records FOR EACH ROW
    EXECUTE FUNCTION attendance_records_hours_added()""",
        """CREATE TRIGGER attendance_records_hours_ad AFTER DELETE ON attendance_records
    REFERENCING OLD TABLE AS changed_records FOR EACH STATEMENT
    EXECUTE FUNCTION attendance_records_hours_changed()""",
        """CREATE TRIGGER attendance_records_hours_au AFTER UPDATE OF course_session_id, participant_id
    ON attendance_records FOR EACH ROW
    WHEN (OLD.course_session_id IS DISTINCT FROM NEW.course_session_id
          OR OLD.participant_id IS DISTINCT FROM NEW.participant_id)
    EXECUTE FUNCTION attendance_records_hours_moved()""",
    ],
    "course_sessions": [
        _pg_function("course_sessions_hours_changed", """
    -- New attendance adds the session's hours as they are when it is inserted: none may be in flight.
    LOCK TABLE attendance_records IN SHARE MODE;
    PERFORM refresh_attended_hours(array_agg(a.participant_id), array_agg(c.course_id))
        FROM attendance_records AS a CROSS JOIN (VALUES (OLD.course_id), (NEW.course_id)) AS c(course_id)
        WHERE a.course_session_id = NEW.id;
    RETURN NULL;"""),
        _pg_function("course_sessions_hours_removed", """
    PERFORM refresh_attended_hours(array_agg(e.participant_id), array_agg(e.course_id))
        FROM enrolments AS e
        WHERE e.course_id IN (SELECT course_id FROM removed_sessions) AND e.attended_hours <> 0;
    RETURN NULL;"""),
        """CREATE TRIGGER course_sessions_hours_au AFTER UPDATE OF hours, course_id ON course_sessions FOR EACH ROW
    WHEN (OLD.hours IS DISTINCT FROM NEW.hours OR OLD.course_id IS DISTINCT FROM NEW.course_id)
    EXECUTE FUNCTION course_sessions_hours_changed()""",
        """CREATE TRIGGER course_sessions_hours_ad AFTER DELETE ON course_sessions
    REFERENCING OLD TABLE AS removed_sessions FOR EACH STATEMENT
    EXECUTE FUNCTION course_sessions_hours_removed()""",
    ],
    "enrolments": [
        _pg_function("enrolments_hours_added", """
    PERFORM refresh_attended_hours(array_agg(n.participant_id), array_agg(n.course_id))
        FROM added_enrolments AS n
        WHERE EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
                      WHERE a.participant_id = n.participant_id AND s.course_id = n.course_id);
    RETURN NULL;"""),
        _pg_function("enrolments_hours_moved", """
    PERFORM refresh_attended_hours(ARRAY[NEW.participant_id], ARRAY[NEW.course_id]);
    RETURN NULL;"""),
        """CREATE TRIGGER enrolments_hours_ai AFTER INSERT ON enrolments
    REFERENCING NEW TABLE AS added_enrolments FOR EACH STATEMENT
    EXECUTE FUNCTION enrolments_hours_added()""",
        """CREATE TRIGGER enrolments_hours_au AFTER UPDATE OF course_id, participant_id ON enrolments FOR EACH ROW
    WHEN (OLD.course_id IS DISTINCT FROM NEW.course_id OR OLD.participant_id IS DISTINCT FROM NEW.participant_id)
    EXECUTE FUNCTION enrolments_hours_moved()""",
    ],
}

TRIGGER_NAMES = frozenset(name.split()[2] for statements in SQLITE.values() for name in statements)


def _install(table: Table) -> None:
    """Create `table`'s triggers right after the table. On PostgreSQL the shared function comes first with
    each table (CREATE OR REPLACE: tables are created in any order); plpgsql resolves the tables its
    bodies name when they run, so they need not exist yet."""
    event.listen(table, "after_create", DDL(REFRESH_FUNCTION).execute_if(dialect="postgresql"))
    for dialect, statements in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
        for statement in statements[table.name]:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))


for _table in (AttendanceRecord.__table__, CourseSession.__table__, Enrolment.__table__):
    _install(_table)
