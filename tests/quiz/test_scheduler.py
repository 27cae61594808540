"""The scheduler posts at the local minute, once, across restarts, downtime and DST."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.quiz.scheduler import GRACE, QuizScheduler

from .test_daily_post import FakeDelivery

# Friday 2026-03-06: 09:00 in New York is 14:00 UTC (EST); from Monday 03-09 it is 13:00 UTC (EDT).
FRI_0900 = datetime(2026, 3, 6, 14, tzinfo=UTC)
MOD = Invocation(
    platform="discord", community_id="g1", channel_id="111", user_id="m", user_name="Mod", is_moderator=True
)


async def scheduled(core: BotCore, days: str = "weekdays") -> None:
    reply = await core.run_line(f"/quiz schedule time:09:00 timezone:America/New_York days:{days}", MOD)
    assert not reply.is_error, reply.text


def new_core(settings: Settings) -> BotCore:
    core = build_core(settings)
    core.services.rng = random.Random(5)
    core.services.deliveries["discord"] = FakeDelivery()
    core.services.clock = lambda: FRI_0900 - timedelta(days=5)  # schedules are set before the test's instants
    return core


async def post_count(core: BotCore) -> int:
    return int(await core.services.storage.fetch_value("SELECT COUNT(*) FROM posts WHERE state != 'claimed'"))


async def test_posts_at_the_minute_once_and_not_before(settings: Settings) -> None:
    core = new_core(settings)
    await scheduled(core)
    scheduler = QuizScheduler(core.services, "discord")
    assert await scheduler.run_due(FRI_0900 - timedelta(minutes=1)) == []
    made = await scheduler.run_due(FRI_0900)
    assert len(made) == 1 and str(made[0].quiz_date) == "2026-03-06"
    assert await scheduler.run_due(FRI_0900 + timedelta(minutes=1)) == []
    assert len(core.services.deliveries["discord"].posts) == 1  # type: ignore[attr-defined]
    await core.aclose()


async def test_restart_between_schedule_and_post_neither_duplicates_nor_misses(settings: Settings) -> None:
    first = new_core(settings)
    await scheduled(first)
    await first.aclose()  # the bot stops before 09:00
    second = new_core(settings)  # and comes back at 09:03 with a new process and store
    assert len(await QuizScheduler(second.services, "discord").run_due(FRI_0900 + timedelta(minutes=3))) == 1
    await second.aclose()
    third = new_core(settings)  # a restart right after posting posts nothing more
    assert await QuizScheduler(third.services, "discord").run_due(FRI_0900 + timedelta(minutes=4)) == []
    assert await post_count(third) == 1
    await third.aclose()


async def test_two_schedulers_racing_post_once(settings: Settings) -> None:
    a, b = new_core(settings), new_core(settings)
    await scheduled(a)
    results = await asyncio.gather(
        QuizScheduler(a.services, "discord").run_due(FRI_0900),
        QuizScheduler(b.services, "discord").run_due(FRI_0900),
    )
    assert sum(len(r) for r in results) == 1
    await a.aclose()
    await b.aclose()


@pytest.mark.parametrize(
    ("late", "posts"), [(timedelta(hours=5, minutes=59), 1), (GRACE, 0), (timedelta(hours=9), 0)]
)
async def test_downtime_posts_within_the_grace_window_only(
    settings: Settings, late: timedelta, posts: int
) -> None:
    core = new_core(settings)
    await scheduled(core)
    assert len(await QuizScheduler(core.services, "discord").run_due(FRI_0900 + late)) == posts
    await core.aclose()


async def test_weekends_paused_and_dst(settings: Settings) -> None:
    core = new_core(settings)
    await scheduled(core)
    scheduler = QuizScheduler(core.services, "discord")
    saturday = FRI_0900 + timedelta(days=1)
    assert await scheduler.run_due(saturday) == []
    monday_edt = datetime(2026, 3, 9, 13, tzinfo=UTC)  # 09:00 EDT after the spring-forward Sunday
    assert await scheduler.run_due(monday_edt - timedelta(minutes=1)) == []
    assert len(await scheduler.run_due(monday_edt)) == 1
    await core.run_line("/quiz pause", MOD)
    assert await scheduler.run_due(monday_edt + timedelta(days=1)) == []
    await core.aclose()


async def test_the_next_post_closes_the_previous_one_and_reveals_the_answer(settings: Settings) -> None:
    core = new_core(settings)
    await scheduled(core, "daily")
    scheduler = QuizScheduler(core.services, "discord")
    (friday,) = await scheduler.run_due(FRI_0900)
    member = MOD.model_copy(update={"user_id": "u1", "is_moderator": False})
    question = core.services.questions.by_id[friday.question_id]
    await core.press(f"daily:{friday.id}:{question.answer}", member)
    (saturday,) = await scheduler.run_due(FRI_0900 + timedelta(days=1))
    delivery = core.services.deliveries["discord"]
    reveal = delivery.edits[-1]  # type: ignore[attr-defined]
    assert reveal[0].message_id == friday.message_id
    assert (
        f"Answer: {question.answer}." in reveal[1].text and "100% of 1 answered correctly" in reveal[1].text
    )
    assert not reveal[1].buttons
    late = await core.press(f"daily:{friday.id}:A", member.model_copy(update={"user_id": "u2"}))
    assert late.is_error and "closed" in late.text
    assert saturday.question_id != friday.question_id
    await core.aclose()


async def test_a_failed_send_is_retried_on_the_next_pass(settings: Settings) -> None:
    core = new_core(settings)
    core.services.settings.delivery_attempts = 1  # one failed try ends this pass for the channel
    core.services.deliveries["discord"] = FakeDelivery(fail=1)
    await scheduled(core)
    scheduler = QuizScheduler(core.services, "discord")
    assert await scheduler.run_due(FRI_0900) == []
    assert len(await scheduler.run_due(FRI_0900 + timedelta(minutes=1))) == 1
    await core.aclose()


async def test_a_schedule_set_after_todays_time_starts_tomorrow(settings: Settings) -> None:
    core = new_core(settings)
    core.services.clock = lambda: FRI_0900 + timedelta(hours=1)  # the moderator schedules at 10:00
    await scheduled(core, "daily")
    scheduler = QuizScheduler(core.services, "discord")
    assert await scheduler.run_due(FRI_0900 + timedelta(hours=1, minutes=1)) == []
    assert len(await scheduler.run_due(FRI_0900 + timedelta(days=1))) == 1
    await core.run_line("/quiz pause", MOD)
    core.services.clock = lambda: FRI_0900 + timedelta(days=2, hours=2)  # resumed after Sunday's time
    await core.run_line("/quiz resume", MOD)
    assert await scheduler.run_due(FRI_0900 + timedelta(days=2, hours=2, minutes=1)) == []
    await core.aclose()


async def test_passes_after_the_post_within_the_grace_window_claim_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = new_core(settings)
    try:
        await scheduled(core, "daily")
        scheduler = QuizScheduler(core.services, "discord")
        assert len(await scheduler.run_due(FRI_0900)) == 1
        claims: list[object] = []
        claim = core.services.storage.posts.claim

        async def counted(*args: object, **kwargs: object) -> object:
            claims.append(args)
            return await claim(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(core.services.storage.posts, "claim", counted)
        for minutes in (1, 30, 300, 359):
            assert await scheduler.run_due(FRI_0900 + timedelta(minutes=minutes)) == []
        assert claims == []  # the posted channel is skipped by the read, with no write transaction
        await core.services.storage.schedules.save(  # a second channel on the same rule still posts
            (await core.services.storage.schedules.get("g1", "111")).model_copy(  # type: ignore[union-attr]
                update={"channel_id": "222"}
            )
        )
        made = await scheduler.run_due(FRI_0900 + timedelta(minutes=360 - 1))
        assert [p.channel_id for p in made] == ["222"] and len(claims) == 1
    finally:
        await core.aclose()
