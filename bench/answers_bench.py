"""Answer recording throughput: N members answering one post at once through the core (no platform),
against the embedded SQLite, beside raw aiosqlite single-row committed inserts on the same disk.

    .venv/bin/python bench/answers_bench.py [members ...] [--postgres-url postgresql://…]

Prints a table; verifies by counting rows that no answer was lost or double-counted. With
--postgres-url the same runs against PostgreSQL too (each in a throwaway schema), beside raw asyncpg
single-row autocommitted inserts.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from postgres_schema import pg_schema

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.delivery import PostRef
from bot.core.invocation import Invocation
from bot.core.replies import Reply
from bot.quiz import daily_post


class NullDelivery:
    platform = "discord"

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        return PostRef(platform="discord", channel_id=channel_id, message_id="m1")

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        return None


async def raw_inserts(path: Path, n: int) -> float:
    async with aiosqlite.connect(path, isolation_level=None) as db:
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        start = time.perf_counter()
        for i in range(n):
            await db.execute("BEGIN IMMEDIATE")
            await db.execute("INSERT INTO t (v) VALUES (?)", (f"row{i}",))
            await db.execute("COMMIT")
        return n / (time.perf_counter() - start)


async def raw_pg_inserts(url: str, n: int) -> float:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE t (id BIGSERIAL PRIMARY KEY, v TEXT)")
        start = time.perf_counter()
        for i in range(n):
            await conn.execute("INSERT INTO t (v) VALUES ($1)", f"row{i}")
        return n / (time.perf_counter() - start)
    finally:
        await conn.close()


async def through_core(directory: Path, n: int, url: str | None = None) -> tuple[float, float, float, int]:
    core = build_core(Settings(_env_file=None, data_dir=directory, database_url=url))
    core.services.deliveries["discord"] = NullDelivery()
    core.services.rng = random.Random(1)
    now = datetime(2026, 11, 25, 14, tzinfo=UTC)
    post = await daily_post.post_daily(core.services, "g", "c", "discord", date(2026, 11, 25), (), now)
    assert post is not None
    latencies: list[float] = []

    async def one(i: int) -> None:
        who = Invocation(
            platform="discord", community_id="g", channel_id="c", user_id=f"u{i}", user_name=f"U{i}"
        )
        started = time.perf_counter()
        reply = await core.press(f"daily:{post.id}:{'ABCD'[i % 4]}", who)
        latencies.append(time.perf_counter() - started)
        assert not reply.is_error

    start = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)), *(one(i) for i in range(0, n, 5)))  # + repeat clicks
    elapsed = time.perf_counter() - start
    rows, distinct = await core.services.storage.fetch_one(
        "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM answers"
    )  # type: ignore[misc]
    await core.aclose()
    assert rows == distinct == n, (rows, distinct, n)
    quantiles = statistics.quantiles(latencies, n=100)
    return n / elapsed, quantiles[49] * 1000, quantiles[98] * 1000, rows


async def main(sizes: list[int], postgres_url: str | None) -> None:
    print(
        f"{'backend':>10} {'members':>8} {'core answers/s':>15} {'p50 ms':>8} {'p99 ms':>8} {'raw inserts/s':>14} "
        f"{'core/raw':>9} {'rows':>7}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            raw = await raw_inserts(Path(tmp) / "raw.sqlite3", n)
            rate, p50, p99, rows = await through_core(Path(tmp) / "bot", n)
        print(
            f"{'sqlite':>10} {n:>8} {rate:>15,.0f} {p50:>8.1f} {p99:>8.1f} {raw:>14,.0f} {rate / raw:>9.0%} {rows:>7}"
        )
        if postgres_url:
            with tempfile.TemporaryDirectory() as tmp:
                async with pg_schema(postgres_url) as url:
                    raw = await raw_pg_inserts(url, n)
                async with pg_schema(postgres_url) as url:
                    rate, p50, p99, rows = await through_core(Path(tmp) / "bot", n, url)
            print(
                f"{'postgresql':>10} {n:>8} {rate:>15,.0f} {p50:>8.1f} {p99:>8.1f} {raw:>14,.0f} {rate / raw:>9.0%} {rows:>7}"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("members", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--postgres-url", help="also run against this PostgreSQL server")
    args = parser.parse_args()
    asyncio.run(main(args.members, args.postgres_url))
