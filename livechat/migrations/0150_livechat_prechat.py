"""live chat: pre-chat form and proactive messages per site (JSON, null: off)

Revision ID: 0150
Revises: 0140
Create Date: 2026-12-06 22:05:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0150'
down_revision = '0140'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('livechat_sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prechat', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('proactive', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('livechat_sites', schema=None) as batch_op:
        batch_op.drop_column('proactive')
        batch_op.drop_column('prechat')
