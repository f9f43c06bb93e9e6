"""live chat: every opening of a conversation (created or reopened, to its resolution) for
the reports; the existing conversations' latest openings are copied in. The reports read
openings now, so 0180's indexes of conversations by opening and resolution go.

Revision ID: 0190
Revises: 0180
Create Date: 2026-12-07 00:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0190'
down_revision = '0180'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'livechat_openings',
        sa.Column('id', _ID, nullable=False),
        sa.Column('tenant_id', _ID, nullable=False),
        sa.Column('conversation_id', _ID, nullable=False),
        sa.Column('opened_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('operator_id', _ID, nullable=True),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['conversation_id'], ['livechat_conversations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['operator_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_livechat_openings_tenant_opened', 'livechat_openings', ['tenant_id', 'opened_at'])
    op.create_index('ix_livechat_openings_tenant_resolved', 'livechat_openings', ['tenant_id', 'resolved_at'])
    op.create_index('ix_livechat_openings_conversation', 'livechat_openings', ['conversation_id', 'opened_at'])
    # What is known of the past: each conversation's latest opening.
    op.execute(
        "INSERT INTO livechat_openings (tenant_id, conversation_id, opened_at, resolved_at, operator_id) "
        "SELECT tenant_id, id, opened_at, CASE WHEN state = 'resolved' THEN resolved_at END, "
        "CASE WHEN state = 'resolved' THEN operator_id END FROM livechat_conversations"
    )
    with op.batch_alter_table('livechat_conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_livechat_conversations_tenant_resolved')
        batch_op.drop_index('ix_livechat_conversations_tenant_opened')


def downgrade() -> None:
    with op.batch_alter_table('livechat_conversations', schema=None) as batch_op:
        batch_op.create_index('ix_livechat_conversations_tenant_opened', ['tenant_id', 'opened_at'], unique=False)
        batch_op.create_index('ix_livechat_conversations_tenant_resolved', ['tenant_id', 'resolved_at'],
                              unique=False)
    op.drop_index('ix_livechat_openings_conversation', table_name='livechat_openings')
    op.drop_index('ix_livechat_openings_tenant_resolved', table_name='livechat_openings')
    op.drop_index('ix_livechat_openings_tenant_opened', table_name='livechat_openings')
    op.drop_table('livechat_openings')
