"""Attended hours kept by one mechanism on both databases (issue 14): every write adds or subtracts the
hours it changes, in a row trigger; a check-in reads its session's hours under a SHARE lock on that
session's row. Replaces PostgreSQL's statement triggers, its recompute function and the table-wide
SHARE lock that held back every check-in in the country while one session's hours were edited, and
SQLite's recomputing triggers. The stored hours are recomputed once from the records.

The SQL is a frozen copy of trainer/attendance/hours.py at this revision.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 17:00:00.000000

"""
import importlib.util
from pathlib import Path

from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TRIGGERS = {
    "attendance_records": ("attendance_records_hours_ai", "attendance_records_hours_ad", "attendance_records_hours_au"),
    "course_sessions": ("course_sessions_hours_au", "course_sessions_hours_ad"),
    "enrolments": ("enrolments_hours_ai", "enrolments_hours_au"),
}
OLD_FUNCTIONS = ("refresh_attended_hours", "attendance_records_hours_added", "attendance_records_hours_changed",
                 "attendance_records_hours_moved", "course_sessions_hours_changed", "course_sessions_hours_removed",
                 "enrolments_hours_added", "enrolments_hours_moved")
NEW_FUNCTIONS = ("attendance_records_hours_ai", "attendance_records_hours_ad", "attendance_records_hours_au",
                 "course_sessions_hours_au", "enrolments_hours_ai", "enrolments_hours_au")

