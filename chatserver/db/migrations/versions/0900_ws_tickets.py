"""tickets: one-use /ws tickets, so a browser's URL never carries its token (branch tickets)

Revision ID: 0900
Revises: 0001
Create Date: 2026-12-06 23:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0900'
down_revision = '0001'
branch_labels = ('tickets',)
depends_on = None


def upgrade() -> None:
    op.create_table('ws_tickets',
    sa.Column('ticket_hash', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', chatserver.db.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['token_hash'], ['tokens.token_hash'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_hash'),
    )
    op.create_index('ix_ws_tickets_token_hash', 'ws_tickets', ['token_hash'])
    op.create_index('ix_ws_tickets_expires_at', 'ws_tickets', ['expires_at'])


def downgrade() -> None:
    op.drop_table('ws_tickets')
