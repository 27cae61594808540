"""The daily question through the real discord.py client: a moderator posts it, members answer with
the buttons, the post's live count is edited, a second click changes nothing."""

from __future__ import annotations

import pytest

from . import interaction_payloads as ip
from .discord_harness import RunningBot
from .fake_discord import CHANNEL_ID

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def answers_in_db(bot: RunningBot) -> int:
    return int(await bot.core.services.storage.fetch_value("SELECT COUNT(*) FROM answers"))


async def test_post_answer_and_repeat_click(bot: RunningBot) -> None:
    refused = await bot.interact(ip.command("quiz", subcommand="now"))
    assert (
        refused.json["data"]["flags"] & 64
        and "Only moderators" in refused.json["data"]["embeds"][0]["description"]
    )

    moderator = ip.EVERYONE_PERMISSIONS | ip.MANAGE_GUILD
    done = await bot.interact(ip.command("quiz", subcommand="now", permissions=moderator))
    assert (
        done.json["data"]["flags"] & 64 and done.json["data"]["embeds"][0]["title"] == "Daily question posted"
    )
    posted = await bot.fake.wait_for(
        lambda r: r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages"
    )
    message = bot.fake.message(CHANNEL_ID, posted.json)
    ids = [b["custom_id"] for row in message["components"] for b in row["components"]]
    assert [i.rsplit(":", 1)[1] for i in ids] == ["A", "B", "C", "D"] and all(
        i.startswith("daily:") for i in ids
    )

    before = await answers_in_db(bot)
    first = await bot.interact(ip.button_press(ids[1], message))
    assert first.json["type"] == 4 and first.json["data"]["flags"] & 64
    assert first.json["data"]["embeds"][0]["title"] in {"Correct!"} | {
        f"Not quite: the answer is {x}" for x in "ACD"
    }
    assert await answers_in_db(bot) == before + 1
    edited = await bot.fake.wait_for(
        lambda r: r.method == "PATCH" and r.path.startswith(f"/channels/{CHANNEL_ID}/messages/")
    )
    assert edited.json["embeds"][0]["footer"]["text"].startswith("1 answer so far")

    again = await bot.interact(ip.button_press(ids[2], message))
    assert again.json["data"]["embeds"][0]["title"] == "You already answered B"
    assert await answers_in_db(bot) == before + 1
