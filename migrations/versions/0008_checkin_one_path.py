"""The one check-in path (issue 14) and its hardening (issue 13): an attendance record keeps a keyed hash of
its client, so several people checked in from one device or client are flagged for the organizer, who
confirms them (`confirmed_by_id`); refused attempts are deleted after 30 days by their time (indexed), and
no longer counted per client (trainer.core.throttle counts failures).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 19:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (no batch rebuild): attendance_records' triggers stay.
    op.add_column('attendance_records', sa.Column('client_fingerprint', sa.String(length=32), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.add_column('attendance_records', sa.Column('confirmed_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_attendance_records_confirmed_by_id_users'), 'attendance_records', 'users',
                              ['confirmed_by_id'], ['id'])
    else:  # SQLite adds a reference only with its column (a batch rebuild would drop the table's triggers)
        op.execute("ALTER TABLE attendance_records ADD COLUMN confirmed_by_id INTEGER "
                   "CONSTRAINT fk_attendance_records_confirmed_by_id_users REFERENCES users (id)")
    op.drop_index('ix_checkin_attempts_client_key', table_name='checkin_attempts')
    op.create_index(op.f('ix_checkin_attempts_attempted_at'), 'checkin_attempts', ['attempted_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_checkin_attempts_attempted_at'), table_name='checkin_attempts')
    op.create_index('ix_checkin_attempts_client_key', 'checkin_attempts', ['client_key'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f('fk_attendance_records_confirmed_by_id_users'), 'attendance_records',
                           type_='foreignkey')
    op.drop_column('attendance_records', 'confirmed_by_id')  # SQLite 3.35+ drops a column with its reference
    op.drop_column('attendance_records', 'client_fingerprint')