SQLITE = [
    """CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records FOR EACH ROW
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours + (SELECT hours FROM course_sessions WHERE id = NEW.course_session_id), 2)
        WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.course_session_id);
END""",
    """CREATE TRIGGER attendance_records_hours_ad AFTER DELETE ON attendance_records FOR EACH ROW
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours - (SELECT hours FROM course_sessions WHERE id = OLD.course_session_id), 2)
        WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.course_session_id);
END""",
    """CREATE TRIGGER attendance_records_hours_au AFTER UPDATE OF course_session_id, participant_id ON attendance_records FOR EACH ROW
WHEN OLD.course_session_id IS NOT NEW.course_session_id OR OLD.participant_id IS NOT NEW.participant_id
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours - (SELECT hours FROM course_sessions WHERE id = OLD.course_session_id), 2)
        WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.course_session_id);
    UPDATE enrolments SET attended_hours = round(attended_hours + (SELECT hours FROM course_sessions WHERE id = NEW.course_session_id), 2)
        WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.course_session_id);
END""",
    """CREATE TRIGGER course_sessions_hours_au AFTER UPDATE OF hours, course_id ON course_sessions FOR EACH ROW
WHEN OLD.hours IS NOT NEW.hours OR OLD.course_id IS NOT NEW.course_id
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours - OLD.hours, 2)
        WHERE course_id = OLD.course_id AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = OLD.id);
    UPDATE enrolments SET attended_hours = round(attended_hours + NEW.hours, 2)
        WHERE course_id = NEW.course_id AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = NEW.id);
END""",
    """CREATE TRIGGER enrolments_hours_ai AFTER INSERT ON enrolments FOR EACH ROW
WHEN EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id WHERE a.participant_id = NEW.participant_id AND s.course_id = NEW.course_id)
BEGIN
    UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id) WHERE id = NEW.id;
END""",
    """CREATE TRIGGER enrolments_hours_au AFTER UPDATE OF course_id, participant_id ON enrolments FOR EACH ROW
WHEN OLD.course_id IS NOT NEW.course_id OR OLD.participant_id IS NOT NEW.participant_id
BEGIN
    UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id) WHERE id = NEW.id;
END""",
]

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION attendance_records_hours_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM course_sessions WHERE id IN (NEW.course_session_id) ORDER BY id FOR SHARE;
    UPDATE enrolments SET attended_hours = round(attended_hours + (SELECT hours FROM course_sessions WHERE id = NEW.course_session_id), 2)
        WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.course_session_id);
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records FOR EACH ROW
    EXECUTE FUNCTION attendance_records_hours_ai()""",
    """CREATE OR REPLACE FUNCTION attendance_records_hours_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM course_sessions WHERE id IN (OLD.course_session_id) ORDER BY id FOR SHARE;
    UPDATE enrolments SET attended_hours = round(attended_hours - (SELECT hours FROM course_sessions WHERE id = OLD.course_session_id), 2)
        WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.course_session_id);
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER attendance_records_hours_ad AFTER DELETE ON attendance_records FOR EACH ROW
    EXECUTE FUNCTION attendance_records_hours_ad()""",
    """CREATE OR REPLACE FUNCTION attendance_records_hours_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM course_sessions WHERE id IN (OLD.course_session_id, NEW.course_session_id) ORDER BY id FOR SHARE;
    UPDATE enrolments SET attended_hours = round(attended_hours - (SELECT hours FROM course_sessions WHERE id = OLD.course_session_id), 2)
        WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.course_session_id);
    UPDATE enrolments SET attended_hours = round(attended_hours + (SELECT hours FROM course_sessions WHERE id = NEW.course_session_id), 2)
        WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.course_session_id);
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER attendance_records_hours_au AFTER UPDATE OF course_session_id, participant_id ON attendance_records FOR EACH ROW
    WHEN (OLD.course_session_id IS DISTINCT FROM NEW.course_session_id OR OLD.participant_id IS DISTINCT FROM NEW.participant_id)
    EXECUTE FUNCTION attendance_records_hours_au()""",
    """CREATE OR REPLACE FUNCTION course_sessions_hours_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours - OLD.hours, 2)
        WHERE course_id = OLD.course_id AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = OLD.id);
    UPDATE enrolments SET attended_hours = round(attended_hours + NEW.hours, 2)
        WHERE course_id = NEW.course_id AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = NEW.id);
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER course_sessions_hours_au AFTER UPDATE OF hours, course_id ON course_sessions FOR EACH ROW
    WHEN (OLD.hours IS DISTINCT FROM NEW.hours OR OLD.course_id IS DISTINCT FROM NEW.course_id)
    EXECUTE FUNCTION course_sessions_hours_au()""",
    """CREATE OR REPLACE FUNCTION enrolments_hours_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id WHERE a.participant_id = NEW.participant_id AND s.course_id = NEW.course_id) THEN
        UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id) WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER enrolments_hours_ai AFTER INSERT ON enrolments FOR EACH ROW
    EXECUTE FUNCTION enrolments_hours_ai()""",
    """CREATE OR REPLACE FUNCTION enrolments_hours_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id) WHERE id = NEW.id;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER enrolments_hours_au AFTER UPDATE OF course_id, participant_id ON enrolments FOR EACH ROW
    WHEN (OLD.course_id IS DISTINCT FROM NEW.course_id OR OLD.participant_id IS DISTINCT FROM NEW.participant_id)
    EXECUTE FUNCTION enrolments_hours_au()""",
]

RECOMPUTE = """UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id)"""


def _drop_triggers(postgres):
    for table, names in TRIGGERS.items():
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgres else f"DROP TRIGGER IF EXISTS {name}")


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_triggers(postgres)
    if postgres:
        for name in OLD_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}")
    for statement in POSTGRESQL if postgres else SQLITE:
        op.execute(statement)
    op.execute(RECOMPUTE)


def _migration(name):
    """An earlier migration of this directory, loaded to replay its triggers."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    _drop_triggers(postgres)
    if postgres:
        for name in NEW_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}")
    # The triggers of 0004, as 0006 changed them.
    for statement in _migration("0004_enrolment_attended_hours.py").POSTGRESQL if postgres else \
            _migration("0004_enrolment_attended_hours.py").SQLITE:
        op.execute(statement)
    _migration("0006_checkin_adds_hours.py").upgrade()
