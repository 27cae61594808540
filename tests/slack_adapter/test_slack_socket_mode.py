"""Socket Mode: the real AsyncSocketModeHandler against a fake apps.connections.open and websocket."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import SlackAdapter
from bot.config import Settings
from bot.core.dispatch import BotCore

from .fake_slack import APP_TOKEN, BOT_TOKEN, TEAM_ID, FakeSlack
from .slack_harness import CHANNEL, MEMBER, MODERATOR, stored_rows


@pytest.fixture
async def socket_mode(fake_slack: FakeSlack, slack_core: BotCore) -> AsyncIterator[SlackAdapter]:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    adapter = SlackAdapter(slack_core, client)
    handler = AsyncSocketModeHandler(adapter.app, app_token=APP_TOKEN)
    await handler.connect_async()
    yield adapter
    await handler.close_async()
    await adapter.drain(10)


def slash_envelope(fake: FakeSlack, n: int, command: str, text: str, user: str) -> dict:
    return {
        "envelope_id": f"env-{n}",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": CHANNEL,
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0APP",
            "response_url": fake.response_url(f"sock{n}"),
            "trigger_id": f"trigger-sock{n}",
        },
    }


async def test_a_slash_command_over_socket_mode_is_acked_and_answered(
    fake_slack: FakeSlack, socket_mode: SlackAdapter
) -> None:
    (opened,) = fake_slack.called("apps.connections.open")
    assert opened.token == APP_TOKEN
    await fake_slack.wait_for(lambda: fake_slack.socket_connections == 1)
    await fake_slack.socket_outbox.put(slash_envelope(fake_slack, 1, "/salary", "CA CPC", MEMBER))
    await fake_slack.wait_for(lambda: fake_slack.socket_received)
    assert fake_slack.socket_received[0]["envelope_id"] == "env-1"
    await fake_slack.wait_for(lambda: fake_slack.responses_to("sock1"))
    (body,) = fake_slack.responses_to("sock1")
    assert body["response_type"] == "in_channel"
    assert body["blocks"][0]["text"]["text"] == "Medical coder pay in California (CA) — CPC"


async def test_a_button_over_socket_mode_and_a_redelivered_envelope(
    fake_slack: FakeSlack, socket_mode: SlackAdapter, slack_settings: Settings
) -> None:
    await fake_slack.wait_for(lambda: fake_slack.socket_connections == 1)
    envelope = {
        "envelope_id": "env-b",
        "type": "interactive",
        "accepts_response_payload": False,
        "payload": {
            "type": "block_actions",
            "user": {"id": MODERATOR, "username": "mod", "team_id": TEAM_ID},
            "team": {"id": TEAM_ID},
            "channel": {"id": CHANNEL},
            "container": {"type": "message", "message_ts": "1.2", "channel_id": CHANNEL},
            "trigger_id": "trigger-b",
            "response_url": fake_slack.response_url("sockb"),
            "actions": [{"action_id": "tally:tea", "block_id": "b", "value": "tally:tea", "type": "button"}],
        },
    }
    await fake_slack.socket_outbox.put(envelope)
    await fake_slack.wait_for(lambda: fake_slack.responses_to("sockb"))
    assert fake_slack.responses_to("sockb")[0]["replace_original"] is True
    await fake_slack.socket_outbox.put(envelope | {"envelope_id": "env-b2"})  # Slack redelivers
    await fake_slack.wait_for(lambda: len(fake_slack.socket_received) == 2)
    assert sorted(m["envelope_id"] for m in fake_slack.socket_received) == ["env-b", "env-b2"]
    await socket_mode.drain(5)
    assert stored_rows(slack_settings) == [("tea", MODERATOR)]
    assert len(fake_slack.responses_to("sockb")) == 1
