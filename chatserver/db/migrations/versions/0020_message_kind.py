"""chat: a message's kind and its data (a call note the app renders in its own language)

Revision ID: 0020
Revises: 0010
Create Date: 2026-12-06 22:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), server_default='text', nullable=False))
        batch.add_column(sa.Column('meta', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('meta')
        batch.drop_column('kind')
