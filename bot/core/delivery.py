"""How the core posts on its own (scheduled daily questions) and edits what it posted.

Each platform adapter implements :class:`Delivery` and registers it in ``Services.deliveries``
under its platform name at start-up; the console registers one that prints.
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
    """Posting failed after the adapter's own retries; ``retryable`` says whether to try later."""

    def __init__(self, message: str, *, retryable: bool = True):
        super().__init__(message)
        self.retryable = retryable


class Delivery(Protocol):
    platform: str

    async def post(self, channel_id: str, reply: Reply) -> PostRef: ...

    async def edit(self, ref: PostRef, reply: Reply) -> None: ...
