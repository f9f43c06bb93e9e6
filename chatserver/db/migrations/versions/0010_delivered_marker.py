"""chat: each member's delivered marker (sent / delivered / read ticks)

Revision ID: 0010
Revises: 0001
Create Date: 2026-12-06 20:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('conversation_members') as batch:
        batch.add_column(sa.Column('last_delivered_message_id', sa.BigInteger(), server_default='0', nullable=False))
    # What was read was delivered.
    op.execute('UPDATE conversation_members SET last_delivered_message_id = last_read_message_id')


def downgrade() -> None:
    with op.batch_alter_table('conversation_members') as batch:
        batch.drop_column('last_delivered_message_id')
