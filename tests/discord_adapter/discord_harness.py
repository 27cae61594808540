"""Running the real discord.py client against the fake Discord, and the core it serves.

Besides every real command, the core here has a few test-only commands: a moderator-only
``/club schedule`` (channel, integer and boolean options) and ``/reset``, a ``/poll`` whose reply has
buttons, and ``/ponder`` that runs until the test lets it finish (to see the deferral)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord.gateway import DiscordWebSocket
from discord.http import Route
from pydantic import BaseModel, Field

from bot.adapters.discord import build_client
from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.commands import ButtonSpec, CommandSpec, Context
from bot.core.dispatch import BotCore
from bot.core.errors import UserError
from bot.core.replies import Button, Reply

from .fake_discord import FakeDiscord, GatewaySession, Recorded

TOKEN = "MTAwMDAwMDAwMDAwMDAwMDAx.GabcDE.abcdefghijklmnopqrstuvwxyz0123456"
DEFER_AFTER = 1.0


@dataclass
class CommandState:
    """What the test-only commands stored; a refused moderator command must leave it empty."""

    schedules: list[dict[str, Any]] = field(default_factory=list)
    resets: int = 0
    votes: dict[str, int] = field(default_factory=dict)
    ponder_gate: asyncio.Event = field(default_factory=asyncio.Event)


class ScheduleOptions(BaseModel):
    channel: str = Field(description="Channel to post in", json_schema_extra={"channel": True})
    hour: int = Field(description="Hour of the day, UTC", ge=0, le=23)
    weekends: bool = Field(default=True, description="Post on weekends too")


POLL_BUTTONS = [
    Button(label="Yes", action="vote:yes", style="success"),
    Button(label="No", action="vote:no", style="danger"),
    Button(label="Results", action="vote:results"),
]


def extra_commands(state: CommandState) -> tuple[list[CommandSpec], list[ButtonSpec]]:
    async def schedule(ctx: Context, opts: ScheduleOptions) -> Reply:
        state.schedules.append({**opts.model_dump(), "by": ctx.invocation.user_id})
        return Reply(title="Scheduled", text=f"Daily post in <#{opts.channel}> at {opts.hour:02d}:00 UTC.")

    async def status(ctx: Context, _opts: BaseModel) -> Reply:
        return Reply(title="Club status", text=f"{len(state.schedules)} schedules.")

    async def reset(ctx: Context, _opts: BaseModel) -> Reply:
        state.resets += 1
        return Reply(title="Reset done")

    async def poll(ctx: Context, _opts: BaseModel) -> Reply:
        return Reply(title="Poll: studying today?", text="Vote below.", buttons=POLL_BUTTONS)

    async def ponder(ctx: Context, _opts: BaseModel) -> Reply:
        await state.ponder_gate.wait()
        return Reply(title="Pondered", text="That took a while.")

    async def vote(ctx: Context, args: list[str]) -> Reply:
        choice = args[0] if args else ""
        if choice == "results":
            return Reply(title="Results", text=f"{state.votes}", ephemeral=True)
        if choice not in {"yes", "no"}:
            raise UserError("That vote option doesn't exist.")
        state.votes[choice] = state.votes.get(choice, 0) + 1
        return Reply(
            title="Poll: studying today?",
            text=f"Yes {state.votes.get('yes', 0)} · No {state.votes.get('no', 0)}",
            buttons=POLL_BUTTONS,
            update_message=True,
        )

    commands = [
        CommandSpec(
            "schedule",
            "Schedule the daily post",
            schedule,
            ScheduleOptions,
            group="club",
            moderator_only=True,
        ),
        CommandSpec("status", "Club status", status, group="club"),
        CommandSpec("reset", "Reset everything", reset, moderator_only=True),
        CommandSpec("poll", "A poll with buttons", poll),
        CommandSpec("ponder", "Takes its time", ponder),
    ]
    return commands, [ButtonSpec("vote", vote)]


def build_test_core(settings: Settings, state: CommandState) -> BotCore:
    real = build_core(settings)
    commands, buttons = extra_commands(state)
    return BotCore(
        real.services,
        [*real.commands.values(), *commands],
        [*real.buttons.values(), *buttons],
        real.choices,
    )


def discord_settings(tmp: Path, **overrides: Any) -> Settings:
    return Settings(_env_file=None, data_dir=tmp / "var", discord_token=TOKEN, **overrides)


@dataclass
class RunningBot:
    fake: FakeDiscord
    client: discord.Client
    core: BotCore
    state: CommandState
    gateway: GatewaySession

    async def interact(self, payload: dict[str, Any], within: float = 10.0) -> Recorded:
        """Send INTERACTION_CREATE and return the interaction response the bot POSTed."""
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return await self.fake.callback(int(payload["id"]), within)


@contextlib.asynccontextmanager
async def serving(server: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    """Start ``server`` and point discord.py's REST and gateway at it; put both back afterwards."""
    await server.start()
    base, gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = server.api_base  # type: ignore[misc]
    DiscordWebSocket.DEFAULT_GATEWAY = server.gateway_url
    try:
        yield server
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = base, gateway  # type: ignore[misc]
        await server.close()


@contextlib.asynccontextmanager
async def running_client(
    fake: FakeDiscord, core: BotCore, settings: Settings, shard_id: int = 0
) -> AsyncIterator[tuple[discord.Client, GatewaySession]]:
    seen = len(fake.sessions)
    client = build_client(core, settings, guild_ready_timeout=0.05, defer_after=DEFER_AFTER)
    task = asyncio.create_task(client.start(TOKEN))
    try:
        gateway = await fake.session(shard_id, after=seen)
        await asyncio.wait_for(client.wait_until_ready(), 10)
        yield client, gateway
    finally:
        await client.close()
        await asyncio.wait_for(task, 10)
