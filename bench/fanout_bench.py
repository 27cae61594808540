"""Daily fan-out: N channels scheduled for the same minute, one scheduler pass, through the real
discord.py adapter against a fake Discord REST on 127.0.0.1 that enforces Discord's global limit
(50 requests/s over a sliding one-second window, 429 + retry_after + global:true beyond it) and
answers each channel request after a simulated latency.

    .venv/bin/python bench/fanout_bench.py [--channels 10000] [--rates 45,48] [--latency 0.03]
                                           [--postgres-url postgresql://…]

Prints one row per backend and pacing rate: seconds until the last message was created, the target
1.05 × N / 50, posts/s, 429s received, posted rows in the store, messages in the fake, duplicates
and missed channels. A fresh SQLite each run (with --postgres-url also PostgreSQL, in a throwaway
schema). The schedules are set up before the clock starts; the clock covers the pass only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from discord_adapter.discord_harness import TOKEN, running_client, serving  # noqa: E402
from discord_adapter.fake_discord import FakeDiscord  # noqa: E402
from postgres_schema import pg_schema  # noqa: E402

from bot.bootstrap import build_core  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.core.dispatch import BotCore  # noqa: E402
from bot.quiz.schedule_rules import DAY_NAMES  # noqa: E402
from bot.quiz.scheduler import QuizScheduler  # noqa: E402

GLOBAL_LIMIT = 50
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FIRST_CHANNEL = 950000000000000001
CHANNELS_PER_GUILD = 4
COLUMNS = (
    "community_id, channel_id, platform, post_time, timezone, days, topics, paused, updated_by, updated_at"
)


async def schedule(core: BotCore, n: int) -> None:
    """N schedules at 09:00 UTC every day, a few channels per guild, in one transaction."""
    set_at = (NOW - timedelta(days=1)).isoformat()
    async with core.services.storage.transaction() as tx:
        for i in range(n):
            await tx.execute(
                f"INSERT INTO schedules ({COLUMNS}) VALUES (?, ?, 'discord', '09:00', 'UTC', ?, '', 0, 'bench', ?)",
                (f"g{i // CHANNELS_PER_GUILD}", str(FIRST_CHANNEL + i), ",".join(DAY_NAMES), set_at),
            )


async def run(directory: Path, n: int, rate: float, latency: float, url: str | None) -> dict[str, float]:
    fake = FakeDiscord(TOKEN)
    fake.global_limit = GLOBAL_LIMIT
    fake.latency = latency
    async with serving(fake):
        settings = Settings(
            _env_file=None,
            data_dir=directory,
            database_url=url,
            discord_posts_per_second=rate,
            discord_sync_commands=False,
        )
        core = build_core(settings)
        try:
            await schedule(core, n)
            created: list[float] = []
            keep = fake.message

            def message(*args, **kwargs):  # type: ignore[no-untyped-def]
                created.append(time.perf_counter())
                return keep(*args, **kwargs)

            fake.message = message  # type: ignore[method-assign]
            async with running_client(fake, core, settings):
                start = time.perf_counter()
                made = await QuizScheduler(core.services, "discord").run_due(NOW)
                passed = time.perf_counter() - start
            rows = int(
                await core.services.storage.fetch_value("SELECT COUNT(*) FROM posts WHERE state = 'posted'")
            )
            per_channel = [len(fake.channel_messages.get(FIRST_CHANNEL + i, [])) for i in range(n)]
            seconds = max(created) - start if created else float("nan")
            return {
                "seconds": seconds,
                "pass": passed,
                "posts_per_s": len(made) / seconds if created else 0.0,
                "rate_limited": fake.rate_limited,
                "rows": rows,
                "messages": sum(per_channel),
                "duplicates": sum(max(0, c - 1) for c in per_channel),
                "missed": sum(1 for c in per_channel if c == 0),
            }
        finally:
            await core.aclose()


async def main(n: int, rates: list[float], latency: float, postgres_url: str | None) -> None:
    limit = 1.05 * n / GLOBAL_LIMIT
    print(f"fake Discord: {GLOBAL_LIMIT} requests/s global (sliding 1 s), {latency * 1000:.0f} ms latency")
    header = (
        f"{'backend':>10} {'pace/s':>6} {'channels':>8} {'seconds':>8} {'limit s':>8} {'pass s':>7} "
        f"{'posts/s':>7} {'429s':>5} {'posted rows':>11} {'messages':>8} {'duplicates':>10} {'missed':>6}"
    )
    print(header)
    backends = [("sqlite", None)] + ([("postgresql", postgres_url)] if postgres_url else [])
    for backend, server in backends:
        for rate in rates:
            with tempfile.TemporaryDirectory() as tmp:
                if server is None:
                    r = await run(Path(tmp), n, rate, latency, None)
                else:
                    async with pg_schema(server) as url:
                        r = await run(Path(tmp), n, rate, latency, url)
            print(
                f"{backend:>10} {rate:>6g} {n:>8} {r['seconds']:>8.1f} {limit:>8.1f} {r['pass']:>7.1f} "
                f"{r['posts_per_s']:>7.1f} {r['rate_limited']:>5} {r['rows']:>11} {r['messages']:>8} "
                f"{r['duplicates']:>10} {r['missed']:>6}",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--channels", type=int, default=10000)
    parser.add_argument(
        "--rates",
        default="45,48",
        help="pacing rates to run, comma-separated (45 is the default setting; 48 leaves 2/s for the rest)",
    )
    parser.add_argument("--latency", type=float, default=0.03, help="the fake's answer delay, seconds")
    parser.add_argument("--postgres-url", help="also run against this PostgreSQL server")
    args = parser.parse_args()
    asyncio.run(
        main(args.channels, [float(r) for r in args.rates.split(",")], args.latency, args.postgres_url)
    )
