"""A burst: 1,000 members answering one daily post at once, each also clicking again with a different
letter. Exactly one answer each, the post's counters exact, every repeat told "You already answered"
with the letter that counted. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.delivery import PostRef
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.core.replies import Reply
from bot.quiz import daily_post

MEMBERS = 1000


class CountingDelivery:
    platform = "discord"

    def __init__(self) -> None:
        self.edits: list[Reply] = []

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        return PostRef(platform="discord", channel_id=channel_id, message_id="m1")

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        self.edits.append(reply)


@pytest.fixture
async def core(settings: Settings) -> AsyncIterator[BotCore]:
    core = build_core(settings)
    core.services.deliveries["discord"] = CountingDelivery()
    core.services.rng = random.Random(9)
    try:
        yield core
    finally:
        await core.aclose()


async def test_a_thousand_members_and_their_repeat_clicks_count_once_each(core: BotCore) -> None:
    now = datetime.now(UTC)
    post = await daily_post.post_daily(core.services, "g1", "c1", "discord", now.date(), (), now)
    assert post is not None
    key = core.services.questions.by_id[post.question_id].answer
    rng = random.Random(4)
    clicks = []
    for m in range(MEMBERS):
        first, again = rng.sample("ABCD", 2)  # two different letters from the same member
        clicks += [(m, first), (m, again)]
    rng.shuffle(clicks)

    async def click(member: int, letter: str) -> tuple[int, str, Reply]:
        who = Invocation(
            platform="discord",
            community_id="g1",
            channel_id="c1",
            user_id=f"u{member}",
            user_name=f"U{member}",
        )
        return member, letter, await core.press(f"daily:{post.id}:{letter}", who)

    results = await asyncio.gather(*(click(m, letter) for m, letter in clicks))

    replies: dict[int, list[tuple[str, Reply]]] = defaultdict(list)
    for member, letter, reply in results:
        assert not reply.is_error, reply.text
        replies[member].append((letter, reply))
    counted: dict[str, str] = {}
    for member, pair in replies.items():
        recorded = [(letter, r) for letter, r in pair if not r.title.startswith("You already answered")]
        assert len(recorded) == 1, (member, [r.title for _, r in pair])
        letter = recorded[0][0]
        repeat = next(r for _, r in pair if r is not recorded[0][1])
        assert repeat.title == f"You already answered {letter}"
        counted[f"u{member}"] = letter

    store = core.services.storage
    rows = await store.fetch_all("SELECT user_id, letter, correct FROM answers WHERE post_id = ?", (post.id,))
    assert len(rows) == MEMBERS
    assert {r[0]: r[1] for r in rows} == counted
    assert all(bool(r[2]) == (r[1] == key) for r in rows)
    answers, right = await store.fetch_one(
        "SELECT answers, correct_answers FROM posts WHERE id = ?", (post.id,)
    )  # type: ignore[misc]
    assert (answers, right) == (MEMBERS, sum(letter == key for letter in counted.values()))
    # The live count shown on the post only ever rises and reaches all of them; the edits are coalesced
    # (one in flight per post), so a burst costs a handful of edits, not one per answer.
    await core.services.edits.flush()
    shown = [int(e.footer.split()[0]) for e in core.services.deliveries["discord"].edits]  # type: ignore[attr-defined]
    assert 1 <= len(shown) <= 10 and shown == sorted(shown) and shown[-1] == MEMBERS
