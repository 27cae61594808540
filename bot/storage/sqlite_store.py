"""The embedded store: one SQLite file through aiosqlite, WAL journal, migrations at open.

Opened lazily on first use (so building the core stays synchronous and the console needs no set-up),
once, under a lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.storage.migrations import MIGRATIONS
from bot.storage.posts import PostRepository
from bot.storage.schedules import ScheduleRepository


class SqliteStore:
    def __init__(self, path: Path):
        self.path = path
        self._db: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()
        self._write = asyncio.Lock()
        self.schedules = ScheduleRepository(self)
        self.posts = PostRepository(self)

    async def connection(self) -> aiosqlite.Connection:
        if self._db is None:
            async with self._lock:
                if self._db is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    db = await aiosqlite.connect(self.path, isolation_level=None)
                    await db.execute("PRAGMA journal_mode=WAL")
                    await db.execute("PRAGMA synchronous=NORMAL")
                    await db.execute("PRAGMA busy_timeout=5000")
                    await db.execute("PRAGMA foreign_keys=ON")
                    await _migrate(db)
                    self._db = db
        return self._db

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time in this process; BEGIN IMMEDIATE takes the file's write
        lock up front so concurrent processes queue instead of failing mid-transaction."""
        db = await self.connection()
        async with self._write:
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.execute("ROLLBACK")
                raise
            await db.execute("COMMIT")

    async def schema_version(self) -> int:
        db = await self.connection()
        async with db.execute("SELECT MAX(version) FROM schema_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def ping(self) -> None:
        db = await self.connection()
        async with db.execute("SELECT 1") as cursor:
            await cursor.fetchone()

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None


async def _migrate(db: aiosqlite.Connection) -> None:
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    await db.execute("BEGIN IMMEDIATE")
    try:
        async with db.execute("SELECT version FROM schema_version") as cursor:
            done = {row[0] for row in await cursor.fetchall()}
        for version, name, statements in MIGRATIONS:
            if version in done:
                continue
            for statement in statements:
                await db.execute(statement)
            await db.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, datetime.now(UTC).isoformat()),
            )
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    await db.execute("COMMIT")
