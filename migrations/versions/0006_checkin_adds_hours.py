"""On PostgreSQL a new attendance record adds its session's hours to the enrolment (a row trigger)
instead of recomputing them per statement (issue 7): a trainee's check-in cost twice the server time
with the statement trigger's lock, recompute and transition table (0.32 → 0.19 ms of CPU per insert).
A change of a session's hours or course now first takes a SHARE lock on attendance_records, so no
insert adds a session's hours while they change (see trainer/attendance/hours.py). SQLite unchanged.

The SQL is a frozen copy of trainer/attendance/hours.py at this revision.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 03:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ADDED = """CREATE OR REPLACE FUNCTION attendance_records_hours_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrolments SET attended_hours = enrolments.attended_hours + s.hours
        FROM course_sessions AS s
        WHERE s.id = NEW.course_session_id AND enrolments.participant_id = NEW.participant_id
            AND enrolments.course_id = s.course_id;
    RETURN NULL;
END
$$"""

SESSION_CHANGED = """CREATE OR REPLACE FUNCTION course_sessions_hours_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{lock}
    PERFORM refresh_attended_hours(array_agg(a.participant_id), array_agg(c.course_id))
        FROM attendance_records AS a CROSS JOIN (VALUES (OLD.course_id), (NEW.course_id)) AS c(course_id)
        WHERE a.course_session_id = NEW.id;
    RETURN NULL;
END
$$"""
# Now run by deletions only: the comment that called it the check-in's statement goes.
RECORDS_CHANGED = """CREATE OR REPLACE FUNCTION attendance_records_hours_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN{comment}
    PERFORM 1 FROM enrolments AS e JOIN changed_records AS r ON e.participant_id = r.participant_id
        JOIN course_sessions AS s ON s.id = r.course_session_id AND e.course_id = s.course_id
        ORDER BY e.id FOR UPDATE OF e;
    UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id)
        FROM (SELECT DISTINCT r.participant_id, s.course_id
              FROM changed_records AS r JOIN course_sessions AS s ON s.id = r.course_session_id) AS p
        WHERE enrolments.participant_id = p.participant_id AND enrolments.course_id = p.course_id;
    RETURN NULL;
END
$$"""
COMMENT = """
    -- The check-in's own statement: written out (no array of pairs) to cost it as little as possible."""
LOCK = """
    -- New attendance adds the session's hours as they are when it is inserted: none may be in flight.
    LOCK TABLE attendance_records IN SHARE MODE;"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER attendance_records_hours_ai ON attendance_records")
    op.execute(ADDED)
    op.execute("""CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records FOR EACH ROW
    EXECUTE FUNCTION attendance_records_hours_added()""")
    op.execute(SESSION_CHANGED.format(lock=LOCK))
    op.execute(RECORDS_CHANGED.format(comment=""))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER attendance_records_hours_ai ON attendance_records")
    op.execute("DROP FUNCTION attendance_records_hours_added()")
    op.execute("""CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records
    REFERENCING NEW TABLE AS changed_records FOR EACH STATEMENT
    EXECUTE FUNCTION attendance_records_hours_changed()""")
    op.execute(SESSION_CHANGED.format(lock=""))
    op.execute(RECORDS_CHANGED.format(comment=COMMENT))
