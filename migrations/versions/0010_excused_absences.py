"""An attendance record can be an excused absence (vắng có phép, issue 15): `attendance_records.excused`,
false for every record so far. An excused record counts as no attendance: the attended-hours triggers add
nothing for it, and recompute when a record becomes excused or not. The SQL is a frozen copy of
trainer/attendance/hours.py at this revision (0007's, with the excused rule).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 18:30:00.000000

"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TRIGGERS = {
    "attendance_records": ("attendance_records_hours_ai", "attendance_records_hours_ad", "attendance_records_hours_au"),
    "course_sessions": ("course_sessions_hours_au",),
    "enrolments": ("enrolments_hours_ai", "enrolments_hours_au"),
}

SQLITE = [
    """CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records FOR EACH ROW
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours + (SELECT hours FROM course_sessions WHERE id = NEW.course_session_id), 2)
        WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.course_session_id) AND NOT NEW.excused;
END""",
    """CREATE TRIGGER attendance_records_hours_ad AFTER DELETE ON attendance_records FOR EACH ROW
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours - (SELECT hours FROM course_sessions WHERE id = OLD.course_session_id), 2)
        WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.course_session_id) AND NOT OLD.excused;
END""",
    """CREATE TRIGGER attendance_records_hours_au AFTER UPDATE OF course_session_id, participant_id, excused ON attendance_records FOR EACH ROW
WHEN OLD.course_session_id IS NOT NEW.course_session_id OR OLD.participant_id IS NOT NEW.participant_id OR OLD.excused IS NOT NEW.excused
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours - (SELECT hours FROM course_sessions WHERE id = OLD.course_session_id), 2)
        WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.course_session_id) AND NOT OLD.excused;
    UPDATE enrolments SET attended_hours = round(attended_hours + (SELECT hours FROM course_sessions WHERE id = NEW.course_session_id), 2)
        WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.course_session_id) AND NOT NEW.excused;
END""",
    """CREATE TRIGGER course_sessions_hours_au AFTER UPDATE OF hours, course_id ON course_sessions FOR EACH ROW
WHEN OLD.hours IS NOT NEW.hours OR OLD.course_id IS NOT NEW.course_id
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours - OLD.hours, 2)
        WHERE course_id = OLD.course_id AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = OLD.id AND NOT excused);
    UPDATE enrolments SET attended_hours = round(attended_hours + NEW.hours, 2)
        WHERE course_id = NEW.course_id AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = NEW.id AND NOT excused);
END""",
    """CREATE TRIGGER enrolments_hours_ai AFTER INSERT ON enrolments FOR EACH ROW
WHEN EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id WHERE a.participant_id = NEW.participant_id AND s.course_id = NEW.course_id AND NOT a.excused)
BEGIN
    UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id
            AND NOT a.excused) WHERE id = NEW.id;
END""",
    """CREATE TRIGGER enrolments_hours_au AFTER UPDATE OF course_id, participant_id ON enrolments FOR EACH ROW
WHEN OLD.course_id IS NOT NEW.course_id OR OLD.participant_id IS NOT NEW.participant_id
BEGIN
    UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id
            AND NOT a.excused) WHERE id = NEW.id;
