"""The embedded store: one SQLite file through aiosqlite, WAL journal, migrations at open.

Two connections: a writer that runs one ``BEGIN IMMEDIATE`` transaction at a time (the immediate lock
makes other processes queue instead of failing mid-transaction), and a reader, which under WAL sees
only committed rows and runs beside the writer. Opened lazily on first use (building the core stays
synchronous and the console needs no set-up), once, under a lock.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.storage.migrations import MIGRATIONS
from bot.storage.store import Params, Row, Store

# aiosqlite logs every statement at DEBUG; operators running at DEBUG want the bot's lines, not those.
logging.getLogger("aiosqlite").setLevel(logging.INFO)


class SqliteTransaction:
    def __init__(self, db: aiosqlite.Connection):
        self._db = db

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return [tuple(r) for r in await self._db.execute_fetchall(sql, tuple(params))]

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def execute(self, sql: str, params: Params = ()) -> int:
        cursor = await self._db.execute(sql, tuple(params))
        return cursor.rowcount


class SqliteStore(Store):
    dialect = "sqlite"

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._open_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock()

    async def _open(self) -> tuple[aiosqlite.Connection, aiosqlite.Connection]:
        if self._writer is None or self._reader is None:
            async with self._open_lock:
                if self._writer is None or self._reader is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    writer = await _connect(self.path)
                    await _prepare(writer)
                    self._reader = await _connect(self.path)
                    self._writer = writer
        return self._writer, self._reader

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        _, reader = await self._open()
        return [tuple(r) for r in await reader.execute_fetchall(sql, tuple(params))]

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        writer, _ = await self._open()
        async with self._write_lock:
            await writer.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteTransaction(writer)
            except BaseException:
                await writer.execute("ROLLBACK")
                raise
            await writer.execute("COMMIT")

    async def close(self) -> None:
        for db in (self._reader, self._writer):
            if db is not None:
                await db.close()
        self._reader = self._writer = None


async def _connect(path: Path) -> aiosqlite.Connection:
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute_fetchall("PRAGMA synchronous=NORMAL")
    await db.execute_fetchall("PRAGMA busy_timeout=5000")
    await db.execute_fetchall("PRAGMA foreign_keys=ON")
    return db


async def _prepare(db: aiosqlite.Connection) -> None:
    """Switch the file to WAL (it stays WAL) and bring the schema up to date.

    When another process opens the same new file at the same moment, SQLite can answer "database is
    locked" at once here, without waiting on the busy timeout (a journal-mode change or WAL recovery
    in progress on the other side). Those refusals are retried for about ten seconds."""
    for attempt in range(100):
        try:
            await db.execute_fetchall("PRAGMA journal_mode=WAL")
            await _migrate(db)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 99:
                raise
            await asyncio.sleep(0.1)


async def _migrate(db: aiosqlite.Connection) -> None:
    # BEGIN IMMEDIATE first: it takes the write lock up front (waiting on the busy timeout), so two
    # processes migrating one file queue instead of one failing mid-way on a lock upgrade.
    await db.execute("BEGIN IMMEDIATE")
    try:
        await db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in await db.execute_fetchall("SELECT version FROM schema_version")}
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
