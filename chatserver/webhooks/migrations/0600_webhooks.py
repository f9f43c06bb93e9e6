"""webhooks: an organisation's webhooks and their delivery outbox (branch webhooks)

Revision ID: 0600
Revises: 0001
Create Date: 2026-12-06 21:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0600'
down_revision = '0001'
branch_labels = ('webhooks',)
depends_on = None

_id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_when = chatserver.db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('webhooks',
    sa.Column('id', _id, nullable=False),
    sa.Column('tenant_id', _id, nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('events', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', _when, nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_webhooks_tenant_id', 'webhooks', ['tenant_id'])
    op.create_table('webhook_deliveries',
    sa.Column('id', _id, nullable=False),
    sa.Column('webhook_id', _id, nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_at', _when, nullable=False),
    sa.Column('created_at', _when, nullable=False),
    sa.Column('delivered_at', _when, nullable=True),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_webhook_deliveries_webhook_id', 'webhook_deliveries', ['webhook_id'])
    op.create_index('ix_webhook_deliveries_due', 'webhook_deliveries', ['status', 'next_at'])


def downgrade() -> None:
    op.drop_table('webhook_deliveries')
    op.drop_table('webhooks')
