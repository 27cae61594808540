"""Posting on the bot's own initiative (scheduled questions) and editing those posts, over the REST
API; discord.py waits out rate limits and retries server errors before anything reaches here."""

from __future__ import annotations

import aiohttp
import discord

from bot.adapters.discord._render import render
from bot.core.delivery import DeliveryError, PostRef
from bot.core.replies import Reply

PLATFORM = "discord"


def _snowflake(text: str, what: str) -> int:
    if not text.isdigit():
        raise DeliveryError(f"Discord {what} id must be a number, got {text!r}", retryable=False)
    return int(text)


def _delivery_error(exc: Exception, doing: str) -> DeliveryError:
    if isinstance(exc, discord.Forbidden | discord.NotFound):
        return DeliveryError(f"Discord refused to {doing} ({exc.status}: {exc.text})", retryable=False)
    if isinstance(exc, discord.HTTPException):
        retryable = exc.status >= 500 or exc.status == 429
        return DeliveryError(f"Discord could not {doing} ({exc.status}: {exc.text})", retryable=retryable)
    return DeliveryError(f"Could not reach Discord to {doing} ({type(exc).__name__})", retryable=True)


class DiscordDelivery:
    platform = PLATFORM

    def __init__(self, client: discord.Client):
        self._client = client

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        channel = self._client.get_partial_messageable(_snowflake(channel_id, "channel"))
        try:
            message = await channel.send(**render(reply).send_kwargs())
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise _delivery_error(exc, f"post in channel {channel_id}") from exc
        return PostRef(platform=PLATFORM, channel_id=channel_id, message_id=str(message.id))

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        channel = self._client.get_partial_messageable(_snowflake(ref.channel_id, "channel"))
        message = channel.get_partial_message(_snowflake(ref.message_id, "message"))
        try:
            await message.edit(**render(reply).edit_kwargs())
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise _delivery_error(exc, f"edit message {ref.message_id}") from exc
