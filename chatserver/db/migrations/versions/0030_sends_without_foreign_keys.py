"""chat: no foreign keys on the rows every send writes (messages' conversation and sender,
user_events' user)

On PostgreSQL each key is a trigger that looks up and locks the row it refers to for every
row written: ~20 us of the database's CPU per message (docs/benchmarks.md, step 46). A send
checks its conversation and sender in its own transaction; deleting a user deletes these
rows itself (chatserver.storage.accounts.delete_users), as ON DELETE CASCADE did.

Revision ID: 0030
Revises: 0020
Create Date: 2026-12-07 15:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0030'
down_revision = '0020'
branch_labels = None
depends_on = None

# (table, column, the table it referred to)
KEYS = [('messages', 'conversation_id', 'conversations'), ('messages', 'sender_id', 'users'),
        ('user_events', 'user_id', 'users')]
# SQLite's keys have no names; batch mode names them by this to drop them.
SQLITE_NAMES = {'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s'}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for table in ('messages', 'user_events'):
        keys = {(column, target) for t, column, target in KEYS if t == table}
        with op.batch_alter_table(table, naming_convention=SQLITE_NAMES) as batch:
            for fk in inspector.get_foreign_keys(table):
                [column] = fk['constrained_columns']
                if (column, fk['referred_table']) in keys:
                    name = fk['name'] or f"fk_{table}_{column}_{fk['referred_table']}"
                    batch.drop_constraint(name, type_='foreignkey')


def downgrade() -> None:
    # Fails where a row refers to what no longer exists: deleted with accounts.delete_users,
    # there is none.
    for table in ('messages', 'user_events'):
        with op.batch_alter_table(table) as batch:
            for t, column, target in KEYS:
                if t == table:
                    batch.create_foreign_key(f'{table}_{column}_fkey', target, [column], ['id'], ondelete='CASCADE')
