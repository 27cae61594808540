"""/help: every command with an example, generated from the registry so it never goes stale."""

from __future__ import annotations

from pydantic import BaseModel

from bot.core.commands import CommandSpec, Context
from bot.core.replies import Reply, TableData


def help_command(all_commands: list[CommandSpec]) -> CommandSpec:
    async def handler(ctx: Context, _opts: BaseModel) -> Reply:
        rows = [
            [f"/{spec.qualified_name}", spec.description, spec.example or f"/{spec.qualified_name}"]
            for spec in all_commands
            if not spec.moderator_only or ctx.invocation.is_moderator
        ]
        return Reply(
            title="cpcbot commands",
            text="Salary and career figures come with their sources; estimates say how they were made.",
            table=TableData(columns=["Command", "What it does", "Example"], rows=rows),
            ephemeral=True,
        )

    return CommandSpec("help", "Every command with an example", handler, example="/help")
