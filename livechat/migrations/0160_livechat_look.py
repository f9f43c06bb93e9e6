"""live chat: the widget's look per site (colour, side, launcher text, default language; JSON, null: defaults)

Revision ID: 0160
Revises: 0150
Create Date: 2026-12-07 00:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0160'
down_revision = '0150'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('livechat_sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('look', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('livechat_sites', schema=None) as batch_op:
        batch_op.drop_column('look')
