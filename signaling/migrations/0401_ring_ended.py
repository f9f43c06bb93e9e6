"""video: when a chat call's ringing ended unanswered (branch video)

Revision ID: 0401
Revises: 0400
Create Date: 2026-12-06 21:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0401'
down_revision = '0400'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rooms from before this column rang long ago: mark them ended, so the sweep that
    # notes calls whose node restarted mid-ring never notes an old one.
    op.add_column('video_rooms', sa.Column('ring_ended_at', chatserver.db.models.UTCDateTime(timezone=True),
                                           nullable=True))
    op.execute("UPDATE video_rooms SET ring_ended_at = created_at WHERE answered_at IS NULL")


def downgrade() -> None:
    with op.batch_alter_table('video_rooms') as batch:
        batch.drop_column('ring_ended_at')
