"""The core's own posts on Slack (scheduled daily questions): chat.postMessage, chat.update, the chart
as a file in the same channel, and conversations.history to look for a post whose send timed out.

One attempt per call: the core paces and retries (bot/core/sending.py), so the delivery talks
through its own copy of the client without slack_sdk's retry handlers (the shared client's 429
handler would wait out a rate limit the core's pacer is already waiting for, and its connection
retry could repeat a post that went through). Failures become a DeliveryError saying whether a
later try could work and whether the post may exist anyway."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._blocks import render
from bot.adapters.slack._errors import error_code
from bot.core.delivery import DeliveryError, PostRef, RateLimited
from bot.core.replies import Reply

log = logging.getLogger(__name__)

RETRYABLE_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
UNCERTAIN_STATUSES = frozenset({502, 504})
RECENT_MESSAGES = 50


def _retry_after(exc: SlackApiError) -> float:
    headers = getattr(exc.response, "headers", None) or {}
    for key, value in dict(headers).items():
        if key.lower() == "retry-after":
            try:
                return max(0.0, float(value[0] if isinstance(value, list) else value))
            except (TypeError, ValueError):
                break
    return 1.0


def _delivery_error(action: str, exc: Exception) -> DeliveryError:
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 200)
        error = error_code(exc)
        if status == 429 or error == "ratelimited":
            return RateLimited(f"Slack {action} was rate-limited", _retry_after(exc))
        retryable = error in RETRYABLE_ERRORS or status >= 500
        return DeliveryError(
            f"Slack {action} failed: {error}", retryable=retryable, uncertain=status in UNCERTAIN_STATUSES
        )
    uncertain = not isinstance(exc, aiohttp.ClientConnectorError)  # not connected: nothing was sent
    return DeliveryError(f"Slack {action} failed: {type(exc).__name__}", retryable=True, uncertain=uncertain)


def single_try_client(client: AsyncWebClient) -> AsyncWebClient:
    """The same Web API client settings, without retry handlers."""
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        headers=client.headers,
        retry_handlers=[],
    )


FAILURES = (TimeoutError, SlackApiError, aiohttp.ClientError)


class SlackDelivery:
    platform = "slack"

    def __init__(self, client: AsyncWebClient):
        self.client = single_try_client(client)

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        message = render(reply)
        try:
            response = await self.client.chat_postMessage(
                channel=channel_id, text=message.text, blocks=message.blocks
            )
        except FAILURES as exc:
            raise _delivery_error("chat.postMessage", exc) from exc
        ref = PostRef(platform="slack", channel_id=str(response["channel"]), message_id=str(response["ts"]))
        if reply.image is not None:
            await upload_image(self.client, ref.channel_id, reply)
        return ref

    async def edit(self, ref: PostRef, reply: Reply) -> None:
        message = render(reply)
        try:
            await self.client.chat_update(
                channel=ref.channel_id, ts=ref.message_id, text=message.text, blocks=message.blocks
            )
        except FAILURES as exc:
            raise _delivery_error("chat.update", exc) from exc

    async def find(self, channel_id: str, post_id: str) -> PostRef | None:
        """A recent message with a button for this post (action_id or value ``daily:{post_id}:{letter}``)."""
        try:
            response = await self.client.conversations_history(channel=channel_id, limit=RECENT_MESSAGES)
        except FAILURES as exc:
            raise _delivery_error("conversations.history", exc) from exc
        for message in response.get("messages") or []:
            if any(post_id in action.split(":") for action in _actions(message)):
                return PostRef(platform="slack", channel_id=channel_id, message_id=str(message["ts"]))
        return None


def _actions(message: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            for key in ("action_id", "value"):
                if isinstance(element.get(key), str):
                    found.append(element[key].split("#", 1)[0])
    return found


async def upload_image(client: AsyncWebClient, channel_id: str, reply: Reply) -> str | None:
    """Uploads the reply's chart into the channel (files upload v2). Returns the Slack error code on
    failure, None on success: the message itself is already there, so this never raises."""
    assert reply.image is not None
    image = reply.image
    try:
        await client.files_upload_v2(
            channel=channel_id,
            file=image.data,
            filename=image.filename,
            title=image.alt[:250],
            alt_txt=image.alt[:1000],
        )
    except SlackApiError as exc:
        error = error_code(exc)
        log.warning("chart upload to %s failed: %s", channel_id, error)
        return error
    except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
        log.warning("chart upload to %s failed: %s", channel_id, type(exc).__name__)
        return type(exc).__name__
    return None
