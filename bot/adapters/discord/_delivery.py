"""Posting on the bot's own initiative (scheduled questions) and editing those posts, over the REST
API, one attempt per call: the core paces and retries (bot/core/sending.py).

discord.py would otherwise retry on its own: it sleeps out every 429 and repeats 500/502/504 up to
five times. For the requests made here that would double the core's waits and retries (and repeat a
POST that may have gone through), so the client's ``http_trace`` hook (:func:`delivery_trace`)
stops those requests at the first 429 or 5xx and hands the answer to this module, which turns it
into a :class:`RateLimited` or a :class:`DeliveryError`. Every other request (interaction responses,
command sync) keeps discord.py's own handling; a global 429 seen there also pauses the core's
Discord pacer, so scheduled posts wait behind it instead of queueing into discord.py's lock.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from typing import Any

import aiohttp
import discord

from bot.adapters.discord._render import render
from bot.core.delivery import DeliveryError, PostRef, RateLimited
from bot.core.pacing import Pacer
from bot.core.replies import Reply

PLATFORM = "discord"
RECENT_MESSAGES = 50  # how far back find() looks
UNCERTAIN_STATUSES = frozenset({502, 504, 524})  # a gateway in front of Discord: the API may have acted

# Set while a Delivery method is calling Discord, so the trace hook knows whose request it sees.
_DELIVERY_REQUEST: ContextVar[bool] = ContextVar("cpcbot_discord_delivery_request", default=False)


class PlatformAnswer(Exception):
    """A 429 or 5xx on a delivery request, raised from the trace hook. Not an OSError, so discord.py
    lets it through instead of retrying."""

    def __init__(self, status: int, retry_after: float, text: str):
        super().__init__(f"{status}: {text}")
        self.status = status
        self.retry_after = retry_after
        self.text = text

    def delivery_error(self, doing: str) -> DeliveryError:
        if self.status == 429:
            return RateLimited(f"Discord rate-limited the request to {doing}", self.retry_after)
        return DeliveryError(
            f"Discord could not {doing} ({self.status}: {self.text})",
            retryable=True,
            uncertain=self.status in UNCERTAIN_STATUSES,
        )


async def _rate_limit(response: aiohttp.ClientResponse) -> tuple[float, bool, str]:
    """(retry_after seconds, global?, text) from a 429: the JSON body, else the Retry-After header."""
    body = await response.read()
    try:
        data: Any = json.loads(body)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    header = response.headers.get("Retry-After")
    try:
        retry_after = float(data.get("retry_after", header if header is not None else 1.0))
    except (TypeError, ValueError):
        retry_after = 1.0
    is_global = bool(data.get("global")) or response.headers.get("X-RateLimit-Global") == "true"
    return max(0.0, retry_after), is_global, str(data.get("message", "rate limited"))


def delivery_trace(pacer: Pacer) -> aiohttp.TraceConfig:
    """The aiohttp trace the Discord client is built with (discord.py's ``http_trace`` option)."""

    async def on_request_end(
        _session: aiohttp.ClientSession, _context: Any, params: aiohttp.TraceRequestEndParams
    ) -> None:
        response = params.response
        if response.status == 429:
            retry_after, is_global, text = await _rate_limit(response)
            if _DELIVERY_REQUEST.get():
                raise PlatformAnswer(429, retry_after, text)
            if is_global:  # discord.py waits this one out itself; our own posts wait in the pacer
                pacer.pause(retry_after)
        elif response.status >= 500 and _DELIVERY_REQUEST.get():
            raise PlatformAnswer(response.status, 0.0, (await response.text(errors="replace"))[:200])

    trace = aiohttp.TraceConfig()
    trace.on_request_end.append(on_request_end)
    return trace


def _snowflake(text: str, what: str) -> int:
    if not text.isdigit():
        raise DeliveryError(f"Discord {what} id must be a number, got {text!r}", retryable=False)
    return int(text)


def _delivery_error(exc: Exception, doing: str) -> DeliveryError:
    if isinstance(exc, PlatformAnswer):
        return exc.delivery_error(doing)
    if isinstance(exc, discord.Forbidden | discord.NotFound):
        return DeliveryError(f"Discord refused to {doing} ({exc.status}: {exc.text})", retryable=False)
    if isinstance(exc, discord.HTTPException):
        retryable = exc.status >= 500 or exc.status == 429
        return DeliveryError(f"Discord could not {doing} ({exc.status}: {exc.text})", retryable=retryable)
    # Could not connect: nothing was sent. Anything else (a dropped connection, no answer) may have
    # reached Discord.
    uncertain = not isinstance(exc, aiohttp.ClientConnectorError)
    return DeliveryError(
        f"Could not reach Discord to {doing} ({type(exc).__name__})", retryable=True, uncertain=uncertain
    )


FAILURES = (PlatformAnswer, discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError)


class DiscordDelivery:
    platform = PLATFORM

    def __init__(self, client: discord.Client):
        self._client = client

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        channel = self._client.get_partial_messageable(_snowflake(channel_id, "channel"))
        mark = _DELIVERY_REQUEST.set(True)
        try:
            message = await channel.send(**render(reply).send_kwargs())
        except FAILURES as exc:
            raise _delivery_error(exc, f"post in channel {channel_id}") from exc
        finally:
            _DELIVERY_REQUEST.reset(mark)
        return PostRef(platform=PLATFORM, channel_id=channel_id, message_id=str(message.id))

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        channel = self._client.get_partial_messageable(_snowflake(ref.channel_id, "channel"))
        message = channel.get_partial_message(_snowflake(ref.message_id, "message"))
        mark = _DELIVERY_REQUEST.set(True)
        try:
            await message.edit(**render(reply).edit_kwargs())
        except FAILURES as exc:
            raise _delivery_error(exc, f"edit message {ref.message_id}") from exc
        finally:
            _DELIVERY_REQUEST.reset(mark)

    async def find(self, channel_id: str, post_id: str) -> PostRef | None:
        """Our recent message in the channel with a button for this post (custom_id
        ``daily:{post_id}:{letter}``), read with GET /channels/{id}/messages."""
        channel = self._client.get_partial_messageable(_snowflake(channel_id, "channel"))
        me = self._client.user
        mark = _DELIVERY_REQUEST.set(True)
        try:
            async for message in channel.history(limit=RECENT_MESSAGES):
                if me is not None and message.author.id != me.id:
                    continue
                if any(post_id in custom_id.split(":") for custom_id in _custom_ids(message)):
                    return PostRef(platform=PLATFORM, channel_id=channel_id, message_id=str(message.id))
        except FAILURES as exc:
            raise _delivery_error(exc, f"read recent messages in channel {channel_id}") from exc
        finally:
            _DELIVERY_REQUEST.reset(mark)
        return None


def _custom_ids(message: discord.Message) -> list[str]:
    ids: list[str] = []
    for row in message.components:
        for item in getattr(row, "children", [row]):
            custom_id = getattr(item, "custom_id", None)
            if isinstance(custom_id, str):
                ids.append(custom_id)
    return ids
