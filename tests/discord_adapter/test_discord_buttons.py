"""Reply buttons as Discord components, pressed through the real client, and still working after
the bot restarts."""

from __future__ import annotations

from typing import Any

import pytest

from . import interaction_payloads as ip
from .discord_harness import CommandState, RunningBot, build_test_core, discord_settings, running_client
from .fake_discord import CHANNEL_ID

pytestmark = pytest.mark.asyncio(loop_scope="session")


def buttons(components: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    return [(b["custom_id"], b["label"], b["style"]) for row in components for b in row["components"]]


async def posted_poll(bot: RunningBot) -> dict[str, Any]:
    recorded = await bot.interact(ip.command("poll"))
    assert recorded.json["type"] == 4
    return bot.fake.message(CHANNEL_ID, recorded.json["data"])


async def test_reply_buttons_become_components(bot: RunningBot) -> None:
    message = await posted_poll(bot)
    assert buttons(message["components"]) == [
        ("vote:yes", "Yes", 3),
        ("vote:no", "No", 4),
        ("vote:results", "Results", 2),
    ]


async def test_pressing_a_button_edits_the_message_it_sits_on(bot: RunningBot) -> None:
    bot.state.votes.clear()
    message = await posted_poll(bot)
    recorded = await bot.interact(ip.button_press("vote:yes", message))
    assert recorded.json["type"] == 7  # update the pressed message
    data = recorded.json["data"]
    assert data["embeds"][0]["description"] == "Yes 1 · No 0"
    assert [b[0] for b in buttons(data["components"])] == ["vote:yes", "vote:no", "vote:results"]
    assert data["attachments"] == []
    assert bot.state.votes == {"yes": 1}


async def test_a_button_reply_that_is_not_an_update_is_a_new_private_message(bot: RunningBot) -> None:
    message = await posted_poll(bot)
    recorded = await bot.interact(ip.button_press("vote:results", message))
    assert recorded.json["type"] == 4
    assert recorded.json["data"]["flags"] & 64
    assert recorded.json["data"]["embeds"][0]["title"] == "Results"


@pytest.mark.parametrize(
    ("custom_id", "needle"),
    [
        ("vote:maybe", "doesn't exist"),
        ("expired:1", "no longer works"),
        ("Not An Action!", "no longer works"),
    ],
)
async def test_bad_presses_get_an_ephemeral_error_and_change_nothing(
    bot: RunningBot, custom_id: str, needle: str
) -> None:
    bot.state.votes.clear()
    message = bot.fake.message(
        CHANNEL_ID,
        {
            "components": [
                {"type": 1, "components": [{"type": 2, "style": 2, "label": "Old", "custom_id": custom_id}]}
            ]
        },
    )
    recorded = await bot.interact(ip.button_press(custom_id, message))
    assert recorded.json["type"] == 4 and recorded.json["data"]["flags"] & 64
    assert needle in recorded.json["data"]["embeds"][0]["description"]
    assert bot.state.votes == {}


async def test_buttons_keep_working_after_a_restart(
    bot: RunningBot, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A message posted by one client run is pressed while a brand-new client (new core, no views
    registered for that message) is the one connected."""
    message = await posted_poll(bot)
    state = CommandState()
    settings = discord_settings(tmp_path_factory.mktemp("restart"), discord_sync_commands=False)
    async with running_client(bot.fake, build_test_core(settings, state), settings) as (_client, gateway):
        payload = ip.button_press("vote:no", message)
        await gateway.dispatch("INTERACTION_CREATE", payload)
        recorded = await bot.fake.callback(int(payload["id"]))
    assert recorded.json["type"] == 7
    assert recorded.json["data"]["embeds"][0]["description"] == "Yes 0 · No 1"
    assert state.votes == {"no": 1}
