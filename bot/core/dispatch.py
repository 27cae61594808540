"""The core's front door: run a command, a command line, a button press, or an autocomplete query.

Adapters call only this. Every user mistake comes back as an ephemeral error reply; unexpected
failures are logged for operators and answered with a polite apology.
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Iterable, Mapping

from pydantic import ValidationError

from bot.core.choices import Choice, ChoiceProvider
from bot.core.command_line import read_options, split_command
from bot.core.commands import ButtonSpec, CommandSpec, Context, OptionSpec
from bot.core.errors import UserError
from bot.core.invocation import Invocation
from bot.core.replies import Reply
from bot.core.services import Services
from bot.ops.metrics import COMMANDS, ERRORS

log = logging.getLogger(__name__)

MODERATOR_REFUSAL = (
    "Only moderators can do that (Manage Server on Discord; workspace admins or listed moderators on "
    "Slack). Nothing was changed."
)


class BotCore:
    def __init__(
        self,
        services: Services,
        commands: Iterable[CommandSpec],
        buttons: Iterable[ButtonSpec] = (),
        choices: Mapping[str, ChoiceProvider] | None = None,
    ):
        self.services = services
        self.commands: dict[str, CommandSpec] = {}
        for spec in commands:
            if spec.qualified_name in self.commands:
                raise ValueError(f"command /{spec.qualified_name} declared twice")
            self.commands[spec.qualified_name] = spec
        self.buttons = {b.prefix: b for b in buttons}
        self.choices: dict[str, ChoiceProvider] = dict(choices or {})
        for spec in self.commands.values():
            for option in spec.option_specs:
                if option.autocomplete and option.autocomplete not in self.choices:
                    raise ValueError(
                        f"/{spec.qualified_name} {option.name}: no provider {option.autocomplete!r}"
                    )

    async def aclose(self) -> None:
        """Send pending message edits, then release what the services hold open (the database)."""
        await self.services.edits.flush()
        await self.services.storage.close()

    # ---- lookups -------------------------------------------------------------------------------
    @property
    def groups(self) -> dict[str, list[CommandSpec]]:
        out: dict[str, list[CommandSpec]] = {}
        for spec in self.commands.values():
            if spec.group:
                out.setdefault(spec.group, []).append(spec)
        return out

    def top_level(self) -> list[CommandSpec]:
        return [s for s in self.commands.values() if not s.group]

    def find(self, name: str, words: list[str]) -> tuple[CommandSpec, list[str]]:
        if name in self.groups:
            subs = {s.name: s for s in self.groups[name]}
            if words and words[0].lower() in subs:
                return subs[words[0].lower()], words[1:]
            raise UserError(
                f"/{name} needs one of: {', '.join(subs)}. Example: {next(iter(subs.values())).example}"
            )
        spec = self.commands.get(name)
        if spec is None:
            raise UserError(f"There is no command /{name}. Commands: {self.command_list()}. Try /help.")
        return spec, words

    def command_list(self) -> str:
        names = sorted({s.group or s.name for s in self.commands.values()})
        return ", ".join(f"/{n}" for n in names)

    def accepts(self, option: OptionSpec, text: str) -> bool:
        if option.choices:
            return text.lower() in {c.lower() for c in option.choices}
        if option.autocomplete:
            return self.choices[option.autocomplete].accepts(text)
        return False

    def suggest(self, provider: str, partial: str, limit: int = 25) -> list[Choice]:
        return self.choices[provider].suggest(partial[:100], limit)

    # ---- running -------------------------------------------------------------------------------
    async def run_line(self, line: str, invocation: Invocation) -> Reply:
        """Run ``/name [sub] options…`` as typed on the console or in Slack."""
        try:
            name, words = split_command(line)
            spec, words = self.find(name, words)
            raw = read_options(spec, words, self.accepts)
        except UserError as exc:
            return Reply.error(exc.message)
        return await self.run(spec.qualified_name, raw, invocation)

    async def run(self, qualified_name: str, raw: Mapping[str, object], invocation: Invocation) -> Reply:
        spec = self.commands.get(qualified_name)
        if spec is None:
            return Reply.error(f"There is no command /{qualified_name}. Try /help.")
        try:
            if spec.moderator_only and not invocation.is_moderator:
                raise UserError(MODERATOR_REFUSAL)
            options = self._validate(spec, raw)
            reply = await spec.handler(Context(self.services, invocation), options)
        except UserError as exc:
            COMMANDS.labels(qualified_name, "user_error").inc()
            return Reply.error(exc.message)
        except Exception:
            log.exception("command /%s failed", qualified_name)
            COMMANDS.labels(qualified_name, "failed").inc()
            ERRORS.labels("command").inc()
            return Reply.error(
                "Something went wrong on our side. It has been logged; please try again later."
            )
        COMMANDS.labels(qualified_name, "user_error" if reply.is_error else "ok").inc()
        return reply

    async def press(self, action: str, invocation: Invocation) -> Reply:
        prefix, _, rest = action.partition(":")
        handler = self.buttons.get(prefix)
        if handler is None or len(action) > 100:
            return Reply.error("That button no longer works. Run the command again for a fresh one.")
        try:
            return await handler.handler(Context(self.services, invocation), rest.split(":") if rest else [])
        except UserError as exc:
            return Reply.error(exc.message)
        except Exception:
            log.exception("button %s failed", prefix)
            ERRORS.labels("button").inc()
            return Reply.error(
                "Something went wrong on our side. It has been logged; please try again later."
            )

    def _validate(self, spec: CommandSpec, raw: Mapping[str, object]) -> typing.Any:
        by_name = {o.name: o for o in spec.option_specs}
        values: dict[str, object] = {}
        for key, value in raw.items():
            option = by_name.get(key)
            if option is None:
                valid = ", ".join(by_name) or "none"
                raise UserError(f"/{spec.qualified_name} has no option {key!r}. Its options: {valid}.")
            if isinstance(value, str):
                value = value.strip()
                if len(value) > option.max_length:
                    raise UserError(
                        f"The {key} option is too long ({len(value)} characters; the limit is {option.max_length})."
                    )
                if any(ord(ch) < 32 for ch in value):
                    raise UserError(f"The {key} option contains control characters.")
                if value == "" and not option.required:
                    continue
                if option.choices:
                    match = next((c for c in option.choices if c.lower() == value.lower()), None)
                    if match is None:
                        raise UserError(
                            f"{key} must be one of: {', '.join(option.choices)} (you gave {value!r})."
                        )
                    value = match
                elif option.kind == "boolean":
                    lowered = value.lower()
                    if lowered not in {"true", "false", "yes", "no", "on", "off"}:
                        raise UserError(f"{key} must be yes or no (you gave {value!r}).")
                    value = lowered in {"true", "yes", "on"}
            values[key] = value
        try:
            return spec.options.model_validate(values)
        except ValidationError as exc:
            raise UserError(_readable(spec, exc)) from exc


def _readable(spec: CommandSpec, exc: ValidationError) -> str:
    problems = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or "options"
        if err["type"] == "missing":
            problems.append(f"the {field} option is required")
        else:
            message = str(err.get("ctx", {}).get("error", err["msg"]))
            problems.append(f"{field}: {message}")
    example = f" Example: {spec.example}" if spec.example else ""
    return f"/{spec.qualified_name}: " + "; ".join(problems) + "." + example
