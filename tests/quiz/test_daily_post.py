"""The daily post and its answers: exactly once from the database, one answer per member."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from console_process import run_cli

from bot.core.delivery import DeliveryError, PostRef
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.core.replies import Reply
from bot.quiz import daily_post

NOW = datetime(2026, 11, 25, 14, tzinfo=UTC)
DAY = date(2026, 11, 25)


class FakeDelivery:
    platform = "discord"

    def __init__(self, fail: int = 0):
        self.posts: list[tuple[str, Reply]] = []
        self.edits: list[tuple[PostRef, Reply]] = []
        self.fail = fail

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        await asyncio.sleep(0.01)  # let competing claims interleave
        if self.fail:
            self.fail -= 1
            raise DeliveryError("503 from the platform", retryable=True)
        self.posts.append((channel_id, reply))
        return PostRef(platform="discord", channel_id=channel_id, message_id=f"m{len(self.posts)}")

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        self.edits.append((ref, reply))

    async def find(self, channel_id: str, post_id: str) -> PostRef | None:
        return None


def member(n: int, community: str = "g1") -> Invocation:
    return Invocation(
        platform="discord", community_id=community, channel_id="111", user_id=f"u{n}", user_name=f"Member {n}"
    )


@pytest.fixture
def quiz_core(core: BotCore) -> BotCore:
    core.services.clock = lambda: NOW
    core.services.rng = random.Random(7)
    core.services.deliveries["discord"] = FakeDelivery()
    return core


async def count(core: BotCore, sql: str) -> int:
    return int(await core.services.storage.fetch_value(sql))


async def test_twenty_racing_posters_make_exactly_one_post(quiz_core: BotCore) -> None:
    s = quiz_core.services
    results = await asyncio.gather(
        *(daily_post.post_daily(s, "g1", "111", "discord", DAY, (), NOW) for _ in range(20))
    )
    posted = [p for p in results if p is not None]
    assert len(posted) == 1 and posted[0].state == "posted" and posted[0].message_id == "m1"
    assert len(s.deliveries["discord"].posts) == 1  # type: ignore[attr-defined]
    assert await count(quiz_core, "SELECT COUNT(*) FROM posts") == 1
    await quiz_core.aclose()


async def test_a_failed_send_releases_the_claim_so_a_retry_posts(quiz_core: BotCore) -> None:
    s = quiz_core.services
    s.settings.delivery_attempts = 1  # the send fails for good within this call (no retry inside it)
    s.deliveries["discord"] = FakeDelivery(fail=1)
    with pytest.raises(DeliveryError):
        await daily_post.post_daily(s, "g1", "111", "discord", DAY, (), NOW)
    assert await count(quiz_core, "SELECT COUNT(*) FROM posts") == 0
    retried = await daily_post.post_daily(s, "g1", "111", "discord", DAY, (), NOW)
    assert retried is not None and retried.state == "posted"
    await quiz_core.aclose()


async def test_a_crashed_claim_is_taken_over_only_after_it_goes_stale(quiz_core: BotCore) -> None:
    posts = quiz_core.services.storage.posts
    first = await posts.claim("g1", "111", "discord", DAY, "icd10cm-001", NOW)  # the sender then "dies"
    assert first is not None
    assert await posts.claim("g1", "111", "discord", DAY, "icd10cm-002", NOW + timedelta(minutes=5)) is None
    taken = await posts.claim("g1", "111", "discord", DAY, "icd10cm-002", NOW + timedelta(minutes=11))
    assert taken is not None and taken.id == first.id and taken.question_id == "icd10cm-001"
    await posts.mark_posted(taken.id, "m9", NOW + timedelta(minutes=11))
    assert await posts.claim("g1", "111", "discord", DAY, "icd10cm-003", NOW + timedelta(hours=3)) is None
    await quiz_core.aclose()


async def test_500_members_answer_at_once_with_repeat_clicks_exactly_one_each(quiz_core: BotCore) -> None:
    s = quiz_core.services
    post = await daily_post.post_daily(s, "g1", "111", "discord", DAY, (), NOW)
    assert post is not None
    question = s.questions.by_id[post.question_id]
    letters = "ABCD"
    clicks = [(n, letters[n % 4]) for n in range(500)] + [(n, letters[(n + 1) % 4]) for n in range(0, 500, 3)]
    random.Random(3).shuffle(clicks)
    replies = await asyncio.gather(*(quiz_core.press(f"daily:{post.id}:{x}", member(n)) for n, x in clicks))
    assert not any(r.is_error for r in replies)
    repeats = [r for r in replies if r.title.startswith("You already answered")]
    assert len(repeats) == len(clicks) - 500
    assert await count(quiz_core, "SELECT COUNT(*) FROM answers") == 500
    assert await count(quiz_core, "SELECT COUNT(DISTINCT user_id) FROM answers") == 500
    right = await count(quiz_core, "SELECT SUM(correct) FROM answers")
    rows = await s.storage.fetch_all("SELECT user_id, letter, correct FROM answers")
    assert all(bool(c) == (letter == question.answer) for _, letter, c in rows)
    assert right == sum(1 for _, letter, _c in rows if letter == question.answer)
    await s.edits.flush()
    edits = s.deliveries["discord"].edits  # type: ignore[attr-defined]
    counts = [int(reply.footer.split()[0]) for _, reply in edits]
    # The live count is coalesced: a handful of edits, in rising order, the last showing all 500.
    assert 1 <= len(edits) <= 10 and counts == sorted(counts) and counts[-1] == 500
    assert all(
        "%" not in reply.footer and reply.buttons for _, reply in edits
    )  # a count, never the distribution
    await quiz_core.aclose()


@pytest.mark.parametrize(
    ("action", "needle"),
    [
        ("daily:nosuchpost:A", "no longer exists"),
        ("daily:{post}:E", "not valid"),
        ("daily:{post}", "not valid"),
    ],
)
async def test_forged_answers_are_refused(quiz_core: BotCore, action: str, needle: str) -> None:
    post = await daily_post.post_daily(quiz_core.services, "g1", "111", "discord", DAY, (), NOW)
    reply = await quiz_core.press(action.format(post=post.id), member(1))  # type: ignore[union-attr]
    assert reply.is_error and reply.ephemeral and needle in reply.text
    assert await count(quiz_core, "SELECT COUNT(*) FROM answers") == 0
    await quiz_core.aclose()


async def test_a_post_from_another_community_cannot_be_answered(quiz_core: BotCore) -> None:
    post = await daily_post.post_daily(quiz_core.services, "g1", "111", "discord", DAY, (), NOW)
    reply = await quiz_core.press(f"daily:{post.id}:A", member(1, community="g2"))  # type: ignore[union-attr]
    assert reply.is_error and await count(quiz_core, "SELECT COUNT(*) FROM answers") == 0
    await quiz_core.aclose()


async def test_no_repeats_until_the_topic_is_exhausted(quiz_core: BotCore) -> None:
    s = quiz_core.services
    topic = ("surgery-digestive",)
    size = len(s.questions.by_topic["surgery-digestive"])
    seen = []
    for offset in range(size + 1):
        post = await daily_post.post_daily(
            s, "g1", "111", "discord", DAY + timedelta(days=offset), topic, NOW
        )
        seen.append(post.question_id)  # type: ignore[union-attr]
    assert len(set(seen[:size])) == size and all(q.startswith("surgery-digestive-") for q in seen)
    await quiz_core.aclose()


async def test_only_moderators_post_now_and_a_second_post_is_refused(quiz_core: BotCore) -> None:
    refused = await quiz_core.run_line("/quiz now", member(1))
    assert refused.is_error and "Only moderators" in refused.text
    assert await count(quiz_core, "SELECT COUNT(*) FROM posts") == 0
    moderator = member(2).model_copy(update={"is_moderator": True})
    assert (await quiz_core.run_line("/quiz now", moderator)).title == "Daily question posted"
    again = await quiz_core.run_line("/quiz now", moderator)
    assert again.is_error and "already been posted" in again.text
    await quiz_core.aclose()


def test_console_post_answer_and_repeat_in_separate_processes(tmp_path: Path) -> None:
    posted = run_cli(tmp_path, "say", "/quiz now")
    assert posted.returncode == 0 and "Daily CPC question" in posted.stdout, posted.stdout + posted.stderr
    first = run_cli(tmp_path, "say", "/answer B")
    assert first.returncode == 0 and ("Correct!" in first.stdout or "Not quite" in first.stdout)
    again = run_cli(tmp_path, "say", "/answer C")
    assert again.returncode == 0 and "You already answered B" in again.stdout
    bad = run_cli(tmp_path, "say", "/answer E")
    assert bad.returncode == 2 and "letter must be one of: A, B, C, D" in bad.stdout


class RememberingDelivery(FakeDelivery):
    """Already holds a message for one post id (a sender that timed out after Discord created it)."""

    def __init__(self, post_id: str):
        super().__init__()
        self.post_id = post_id
        self.finds = 0

    async def find(self, channel_id: str, post_id: str) -> PostRef | None:
        self.finds += 1
        if post_id != self.post_id:
            return None
        return PostRef(platform="discord", channel_id=channel_id, message_id="m-earlier")


async def test_a_stale_claim_is_taken_over_by_looking_for_its_message_before_sending(
    quiz_core: BotCore,
) -> None:
    s = quiz_core.services
    crashed = await s.storage.posts.claim(
        "g1", "111", "discord", DAY, "icd10cm-001", NOW - timedelta(minutes=11)
    )
    assert crashed is not None
    s.deliveries["discord"] = delivery = RememberingDelivery(crashed.id)
    post = await daily_post.post_daily(s, "g1", "111", "discord", DAY, (), NOW)
    assert post is not None and post.id == crashed.id and post.message_id == "m-earlier"
    assert post.question_id == "icd10cm-001" and delivery.finds == 1 and delivery.posts == []
    await quiz_core.aclose()
