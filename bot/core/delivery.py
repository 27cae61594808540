"""How the core posts on its own (scheduled daily questions) and edits what it posted.

Each platform adapter implements :class:`Delivery` and registers it in ``Services.deliveries``
under its platform name at start-up; the console registers one that prints. Adapters make one
attempt per call and say how it failed; pacing and retries are the core's
(:mod:`bot.core.sending`), the same for every platform.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict

from bot.core.replies import Reply


class PostRef(BaseModel):
    """Where a posted message lives, enough to edit it later."""

    model_config = ConfigDict(frozen=True)

    platform: str
    channel_id: str
    message_id: str


class DeliveryError(Exception):
    """A post or edit failed. ``retryable``: a later try could work. ``uncertain``: the platform may
    have acted anyway (a timeout, a gateway error), so look for the message before sending again."""

    def __init__(self, message: str, *, retryable: bool = True, uncertain: bool = False):
        super().__init__(message)
        self.retryable = retryable
        self.uncertain = uncertain


class RateLimited(DeliveryError):
    """The platform answered 429: nothing was done; wait ``retry_after`` seconds, then try again."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message, retryable=True)
        self.retry_after = retry_after


class Delivery(Protocol):
    platform: str

    async def post(self, channel_id: str, reply: Reply) -> PostRef: ...

    async def edit(self, ref: PostRef, reply: Reply) -> None: ...

    async def find(self, channel_id: str, post_id: str) -> PostRef | None:
        """A recent message of ours in the channel whose buttons carry ``post_id``, if any: how an
        uncertain post is checked before it is sent again."""
        ...
