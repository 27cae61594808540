"""Reads a slash-command line (``/salary state:CA cert:CPC`` or ``/salary New York CPC``) into a
command and its raw option values. Shared by the console and Slack adapters."""

from __future__ import annotations

import shlex
from collections.abc import Callable

from bot.core.commands import CommandSpec, OptionSpec
from bot.core.errors import UserError

MAX_LINE = 2000
MAX_WORDS_PER_VALUE = 4


def split_command(line: str) -> tuple[str, list[str]]:
    """``'/quiz schedule time:09:00'`` → ``('quiz', ['schedule', 'time:09:00'])``."""
    if len(line) > MAX_LINE:
        raise UserError(f"That command is too long ({len(line)} characters; the limit is {MAX_LINE}).")
    if any(ord(ch) < 32 and ch not in "\t" for ch in line):
        raise UserError("That command contains control characters; please type it again as plain text.")
    try:
        words = shlex.split(line.strip())
    except ValueError as exc:
        raise UserError(f"I couldn't read that command ({exc}). Check your quotes.") from exc
    if not words:
        raise UserError("Type a command, for example /salary state:CA cert:CPC. /help lists them all.")
    return words[0].lstrip("/").lower(), words[1:]


def read_options(
    spec: CommandSpec, words: list[str], accepts: Callable[[OptionSpec, str], bool]
) -> dict[str, str]:
    """Named ``name:value`` words (a value may run over several words) and positional words, which
    fill the options in declared order; a greedy option takes the rest, comma-joined."""
    names = {o.name: o for o in spec.option_specs}
    named: dict[str, str] = {}
    positional: list[str] = []
    current: str | None = None
    for word in words:
        key, sep, value = word.partition(":")
        if sep and key.lower() in names:
            current = key.lower()
            if current in named:
                raise UserError(f"The option {current} is given twice.")
            named[current] = value
        elif sep and key.isidentifier() and key.lower() not in names:
            valid = ", ".join(names) or "none"
            raise UserError(f"/{spec.qualified_name} has no option {key!r}. Its options: {valid}.")
        elif current is not None:
            named[current] = f"{named[current]} {word}".strip()
        else:
            positional.append(word)
    if positional:
        named.update(_assign_positional(spec, positional, named, accepts))
    return named


def _assign_positional(
    spec: CommandSpec,
    words: list[str],
    named: dict[str, str],
    accepts: Callable[[OptionSpec, str], bool],
) -> dict[str, str]:
    free = [o for o in spec.option_specs if o.name not in named]
    out: dict[str, str] = {}
    i = 0
    for option in free:
        if i >= len(words):
            break
        if option.greedy:
            out[option.name] = ",".join(w.strip(",") for w in words[i:] if w.strip(","))
            i = len(words)
            break
        take = 1
        for n in range(min(MAX_WORDS_PER_VALUE, len(words) - i), 1, -1):
            if accepts(option, " ".join(words[i : i + n])):
                take = n
                break
        out[option.name] = " ".join(words[i : i + take])
        i += take
    if i < len(words):
        extra = " ".join(words[i:])
        raise UserError(
            f"I didn't understand {extra!r}. Try /{spec.qualified_name} with named options, "
            f"e.g. {spec.example or '/help'}."
        )
    return out
