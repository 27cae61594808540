"""Edits that keep a posted message current without one request per change.

A daily post shows "N answers so far". When hundreds of members answer within seconds, editing the
message once per answer would spend the platform's rate limit (Discord allows about five edits of
one message per five seconds) on counts nobody reads before the next one. Instead each message has
at most one edit in flight; changes that arrive meanwhile replace one another, and the newest is sent
when the previous edit returns and at least ``min_gap`` seconds have passed. The first change is sent
at once, so a quiet channel sees its count move immediately. ``finish`` ends a message's live edits
(before the final reveal edit), and ``flush`` sends what is pending without waiting out the gap
(at shutdown).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bot.core.delivery import PostRef
from bot.core.replies import Reply

log = logging.getLogger(__name__)
MIN_GAP_SECONDS = 1.0
_REMEMBER = 20_000  # messages whose last state is kept: more than a day's posts


class Editor(Protocol):
    """What edits a message: a platform's Delivery, or the paced, retrying Sender in front of it."""

    async def edit(self, ref: PostRef, reply: Reply) -> None: ...


@dataclass
class _Pending:
    delivery: Editor
    ref: PostRef
    version: int
    render: Callable[[], Reply]


class CoalescedEdits:
    def __init__(self, min_gap: float = MIN_GAP_SECONDS):
        self.min_gap = min_gap
        self.sent = 0  # edits sent, for tests and benchmarks
        self._pending: dict[str, _Pending] = {}
        self._shown: OrderedDict[str, int] = OrderedDict()  # newest state sent, per message
        self._last_at: OrderedDict[str, float] = OrderedDict()  # when it was last edited (loop time)
        self._running: dict[str, asyncio.Task[None]] = {}
        self._finished: OrderedDict[str, None] = OrderedDict()
        self._hurry = asyncio.Event()

    def submit(
        self, key: str, delivery: Editor, ref: PostRef, version: int, render: Callable[[], Reply]
    ) -> None:
        """Ask for the message ``key`` to show state ``version`` (higher is newer); ``render`` builds
        the reply only if this state is the one actually sent."""
        if key in self._finished or version <= self._shown.get(key, -1):
            return
        current = self._pending.get(key)
        if current is None or version > current.version:
            self._pending[key] = _Pending(delivery, ref, version, render)
        if key not in self._running:
            self._running[key] = asyncio.create_task(self._send_loop(key))

    async def finish(self, key: str) -> None:
        """No more live edits for ``key``: drop what is pending and wait for an edit in flight, so a
        final edit made after this is not overwritten by an older state."""
        self._finished[key] = None
        _trim(self._finished)
        self._pending.pop(key, None)
        task = self._running.get(key)
        if task is not None:
            await asyncio.shield(task)

    async def flush(self) -> None:
        """Send every pending edit now (no gap) and wait for them."""
        self._hurry.set()
        try:
            while self._running:
                await asyncio.gather(*self._running.values(), return_exceptions=True)
        finally:
            self._hurry.clear()

    async def _send_loop(self, key: str) -> None:
        loop = asyncio.get_running_loop()
        try:
            while (item := self._pending.get(key)) is not None:
                wait = self._last_at.get(key, -self.min_gap) + self.min_gap - loop.time()
                if wait > 0 and not self._hurry.is_set():
                    try:
                        await asyncio.wait_for(self._hurry.wait(), wait)
                    except TimeoutError:
                        pass
                    continue  # look again: a newer state may have come, or finish() dropped it
                del self._pending[key]
                self._shown[key] = item.version
                self._last_at[key] = loop.time()
                _trim(self._shown)
                _trim(self._last_at)
                try:
                    await item.delivery.edit(item.ref, item.render())
                    self.sent += 1
                except Exception as exc:  # best effort: the next change, or the reveal, edits again
                    log.warning("could not update message %s: %s", item.ref.message_id, type(exc).__name__)
        finally:
            del self._running[key]


def _trim(remembered: OrderedDict[str, Any]) -> None:
    while len(remembered) > _REMEMBER:
        remembered.popitem(last=False)
