"""SQLite's WAL checkpoints, moved off the write path.

In WAL mode a commit appends the pages it changed to the write-ahead log, and every
1,000 pages the committing connection copies the log back into the database file and
syncs it to disk (SQLite's automatic checkpoint). In the hub that commit is usually a
batch of sends: one commit in eleven took 10-20 ms instead of 0.6 ms, and every send
queued behind it waited as long (docs/benchmarks.md, step 23).

So the server checkpoints on a connection and a thread of its own, a few times a
second. A PASSIVE checkpoint waits for no reader or writer, and writers do not wait for
it. The writers' automatic checkpoint is raised, not switched off: should this loop
stop, the log is still folded back, only later.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import dataclass

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

# Pages (4 KiB each) a writer lets the log grow to before checkpointing itself: the
# backstop when the background checkpoints are running, SQLite's default (1,000) otherwise.
#
# On disk the backstop is not rare. A log restarts from its start only when a writer finds
# every frame of it copied, and a background run (10-30 ms with its two fsyncs) never
# finishes between two batches under load: the log grows until the backstop, and then the
# batch's commit checkpoints on the event loop's thread. That took 10-55 ms (the frames since
# the last background run, then the log's and the database's fsync), every 0.8-1.3 s at
# 3,000 messages/s, and every send in flight waited (docs/benchmarks.md, step 39). At 40,000
# pages it comes a quarter as often, each as long; the log may reach ~160 MiB on disk.
# (On /dev/shm a background run takes ~7 ms and the log restarts on its own.)
WRITER_AUTOCHECKPOINT = 40_000


def database_file(url: str) -> str | None:
    """The file of a SQLite URL, or None (another database, or SQLite in memory)."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() != "sqlite":
        return None
    name = sa_url.database or ""
    if not name or name == ":memory:" or sa_url.query.get("mode") == "memory":
        return None
    return name


@dataclass
class CheckpointStats:
    runs: int = 0
    busy: int = 0  # runs that could not copy the whole log (a reader still used older pages)
    log_pages: int = 0  # as the last run found the log: pages in it,
    copied_pages: int = 0  # and pages of it now in the database file


class Checkpointer:
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` every ``interval`` seconds (:meth:`run`)."""

    def __init__(self, path: str, interval: float = 0.25) -> None:
        self.path = path
        self.interval = interval
        self.stats = CheckpointStats()
        self._conn: sqlite3.Connection | None = None

    def checkpoint_once(self) -> tuple[int, int, int]:
        """One checkpoint, on the calling thread: (busy, pages in the log, pages copied)."""
        if self._conn is None:
            # Runs on a worker thread, never two at once: the connection may change threads.
            self._conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        busy, frames, copied = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.stats.runs += 1
        self.stats.busy += int(busy)
        self.stats.log_pages, self.stats.copied_pages = int(frames), int(copied)
        return int(busy), int(frames), int(copied)

    async def run(self) -> None:
        """Checkpoint until cancelled. A failure is logged and tried again, less often
        while it keeps failing (up to every 30 s), so that a broken disk fills no log."""
        job: asyncio.Future[tuple[int, int, int]] | None = None
        failures = 0
        try:
            while True:
                await asyncio.sleep(min(30.0, self.interval * 2**failures))
                job = asyncio.ensure_future(asyncio.to_thread(self.checkpoint_once))
                try:
                    await asyncio.shield(job)
                    failures = 0
                except asyncio.CancelledError:
                    raise
                except Exception:
                    failures = min(failures + 1, 10)
                    log.exception("WAL checkpoint of %s failed; trying again in %.2fs", self.path,
                                  min(30.0, self.interval * 2**failures))
        finally:
            if job is not None and not job.done():
                await asyncio.wait([job])  # the thread ends its checkpoint before the connection closes
            self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
