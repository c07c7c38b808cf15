"""Issuers by period (issue 16, item 4): a unit's document issuer settings get validity dates (unit_issuers
replaces unit_letterheads, whose rows become open-ended periods), and a course keeps its own copy of the
issuer printed on its documents (agency, parent agency, place name, signer prefix, title and name).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 20:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

COURSE_COLUMNS = (('agency_parent', 200), ('agency_name', 200), ('place_name', 100), ('signer_prefix', 100),
                  ('signer_title', 100), ('signer_name', 100))
COPIED = "agency_abbr, place_name, signer_prefix, signer_title, signer_name, recipients, created_at, updated_at"


def upgrade():
    op.create_table('unit_issuers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('agency_parent', sa.String(length=200), nullable=False),
    sa.Column('agency_name', sa.String(length=200), nullable=False),
    sa.Column('agency_abbr', sa.String(length=20), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('signer_prefix', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('recipients', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_issuers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_issuers'))
    )
    with op.batch_alter_table('unit_issuers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_issuers_unit_id'), ['unit_id'], unique=False)
    # A stored letterhead had no dates: it becomes a period without bounds.
    op.execute(f"INSERT INTO unit_issuers (unit_id, valid_from, valid_to, agency_parent, agency_name, {COPIED}) "
               f"SELECT unit_id, NULL, NULL, parent_agency, agency, {COPIED} FROM unit_letterheads")
    op.drop_table('unit_letterheads')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        for name, length in COURSE_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        for name, _ in reversed(COURSE_COLUMNS):
            batch_op.drop_column(name)
    op.create_table('unit_letterheads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('parent_agency', sa.String(length=200), nullable=False),
    sa.Column('agency', sa.String(length=200), nullable=False),
    sa.Column('agency_abbr', sa.String(length=20), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('signer_prefix', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('recipients', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_letterheads_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_letterheads')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_unit_letterheads_unit_id'))
    )
    # One letterhead per unit: the open-ended (or latest) period of each.
    op.execute(f"INSERT INTO unit_letterheads (unit_id, parent_agency, agency, {COPIED}) "
               f"SELECT unit_id, agency_parent, agency_name, {COPIED} FROM unit_issuers i WHERE i.id = "
               f"(SELECT j.id FROM unit_issuers j WHERE j.unit_id = i.unit_id "
               f"ORDER BY j.valid_to IS NULL DESC, j.valid_to DESC LIMIT 1)")
    op.drop_table('unit_issuers')
