"""Command handling in-process: p50/p99/mean per info command, the bot's peak RSS with 10,000
communities configured, and how the stored-data figures scale.

    .venv/bin/python bench/commands_bench.py [--sizes 1000 10000 100000] [--communities 10000]
                                             [--iterations 200] [--budget 4]

Every command runs through ``BotCore.run_line`` (what the console and Slack adapters call; Discord
calls ``BotCore.run`` after parsing its own options) against the embedded SQLite, populated directly
with consistent rows: a daily schedule per community, 30 days of posts (the last one still open) and
members' answers, with the posts' answer counters equal to their rows.

Tables printed:
1. Each info command (every command that only looks something up, plus /streak, /leaderboard,
   /review and /quiz status on a populated database): samples, mean, p50, p99 in ms against the
   2 ms p99 target. /compare and /map render a PNG with matplotlib: shown with and without it.
2. Scheduler passes over every community's schedule: at a minute when nothing is due, and inside
   the grace window after every channel has its post (both must post nothing).
3. Peak RSS of a fresh process that builds the core on a database with ``--communities``
   communities, runs every info command and a scheduler pass, against the 150 MB target: VmHWM
   (the process's own high-water mark; ``ru_maxrss`` is printed too, but on Linux a child started
   by a big parent inherits the parent's figure), before and after the two matplotlib charts.
4. The scaling curve: for each size N, a community holding N stored answers from N/10 members, and
   N/10 scheduled communities: /streak and /leaderboard p50/p99, both scheduler passes, the RSS of
   a fresh process, and the database file size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.delivery import PostRef
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.core.replies import Reply
from bot.quiz.question_bank import load_question_bank
from bot.quiz.scheduler import QuizScheduler
from bot.storage.store import open_store

NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # schedules post at 09:00 UTC: nothing is due at 20:00
IN_GRACE = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)  # due, but every channel has its post already
DAYS = 30
BIG = "bench"  # the community the member-facing commands run in
P99_TARGET_MS = 2.0
RSS_TARGET_MB = 150.0
MIB_IN_MB = 1.048576


class NullDelivery:
    platform = "discord"

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        return PostRef(platform="discord", channel_id=channel_id, message_id="bench")

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        return None


INFO_COMMANDS = [
    "/help",
    "/salary state:CA cert:CPC",
    "/specialty name:Cardiology",
    "/career",
    "/outlook",
    "/certs",
    "/roadmap",
    "/topics",
    "/practice topic:icd10 difficulty:medium",
    "/code E11.9",
    "/code diabetes",
    "/quiz status",
    "/streak",
    "/leaderboard period:month",
    "/leaderboard period:all",
    "/review",
]
CHART_COMMANDS = ["/compare states:CA,TX,NY", "/map"]


# ---- data ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shape:
    big_answers: int  # answers stored in the measured community
    per_member: int  # answers per member there (so members = big_answers / per_member)
    communities: int  # other scheduled communities
    community_members: int  # members answering each post in each other community
    community_days: int  # posts (days) in each other community

    @property
    def big_members(self) -> int:
        return max(1, self.big_answers // self.per_member)

    def describe(self) -> str:
        return (
            f"{self.big_answers:,} answers from {self.big_members:,} members in one community over {DAYS} days; "
            f"{self.communities:,} more scheduled communities with {self.community_members} members x "
            f"{self.community_days} days each"
        )


def populate(settings: Settings, shape: Shape, seed: int = 7) -> None:
    """Create the schema through the store, then write the rows in one sqlite3 transaction."""

    async def migrate() -> None:
        store = open_store(settings)
        await store.ping()
        await store.close()

    asyncio.run(migrate())
    rng = random.Random(seed)
    bank = load_question_bank()
    questions = [q.id for q in bank.questions]
    answer_key = {q.id: q.answer for q in bank.questions}
    schedules: list[tuple[object, ...]] = []
    posts: list[list[object]] = []
    answers: list[tuple[object, ...]] = []
    stamp = (NOW - timedelta(days=60)).isoformat()

    def add_posts(community: str, days: int) -> list[list[object]]:
        schedules.append(
            (community, "ch", "discord", "09:00", "UTC", "mon,tue,wed,thu,fri,sat,sun", "", 0, "mod", stamp)
        )
        made = []
        for d in range(days):
            day = NOW.date() - timedelta(days=days - 1 - d)
            at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9)
            state = "posted" if d == days - 1 else "closed"
            row: list[object] = [
                f"{community}-{day}", community, "ch", "discord", day.isoformat(), questions[d % len(questions)],
                state, f"m-{community}-{d}", at.isoformat(), at.isoformat(), 0, 0,
            ]  # fmt: skip
            made.append(row)
        posts.extend(made)
        return made

    def add_answer(post: list[object], community: str, user: str) -> None:
        letter = "ABCD"[rng.randrange(4)] if rng.random() < 0.3 else answer_key[str(post[5])]
        correct = int(letter == answer_key[str(post[5])])
        at = datetime.fromisoformat(str(post[9])) + timedelta(minutes=rng.randrange(600))
        answers.append((post[0], community, user, f"Member {user}", letter, correct, at.isoformat()))
        post[10] = int(post[10]) + 1  # type: ignore[call-overload]
        post[11] = int(post[11]) + correct  # type: ignore[call-overload]

    big_posts = add_posts(BIG, DAYS)
    per = min(shape.per_member, DAYS)
    for m in range(shape.big_members):
        start = rng.randrange(DAYS - per + 1)
        for post in big_posts[start : start + per]:  # a run of days, with an occasional gap
            if rng.random() < 0.9:
                add_answer(post, BIG, f"u{m}")
    for c in range(shape.communities):
        community = f"c{c}"
        for post in add_posts(community, shape.community_days):
            for m in range(shape.community_members):
                add_answer(post, community, f"u{m}")
    db = sqlite3.connect(settings.sqlite_path)
    try:
        with db:
            db.executemany("INSERT INTO schedules VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", schedules)
            db.executemany(
                "INSERT INTO posts (id, community_id, channel_id, platform, quiz_date, question_id, state, "
                "message_id, claimed_at, posted_at, answers, correct_answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                posts,
            )
            db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)", answers)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def settings_for(directory: Path) -> Settings:
    return Settings(_env_file=None, data_dir=directory, database_url=None)


def member(community: str = BIG, user: str = "u1") -> Invocation:
    return Invocation(
        platform="discord", community_id=community, channel_id="ch", user_id=user, user_name=f"Member {user}"
    )


def fresh_core(settings: Settings) -> BotCore:
    core = build_core(settings)
    core.services.clock = lambda: NOW
    core.services.rng = random.Random(1)
    return core


# ---- timing ----------------------------------------------------------------------------------------
@dataclass
class Timing:
    samples: list[float]

    @property
    def n(self) -> int:
        return len(self.samples)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples) * 1000

    def pct(self, p: int) -> float:
        if self.n == 1:
            return self.samples[0] * 1000
        return statistics.quantiles(self.samples, n=100, method="inclusive")[p - 1] * 1000


async def timed(action: Callable[[], object], iterations: int, budget: float, warmup: int = 3) -> Timing:
    """Run ``action`` (a coroutine factory) ``iterations`` times, or until ``budget`` seconds passed
    (at least 5 samples)."""
    for _ in range(warmup):
        await action()  # type: ignore[misc]
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < iterations and (len(samples) < 5 or time.perf_counter() - started < budget):
        t0 = time.perf_counter()
        await action()  # type: ignore[misc]
        samples.append(time.perf_counter() - t0)
    return Timing(samples)


async def run_checked(core: BotCore, line: str, who: Invocation) -> None:
    reply = await core.run_line(line, who)
    if reply.is_error:
        raise SystemExit(f"{line} answered an error: {reply.title} {reply.text}")


@contextmanager
def charts_stubbed() -> Iterator[None]:
    """Charts replaced by a constant PNG: the command's own work without matplotlib."""
    from bot.salary import charts

    saved = charts.compare_chart, charts.tile_map
    charts.compare_chart = lambda *a, **k: b"\x89PNG"  # type: ignore[assignment]
    charts.tile_map = lambda *a, **k: b"\x89PNG"  # type: ignore[assignment]
    try:
        yield
    finally:
        charts.compare_chart, charts.tile_map = saved  # type: ignore[assignment]


