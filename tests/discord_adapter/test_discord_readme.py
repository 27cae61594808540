"""README's Discord instructions match the code: the invite link's scopes and permissions, and
every variable it lists is a real setting."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from bot.adapters.discord.client import REQUIRED_PERMISSIONS, SCOPES
from bot.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
SECTION = README.split("## Running on Discord", 1)[1].split("\n## ", 1)[0]


def test_invite_link_asks_for_exactly_what_the_bot_needs() -> None:
    link = re.search(r"https://discord\.com/oauth2/authorize\?\S+", SECTION)
    assert link is not None
    query = parse_qs(urlparse(link.group(0)).query)
    assert query["scope"] == [" ".join(SCOPES)]
    assert query["permissions"] == [str(REQUIRED_PERMISSIONS.value)]


def test_every_documented_variable_is_a_setting() -> None:
    documented = set(re.findall(r"`CPCBOT_(DISCORD_[A-Z_]+)`", SECTION))
    assert {"DISCORD_TOKEN", "DISCORD_GUILD_ID", "DISCORD_SHARD_COUNT"} <= documented
    assert {name.lower() for name in documented} <= set(Settings.model_fields)
