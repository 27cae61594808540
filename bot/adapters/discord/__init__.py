"""The Discord adapter (discord.py): slash commands, embeds, persistent buttons, scheduled posts."""

from bot.adapters.discord.client import build_client, invite_url, run

__all__ = ["build_client", "invite_url", "run"]