END""",
]

POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION attendance_records_hours_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM course_sessions WHERE id IN (NEW.course_session_id) ORDER BY id FOR SHARE;
    UPDATE enrolments SET attended_hours = round(attended_hours + (SELECT hours FROM course_sessions WHERE id = NEW.course_session_id), 2)
        WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.course_session_id) AND NOT NEW.excused;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER attendance_records_hours_ai AFTER INSERT ON attendance_records FOR EACH ROW
    EXECUTE FUNCTION attendance_records_hours_ai()""",
    """CREATE OR REPLACE FUNCTION attendance_records_hours_ad() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM course_sessions WHERE id IN (OLD.course_session_id) ORDER BY id FOR SHARE;
    UPDATE enrolments SET attended_hours = round(attended_hours - (SELECT hours FROM course_sessions WHERE id = OLD.course_session_id), 2)
        WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.course_session_id) AND NOT OLD.excused;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER attendance_records_hours_ad AFTER DELETE ON attendance_records FOR EACH ROW
    EXECUTE FUNCTION attendance_records_hours_ad()""",
    """CREATE OR REPLACE FUNCTION attendance_records_hours_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM course_sessions WHERE id IN (OLD.course_session_id, NEW.course_session_id) ORDER BY id FOR SHARE;
    UPDATE enrolments SET attended_hours = round(attended_hours - (SELECT hours FROM course_sessions WHERE id = OLD.course_session_id), 2)
        WHERE participant_id = OLD.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = OLD.course_session_id) AND NOT OLD.excused;
    UPDATE enrolments SET attended_hours = round(attended_hours + (SELECT hours FROM course_sessions WHERE id = NEW.course_session_id), 2)
        WHERE participant_id = NEW.participant_id AND course_id = (SELECT course_id FROM course_sessions WHERE id = NEW.course_session_id) AND NOT NEW.excused;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER attendance_records_hours_au AFTER UPDATE OF course_session_id, participant_id, excused ON attendance_records FOR EACH ROW
    WHEN (OLD.course_session_id IS DISTINCT FROM NEW.course_session_id OR OLD.participant_id IS DISTINCT FROM NEW.participant_id OR OLD.excused IS DISTINCT FROM NEW.excused)
    EXECUTE FUNCTION attendance_records_hours_au()""",
    """CREATE OR REPLACE FUNCTION course_sessions_hours_au() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE enrolments SET attended_hours = round(attended_hours - OLD.hours, 2)
        WHERE course_id = OLD.course_id AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = OLD.id AND NOT excused);
    UPDATE enrolments SET attended_hours = round(attended_hours + NEW.hours, 2)
        WHERE course_id = NEW.course_id AND participant_id IN (SELECT participant_id FROM attendance_records WHERE course_session_id = NEW.id AND NOT excused);
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER course_sessions_hours_au AFTER UPDATE OF hours, course_id ON course_sessions FOR EACH ROW
    WHEN (OLD.hours IS DISTINCT FROM NEW.hours OR OLD.course_id IS DISTINCT FROM NEW.course_id)
    EXECUTE FUNCTION course_sessions_hours_au()""",
    """CREATE OR REPLACE FUNCTION enrolments_hours_ai() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id WHERE a.participant_id = NEW.participant_id AND s.course_id = NEW.course_id AND NOT a.excused) THEN
        UPDATE enrolments SET attended_hours = (SELECT round(coalesce(sum(s.hours), 0), 2)
        FROM attendance_records AS a JOIN course_sessions AS s ON s.id = a.course_session_id
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id
            AND NOT a.excused) WHERE id = NEW.id;
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
        WHERE a.participant_id = enrolments.participant_id AND s.course_id = enrolments.course_id
            AND NOT a.excused) WHERE id = NEW.id;
    RETURN NULL;
END
$$""",
    """CREATE TRIGGER enrolments_hours_au AFTER UPDATE OF course_id, participant_id ON enrolments FOR EACH ROW
    WHEN (OLD.course_id IS DISTINCT FROM NEW.course_id OR OLD.participant_id IS DISTINCT FROM NEW.participant_id)
    EXECUTE FUNCTION enrolments_hours_au()""",
]


def _replace_triggers(sqlite_statements, postgresql_statements):
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, names in TRIGGERS.items():
        for name in names:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    for statement in postgresql_statements if postgres else sqlite_statements:
        op.execute(statement)


def _migration(name):
    """An earlier migration of this directory, loaded to replay its triggers."""
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    # Plain ADD COLUMN (no batch rebuild): attendance_records keeps its triggers until they are replaced.
    op.add_column('attendance_records', sa.Column('excused', sa.Boolean(), server_default=sa.false(),
                                                  nullable=False))
    _replace_triggers(SQLITE, POSTGRESQL)


def downgrade():
    # Before 0010 a record meant attendance: excused ones go first, while the triggers still count them as nothing.
    op.execute("DELETE FROM attendance_records WHERE excused")
    before = _migration("0007_hours_by_row_triggers.py")
    _replace_triggers(before.SQLITE, before.POSTGRESQL)
    op.drop_column('attendance_records', 'excused')
