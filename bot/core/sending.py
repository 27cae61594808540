"""Posting and editing on the bot's own initiative, reliably: paced, retried, never doubled.

Retries live here, in the core, so they are the same on every platform; adapters make one attempt
per call and classify what went wrong (:class:`~bot.core.delivery.DeliveryError`):

- 429 (:class:`~bot.core.delivery.RateLimited`): pause the platform's pacer for the retry-after (every
  worker waits behind it, once) and try again; up to ``RATE_LIMITED_TRIES`` per call.
- a retryable failure (5xx, connection error): exponential backoff with jitter, up to
  ``attempts`` tries, then ``DeliveryError(retryable=True)`` so the caller can try on a later pass.
- a timeout, or a failure the platform may have acted on (``uncertain``): the message may exist, so
  before sending again look for it with ``Delivery.find``; if it is there, it is the post.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.core.delivery import Delivery, DeliveryError, PostRef, RateLimited
from bot.core.pacing import Pacer, pacer_for
from bot.core.replies import Reply
from bot.core.services import Services
from bot.ops.metrics import DELIVERY_RETRIES

log = logging.getLogger(__name__)
T = TypeVar("T")
RATE_LIMITED_TRIES = 10


class _TimedOut(DeliveryError):
    """A try that got no answer within the policy's timeout."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4  # tries per call on server errors and timeouts
    timeout: float = 10.0  # seconds per try
    backoff: float = 0.5  # first backoff; doubles each failure
    backoff_cap: float = 8.0

    def delay(self, failures: int, rng: random.Random) -> float:
        """Exponential with 'equal jitter': half the step fixed, half random, so workers spread out."""
        step = min(self.backoff_cap, self.backoff * 2 ** (failures - 1))
        return step / 2 + rng.uniform(0, step / 2)


class Sender:
    """One platform's delivery behind its shared pacer and the retry policy."""

    def __init__(
        self,
        delivery: Delivery,
        pacer: Pacer,
        policy: RetryPolicy | None = None,
        *,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self.delivery = delivery
        self.pacer = pacer
        self.policy = policy or RetryPolicy()
        self._rng = rng or random.Random()
        self._sleep = sleep

    async def post(self, channel_id: str, reply: Reply, post_id: str, *, look_first: bool = False) -> PostRef:
        """Post ``reply`` (whose buttons carry ``post_id``) exactly once. ``look_first``: an earlier
        try may have posted it already (a taken-over claim), so check before sending."""
        platform = self.delivery.platform
        failures = limited = 0
        uncertain = look_first
        last: DeliveryError | None = None
        while True:
            try:
                if uncertain:
                    found = await self._try(lambda: self.delivery.find(channel_id, post_id))
                    if found is not None:
                        DELIVERY_RETRIES.labels(platform, "found").inc()
                        log.info("post %s was already in %s/%s", post_id, platform, channel_id)
                        return found
                return await self._try(lambda: self.delivery.post(channel_id, reply), uncertain=True)
            except RateLimited as exc:
                limited += 1
                last = exc
                if limited >= RATE_LIMITED_TRIES:
                    break
                self._rate_limited(exc)
            except DeliveryError as exc:
                if not exc.retryable:
                    raise
                failures += 1
                last = exc
                uncertain = uncertain or exc.uncertain
                if failures >= self.policy.attempts:
                    break
                await self._back_off(failures, exc)
        if uncertain:  # one last look: a post found now is the post; one confirmed absent is certain
            try:
                found = await self._try(lambda: self.delivery.find(channel_id, post_id))
            except DeliveryError:
                pass
            else:
                if found is not None:
                    DELIVERY_RETRIES.labels(platform, "found").inc()
                    return found
                uncertain = False
        raise DeliveryError(
            f"{platform} post in {channel_id} failed after {failures + limited} tries: {last}",
            retryable=True,
            uncertain=uncertain,
        )

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        """Edit a message (idempotent, so a timeout is simply tried again)."""
        failures = limited = 0
        while True:
            try:
                return await self._try(lambda: self.delivery.edit(ref, reply))
            except RateLimited as exc:
                limited += 1
                if limited >= RATE_LIMITED_TRIES:
                    raise
                self._rate_limited(exc)
            except DeliveryError as exc:
                failures += 1
                if not exc.retryable or failures >= self.policy.attempts:
                    raise
                await self._back_off(failures, exc)

    async def _try(self, call: Callable[[], Awaitable[T]], *, uncertain: bool = False) -> T:
        """One paced try with the per-try timeout; a timeout becomes an (uncertain) DeliveryError."""
        await self.pacer.acquire()
        try:
            async with asyncio.timeout(self.policy.timeout):
                return await call()
        except TimeoutError:
            raise _TimedOut(
                f"no answer from {self.delivery.platform} within {self.policy.timeout:g} s",
                retryable=True,
                uncertain=uncertain,
            ) from None

    def _rate_limited(self, exc: RateLimited) -> None:
        DELIVERY_RETRIES.labels(self.delivery.platform, "rate_limited").inc()
        log.info("%s rate limit: pausing posts for %.2f s", self.delivery.platform, exc.retry_after)
        self.pacer.pause(exc.retry_after)

    async def _back_off(self, failures: int, exc: DeliveryError) -> None:
        reason = "timeout" if isinstance(exc, _TimedOut) else "server_error"
        DELIVERY_RETRIES.labels(self.delivery.platform, reason).inc()
        await self._sleep(self.policy.delay(failures, self._rng))


def sender_for(services: Services, platform: str) -> Sender | None:
    """The platform's sender (its registered delivery, its shared pacer, the configured retries)."""
    delivery = services.deliveries.get(platform)
    if delivery is None:
        return None
    settings = services.settings
    policy = RetryPolicy(attempts=settings.delivery_attempts, timeout=settings.delivery_timeout)
    return Sender(delivery, pacer_for(services.pacers, platform, settings.posts_per_second), policy)
