"""The Slack adapter (slack-bolt AsyncApp): slash commands, Block Kit replies, buttons, and the core's
own posts, in Socket Mode or HTTP mode. ``runner.run`` is what ``cpcbot slack`` calls."""

from bot.adapters.slack._app import SlackAdapter, slash_command_names
from bot.adapters.slack._blocks import SlackMessage, render
from bot.adapters.slack._delivery import SlackDelivery
from bot.adapters.slack._moderators import Moderators

__all__ = ["Moderators", "SlackAdapter", "SlackDelivery", "SlackMessage", "render", "slash_command_names"]
