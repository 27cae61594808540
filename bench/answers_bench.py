"""Answer recording throughput: N members answering one post at once through the core (no platform),
against the embedded SQLite, beside raw aiosqlite single-row committed inserts on the same disk.

    .venv/bin/python bench/answers_bench.py [members ...]

Prints a table; verifies by counting rows that no answer was lost or double-counted.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


async def through_core(directory: Path, n: int) -> tuple[float, float, float, int]:
    core = build_core(Settings(_env_file=None, data_dir=directory))
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


async def main(sizes: list[int]) -> None:
    print(
        f"{'members':>8} {'core answers/s':>15} {'p50 ms':>8} {'p99 ms':>8} {'raw inserts/s':>14} {'core/raw':>9} {'rows':>6}"
    )
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            raw = await raw_inserts(Path(tmp) / "raw.sqlite3", n)
            rate, p50, p99, rows = await through_core(Path(tmp) / "bot", n)
        print(f"{n:>8} {rate:>15,.0f} {p50:>8.1f} {p99:>8.1f} {raw:>14,.0f} {rate / raw:>9.0%} {rows:>6}")


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or [500, 2000]))
