"""files: a file is never in two conversations, a colleague chat's and a live chat's (branch files)

Revision ID: 0701
Revises: 0700
Create Date: 2026-12-07 03:30:00
"""
from __future__ import annotations

from alembic import op

revision = '0701'
down_revision = '0700'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite alters a table by copying it (batch mode); PostgreSQL adds the check in place.
    with op.batch_alter_table('files') as batch:
        batch.create_check_constraint('ck_files_one_conversation',
                                      'conversation_id IS NULL OR livechat_conversation_id IS NULL')


def downgrade() -> None:
    with op.batch_alter_table('files') as batch:
        batch.drop_constraint('ck_files_one_conversation', type_='check')
