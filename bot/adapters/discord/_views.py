"""Reply buttons as persistent components.

Each button's ``custom_id`` is the core's button action (``vote:yes``). One ``DynamicItem`` class
matches every such id on any message, old or new, so buttons keep working after a restart without
remembering which messages carry them; the press goes to ``BotCore.press`` through the client.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

import discord

from bot.core.replies import Button, ButtonStyle

ACTION_TEMPLATE = re.compile(r"[a-z_]+:[A-Za-z0-9_:.\-]*")
MAX_BUTTONS = 25

STYLES: dict[ButtonStyle, discord.ButtonStyle] = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


class PressHandler(Protocol):
    async def answer_press(self, interaction: discord.Interaction, action: str) -> None: ...


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ACTION_TEMPLATE):
    """A button whose custom_id is a core action; pressing it asks the client's responder."""

    def __init__(
        self, action: str, label: str = "…", style: discord.ButtonStyle = discord.ButtonStyle.secondary
    ):
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=action))
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ActionButton:
        label = getattr(item, "label", None) or "…"
        style = getattr(item, "style", discord.ButtonStyle.secondary)
        return cls(match.group(0), label=label, style=style)

    async def callback(self, interaction: discord.Interaction) -> None:
        responder: PressHandler = interaction.client.responder  # type: ignore[attr-defined]
        await responder.answer_press(interaction, self.action)


def action_view(buttons: list[Button]) -> discord.ui.View | None:
    """A view that never times out, holding the reply's buttons (Discord allows 25, 5 a row)."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons[:MAX_BUTTONS]:
        view.add_item(ActionButton(button.action, label=button.label, style=STYLES[button.style]))
    return view
