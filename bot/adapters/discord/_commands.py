"""BotCore's commands as Discord application commands, built from each CommandSpec's OptionSpecs.

discord.py reads a command's options from its callback's signature, so each command gets a small
callback whose signature is made from the spec (``str``/``int``/``bool``/text channel, ``Literal``
for fixed choices, a length limit), with descriptions and autocomplete attached through the public
``describe``/``autocomplete`` decorators. Nothing here knows any particular command.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any, Literal

import discord
from discord import app_commands

from bot.adapters.discord._interactions import Responder
from bot.core.commands import CommandSpec, OptionSpec
from bot.core.dispatch import BotCore

NAME_LIMIT = 32
DESCRIPTION_LIMIT = 100
STRING_LENGTH_LIMIT = 6000
CHOICE_LIMIT = 25
MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True)


class TextChannelId(app_commands.Transformer):
    """A text or announcement channel, handed to the core as its id. Reads the channel Discord
    resolved in the interaction itself, so it works without a guild cache."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        return [discord.ChannelType.text, discord.ChannelType.news]

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> str:
        if not isinstance(value, app_commands.AppCommandChannel) or value.type not in self.channel_types:
            raise app_commands.TransformerError(value, self.type, self)
        return str(value.id)


def _short(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def option_annotation(option: OptionSpec) -> Any:
    if option.choices:
        annotation: Any = Literal[option.choices]  # type: ignore[valid-type]
    elif option.kind == "integer":
        annotation = int
    elif option.kind == "boolean":
        annotation = bool
    elif option.kind == "channel":
        annotation = app_commands.Transform[str, TextChannelId]
    else:
        annotation = app_commands.Range[str, None, min(option.max_length, STRING_LENGTH_LIMIT)]
    return annotation if option.required else typing.Optional[annotation]  # noqa: UP045


def _suggester(core: BotCore, provider: str) -> Any:
    async def suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=_short(c.name), value=c.value[:100])
            for c in core.suggest(provider, current or "", CHOICE_LIMIT)
        ]

    return suggest


def build_command(
    spec: CommandSpec, core: BotCore, responder: Responder
) -> app_commands.Command[Any, ..., None]:
    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        raw = {name: value for name, value in values.items() if value is not None}
        await responder.answer_command(interaction, spec, raw)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for option in spec.option_specs:
        parameters.append(
            inspect.Parameter(
                option.name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=option_annotation(option),
                default=inspect.Parameter.empty if option.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = f"{spec.qualified_name.replace(' ', '_')}_command"
    descriptions = {o.name: _short(o.description) for o in spec.option_specs}
    if descriptions:
        app_commands.describe(**descriptions)(callback)
    suggesters = {o.name: _suggester(core, o.autocomplete) for o in spec.option_specs if o.autocomplete}
    if suggesters:
        app_commands.autocomplete(**suggesters)(callback)
    if spec.moderator_only and spec.group is None:
        app_commands.default_permissions(manage_guild=True)(callback)
        app_commands.guild_only()(callback)
    return app_commands.Command(
        name=spec.name[:NAME_LIMIT],
        description=_short(spec.description),
        callback=callback,
    )


def build_group(
    name: str, specs: list[CommandSpec], core: BotCore, responder: Responder
) -> app_commands.Group:
    """A command group (``/quiz schedule``). Discord sets default permissions per top-level command
    only, so the group carries Manage Server only when every subcommand is for moderators; the
    core refuses non-moderators either way."""
    moderators_only = all(s.moderator_only for s in specs)
    group = app_commands.Group(
        name=name[:NAME_LIMIT],
        description=_short(f"/{name}: " + ", ".join(s.name for s in specs)),
        default_permissions=MODERATOR_PERMISSIONS if moderators_only else None,
        guild_only=moderators_only,
    )
    for spec in specs:
        group.add_command(build_command(spec, core, responder))
    return group


def build_commands(
    core: BotCore, responder: Responder
) -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    commands: list[app_commands.Command[Any, ..., None] | app_commands.Group] = [
        build_command(spec, core, responder) for spec in core.top_level()
    ]
    commands.extend(build_group(name, specs, core, responder) for name, specs in core.groups.items())
    return commands
