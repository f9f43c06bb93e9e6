"""files: files sent in chat and live chat, and live-chat messages' kind and data (branch files)

Revision ID: 0700
Revises: 0001
Create Date: 2026-12-07 00:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0700'
down_revision = '0001'
branch_labels = ('files',)
# The live-chat tables it refers to and alters.
depends_on = ('0100',)

_id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_when = chatserver.db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('files',
    sa.Column('id', _id, nullable=False),
    sa.Column('tenant_id', _id, nullable=False),
    sa.Column('uploader_id', _id, nullable=True),
    sa.Column('conversation_id', _id, nullable=True),
    sa.Column('livechat_conversation_id', _id, nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('image', sa.Boolean(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('thumb_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', _when, nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['livechat_conversation_id'], ['livechat_conversations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_files_tenant_id', 'files', ['tenant_id'])
    op.create_index('ix_files_conversation_id', 'files', ['conversation_id'])
    op.create_index('ix_files_livechat_conversation_id', 'files', ['livechat_conversation_id'])
    # A live-chat message that carries a file says so, as a colleague chat's does (0020).
    with op.batch_alter_table('livechat_messages') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), server_default='text', nullable=False))
        batch.add_column(sa.Column('meta', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('livechat_messages') as batch:
        batch.drop_column('meta')
        batch.drop_column('kind')
    op.drop_index('ix_files_livechat_conversation_id', table_name='files')
    op.drop_index('ix_files_conversation_id', table_name='files')
    op.drop_index('ix_files_tenant_id', table_name='files')
    op.drop_table('files')
