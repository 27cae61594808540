"""Every command family. A new command touches this package (and data/) only."""

from __future__ import annotations

from bot.core.commands import ButtonSpec, CommandSpec
from commands import career, daily_question, icd10_lookup, practice, quiz_schedule, salary, standings
from commands.help import help_command


def all_commands() -> list[CommandSpec]:
    specs: list[CommandSpec] = [
        *salary.COMMANDS,
        *career.COMMANDS,
        *practice.COMMANDS,
        *icd10_lookup.COMMANDS,
        *quiz_schedule.COMMANDS,
        *daily_question.COMMANDS,
        *standings.COMMANDS,
    ]
    specs.append(help_command(specs))  # /help reads this same list, so it lists itself too
    return specs


def all_buttons() -> list[ButtonSpec]:
    return [*practice.BUTTONS, *daily_question.BUTTONS]
