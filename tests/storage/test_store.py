"""Both stores (SQLite and PostgreSQL): versioned migrations, data surviving a restart, atomic
transactions, answers group-committed exactly once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite

from bot.config import Settings
from bot.quiz.schedule_rules import rule_from_text
from bot.storage.migrations import MIGRATIONS
from bot.storage.posts import Post
from bot.storage.schedules import Schedule
from bot.storage.sqlite_store import SqliteStore
from bot.storage.store import Store, open_store


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


async def test_migrations_recorded_once(settings: Settings) -> None:
    store = open_store(settings)
    assert await store.schema_version() == len(MIGRATIONS)
    await store.close()
    again = open_store(settings)
    assert await again.schema_version() == len(MIGRATIONS)
    assert await again.fetch_value("SELECT COUNT(*) FROM schema_version") == len(MIGRATIONS)
    await again.close()


async def test_the_embedded_file_uses_wal(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "bot.sqlite3")
    assert await store.fetch_value("PRAGMA journal_mode") == "wal"
    await store.close()


async def test_schedules_survive_a_restart_and_replace_per_channel(settings: Settings) -> None:
    store = open_store(settings)
    await store.schedules.save(a_schedule())
    await store.schedules.save(a_schedule("c2"))
    await store.schedules.save(
        a_schedule(rule=rule_from_text("17:30", "Europe/London", "mon,wed,fri"), topics=())
    )
    await store.close()
    store = open_store(settings)
    saved = await store.schedules.for_community("g1")
    assert [s.channel_id for s in saved] == ["c1", "c2"]
    first = await store.schedules.get("g1", "c1")
    assert first is not None and first.rule == rule_from_text("17:30", "Europe/London", "mon,wed,fri")
    assert first.topics == () and first.updated_at == datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert await store.schedules.get("g2", "c1") is None
    await store.close()


async def test_pause_and_resume(settings: Settings) -> None:
    store = open_store(settings)
    at = datetime(2026, 11, 26, tzinfo=UTC)
    assert await store.schedules.set_paused("g1", "c1", True, "mod", at) is False
    await store.schedules.save(a_schedule())
    assert await store.schedules.set_paused("g1", "c1", True, "mod2", at) is True
    paused = await store.schedules.get("g1", "c1")
    assert paused is not None and paused.paused and paused.updated_by == "mod2"
    await store.schedules.set_paused("g1", "c1", False, "mod", at)
    assert not (await store.schedules.get("g1", "c1")).paused  # type: ignore[union-attr]
    await store.close()


async def test_a_failed_transaction_leaves_nothing(settings: Settings, tmp_path: Path) -> None:
    store = open_store(settings)
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
    if store.dialect == "sqlite":
        async with (
            aiosqlite.connect(settings.sqlite_path) as raw,
            raw.execute("PRAGMA integrity_check") as cursor,
        ):
            assert (await cursor.fetchone())[0] == "ok"


async def _posted(store: Store, post_id: str = "p1") -> Post:
    post = await store.posts.claim(
        "g1", "c1", "discord", date(2026, 11, 25), "q1", datetime(2026, 11, 25, 14, tzinfo=UTC)
    )
    assert post is not None
    await store.posts.mark_posted(post.id, "m1", datetime(2026, 11, 25, 14, tzinfo=UTC))
    return post


async def test_a_burst_of_answers_and_repeats_is_one_answer_each(settings: Settings) -> None:
    store = open_store(settings)
    post = await _posted(store)
    at = datetime(2026, 11, 25, 15, tzinfo=UTC)
    presses = [(f"u{i % 300}", "ABCD"[i % 4]) for i in range(900)]  # every member presses three times
    results = await asyncio.gather(
        *(
            store.posts.record_answer(post, user, user.upper(), letter, letter == "B", at)
            for user, letter in presses
        )
    )
    assert sum(r.recorded for r in results) == 300
    firsts: dict[str, str] = {}
    for (user, letter), result in zip(presses, results, strict=True):
        firsts.setdefault(user, letter)
        assert result.letter == firsts[user]  # a repeat is told the first answer, not its own
    rows = await store.fetch_all("SELECT user_id, letter FROM answers")
    assert sorted(rows) == sorted(firsts.items())
    counts = await store.fetch_one("SELECT answers, correct_answers FROM posts WHERE id = ?", (post.id,))
    assert counts == (300, sum(1 for letter in firsts.values() if letter == "B"))
    await store.close()


async def test_a_bad_answer_in_a_batch_fails_alone(settings: Settings) -> None:
    store = open_store(settings)
    post = await _posted(store)
    ghost = post.model_copy(update={"id": "no-such-post"})  # breaks the foreign key
    at = datetime(2026, 11, 25, 15, tzinfo=UTC)
    results = await asyncio.gather(
        *(store.posts.record_answer(post, f"u{i}", "U", "A", True, at) for i in range(20)),
        store.posts.record_answer(ghost, "u99", "U", "A", True, at),
        return_exceptions=True,
    )
    assert [isinstance(r, Exception) for r in results] == [False] * 20 + [True]
    assert await store.fetch_value("SELECT COUNT(*) FROM answers") == 20
    assert await store.fetch_value("SELECT answers FROM posts WHERE id = ?", (post.id,)) == 20
    await store.close()


async def test_forget_me_takes_answers_off_the_counts(settings: Settings) -> None:
    store = open_store(settings)
    post = await _posted(store)
    at = datetime(2026, 11, 25, 15, tzinfo=UTC)
    for user, letter in [("u1", "B"), ("u2", "B"), ("u3", "C")]:
        await store.posts.record_answer(post, user, user, letter, letter == "B", at)
    assert await store.posts.forget_member("g1", "u1") == 1
    assert await store.fetch_one("SELECT answers, correct_answers FROM posts") == (2, 1)
    assert await store.posts.forget_member("g1", "u1") == 0
    await store.close()


async def test_a_request_key_is_first_once_across_processes(settings: Settings) -> None:
    one, other = open_store(settings), open_store(settings)  # two processes' stores on one database
    at = datetime(2026, 11, 25, 15, tzinfo=UTC)
    firsts = await asyncio.gather(
        *(s.seen_requests.first_time("slack:trigger_id:T1", at) for s in (one, other) * 5)
    )
    assert sum(firsts) == 1
    assert await other.seen_requests.first_time("slack:trigger_id:T2", at) is True
    await one.close()
    await other.close()
