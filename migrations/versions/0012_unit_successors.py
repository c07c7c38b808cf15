"""The 2024 -> 2025 crosswalk of administrative units (issue 16, item 3): unit_successors, loaded from
materials/units/crosswalk-2024-2025.csv by `flask seed` or `flask units crosswalk import`, so that a report
in the 2025 scheme includes the courses and people of the 2024 units merged into it; and the units'
validity dates where a source gives them (the reform's date); none before.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('unit_successors',
    sa.Column('old_unit_id', sa.Integer(), nullable=False),
    sa.Column('new_unit_id', sa.Integer(), nullable=False),
    sa.Column('history', sa.Boolean(), nullable=False),
    sa.Column('partly', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['new_unit_id'], ['units.id'], name=op.f('fk_unit_successors_new_unit_id_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['old_unit_id'], ['units.id'], name=op.f('fk_unit_successors_old_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('old_unit_id', 'new_unit_id', name=op.f('pk_unit_successors'))
    )
    op.create_index(op.f('ix_unit_successors_new_unit_id'), 'unit_successors', ['new_unit_id'], unique=False)
    op.create_index('uq_unit_successors_history', 'unit_successors', ['old_unit_id'], unique=True,
                    sqlite_where=sa.text('history'), postgresql_where=sa.text('history'))
    with op.batch_alter_table('units') as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('units') as batch_op:
        batch_op.drop_column('valid_to')
        batch_op.drop_column('valid_from')
    op.drop_index('uq_unit_successors_history', table_name='unit_successors')
    op.drop_index(op.f('ix_unit_successors_new_unit_id'), table_name='unit_successors')
    op.drop_table('unit_successors')
