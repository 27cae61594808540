"""The pacer and the sender at core level, on a fake clock: the rate holds by count, a 429 pauses
every worker once, server errors back off and give up, an uncertain post is looked for, not resent."""

from __future__ import annotations

import asyncio
import itertools
import random

import pytest

from bot.core.delivery import DeliveryError, PostRef, RateLimited
from bot.core.pacing import Pacer
from bot.core.replies import Reply
from bot.core.sending import RetryPolicy, Sender


class FakeTime:
    """A clock that moves only when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def most_in_any_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + 1.0 - 1e-9) for start in times)


async def test_the_rate_holds_by_count_for_concurrent_workers() -> None:
    fake = FakeTime()
    pacer = Pacer(45, burst=1, clock=fake.clock, sleep=fake.sleep)
    granted: list[float] = []

    async def worker(n: int) -> None:
        for _ in range(n):
            await pacer.acquire()
            granted.append(fake.now)

    await asyncio.gather(*(worker(30) for _ in range(15)))  # 450 grants asked for at once
    assert len(granted) == pacer.granted == 450
    assert most_in_any_second(granted) <= 45 + 1  # burst + rate
    assert granted[-1] == pytest.approx(449 / 45)  # and no slower than the rate


async def test_a_burst_allows_that_many_early_and_no_more() -> None:
    fake = FakeTime()
    pacer = Pacer(10, burst=5, clock=fake.clock, sleep=fake.sleep)
    granted = []
    for _ in range(25):
        await pacer.acquire()
        granted.append(fake.now)
    assert granted[:5] == [0.0] * 5
    assert most_in_any_second(granted) <= 15


@pytest.mark.parametrize("burst", [1, 2])
async def test_a_pause_holds_every_waiter_then_resumes_at_the_normal_spacing(burst: int) -> None:
    fake = FakeTime()
    pacer = Pacer(10, burst=burst, clock=fake.clock, sleep=fake.sleep)
    await pacer.acquire()
    pacer.pause(2.0)
    pacer.pause(0.5)  # a shorter pause does not cut the longer one short
    granted: list[float] = []

    async def worker() -> None:
        await pacer.acquire()
        granted.append(fake.now)

    await asyncio.gather(*(worker() for _ in range(5)))
    assert granted[0] == pytest.approx(2.0)
    assert [round(b - a, 6) for a, b in itertools.pairwise(granted)] == [0.1] * 4
    assert pacer.pauses == 2


class ScriptedDelivery:
    """Each post meets the next scripted outcome: "ok", "429", "500", "timeout-created" (the message is
    made, then the call raises an uncertain error), "refused"."""

    platform = "test"

    def __init__(self, script: list[str]):
        self.script = script
        self.messages: list[str] = []
        self.posts = self.finds = 0

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        self.posts += 1
        outcome = self.script.pop(0) if self.script else "ok"
        if outcome == "429":
            raise RateLimited("slow down", retry_after=1.5)
        if outcome == "500":
            raise DeliveryError("500", retryable=True)
        if outcome == "refused":
            raise DeliveryError("403", retryable=False)
        self.messages.append(reply.title)
        if outcome == "timeout-created":
            raise DeliveryError("no answer", retryable=True, uncertain=True)
        return PostRef(platform="test", channel_id=channel_id, message_id=str(len(self.messages)))

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        return None

    async def find(self, channel_id: str, post_id: str) -> PostRef | None:
        self.finds += 1
        found = [i for i, title in enumerate(self.messages, 1) if title == post_id]
        return PostRef(platform="test", channel_id=channel_id, message_id=str(found[0])) if found else None


def sender(delivery: ScriptedDelivery, fake: FakeTime, attempts: int = 4) -> Sender:
    pacer = Pacer(100, clock=fake.clock, sleep=fake.sleep)
    return Sender(delivery, pacer, RetryPolicy(attempts=attempts), rng=random.Random(1), sleep=fake.sleep)


async def test_a_429_pauses_the_pacer_and_the_post_goes_through_after_it() -> None:
    fake = FakeTime()
    delivery = ScriptedDelivery(["429"])
    s = sender(delivery, fake)
    ref = await s.post("c1", Reply(title="p1"), "p1")
    assert ref.message_id == "1" and delivery.posts == 2 and delivery.messages == ["p1"]
    assert s.pacer.pauses == 1 and fake.now >= 1.5  # waited the retry-after once


async def test_server_errors_back_off_with_jitter_then_give_up_retryable() -> None:
    fake = FakeTime()
    delivery = ScriptedDelivery(["500"] * 4)
    with pytest.raises(DeliveryError) as caught:
        await sender(delivery, fake).post("c1", Reply(title="p1"), "p1")
    assert caught.value.retryable and not caught.value.uncertain
    assert delivery.posts == 4 and delivery.messages == [] and delivery.finds == 0
    backoffs = [s for s in fake.slept if s > 0.05]  # the pacer's own spacing is 0.01 s
    assert len(backoffs) == 3
    for n, delay in enumerate(backoffs, 1):  # half fixed, half random: within [step/2, step]
        step = 0.5 * 2 ** (n - 1)
        assert step / 2 <= delay <= step


async def test_an_uncertain_post_is_looked_for_instead_of_sent_again() -> None:
    fake = FakeTime()
    delivery = ScriptedDelivery(["timeout-created"])
    ref = await sender(delivery, fake).post("c1", Reply(title="p1"), "p1")
    assert delivery.posts == 1 and delivery.finds == 1 and delivery.messages == ["p1"]
    assert ref.message_id == "1"


async def test_an_uncertain_post_that_is_not_there_is_sent_again() -> None:
    fake = FakeTime()
    delivery = ScriptedDelivery(["500"])
    ref = await sender(delivery, fake).post("c1", Reply(title="p1"), "p1", look_first=True)
    assert delivery.finds == 2 and delivery.posts == 2 and delivery.messages == ["p1"]
    assert ref.message_id == "1"


async def test_a_refusal_is_not_retried() -> None:
    fake = FakeTime()
    delivery = ScriptedDelivery(["refused"])
    with pytest.raises(DeliveryError) as caught:
        await sender(delivery, fake).post("c1", Reply(title="p1"), "p1")
    assert not caught.value.retryable and delivery.posts == 1


async def test_a_post_still_uncertain_after_the_last_try_says_so_only_when_it_cannot_be_settled() -> None:
    fake = FakeTime()
    delivery = ScriptedDelivery(["timeout-created"])
    delivery.find = _broken_find  # type: ignore[method-assign]
    with pytest.raises(DeliveryError) as caught:
        await sender(delivery, fake, attempts=1).post("c1", Reply(title="p1"), "p1")
    assert caught.value.uncertain  # the caller keeps the claim: nobody sends it again blindly


async def _broken_find(channel_id: str, post_id: str) -> PostRef | None:
    raise DeliveryError("cannot read the channel", retryable=True)
