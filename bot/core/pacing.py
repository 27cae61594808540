"""Keeping the bot's own posts and edits under a platform's rate limit.

One :class:`Pacer` per platform is shared by everything that posts or edits on the bot's own
initiative (the scheduler's fan-out, reveal edits, live answer counts). It is a token bucket in its
GCRA form: grants are spaced ``1 / rate`` apart, at most ``burst`` may come early, so any window of
one second holds at most ``burst + rate`` grants. A 429 from the platform pauses the whole pacer for
its retry-after: every waiting worker waits once, behind the pause, instead of each one hammering
the platform and collecting its own 429.

Default rates (requests per second; ``CPCBOT_DISCORD_POSTS_PER_SECOND`` / ``CPCBOT_SLACK_POSTS_PER_SECOND``):

- Discord 45: the global limit is 50/s per bot; 5/s stay free for what is not paced (command sync,
  start-up calls), interaction responses are outside the global limit.
- Slack 1: Slack publishes no global figure; chat.postMessage allows about 1/s per channel with short
  bursts and chat.update is Tier 3 (about 50/min), so one request a second keeps both, and a 429's
  Retry-After pauses the pacer when a workspace is busier than that.
- Anything else (the console) is not paced.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

# Two: the spare grant absorbs timer lateness, so a busy pacer really runs at its rate (with a burst
# of one, every late wake-up would push all later grants back); any second still holds at most
# rate + 2 grants (47 of Discord's 50).
DEFAULT_BURST = 2


class Pacer:
    """A FIFO token bucket with a platform-wide pause. ``clock`` and ``sleep`` are injectable so the
    rate can be checked against a fake clock."""

    def __init__(
        self,
        rate: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        if rate <= 0 or burst < 1:
            raise ValueError("a pacer needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self._interval = 0.0 if math.isinf(rate) else 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._due = -math.inf  # theoretical time of the next grant (GCRA)
        self._paused_until = -math.inf
        self._lock = asyncio.Lock()
        self.granted = 0
        self.pauses = 0

    async def acquire(self) -> None:
        """Wait for a turn. Waiters are served in arrival order."""
        if self._interval == 0.0 and self._paused_until <= self._clock():
            self.granted += 1
            return
        async with self._lock:
            while True:
                now = self._clock()
                ready_at = max(self._paused_until, self._due - (self.burst - 1) * self._interval)
                if ready_at <= now:
                    break
                await self._sleep(ready_at - now)  # a pause that arrives meanwhile is seen on the next turn
            self._due = max(self._due, now) + self._interval
            self.granted += 1

    def pause(self, seconds: float) -> None:
        """Hold every grant for ``seconds`` from now (a 429's retry-after); a shorter pause never cuts
        a longer one short. After the pause, grants restart at the normal spacing, not in a burst."""
        until = self._clock() + max(0.0, seconds)
        self.pauses += 1
        if until > self._paused_until:
            self._paused_until = until
            # one grant when the pause ends, then the normal spacing: no burst into a window the
            # platform has just counted full
            self._due = max(self._due, until + (self.burst - 1) * self._interval)

    @property
    def paused_until(self) -> float:
        return self._paused_until


def pacer_for(pacers: dict[str, Pacer], platform: str, rates: dict[str, float]) -> Pacer:
    """The platform's shared pacer, made on first use from ``rates`` (unlisted platforms: unpaced)."""
    pacer = pacers.get(platform)
    if pacer is None:
        pacer = pacers[platform] = Pacer(rates.get(platform, math.inf), burst=DEFAULT_BURST)
    return pacer
