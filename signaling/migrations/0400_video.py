"""video: rooms and participants (branch video)

Revision ID: 0400
Revises: 0001
Create Date: 2026-12-06 06:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import chatserver.db.models

revision = '0400'
down_revision = '0001'
branch_labels = ('video',)
depends_on = None

_id = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_when = chatserver.db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('video_rooms',
    sa.Column('id', _id, nullable=False),
    sa.Column('tenant_id', _id, nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('owner_id', _id, nullable=False),
    sa.Column('callee_id', _id, nullable=True),
    sa.Column('record_id', _id, nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('recorded', sa.Boolean(), nullable=False),
    sa.Column('created_at', _when, nullable=False),
    sa.Column('expires_at', _when, nullable=False),
    sa.Column('answered_at', _when, nullable=True),
    sa.Column('ended_at', _when, nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['callee_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token'),
    )
    op.create_index('ix_video_rooms_tenant_id', 'video_rooms', ['tenant_id'])
    op.create_table('video_participants',
    sa.Column('id', _id, nullable=False),
    sa.Column('room_id', _id, nullable=False),
    sa.Column('user_id', _id, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('conn_id', sa.String(length=32), nullable=True),
    sa.Column('audio', sa.Boolean(), nullable=False),
    sa.Column('video', sa.Boolean(), nullable=False),
    sa.Column('removed', sa.Boolean(), nullable=False),
    sa.Column('joined_at', _when, nullable=False),
    sa.Column('left_at', _when, nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['video_rooms.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('room_id', 'user_id'),
    )
    op.create_index('ix_video_participants_room_id', 'video_participants', ['room_id'])
    op.create_index('ix_video_participants_conn', 'video_participants', ['conn_id'])
    op.create_table('video_recordings',
    sa.Column('id', _id, nullable=False),
    sa.Column('tenant_id', _id, nullable=False),
    sa.Column('room_id', _id, nullable=False),
    sa.Column('record_id', _id, nullable=True),
    sa.Column('participant_id', _id, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('bytes', sa.BigInteger(), nullable=False),
    sa.Column('started_at', _when, nullable=False),
    sa.Column('ended_at', _when, nullable=True),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['video_rooms.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['video_participants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_video_recordings_tenant_id', 'video_recordings', ['tenant_id'])
    op.create_index('ix_video_recordings_room_id', 'video_recordings', ['room_id'])
    op.create_table('video_appointments',
    sa.Column('id', _id, nullable=False),
    sa.Column('tenant_id', _id, nullable=False),
    sa.Column('room_id', _id, nullable=False),
    sa.Column('record_id', _id, nullable=False),
    sa.Column('organiser_id', _id, nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', _when, nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('colleagues', sa.JSON(), nullable=False),
    sa.Column('candidate_name', sa.String(length=200), nullable=False),
    sa.Column('candidate_email', sa.String(length=254), nullable=False),
    sa.Column('uid', sa.String(length=80), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', _when, nullable=True),
    sa.Column('created_at', _when, nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['video_rooms.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organiser_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('uid'),
    )
    op.create_index('ix_video_appointments_tenant_id', 'video_appointments', ['tenant_id'])
    op.create_index('ix_video_appointments_record_id', 'video_appointments', ['record_id'])
    op.create_index('ix_video_appointments_starts_at', 'video_appointments', ['starts_at'])


def downgrade() -> None:
    op.drop_table('video_appointments')
    op.drop_table('video_recordings')
    op.drop_table('video_participants')
    op.drop_table('video_rooms')
