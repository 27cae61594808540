"""The embedded store: WAL, versioned migrations, data surviving a restart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.quiz.schedule_rules import rule_from_text
from bot.storage.migrations import MIGRATIONS
from bot.storage.schedules import Schedule
from bot.storage.sqlite_store import SqliteStore


def a_schedule(channel: str = "c1", **changes: object) -> Schedule:
    base = dict(
        community_id="g1",
        channel_id=channel,
        platform="discord",
        rule=rule_from_text("09:00", "America/New_York", "weekdays"),
        topics=("icd10cm",),
        updated_by="mod",
        updated_at=datetime(2026, 11, 25, 12, tzinfo=UTC),
    )
    base.update(changes)
    return Schedule(**base)  # type: ignore[arg-type]


async def test_wal_and_migrations_recorded_once(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "bot.sqlite3")
    assert await store.schema_version() == len(MIGRATIONS)
    await store.close()
    again = SqliteStore(tmp_path / "bot.sqlite3")
    assert await again.schema_version() == len(MIGRATIONS)
    assert await again.fetch_value("PRAGMA journal_mode") == "wal"
    assert await again.fetch_value("SELECT COUNT(*) FROM schema_version") == len(MIGRATIONS)
    await again.close()


async def test_schedules_survive_a_restart_and_replace_per_channel(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = SqliteStore(path)
    await store.schedules.save(a_schedule())
    await store.schedules.save(a_schedule("c2"))
    await store.schedules.save(
        a_schedule(rule=rule_from_text("17:30", "Europe/London", "mon,wed,fri"), topics=())
    )
    await store.close()
    store = SqliteStore(path)
    saved = await store.schedules.for_community("g1")
    assert [s.channel_id for s in saved] == ["c1", "c2"]
    first = await store.schedules.get("g1", "c1")
    assert first is not None and first.rule == rule_from_text("17:30", "Europe/London", "mon,wed,fri")
    assert first.topics == () and first.updated_at == datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert await store.schedules.get("g2", "c1") is None
    await store.close()


async def test_pause_and_resume(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "bot.sqlite3")
    at = datetime(2026, 11, 26, tzinfo=UTC)
    assert await store.schedules.set_paused("g1", "c1", True, "mod", at) is False
    await store.schedules.save(a_schedule())
    assert await store.schedules.set_paused("g1", "c1", True, "mod2", at) is True
    paused = await store.schedules.get("g1", "c1")
    assert paused is not None and paused.paused and paused.updated_by == "mod2"
    await store.schedules.set_paused("g1", "c1", False, "mod", at)
    assert not (await store.schedules.get("g1", "c1")).paused  # type: ignore[union-attr]
    await store.close()


async def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "bot.sqlite3")
    try:
        async with store.transaction() as db:
            await db.execute(
                "INSERT INTO schedules (community_id, channel_id, platform, post_time, timezone, days, updated_by, updated_at) "
                "VALUES ('g', 'c', 'console', '09:00', 'UTC', 'mon', 'm', 'x')"
            )
            raise RuntimeError("crash mid-transaction")
    except RuntimeError:
        pass
    assert await store.schedules.for_community("g") == []
    await store.close()
    async with (
        aiosqlite.connect(tmp_path / "bot.sqlite3") as raw,
        raw.execute("PRAGMA integrity_check") as cursor,
    ):
        assert (await cursor.fetchone())[0] == "ok"
