"""live chat: indexes for the reports (conversations by tenant and opening or resolution,
ratings by tenant and time), so a date range is read without scanning the tenant's rows

Revision ID: 0180
Revises: 0170
Create Date: 2026-12-07 00:10:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0180'
down_revision = '0170'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('livechat_conversations', schema=None) as batch_op:
        batch_op.create_index('ix_livechat_conversations_tenant_opened', ['tenant_id', 'opened_at'], unique=False)
        batch_op.create_index('ix_livechat_conversations_tenant_resolved', ['tenant_id', 'resolved_at'],
                              unique=False)
    with op.batch_alter_table('livechat_ratings', schema=None) as batch_op:
        batch_op.create_index('ix_livechat_ratings_tenant_created', ['tenant_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('livechat_ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_livechat_ratings_tenant_created')
    with op.batch_alter_table('livechat_conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_livechat_conversations_tenant_resolved')
        batch_op.drop_index('ix_livechat_conversations_tenant_opened')
