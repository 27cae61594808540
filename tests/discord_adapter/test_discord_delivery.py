"""The Discord Delivery the core uses for scheduled posts: post, edit, and clear errors."""

from __future__ import annotations

import pytest

from bot.core.delivery import DeliveryError, PostRef
from bot.core.replies import Button, ImageData, Reply, ReplyField

from .discord_harness import RunningBot

pytestmark = pytest.mark.asyncio(loop_scope="session")

CHANNEL = "920000000000000321"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


async def test_delivery_is_registered_and_posts_then_edits(bot: RunningBot) -> None:
    delivery = bot.core.services.deliveries["discord"]
    assert delivery.platform == "discord"
    question = Reply(
        title="Daily CPC question",
        text="Which modifier indicates a distinct procedural service?",
        fields=[ReplyField(name="Answer by", value="17:00 UTC")],
        buttons=[Button(label="A", action="quiz:answer:1:A"), Button(label="B", action="quiz:answer:1:B")],
    )
    ref = await delivery.post(CHANNEL, question)
    posted = await bot.fake.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL}/messages"
    )
    assert posted.authorization is not None and posted.authorization.startswith("Bot ")
    assert posted.json["embeds"][0]["title"] == "Daily CPC question"
    assert [b["custom_id"] for b in posted.json["components"][0]["components"]] == [
        "quiz:answer:1:A",
        "quiz:answer:1:B",
    ]
    assert ref.platform == "discord" and ref.channel_id == CHANNEL and ref.message_id.isdigit()

    await delivery.edit(ref, Reply(title="Daily CPC question — closed", text="Answer: 59."))
    edited = await bot.fake.wait_for(
        lambda r: r.method == "PATCH" and r.path == f"/channels/{CHANNEL}/messages/{ref.message_id}"
    )
    assert edited.json["embeds"][0]["title"] == "Daily CPC question — closed"
    assert edited.json["components"] == [] and edited.json["attachments"] == []


async def test_delivery_attaches_images(bot: RunningBot) -> None:
    reply = Reply(title="Leaderboard", image=ImageData(filename="board.png", data=PNG, alt="Top ten"))
    await bot.core.services.deliveries["discord"].post(CHANNEL, reply)
    posted = await bot.fake.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL}/messages" and bool(r.files)
    )
    assert posted.json["embeds"][0]["image"]["url"] == "attachment://board.png"
    assert next(iter(posted.files.values())) == ("board.png", PNG)


@pytest.mark.parametrize(
    ("status", "code", "text"), [(403, 50001, "Missing Access"), (404, 10003, "Unknown Channel")]
)
async def test_refused_posts_are_not_retried(bot: RunningBot, status: int, code: int, text: str) -> None:
    channel = 920000000000000400 + status
    bot.fake.refuse_channels[channel] = (status, code, text)
    delivery = bot.core.services.deliveries["discord"]
    with pytest.raises(DeliveryError) as caught:
        await delivery.post(str(channel), Reply(title="x"))
    assert caught.value.retryable is False
    assert text in str(caught.value)
    with pytest.raises(DeliveryError):
        await delivery.edit(
            PostRef(platform="discord", channel_id=str(channel), message_id="1"), Reply(title="x")
        )


async def test_a_channel_id_that_is_not_a_snowflake_is_refused_before_any_request(bot: RunningBot) -> None:
    before = len(bot.fake.requests)
    with pytest.raises(DeliveryError) as caught:
        await bot.core.services.deliveries["discord"].post("general", Reply(title="x"))
    assert caught.value.retryable is False
    assert len(bot.fake.requests) == before
