"""The official headcount of officers to train per unit and year (issue 16, item 2): the denominator of
the reports' coverage_percent, entered by reviewers and admins; none before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 20:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('officer_headcounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('officers_in_post', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('officers_in_post >= 0', name=op.f('ck_officer_headcounts_officers_in_post_not_negative')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_officer_headcounts_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_officer_headcounts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officer_headcounts')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_officer_headcounts_unit_id_year'))
    )


def downgrade():
    op.drop_table('officer_headcounts')
