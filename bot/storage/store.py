"""What the repositories need from a database, whichever it is.

Two backends implement :class:`Store`: SQLite (embedded default, :mod:`bot.storage.sqlite_store`) and
PostgreSQL (several processes, :mod:`bot.storage.postgres_store`). Repositories write portable SQL with
``?`` placeholders; each backend runs it its own way. Reads outside a transaction see committed data
only; writes happen inside :meth:`Store.transaction`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, Protocol

from bot.storage.migrations import MIGRATIONS

if TYPE_CHECKING:
    from bot.config import Settings

Row = tuple[Any, ...]
Params = Sequence[Any]


class Transaction(Protocol):
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        ...


class Store(ABC):
    """A database plus the repositories over it. Opened lazily on first use, closed once."""

    dialect: str

    def __init__(self) -> None:
        from bot.storage.posts import PostRepository
        from bot.storage.schedules import ScheduleRepository
        from bot.storage.seen_requests import SeenRequestRepository

        self.schedules = ScheduleRepository(self)
        self.posts = PostRepository(self)
        self.seen_requests = SeenRequestRepository(self)

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]: ...

    @abstractmethod
    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None: ...

    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """One write transaction; commits when the block ends, rolls back if it raises."""

    @abstractmethod
    async def close(self) -> None: ...

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def ping(self) -> None:
        await self.fetch_one("SELECT 1")

    async def schema_version(self) -> int:
        return int(await self.fetch_value("SELECT COALESCE(MAX(version), 0) FROM schema_version"))

    async def table_rows(self, table: str) -> AsyncIterator[Row]:
        """Every row of one of our tables in a stable order (export and comparisons)."""
        columns, key = TABLES[table]
        for row in await self.fetch_all(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {key}"):
            yield row


# Our tables in dependency order, with their columns and a total order for dumps.
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "schedules": (
        (
            "community_id",
            "channel_id",
            "platform",
            "post_time",
            "timezone",
            "days",
            "topics",
            "paused",
            "updated_by",
            "updated_at",
        ),
        "community_id, channel_id",
    ),
    "posts": (
        (
            "id",
            "community_id",
            "channel_id",
            "platform",
            "quiz_date",
            "question_id",
            "state",
            "message_id",
            "claimed_at",
            "posted_at",
            "answers",
            "correct_answers",
        ),
        "id",
    ),
    "answers": (
        ("post_id", "community_id", "user_id", "user_name", "letter", "correct", "answered_at"),
        "post_id, user_id",
    ),
}


def latest_schema() -> int:
    return max(version for version, _, _ in MIGRATIONS)


def open_store(settings: Settings) -> Store:
    """The store the settings ask for: PostgreSQL when a database URL is set, else the SQLite file."""
    if settings.database_url:
        from bot.storage.postgres_store import PostgresStore

        return PostgresStore(settings.database_url.get_secret_value(), pool_size=settings.database_pool_size)
    from bot.storage.sqlite_store import SqliteStore

    return SqliteStore(settings.sqlite_path)
