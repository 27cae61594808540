"""Interactions in, core calls out, replies back: who asked (Invocation), when to defer, and which
interaction response fits the reply (new message, ephemeral, or an edit of the pressed message).

Discord wants a first response within 3 s. Commands marked ``slow`` defer at once; any other work
that is still running after ``defer_after`` seconds is deferred then, so a slow disk or database
never turns into "This interaction failed".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping

import discord

from bot.adapters.discord._render import render
from bot.core.commands import CommandSpec
from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.core.replies import Reply

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0


def is_moderator(interaction: discord.Interaction) -> bool:
    """Manage Server in this guild, read from the permissions Discord sends with the interaction;
    deliberately independent of the command's default member permissions, which admins can change."""
    if interaction.guild_id is None:
        return False
    permissions = interaction.permissions
    return permissions.manage_guild or permissions.administrator


def invocation_for(interaction: discord.Interaction, core: BotCore) -> Invocation:
    user = interaction.user
    community = str(interaction.guild_id) if interaction.guild_id else f"dm-{user.id}"
    return Invocation(
        platform="discord",
        community_id=community,
        channel_id=str(interaction.channel_id or f"dm-{user.id}"),
        user_id=str(user.id),
        user_name=user.display_name,
        is_moderator=is_moderator(interaction),
        at=core.services.clock(),
    )


class Responder:
    def __init__(self, core: BotCore, defer_after: float = DEFER_AFTER):
        self.core = core
        self.defer_after = defer_after

    async def answer_command(
        self, interaction: discord.Interaction, spec: CommandSpec, raw: Mapping[str, object]
    ) -> None:
        invocation = invocation_for(interaction, self.core)
        work = self.core.run(spec.qualified_name, raw, invocation)
        await self._answer(interaction, work, slow=spec.slow)

    async def answer_press(self, interaction: discord.Interaction, action: str) -> None:
        work = self.core.press(action, invocation_for(interaction, self.core))
        await self._answer(interaction, work, slow=False)

    async def answer_error(self, interaction: discord.Interaction, message: str) -> None:
        """An ephemeral error for an interaction the core never saw (unreadable or stale command)."""
        reply = Reply.error(message)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(ephemeral=True, **render(reply).send_kwargs())
            else:
                await interaction.response.send_message(ephemeral=True, **render(reply).send_kwargs())
        except discord.HTTPException as exc:
            log.warning("could not send an error reply to interaction %s: %s", interaction.id, exc)

    async def _answer(self, interaction: discord.Interaction, work: Awaitable[Reply], *, slow: bool) -> None:
        task = asyncio.ensure_future(work)
        if not slow:
            await asyncio.wait({task}, timeout=self.defer_after)
        deferred = not task.done()
        if deferred:
            await self._defer(interaction)
        reply = await task
        if deferred:
            await self._send_after_defer(interaction, reply)
        else:
            await self._send(interaction, reply)

    async def _defer(self, interaction: discord.Interaction) -> None:
        if interaction.type is discord.InteractionType.component:
            await interaction.response.defer()  # type 6: nothing shown yet, the message can still be edited
        else:
            await interaction.response.defer(thinking=True)  # type 5: "cpcbot is thinking…"

    async def _send(self, interaction: discord.Interaction, reply: Reply) -> None:
        message = render(reply)
        if self._edits_pressed_message(interaction, reply):
            await interaction.response.edit_message(**message.edit_kwargs())
        else:
            await interaction.response.send_message(
                ephemeral=reply.ephemeral or reply.is_error, **message.send_kwargs()
            )

    async def _send_after_defer(self, interaction: discord.Interaction, reply: Reply) -> None:
        message = render(reply)
        if interaction.type is discord.InteractionType.component:
            if self._edits_pressed_message(interaction, reply):
                await interaction.edit_original_response(**message.edit_kwargs())
            else:
                await interaction.followup.send(
                    ephemeral=reply.ephemeral or reply.is_error, **message.send_kwargs()
                )
        elif reply.ephemeral or reply.is_error:
            # A public "thinking…" message cannot turn ephemeral: remove it, then answer privately.
            await interaction.delete_original_response()
            await interaction.followup.send(ephemeral=True, **message.send_kwargs())
        else:
            await interaction.edit_original_response(**message.edit_kwargs())

    @staticmethod
    def _edits_pressed_message(interaction: discord.Interaction, reply: Reply) -> bool:
        return (
            interaction.type is discord.InteractionType.component
            and reply.update_message
            and not reply.is_error
        )
