"""The core's own posts on Slack (scheduled daily questions): chat.postMessage, chat.update, and the
chart as a file in the same channel. Rate limits are retried by the client's retry handler; what
still fails becomes a DeliveryError saying whether a later try could work."""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._blocks import render
from bot.adapters.slack._errors import error_code
from bot.core.delivery import DeliveryError, PostRef
from bot.core.replies import Reply

log = logging.getLogger(__name__)

RETRYABLE_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def _delivery_error(action: str, exc: Exception) -> DeliveryError:
    if isinstance(exc, SlackApiError):
        error = error_code(exc)
        return DeliveryError(f"Slack {action} failed: {error}", retryable=error in RETRYABLE_ERRORS)
    return DeliveryError(f"Slack {action} failed: {type(exc).__name__}", retryable=True)


class SlackDelivery:
    platform = "slack"

    def __init__(self, client: AsyncWebClient):
        self.client = client

    async def post(self, channel_id: str, reply: Reply) -> PostRef:
        message = render(reply)
        try:
            response = await self.client.chat_postMessage(
                channel=channel_id, text=message.text, blocks=message.blocks
            )
        except (TimeoutError, SlackApiError, aiohttp.ClientError) as exc:
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
        except (TimeoutError, SlackApiError, aiohttp.ClientError) as exc:
            raise _delivery_error("chat.update", exc) from exc


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
