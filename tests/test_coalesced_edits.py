"""Live-count edits: one in flight per message, the newest state wins, nothing lands after finish."""

from __future__ import annotations

import asyncio

from bot.core.coalesced_edits import CoalescedEdits
from bot.core.delivery import DeliveryError, PostRef
from bot.core.replies import Reply

REF = PostRef(platform="discord", channel_id="1", message_id="9")


class SlowDelivery:
    """Each edit takes until the test releases it; records what was shown and how many overlapped."""

    platform = "discord"

    def __init__(self, fail: bool = False) -> None:
        self.shown: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.release = asyncio.Event()
        self.fail = fail

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        raise AssertionError("not used")

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self.release.wait()
            if self.fail:
                raise DeliveryError("platform down")
            self.shown.append(reply.text)
        finally:
            self.in_flight -= 1


def state(n: int) -> Reply:
    return Reply(title="Q", text=f"{n} answers")


async def test_a_burst_of_changes_becomes_the_first_and_the_newest() -> None:
    edits, delivery = CoalescedEdits(min_gap=0), SlowDelivery()
    rendered: list[int] = []

    def render(n: int):  # type: ignore[no-untyped-def]
        def build() -> Reply:
            rendered.append(n)
            return state(n)

        return build

    for n in range(1, 201):
        edits.submit("p1", delivery, REF, n, render(n))
        await asyncio.sleep(0)
    delivery.release.set()
    await edits.flush()
    assert delivery.shown == ["1 answers", "200 answers"]
    assert rendered == [1, 200]  # states nobody would see are never even rendered
    assert delivery.most_in_flight == 1 and edits.sent == 2


async def test_an_older_state_arriving_late_is_not_shown() -> None:
    edits, delivery = CoalescedEdits(min_gap=0), SlowDelivery()
    delivery.release.set()
    edits.submit("p1", delivery, REF, 5, lambda: state(5))
    await edits.flush()
    edits.submit("p1", delivery, REF, 4, lambda: state(4))
    await edits.flush()
    assert delivery.shown == ["5 answers"]


async def test_the_gap_spaces_edits_of_one_message_but_flush_skips_it() -> None:
    edits, delivery = CoalescedEdits(min_gap=30), SlowDelivery()
    delivery.release.set()
    edits.submit("p1", delivery, REF, 1, lambda: state(1))
    edits.submit("p2", delivery, REF, 1, lambda: state(1))  # another message is not held back
    await asyncio.sleep(0.01)
    edits.submit("p1", delivery, REF, 2, lambda: state(2))
    await asyncio.sleep(0.05)
    assert delivery.shown == ["1 answers", "1 answers"]  # p1's second edit waits out the gap
    await asyncio.wait_for(edits.flush(), 5)
    assert delivery.shown[-1] == "2 answers"


async def test_nothing_is_sent_after_finish_and_finish_waits_for_the_edit_in_flight() -> None:
    edits, delivery = CoalescedEdits(min_gap=0), SlowDelivery()
    edits.submit("p1", delivery, REF, 1, lambda: state(1))
    await asyncio.sleep(0)
    edits.submit("p1", delivery, REF, 2, lambda: state(2))  # pending behind the first
    finishing = asyncio.create_task(edits.finish("p1"))
    await asyncio.sleep(0.01)
    assert not finishing.done()  # the first edit is still in flight
    delivery.release.set()
    await finishing
    edits.submit("p1", delivery, REF, 3, lambda: state(3))
    await edits.flush()
    assert delivery.shown == ["1 answers"]


async def test_a_failed_edit_is_logged_and_the_next_change_is_still_sent(caplog) -> None:  # type: ignore[no-untyped-def]
    edits, delivery = CoalescedEdits(min_gap=0), SlowDelivery(fail=True)
    delivery.release.set()
    edits.submit("p1", delivery, REF, 1, lambda: state(1))
    await edits.flush()
    delivery.fail = False
    edits.submit("p1", delivery, REF, 2, lambda: state(2))
    await edits.flush()
    assert delivery.shown == ["2 answers"]
    assert "could not update message 9: DeliveryError" in caplog.text
