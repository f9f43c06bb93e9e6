"""live chat: business hours per site (JSON, null: always open)

Revision ID: 0140
Revises: 0130
Create Date: 2026-12-06 21:50:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0140'
down_revision = '0130'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('livechat_sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('livechat_sites', schema=None) as batch_op:
        batch_op.drop_column('hours')
