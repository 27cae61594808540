"""PostgreSQL through asyncpg, for several bot processes sharing one database.

The same migrations and the same repository SQL as SQLite: ``?`` placeholders become ``$1, $2, …``.
Exactly-once still comes from constraints (the posts UNIQUE key, the answers primary key with
``ON CONFLICT DO NOTHING``), which PostgreSQL enforces across processes: a second inserter waits for
the first to commit and then does nothing. Migrations run under a transaction-scoped advisory lock so
processes starting together apply each one once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import lru_cache

import asyncpg

from bot.storage.migrations import MIGRATIONS
from bot.storage.store import Params, Row, Store

_MIGRATION_LOCK = 0x63706362  # 'cpcb': any constant shared by every cpcbot process
_STATUS_COUNT = re.compile(r"(\d+)$")


@lru_cache(maxsize=512)
def numbered(sql: str) -> str:
    """'... = ? AND ... = ?' → '... = $1 AND ... = $2' (our SQL has no '?' inside literals)."""
    parts = sql.split("?")
    out = [parts[0]]
    for n, part in enumerate(parts[1:], start=1):
        out.append(f"${n}{part}")
    return "".join(out)


def _rowcount(status: str) -> int:
    """asyncpg returns the command tag, e.g. 'INSERT 0 1', 'UPDATE 3', 'DELETE 0'."""
    match = _STATUS_COUNT.search(status)
    return int(match.group(1)) if match else 0


class PostgresTransaction:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return [tuple(r) for r in await self._conn.fetch(numbered(sql), *params)]

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        row = await self._conn.fetchrow(numbered(sql), *params)
        return tuple(row) if row is not None else None

    async def execute(self, sql: str, params: Params = ()) -> int:
        return _rowcount(await self._conn.execute(numbered(sql), *params))


class PostgresStore(Store):
    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = 10):
        super().__init__()
        self._url = url
        self._pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._open_lock = asyncio.Lock()

    def __repr__(self) -> str:  # never show the URL: it may hold a password
        return "PostgresStore(…)"

    async def _open(self) -> asyncpg.Pool:
        if self._pool is None:
            async with self._open_lock:
                if self._pool is None:
                    pool = await asyncpg.create_pool(
                        self._url,
                        min_size=1,
                        max_size=self._pool_size,
                        command_timeout=30,
                        reset=_reset,
                    )
                    async with pool.acquire() as conn:
                        await _migrate(conn)
                    self._pool = pool
        return self._pool

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        pool = await self._open()
        return [tuple(r) for r in await pool.fetch(numbered(sql), *params)]

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        pool = await self._open()
        row = await pool.fetchrow(numbered(sql), *params)
        return tuple(row) if row is not None else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        pool = await self._open()
        async with pool.acquire() as conn, conn.transaction():
            yield PostgresTransaction(conn)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


async def _reset(conn: asyncpg.Connection) -> None:
    """Run when a connection goes back to the pool. asyncpg's default sends a reset query (unlock
    advisory locks, close cursors, UNLISTEN, RESET ALL) each time: a round trip per statement. The
    bot keeps no session state (its only advisory lock is transaction-scoped, it never LISTENs or
    SETs), so only a transaction left open by a cancelled caller needs undoing."""
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


async def _migrate(conn: asyncpg.Connection) -> None:
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in await conn.fetch("SELECT version FROM schema_version")}
        for version, name, statements in MIGRATIONS:
            if version in done:
                continue
            for statement in statements:
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                version,
                name,
                datetime.now(UTC).isoformat(),
            )
