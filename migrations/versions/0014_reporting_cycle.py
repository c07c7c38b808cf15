"""The reporting cycle (issue 17): annual plans with their targets per curriculum and target group, and
periodic report submissions (six-month and annual) with their review state and attachments; none before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 19:56:07.511557

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'approved', name='planstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_plans_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plans_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_plans_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_plans_unit_id_year'))
    )
    op.create_table('report_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'approved', name='submissionstatus', native_enum=False, length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('narrative', sa.JSON(), nullable=False),
    sa.Column('figures_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('comment', sa.String(length=2000), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_report_submissions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_report_submissions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_report_submissions_submitted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_report_submissions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_submissions')),
    sa.UniqueConstraint('unit_id', 'period', name=op.f('uq_report_submissions_unit_id_period'))
    )
    with op.batch_alter_table('report_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_submissions_status'), ['status'], unique=False)

    op.create_table('plan_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('curriculum_code', sa.String(length=10), nullable=False),
    sa.Column('target_group', sa.String(length=40), nullable=True),
    sa.Column('classes', sa.Integer(), nullable=False),
    sa.Column('trainees', sa.Integer(), nullable=False),
    sa.CheckConstraint('classes >= 0 AND trainees >= 0', name=op.f('ck_plan_targets_targets_not_negative')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_targets_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_targets'))
    )
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_targets_plan_id'), ['plan_id'], unique=False)

    op.create_table('report_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=40), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['report_submissions.id'], name=op.f('fk_report_attachments_submission_id_report_submissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_report_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_report_attachments_stored_name'))
    )
    with op.batch_alter_table('report_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_attachments_submission_id'), ['submission_id'], unique=False)



def downgrade():
    with op.batch_alter_table('report_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_attachments_submission_id'))

    op.drop_table('report_attachments')
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_targets_plan_id'))

    op.drop_table('plan_targets')
    with op.batch_alter_table('report_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_submissions_status'))

    op.drop_table('report_submissions')
    op.drop_table('plans')
