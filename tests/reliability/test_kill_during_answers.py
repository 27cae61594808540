"""kill -9 of a bot process while answers are being written: after a restart every acknowledged answer
is there, the database is intact, the post counters equal the rows, and /streak and the standings
agree with the rows. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.delivery import PostRef
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.core.replies import Reply
from bot.quiz import daily_post
from bot.quiz.standings import AnswerRow, PostRow, all_standings
from bot.storage.posts import Post

from .driver import COMMUNITY, PLATFORM, letter_for
from .processes import Driver

MEMBERS = 4000  # far more than get written before the kill: the kill lands mid-stream
HISTORY = 150  # members who answered the two earlier questions correctly
KILL_AFTER = 260  # acknowledgements seen before SIGKILL


class QuietDelivery:
    platform = PLATFORM

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        return PostRef(platform=PLATFORM, channel_id=channel_id, message_id=f"m-{channel_id}")

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        return None


def who(user: int) -> Invocation:
    return Invocation(
        platform=PLATFORM, community_id=COMMUNITY, channel_id="ch1", user_id=f"u{user}", user_name=f"U{user}"
    )


@pytest.fixture
async def core(settings: Settings) -> AsyncIterator[BotCore]:
    core = build_core(settings)
    core.services.deliveries[PLATFORM] = QuietDelivery()
    core.services.rng = random.Random(3)
    try:
        yield core
    finally:
        await core.aclose()


async def history_and_open_post(core: BotCore) -> Post:
    """Two earlier questions, answered correctly by HISTORY members and closed; today's one open."""
    services = core.services
    now = datetime.now(UTC)
    posts = []
    for back in (2, 1, 0):
        at = now - timedelta(days=back)
        post = await daily_post.post_daily(services, COMMUNITY, "ch1", PLATFORM, at.date(), (), at)
        assert post is not None
        posts.append(post)
    for post in posts[:2]:
        key = services.questions.by_id[post.question_id].answer
        replies = await asyncio.gather(
            *(daily_post.answer(services, who(u), post.id, key) for u in range(HISTORY))
        )
        assert all(r.title == "Correct!" for r in replies)
    closed = await services.storage.posts.close_before(COMMUNITY, "ch1", posts[2].quiz_date)
    assert len(closed) == 2
    return posts[2]


def current_streak(reply: Reply) -> int:
    return int(next(f.value for f in reply.fields if f.name == "Current streak"))


async def test_every_acknowledged_answer_survives_kill_9(settings: Settings, core: BotCore) -> None:
    post = await history_and_open_post(core)
    key = core.services.questions.by_id[post.question_id].answer
    await core.aclose()  # the bot process owns the database while it runs, as in production

    driver = Driver(settings, "answer", post.id, str(MEMBERS), "25")
    try:
        for _ in range(KILL_AFTER):
            driver.wait_for(lambda line: line.startswith("ACK "))
        driver.kill()
    finally:
        driver.close()
    acked = {line.split()[1]: line.split()[2] for line in driver.lines if line.startswith("ACK ")}
    assert "DONE" not in driver.lines and KILL_AFTER <= len(acked) < MEMBERS  # killed mid-stream

    store = core.services.storage  # reopens on first use, as a restarted bot would
    if store.dialect == "sqlite":
        assert await store.fetch_all("PRAGMA integrity_check") == [("ok",)]
    rows = {
        r[0]: (r[1], bool(r[2]))
        for r in await store.fetch_all(
            "SELECT user_id, letter, correct FROM answers WHERE post_id = ?", (post.id,)
        )
    }
    for user, letter in acked.items():
        assert rows.get(user) == (letter, letter == key), user
    for user, (letter, correct) in rows.items():  # written but maybe not acknowledged: still well formed
        assert letter == letter_for(int(user[1:]), key) and correct == (letter == key)
    counters = await store.fetch_all(
        "SELECT p.id, p.answers, p.correct_answers, COUNT(a.user_id), COALESCE(SUM(a.correct), 0) "
        "FROM posts p LEFT JOIN answers a ON a.post_id = p.id GROUP BY p.id, p.answers, p.correct_answers"
    )
    assert len(counters) == 3
    for _, answers, right, counted, counted_right in counters:
        assert (answers, right) == (counted, counted_right)

    def expected(user: int) -> int:
        earlier = 2 if user < HISTORY else 0
        mine = rows.get(f"u{user}")
        if mine is None:
            return earlier  # today's question is still open: not a miss
        return earlier + 1 if mine[1] else 0

    # /streak, through the core, for members on every path: acknowledged, written unacknowledged,
    # never written, with and without history.
    unacked = [u for u in rows if u not in acked]
    sample = sorted(
        {int(u[1:]) for u in list(acked)[:20] + unacked[:20]} | {0, 1, HISTORY - 1, HISTORY, MEMBERS - 1}
    )
    for user in sample:
        reply = await core.run_line("/streak", who(user))
        assert current_streak(reply) == expected(user), user

    # The standings (what /leaderboard ranks) for every member, and the leaderboard's top ten.
    posts, answers = await store.posts.community_history(COMMUNITY)
    post_rows = [PostRow(p[0], datetime.fromisoformat(p[1]).date(), p[2], p[3], "t") for p in posts]
    standings = all_standings(post_rows, [AnswerRow(a[0], a[1], a[2], bool(a[3])) for a in answers])
    assert {s.user_id for s in standings} == {f"u{u}" for u in range(HISTORY)} | set(rows)
    assert {s.user_id: s.current for s in standings} == {
        s.user_id: expected(int(s.user_id[1:])) for s in standings
    }
    ranked = sorted(standings, key=lambda s: (-s.current, s.user_name))[:10]
    board = await core.run_line("/leaderboard period:all", who(0))
    top = next(f.value for f in board.fields if f.name == "Current streak")
    assert top == "\n".join(f"{i}. {s.user_name} — {s.current}" for i, s in enumerate(ranked, 1))
