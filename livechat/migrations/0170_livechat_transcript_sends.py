"""live chat: transcripts sent to visitors, counted by every node for the hourly limit

Revision ID: 0170
Revises: 0160
Create Date: 2026-12-07 00:05:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0170'
down_revision = '0160'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'livechat_transcript_sends',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('conversation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('sent_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['livechat_conversations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_livechat_transcript_sends_conversation_sent', 'livechat_transcript_sends',
                    ['conversation_id', 'sent_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_livechat_transcript_sends_conversation_sent', table_name='livechat_transcript_sends')
    op.drop_table('livechat_transcript_sends')
