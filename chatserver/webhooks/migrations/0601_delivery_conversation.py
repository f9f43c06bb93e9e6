"""webhooks: the conversation a delivery reports, so erasing a visitor's data finds it

Revision ID: 0601
Revises: 0600
Create Date: 2026-12-06 21:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0601'
down_revision = '0600'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('webhook_deliveries', sa.Column('conversation_id', sa.BigInteger(), nullable=True))
    op.create_index('ix_webhook_deliveries_conversation_id', 'webhook_deliveries', ['conversation_id'])


def downgrade() -> None:
    with op.batch_alter_table('webhook_deliveries') as batch:
        batch.drop_index('ix_webhook_deliveries_conversation_id')
        batch.drop_column('conversation_id')
