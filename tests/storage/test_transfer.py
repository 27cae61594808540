"""SQLite → PostgreSQL with `cpcbot export` / `cpcbot import` (the real entry point, in subprocesses):
every row of every table arrives unchanged; a bad file is refused and stores nothing."""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from postgres_server import create_database, drop_database
from quiz.test_daily_post import FakeDelivery

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.invocation import Invocation
from bot.quiz import daily_post
from bot.storage.store import TABLES, Store, latest_schema, open_store

START = datetime(2026, 11, 2, 14, tzinfo=UTC)


def cli(env_extra: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPCBOT_")} | env_extra
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    url = create_database(postgres_server)
    yield url
    drop_database(postgres_server, url)


async def fill_sqlite(data_dir: Path) -> None:
    """Two communities, schedules (one paused), five days of posts (closed and open), answers from
    members with awkward names, and one member who asked to be forgotten."""
    core = build_core(Settings(_env_file=None, data_dir=data_dir))
    core.services.rng = random.Random(11)
    core.services.deliveries["discord"] = FakeDelivery()
    core.services.clock = lambda: START
    for community in ("g1", "g2"):
        mod = Invocation(
            platform="discord",
            community_id=community,
            channel_id="c1",
            user_id="m",
            user_name="Mod",
            is_moderator=True,
        )
        await core.run_line("/quiz schedule time:09:00 timezone:America/New_York days:weekdays", mod)
        await core.run_line("/quiz schedule time:18:30 timezone:Asia/Kolkata channel:c2 topics:icd10cm", mod)
    await core.run_line("/quiz pause channel:c2", mod)
    names = ["Zoë O'Brien", 'Ann "A" Lee', "李雷", "Robert'); DROP TABLE answers;--", "@everyone"]
    for day in range(5):
        now = START + timedelta(days=day)
        for community in ("g1", "g2"):
            post = await daily_post.post_daily(
                core.services, community, "c1", "discord", date(2026, 11, 2) + timedelta(days=day), (), now
            )
            assert post is not None
            await core.services.storage.posts.close_before(community, "c1", post.quiz_date)
            who = [
                Invocation(
                    platform="discord",
                    community_id=community,
                    channel_id="c1",
                    user_id=f"u{i}",
                    user_name=names[i % 5],
                )
                for i in range(12)
                if (i + day) % 4
            ]
            core.services.clock = lambda now=now: now + timedelta(minutes=5)
            await asyncio.gather(
                *(core.press(f"daily:{post.id}:{'ABCD'[(i + day) % 4]}", m) for i, m in enumerate(who))
            )
    forget = Invocation(platform="discord", community_id="g1", channel_id="c1", user_id="u3", user_name="x")
    assert not (await core.run_line("/quiz forget-me", forget)).is_error
    await core.aclose()


async def dump(store: Store) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    tables = {table: [row async for row in store.table_rows(table)] for table in TABLES}
    await store.close()
    return tables


async def test_sqlite_to_postgresql_keeps_every_row(tmp_path: Path, postgres_url: str) -> None:
    await fill_sqlite(tmp_path / "var")
    sqlite_env = {"CPCBOT_DATA_DIR": str(tmp_path / "var")}
    exported = cli(sqlite_env, "export", "--out", str(tmp_path / "all.jsonl"), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    pg_env = {"CPCBOT_DATA_DIR": str(tmp_path / "unused"), "CPCBOT_DATABASE_URL": postgres_url}
    migrated = cli(pg_env, "migrate", cwd=tmp_path)
    assert migrated.returncode == 0 and f"schema at version {latest_schema()}" in migrated.stdout, (
        migrated.stderr
    )
    imported = cli(pg_env, "import", str(tmp_path / "all.jsonl"), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert postgres_url not in imported.stdout + imported.stderr  # the URL may carry a password

    source = await dump(open_store(Settings(_env_file=None, data_dir=tmp_path / "var")))
    target = await dump(open_store(Settings(_env_file=None, database_url=postgres_url)))
    assert {t: len(rows) for t, rows in source.items()} == {
        "schedules": 4,
        "posts": 10,
        "answers": 86,
    }  # 9 a day x 5 days x 2, less u3 forgotten (4)
    for table in TABLES:
        assert target[table] == source[table], table  # row by row, column by column
    again = cli(pg_env, "import", str(tmp_path / "all.jsonl"), cwd=tmp_path)
    assert "answers: 0 inserted, 86 already present" in again.stdout
    assert await dump(open_store(Settings(_env_file=None, database_url=postgres_url))) == target


async def test_one_community_moves_alone(tmp_path: Path, postgres_url: str) -> None:
    await fill_sqlite(tmp_path / "var")
    exported = cli({"CPCBOT_DATA_DIR": str(tmp_path / "var")}, "export", "--community", "g2", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    (tmp_path / "g2.jsonl").write_text(exported.stdout)
    env = {"CPCBOT_DATABASE_URL": postgres_url}
    assert cli(env, "import", str(tmp_path / "g2.jsonl"), cwd=tmp_path).returncode == 0
    source = await dump(open_store(Settings(_env_file=None, data_dir=tmp_path / "var")))
    target = await dump(open_store(Settings(_env_file=None, database_url=postgres_url)))
    for table in TABLES:
        assert target[table] == [row for row in source[table] if "g2" in row[:3]], table
        assert target[table]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "empty"),
        ('{"format": "cpcbot-export", "schema_version": 99}\n', "upgrade cpcbot first"),
        (
            '{"format": "cpcbot-export", "schema_version": 3}\n{"table": "users", "row": {}}\n',
            "line 2: unknown table",
        ),
        (
            '{"format": "cpcbot-export", "schema_version": 3}\n{"table": "answers", "row": {"post_id": "p"}}\n',
            "line 2: community_id: Field required",
        ),
        ('{"format": "cpcbot-export", "schema_version": 3}\nnot json\n', "line 2: not JSON"),
    ],
)
async def test_a_bad_file_is_refused_and_stores_nothing(tmp_path: Path, body: str, reason: str) -> None:
    (tmp_path / "bad.jsonl").write_text(body)
    done = cli(
        {"CPCBOT_DATA_DIR": str(tmp_path / "var")}, "import", str(tmp_path / "bad.jsonl"), cwd=tmp_path
    )
    assert done.returncode == 2 and reason in done.stderr, done.stderr
    assert not (tmp_path / "var").exists()  # refused before the store was even opened
