"""The real Discord and Slack deliveries against fakes that answer 429s, 5xx and hang after creating
the message: every scheduled channel ends with exactly one message and one posted row, and the
retries are visible in what the fakes received."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from discord_adapter.discord_harness import TOKEN, running_client, serving
from discord_adapter.fake_discord import FakeDiscord
from slack_adapter.fake_slack import BOT_TOKEN, FakeSlack
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import SlackDelivery
from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.dispatch import BotCore
from bot.quiz.scheduler import QuizScheduler

from .channels import NOW, posted_rows, schedule_channels

# channel → what its first POSTs meet (see FAULTS in fake_discord.py); attempts per pass are 4
DISCORD_SCRIPT: dict[int, list[str]] = {
    940000000000000001: [],
    940000000000000002: ["429"],
    940000000000000003: ["500", "500"],
    940000000000000004: ["503"],
    940000000000000005: ["hang"],
    940000000000000006: ["created-502"],
    940000000000000007: ["500", "500", "500", "500"],  # fails this pass, posts on the next
}
SLACK_SCRIPT: dict[str, list[str]] = {
    "C0CLEAN": [],
    "C0LIMIT": ["429"],
    "C0ERROR": ["500", "500"],
    "C0HANG": ["hang"],
    "C0GIVEUP": ["500", "500", "500", "500"],
}


@pytest.fixture
def fault_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "delivery_timeout": 0.5,
            "delivery_attempts": 4,
            "discord_sync_commands": False,
            "slack_posts_per_second": 50.0,
        }
    )


@pytest.fixture
async def core(fault_settings: Settings) -> AsyncIterator[BotCore]:
    core = build_core(fault_settings)
    try:
        yield core
    finally:
        await core.aclose()


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    async with serving(FakeDiscord(TOKEN)) as server:
        yield server


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    server = FakeSlack()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_discord_fan_out_through_faults_posts_each_channel_once(
    core: BotCore, fault_settings: Settings, fake_discord: FakeDiscord
) -> None:
    channels = [str(c) for c in DISCORD_SCRIPT]
    await schedule_channels(core, "discord", channels)
    fake_discord.faults = {c: list(script) for c, script in DISCORD_SCRIPT.items()}
    async with running_client(fake_discord, core, fault_settings):
        scheduler = QuizScheduler(core.services, "discord")
        first = await scheduler.run_due(NOW)
        second = await scheduler.run_due(NOW + timedelta(minutes=1))
        third = await scheduler.run_due(NOW + timedelta(minutes=2))

    assert len(first) == len(channels) - 1 and len(second) == 1 and third == []
    rows = await posted_rows(core)
    for channel in DISCORD_SCRIPT:
        messages = fake_discord.channel_messages.get(channel, [])
        assert len(messages) == 1, (channel, len(messages))
        assert rows[str(channel)] == [("posted", messages[0]["id"])], channel
        assert messages[0]["components"][0]["components"][0]["custom_id"].startswith("daily:")

    def requests(channel: int, method: str) -> int:
        path = f"/channels/{channel}/messages"
        return sum(1 for r in fake_discord.requests if r.method == method and r.path == path)

    posts = {channel: requests(channel, "POST") for channel in DISCORD_SCRIPT}
    looks = {channel: requests(channel, "GET") for channel in DISCORD_SCRIPT}
    # one POST per scripted fault plus the one that worked; discord.py retried nothing by itself
    assert posts == {
        c: len(s) + 1 if "hang" not in s and "created-502" not in s else 1 for c, s in DISCORD_SCRIPT.items()
    }
    # the uncertain ones were looked for (and found) instead of sent again; no other channel was read
    assert looks == {c: 1 if s and s[0] in ("hang", "created-502") else 0 for c, s in DISCORD_SCRIPT.items()}
    assert core.services.pacers["discord"].pauses >= 1  # the 429 paused the pacer
    assert fake_discord.rate_limited == 1


async def test_slack_fan_out_through_faults_posts_each_channel_once(
    core: BotCore, fake_slack: FakeSlack
) -> None:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))  # as the runner does
    core.services.deliveries["slack"] = SlackDelivery(client)
    await schedule_channels(core, "slack", list(SLACK_SCRIPT))
    fake_slack.faults = {c: list(script) for c, script in SLACK_SCRIPT.items()}
    scheduler = QuizScheduler(core.services, "slack")
    first = await scheduler.run_due(NOW)
    second = await scheduler.run_due(NOW + timedelta(minutes=1))

    assert len(first) == len(SLACK_SCRIPT) - 1 and len(second) == 1
    rows = await posted_rows(core)
    for channel in SLACK_SCRIPT:
        messages = fake_slack.messages.get(channel, [])
        assert len(messages) == 1, (channel, len(messages))
        assert rows[channel] == [("posted", messages[0]["ts"])], channel
    posts = {
        c: sum(1 for call in fake_slack.called("chat.postMessage") if call.params["channel"] == c)
        for c in SLACK_SCRIPT
    }
    looks = {
        c: sum(1 for call in fake_slack.called("conversations.history") if call.params["channel"] == c)
        for c in SLACK_SCRIPT
    }
    assert posts == {"C0CLEAN": 1, "C0LIMIT": 2, "C0ERROR": 3, "C0HANG": 1, "C0GIVEUP": 5}
    assert looks == {"C0CLEAN": 0, "C0LIMIT": 0, "C0ERROR": 0, "C0HANG": 1, "C0GIVEUP": 0}
    assert (
        core.services.pacers["slack"].pauses == 1
    )  # the 429 paused the pacer once (no client-side wait too)
