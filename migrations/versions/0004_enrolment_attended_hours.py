"""Enrolments store their attended hours, kept by triggers, so that the indicator report reads one
number per enrolment instead of joining the attendance table (issue 6); participants are indexed by
unit and target group (the report's registry reads that index alone), replacing the unit index; the
revoked certificates get a partial index (the report excludes them without reading every certificate).

The SQL is a frozen copy of trainer/attendance/hours.py at this revision: later changes there need a
new migration. A later SQLite batch migration that rebuilds enrolments, attendance_records or
course_sessions drops their triggers with the old table and must create them again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

HOURS = """(SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id)"""


def _course_of(session_id):
    return f"(SELECT course_id FROM course_sessions WHERE id = {session_id})"


def _refresh(person, session_id):
    return (f"UPDATE enrolments SET attended_hours = {HOURS}\n"
            f"        WHERE participant_id = {person} AND course_id = {_course_of(session_id)};")


SQLITE = [
    f"""CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records
BEGIN
    {_refresh("NEW.participant_id", "NEW.course_session_id")}
END""",
    f"""CREATE TRIGGER attendance_records_hours_ad AFTER DELETE ON attendance_records
BEGIN
    {_refresh("OLD.participant_id", "OLD.course_session_id")}
END""",
    f"""CREATE TRIGGER attendance_records_hours_au AFTER UPDATE OF course_session_id, participant_id
ON attendance_records
BEGIN
    {_refresh("OLD.participant_id", "OLD.course_session_id")}
    {_refresh("NEW.participant_id", "NEW.course_session_id")}
END""",
    f"""CREATE TRIGGER course_sessions_hours_au AFTER UPDATE OF hours, course_id ON course_sessions
WHEN OLD.hours IS NOT NEW.hours OR OLD.course_id IS NOT NEW.course_id
BEGIN
    UPDATE enrolments SET attended_hours = {HOURS}
        WHERE course_id IN (OLD.course_id, NEW.course_id)
        AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = NEW.id);
END""",
    f"""CREATE TRIGGER course_sessions_hours_ad AFTER DELETE ON course_sessions
BEGIN
    UPDATE enrolments SET attended_hours = {HOURS}
        WHERE course_id = OLD.course_id AND attended_hours <> 0;
END""",
    f"""CREATE TRIGGER enrolments_hours_ai AFTER INSERT ON enrolments
WHEN EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
             WHERE a.participant_id = NEW.participant_id AND s.course_id = NEW.course_id)
BEGIN
    UPDATE enrolments SET attended_hours = {HOURS} WHERE id = NEW.id;
END""",
    f"""CREATE TRIGGER enrolments_hours_au AFTER UPDATE OF course_id, participant_id ON enrolments
BEGIN
    UPDATE enrolments SET attended_hours = {HOURS} WHERE id = NEW.id;
