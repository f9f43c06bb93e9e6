"""sms_gateway: the embedded SMS gateway's log (branch sms_gateway)

Revision ID: 0300
Revises: 0001
Create Date: 2026-11-23 09:35:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0300'
down_revision = '0001'
branch_labels = ('sms_gateway',)
depends_on = None


def upgrade() -> None:
    op.create_table('sms_gateway_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('provider_id', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.String(length=20), nullable=False),
    sa.Column('originator', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('encoding', sa.String(length=10), nullable=False),
    sa.Column('repeats', sa.Integer(), nullable=False),
    sa.Column('created_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('report_due_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reported_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('sms_gateway_log', schema=None) as batch_op:
        batch_op.create_index('ix_sms_gateway_log_report_due', ['reported_at', 'report_due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sms_gateway_log', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_gateway_log_report_due')
    op.drop_table('sms_gateway_log')
