"""Malformed and stale interactions are logged and answered where possible; the client keeps
serving. Logs never carry the bot token, and interaction tokens are masked before they are written."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.logging_setup import RedactSecrets

from . import interaction_payloads as ip
from .discord_harness import TOKEN, RunningBot

pytestmark = pytest.mark.asyncio(loop_scope="session")


def without(payload: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != key}


async def assert_still_serving(bot: RunningBot) -> None:
    recorded = await bot.interact(ip.command("specialty", [ip.option("name", "Auditing")]))
    assert recorded.json["data"]["embeds"][0]["title"] == "Specialty: Auditing"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(without(ip.command("career"), "token"), id="no-token"),
        pytest.param(without(ip.command("career"), "attachment_size_limit"), id="no-size-limit"),
        pytest.param({**ip.command("career"), "id": "not-a-number"}, id="bad-id"),
        pytest.param({**ip.button_press("vote:yes", {}), "data": None}, id="component-without-data"),
        pytest.param(None, id="null"),
        pytest.param(["not", "an", "object"], id="list"),
    ],
)
async def test_malformed_interactions_are_logged_and_the_next_one_is_served(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, payload: Any
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.adapters.discord")
    await bot.gateway.dispatch("INTERACTION_CREATE", payload)
    await assert_still_serving(bot)
    assert "ignored a malformed interaction" in caplog.text
    assert not bot.client.is_closed()


async def test_a_command_discord_still_shows_but_the_bot_no_longer_has(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    recorded = await bot.interact(ip.command("retired", [ip.option("x", "1")]))
    assert recorded.json["data"]["flags"] & 64
    assert "isn't available any more" in recorded.json["data"]["embeds"][0]["description"]
    assert "retired" in caplog.text
    await assert_still_serving(bot)


async def test_an_option_of_the_wrong_type_is_a_polite_error(bot: RunningBot) -> None:
    unresolved = ip.command(
        "club",
        [ip.option("channel", "920000000000000555", kind=7), ip.option("hour", 9, kind=4)],
        subcommand="schedule",
        permissions=ip.MANAGE_GUILD,
    )
    recorded = await bot.interact(unresolved)
    assert recorded.json["data"]["flags"] & 64
    assert "channel option" in recorded.json["data"]["embeds"][0]["description"]
    wrong_type = ip.command("salary", [ip.option("state", 12, kind=4)])
    recorded = await bot.interact(wrong_type)
    assert recorded.json["data"]["flags"] & 64
    assert all(s["channel"] != "920000000000000555" for s in bot.state.schedules)
    await assert_still_serving(bot)


async def test_logs_never_contain_the_bot_token_and_interaction_tokens_are_masked(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    payload = ip.command("salary", [ip.option("state", "OH")])
    await bot.interact(payload)
    await bot.interact(ip.command("compare", [ip.option("states", "OH,PA")]))
    text = caplog.text
    assert "/interactions/" in text  # discord.py logged its requests at DEBUG
    assert TOKEN not in text
    assert payload["token"] in text  # discord.py logs the URL; our handler's filter masks it
    redacted = RedactSecrets([TOKEN]).redact(text)
    assert payload["token"] not in redacted and "[redacted]" in redacted