async def command_table(settings: Settings, iterations: int, budget: float) -> list[tuple[str, Timing]]:
    core = fresh_core(settings)
    who = member()
    results: list[tuple[str, Timing]] = []
    try:
        for line in INFO_COMMANDS:
            results.append(
                (line, await timed(lambda line=line: run_checked(core, line, who), iterations, budget))
            )
        for line in CHART_COMMANDS:
            t = await timed(lambda line=line: run_checked(core, line, who), max(5, iterations // 10), budget)
            results.append((f"{line} (with chart)", t))
            with charts_stubbed():
                t = await timed(lambda line=line: run_checked(core, line, who), iterations, budget)
            results.append((f"{line} (chart stubbed)", t))
    finally:
        await core.aclose()
    return results


async def scheduler_pass(
    settings: Settings, iterations: int, budget: float, now: datetime = NOW
) -> tuple[Timing, int]:
    core = fresh_core(settings)
    core.services.deliveries["discord"] = NullDelivery()
    try:
        scheduler = QuizScheduler(core.services, "discord")
        made = await scheduler.run_due(now)
        assert made == [], "every post is made already: a pass must post nothing"
        schedules = int(
            await core.services.storage.fetch_value(
                "SELECT COUNT(*) FROM schedules WHERE platform = 'discord' AND paused = 0"
            )
        )
        return await timed(lambda: scheduler.run_due(now), iterations, budget, warmup=1), schedules
    finally:
        await core.aclose()


# ---- peak RSS in a fresh process -------------------------------------------------------------------
def high_water_kib() -> int:
    """This process's peak resident set in KiB: VmHWM, which belongs to the process's own memory map.
    (``ru_maxrss`` on Linux also keeps the high-water mark of the parent's memory that a forked child
    held until its exec, so a child started by a big parent reports the parent's size.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def rss_child(directory: Path) -> None:
    settings = settings_for(directory)
    core = fresh_core(settings)
    figures = {"built": high_water_kib()}
    try:
        for line in INFO_COMMANDS:
            for who in (member(), member("c0", "u0")):
                await run_checked(core, line, who)
        scheduler = QuizScheduler(core.services, "discord")
        assert await scheduler.run_due(NOW) == []
        figures["no_charts"] = high_water_kib()
        for line in CHART_COMMANDS:
            for who in (member(), member("c0", "u0")):
                await run_checked(core, line, who)
        figures["peak"] = high_water_kib()
    finally:
        await core.aclose()
    figures["ru_maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(figures))


def measure_rss(directory: Path) -> dict[str, float]:
    """MiB of a fresh process: after start-up, after every info command but the two charts and a
    scheduler pass, and the peak once the charts ran too (VmHWM; ru_maxrss for comparison)."""
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(directory)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout
    return {k: v / 1024 for k, v in json.loads(out.strip().splitlines()[-1]).items()}


# ---- report ----------------------------------------------------------------------------------------
def main(args: argparse.Namespace) -> None:
    print(f"cpcbot command bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        shape = Shape(args.answers, 10, args.communities, args.community_members, args.community_days)
        settings = settings_for(directory)
        started = time.perf_counter()
        populate(settings, shape)
        print(f"\nDatabase: {shape.describe()} (built in {time.perf_counter() - started:.1f} s)")
        table = asyncio.run(command_table(settings, args.iterations, args.budget))
        print(
            f"\n{'command':<46} {'n':>5} {'mean ms':>8} {'p50 ms':>8} {'p99 ms':>8}  p99 < {P99_TARGET_MS:g} ms"
        )
        for line, t in table:
            verdict = "yes" if t.pct(99) < P99_TARGET_MS else "no"
            print(f"{line:<46} {t.n:>5} {t.mean:>8.3f} {t.pct(50):>8.3f} {t.pct(99):>8.3f}  {verdict}")
        sched, count = asyncio.run(scheduler_pass(settings, 20, args.budget))
        print(
            f"\nScheduler pass at a minute when nothing is due ({count:,} schedules): "
            f"p50 {sched.pct(50):.2f} ms, p99 {sched.pct(99):.2f} ms"
        )
        grace, _ = asyncio.run(scheduler_pass(settings, 20, args.budget, IN_GRACE))
        print(
            f"Scheduler pass 30 min after every channel's post, inside the grace window: "
            f"p50 {grace.pct(50):.2f} ms, p99 {grace.pct(99):.2f} ms"
        )
        rss = measure_rss(directory)
        met = "met" if rss["peak"] * MIB_IN_MB < RSS_TARGET_MB else "MISSED"
        print(
            f"Peak RSS of a fresh process with {args.communities:,} communities configured (VmHWM): "
            f"{rss['peak']:.1f} MiB = {rss['peak'] * MIB_IN_MB:.1f} MB, target < {RSS_TARGET_MB:g} MB: {met}\n"
            f"  after start-up {rss['built']:.1f} MiB; after every info command but the charts and a "
            f"scheduler pass {rss['no_charts']:.1f} MiB ({rss['no_charts'] * MIB_IN_MB:.1f} MB); "
            f"+ /compare and /map (matplotlib) {rss['peak']:.1f} MiB; ru_maxrss {rss['ru_maxrss']:.1f} MiB"
        )
    print(
        "\nScaling: size N = N answers from N/10 members in one community over 30 days, and N/10 scheduled\n"
        "communities (3 members x 3 days each); /leaderboard is period:month (all 30 posts); RSS of a fresh\n"
        "process after every info command but the charts / peak with the charts"
    )
    print(
        f"{'N':>8} {'members':>8} {'schedules':>9} {'/streak p50':>11} {'p99':>7} {'/leaderboard p50':>16} "
        f"{'p99':>8} {'idle pass':>9} {'grace pass':>10} {'RSS':>8} {'peak RSS':>9} {'db size':>8}"
    )
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            directory = Path(tmp)
            settings = settings_for(directory)
            shape = Shape(n, 10, max(1, n // 10), 3, 3)
            populate(settings, shape)
            streak, board, idle, grace, count = asyncio.run(
                scaling_point(settings, args.iterations, args.budget)
            )
            rss = measure_rss(directory)
            size = sum(p.stat().st_size for p in directory.glob("cpcbot.sqlite3*"))
            print(
                f"{n:>8,} {shape.big_members:>8,} {count:>9,} {streak.pct(50):>9.2f}ms {streak.pct(99):>5.2f}ms "
                f"{board.pct(50):>14.1f}ms {board.pct(99):>6.1f}ms {idle.pct(50):>7.2f}ms {grace.pct(50):>8.2f}ms "
                f"{rss['no_charts']:>5.1f}MiB {rss['peak']:>6.1f}MiB {size / 2**20:>5.1f}MiB"
            )


async def scaling_point(
    settings: Settings, iterations: int, budget: float
) -> tuple[Timing, Timing, Timing, Timing, int]:
    core = fresh_core(settings)
    who = member()
    try:
        streak = await timed(lambda: run_checked(core, "/streak", who), iterations, budget)
        board = await timed(lambda: run_checked(core, "/leaderboard period:month", who), iterations, budget)
    finally:
        await core.aclose()
    idle, count = await scheduler_pass(settings, 10, budget)
    grace, _ = await scheduler_pass(settings, 10, budget, IN_GRACE)
    return streak, board, idle, grace, count


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="*", type=int, default=[1000, 10000, 100000], help="scaling sizes N")
    parser.add_argument(
        "--answers", type=int, default=10000, help="answers in the measured community (table 1)"
    )
    parser.add_argument("--communities", type=int, default=10000, help="scheduled communities (tables 1, 2)")
    parser.add_argument("--community-members", type=int, default=5, help="members per other community")
    parser.add_argument("--community-days", type=int, default=7, help="posts per other community")
    parser.add_argument("--iterations", type=int, default=200, help="samples per command (at most)")
    parser.add_argument("--budget", type=float, default=4.0, help="seconds per command (at least 5 samples)")
    parser.add_argument("--rss-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        asyncio.run(rss_child(args.rss_child))
    else:
        main(args)