END""",
]


def _function(name, body, returns="trigger", args=""):
    return (f"CREATE OR REPLACE FUNCTION {name}({args}) RETURNS {returns} LANGUAGE plpgsql AS $$\n"
            f"BEGIN{body}\nEND\n$$")


POSTGRESQL = [
    _function("refresh_attended_hours", f"""
    -- Lock first (in id order: no deadlock), recompute in the next statement, whose
    -- snapshot includes what a concurrent writer holding the lock committed meanwhile.
    PERFORM 1 FROM enrolments AS e
        JOIN unnest(people, courses) AS p(participant_id, course_id)
        ON e.participant_id = p.participant_id AND e.course_id = p.course_id
        ORDER BY e.id FOR UPDATE OF e;
    UPDATE enrolments SET attended_hours = {HOURS}
        FROM (SELECT DISTINCT * FROM unnest(people, courses)) AS p(participant_id, course_id)
        WHERE enrolments.participant_id = p.participant_id AND enrolments.course_id = p.course_id;""",
              returns="void", args="people integer[], courses integer[]"),
    _function("attendance_records_hours_changed", f"""
    -- The check-in's own statement: written out (no array of pairs) to cost it as little as possible.
    PERFORM 1 FROM enrolments AS e JOIN changed_records AS r ON e.participant_id = r.participant_id
        JOIN course_sessions AS s ON s.id = r.course_session_id AND e.course_id = s.course_id
        ORDER BY e.id FOR UPDATE OF e;
    UPDATE enrolments SET attended_hours = {HOURS}
        FROM (SELECT DISTINCT r.participant_id, s.course_id
              FROM changed_records AS r JOIN course_sessions AS s ON s.id = r.course_session_id) AS p
        WHERE enrolments.participant_id = p.participant_id AND enrolments.course_id = p.course_id;
    RETURN NULL;"""),
    _function("attendance_records_hours_moved", f"""
    PERFORM refresh_attended_hours(ARRAY[OLD.participant_id, NEW.participant_id],
        ARRAY[{_course_of("OLD.course_session_id")}, {_course_of("NEW.course_session_id")}]);
    RETURN NULL;"""),
    """CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records
    REFERENCING NEW TABLE AS changed_records FOR EACH STATEMENT
    EXECUTE FUNCTION attendance_records_hours_changed()""",
    """CREATE TRIGGER attendance_records_hours_ad AFTER DELETE ON attendance_records
    REFERENCING OLD TABLE AS changed_records FOR EACH STATEMENT
    EXECUTE FUNCTION attendance_records_hours_changed()""",
    """CREATE TRIGGER attendance_records_hours_au AFTER UPDATE OF course_session_id, participant_id
    ON attendance_records FOR EACH ROW
    WHEN (OLD.course_session_id IS DISTINCT FROM NEW.course_session_id
          OR OLD.participant_id IS DISTINCT FROM NEW.participant_id)
    EXECUTE FUNCTION attendance_records_hours_moved()""",
    _function("course_sessions_hours_changed", """
    PERFORM refresh_attended_hours(array_agg(a.participant_id), array_agg(c.course_id))
        FROM attendance_records AS a CROSS JOIN (VALUES (OLD.course_id), (NEW.course_id)) AS c(course_id)
        WHERE a.course_session_id = NEW.id;
    RETURN NULL;"""),
    _function("course_sessions_hours_removed", """
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
    _function("enrolments_hours_added", """
    PERFORM refresh_attended_hours(array_agg(n.participant_id), array_agg(n.course_id))
        FROM added_enrolments AS n
        WHERE EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
                      WHERE a.participant_id = n.participant_id AND s.course_id = n.course_id);
    RETURN NULL;"""),
    _function("enrolments_hours_moved", """
    PERFORM refresh_attended_hours(ARRAY[NEW.participant_id], ARRAY[NEW.course_id]);
    RETURN NULL;"""),
    """CREATE TRIGGER enrolments_hours_ai AFTER INSERT ON enrolments
    REFERENCING NEW TABLE AS added_enrolments FOR EACH STATEMENT
    EXECUTE FUNCTION enrolments_hours_added()""",
    """CREATE TRIGGER enrolments_hours_au AFTER UPDATE OF course_id, participant_id ON enrolments FOR EACH ROW
    WHEN (OLD.course_id IS DISTINCT FROM NEW.course_id OR OLD.participant_id IS DISTINCT FROM NEW.participant_id)
    EXECUTE FUNCTION enrolments_hours_moved()""",
]

TRIGGERS = {
    "attendance_records": ("attendance_records_hours_ai", "attendance_records_hours_ad", "attendance_records_hours_au"),
    "course_sessions": ("course_sessions_hours_au", "course_sessions_hours_ad"),
    "enrolments": ("enrolments_hours_ai", "enrolments_hours_au"),
}
FUNCTIONS = ("attendance_records_hours_changed", "attendance_records_hours_moved", "course_sessions_hours_changed",
             "course_sessions_hours_removed", "enrolments_hours_added", "enrolments_hours_moved",
             "refresh_attended_hours")


def upgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attended_hours', sa.Numeric(precision=7, scale=2), server_default=sa.text('0'),
                                      nullable=False))

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participants_unit_id'))
        batch_op.create_index('ix_participants_unit_id_target_group', ['unit_id', 'target_group'], unique=False)

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_revoked', ['course_id', 'participant_id'], unique=False,
                              sqlite_where=sa.text('revoked_at IS NOT NULL'),
                              postgresql_where=sa.text('revoked_at IS NOT NULL'))

    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)
    # The hours of the attendance already recorded, in one statement.
    op.execute(f"UPDATE enrolments SET attended_hours = {HOURS}\n"
               f"WHERE EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s "
               f"ON s.id = a.course_session_id\n"
               f"    WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id)")
    if op.get_bind().dialect.name == "postgresql":
        # Every enrolment row was just rewritten and two indexes are new: fresh statistics for the planner,
        # which would otherwise guess (the report's joins then run as nested loops) until autovacuum runs.
        op.execute("ANALYZE enrolments, participants, certificates")


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, names in TRIGGERS.items():
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    if postgres:
        for name in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}")

    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_column('attended_hours')

    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('ix_certificates_revoked')

    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_index('ix_participants_unit_id_target_group')
        batch_op.create_index(batch_op.f('ix_participants_unit_id'), ['unit_id'], unique=False)
