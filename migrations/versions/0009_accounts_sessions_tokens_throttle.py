"""Accounts (issue 13, item 6): server-side sign-in sessions, failed-attempt counts for throttling,
password state on users, and an expiry on every API token.

- login_sessions: one row per signed-in browser (hash of the cookie's key, expiry); logout deletes it.
- throttle_failures: one row per failed attempt, keyed by an HMAC of the account or client, never the
  e-mail or address; (scope, key_hash, failed_at) serves the counts, failed_at the purge.
- users.must_change_password (an admin's reset), users.password_changed_at.
- api_tokens.expires_at becomes NOT NULL: tokens made before had none and never expired; they now
  expire 90 days after this migration (time for scripts to get a new one), as a new token does.

Only users (a column added in place) and api_tokens (rebuilt by SQLite's batch mode, referenced by
no table) are altered; no table carrying the attended-hours triggers is touched.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 16:01:31.181582

"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_failures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_failures'))
    )
    with op.batch_alter_table('throttle_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_failures_failed_at'), ['failed_at'], unique=False)
        batch_op.create_index('ix_throttle_failures_scope_key', ['scope', 'key_hash', 'failed_at'], unique=False)

    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_sessions_key_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    # Backfill before NOT NULL (a failed SQLite batch migration is not rolled back). SQLite stores UTC
    # without an offset, as the app's UTCDateTime type does.
    expires = datetime.now(UTC) + timedelta(days=90)
    if op.get_bind().dialect.name == 'sqlite':
        expires = expires.replace(tzinfo=None)
    api_tokens = sa.table('api_tokens', sa.column('expires_at', sa.DateTime(timezone=True)))
    op.execute(api_tokens.update().where(api_tokens.c.expires_at.is_(None)).values(expires_at=expires))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        # A constant default ('0' is false on both engines): SQLite then adds the column in place
        # instead of rebuilding users, which every other table references.
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # Not in batch mode: rebuilding users fails on SQLite once other tables reference its rows, and
    # SQLite (3.35 and later) drops a plain column in place.
    for column in ('password_changed_at', 'must_change_password'):
        op.execute(f'ALTER TABLE users DROP COLUMN {column}')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=True)

    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))
    op.drop_table('login_sessions')

    with op.batch_alter_table('throttle_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_throttle_failures_scope_key')
        batch_op.drop_index(batch_op.f('ix_throttle_failures_failed_at'))
    op.drop_table('throttle_failures')
