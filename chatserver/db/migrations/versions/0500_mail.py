"""mail: the local outbox of mails kept instead of sent (branch mail)

Revision ID: 0500
Revises: 0001
Create Date: 2026-12-06 06:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0500'
down_revision = '0001'
branch_labels = ('mail',)
depends_on = None

_id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('mail_outbox',
    sa.Column('id', _id, nullable=False),
    sa.Column('tenant_id', _id, nullable=True),
    sa.Column('to', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('created_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_mail_outbox_tenant_id', 'mail_outbox', ['tenant_id'])


def downgrade() -> None:
    op.drop_table('mail_outbox')
