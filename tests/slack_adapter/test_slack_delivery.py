"""The core's own posts on Slack: chat.postMessage, chat.update, the chart as a file, and errors
that say whether a retry could help."""

from __future__ import annotations

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import SlackAdapter, SlackDelivery
from bot.core.delivery import DeliveryError, PostRef
from bot.core.dispatch import BotCore
from bot.core.replies import Button, ImageData, Reply

from .fake_slack import BOT_TOKEN, FakeSlack

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def delivery(fake_slack: FakeSlack) -> SlackDelivery:
    return SlackDelivery(AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))


def test_the_adapter_registers_its_delivery(fake_slack: FakeSlack, slack_core: BotCore) -> None:
    adapter = SlackAdapter(slack_core, AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))
    adapter.register_delivery()
    assert slack_core.services.deliveries["slack"] is adapter.delivery
    assert adapter.delivery.platform == "slack"


async def test_post_then_edit(fake_slack: FakeSlack, delivery: SlackDelivery) -> None:
    question = Reply(
        title="Daily question", text="Which code…?", buttons=[Button(label="A", action="quiz:1:a")]
    )
    ref = await delivery.post("C0QUIZ", question)
    (posted,) = fake_slack.called("chat.postMessage")
    assert posted.params["channel"] == "C0QUIZ"
    assert posted.params["blocks"][0]["text"]["text"] == "Daily question"
    assert posted.params["blocks"][-1]["elements"][0]["value"] == "quiz:1:a"
    assert ref == PostRef(platform="slack", channel_id="C0QUIZ", message_id=ref.message_id)

    await delivery.edit(ref, Reply(title="Daily question (closed)", text="Answer: A"))
    (updated,) = fake_slack.called("chat.update")
    assert updated.params["ts"] == ref.message_id and updated.params["channel"] == "C0QUIZ"
    assert updated.params["blocks"][0]["text"]["text"] == "Daily question (closed)"


async def test_post_with_a_chart_uploads_it_to_the_same_channel(
    fake_slack: FakeSlack, delivery: SlackDelivery
) -> None:
    reply = Reply(title="Map", image=ImageData(filename="pay-map.png", data=PNG, alt="Pay map"))
    await delivery.post("C0QUIZ", reply)
    (complete,) = fake_slack.called("files.completeUploadExternal")
    assert complete.params["channel_id"] == "C0QUIZ"
    assert complete.params["files"][0]["title"] == "Pay map"
    assert list(fake_slack.uploads.values()) == [PNG]


async def test_a_channel_the_bot_is_not_in_is_not_worth_retrying(
    fake_slack: FakeSlack, delivery: SlackDelivery
) -> None:
    fake_slack.not_in_channel.add("C0CLOSED")
    with pytest.raises(DeliveryError) as caught:
        await delivery.post("C0CLOSED", Reply(text="hello"))
    assert "not_in_channel" in str(caught.value)
    assert caught.value.retryable is False


async def test_an_unreachable_slack_is_worth_retrying(fake_slack: FakeSlack) -> None:
    await fake_slack.stop()
    delivery = SlackDelivery(AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url, timeout=2))
    delivery.client.retry_handlers.clear()
    with pytest.raises(DeliveryError) as caught:
        await delivery.post("C0QUIZ", Reply(text="hello"))
    assert caught.value.retryable is True
