"""live chat: which visitor details an operator set, and what the visitor suggested instead

Revision ID: 0110
Revises: 0100
Create Date: 2026-12-06 05:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0110'
down_revision = '0100'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('livechat_visitors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operator_fields', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('suggested', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('livechat_visitors', schema=None) as batch_op:
        batch_op.drop_column('suggested')
        batch_op.drop_column('operator_fields')
