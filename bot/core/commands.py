"""The command model: a command's name, description, typed options and handler, declared once.

Options are a pydantic model. Each field's ``description`` and ``json_schema_extra`` tell adapters
how to offer it: ``{"autocomplete": "states"}`` names a choice provider, ``{"greedy": True}`` lets the
option take the rest of a plain-text command line (``/compare CA TX NY``). ``Literal`` fields become
fixed choices.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from bot.core.invocation import Invocation
from bot.core.replies import Reply

if TYPE_CHECKING:
    from bot.core.services import Services


@dataclass(frozen=True)
class Context:
    """What a handler gets besides its options."""

    services: Services
    invocation: Invocation


class NoOptions(BaseModel):
    pass


Handler = Callable[[Context, Any], Awaitable[Reply]]
ButtonHandler = Callable[[Context, list[str]], Awaitable[Reply]]

OptionKind = Literal["string", "integer", "boolean", "channel"]


@dataclass(frozen=True)
class OptionSpec:
    name: str
    description: str
    kind: OptionKind
    required: bool
    choices: tuple[str, ...] = ()
    autocomplete: str | None = None
    greedy: bool = False
    max_length: int = 200


@dataclass(frozen=True)
class CommandSpec:
    """One command. ``group`` makes it a subcommand (``/quiz schedule``)."""

    name: str
    description: str
    handler: Handler
    options: type[BaseModel] = NoOptions
    example: str = ""
    group: str | None = None
    moderator_only: bool = False
    slow: bool = False
    option_specs: tuple[OptionSpec, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "option_specs", tuple(_option_specs(self.options)))

    @property
    def qualified_name(self) -> str:
        return f"{self.group} {self.name}" if self.group else self.name


@dataclass(frozen=True)
class ButtonSpec:
    """Handles presses of buttons whose action starts with ``prefix:``."""

    prefix: str
    handler: ButtonHandler


def _unwrap_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _option_specs(model: type[BaseModel]) -> list[OptionSpec]:
    specs = []
    for name, info in model.model_fields.items():
        annotation = _unwrap_optional(info.annotation)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        choices: tuple[str, ...] = ()
        if typing.get_origin(annotation) is Literal:
            choices = tuple(str(a) for a in typing.get_args(annotation))
            kind: OptionKind = "string"
        elif annotation is int:
            kind = "integer"
        elif annotation is bool:
            kind = "boolean"
        elif annotation is str:
            kind = "channel" if extra.get("channel") else "string"
        else:
            raise TypeError(f"option {model.__name__}.{name}: unsupported type {annotation!r}")
        max_length = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
        specs.append(
            OptionSpec(
                name=name,
                description=info.description or name,
                kind=kind,
                required=info.is_required(),
                choices=choices,
                autocomplete=extra.get("autocomplete"),  # type: ignore[arg-type]
                greedy=bool(extra.get("greedy", False)),
                max_length=max_length or 200,
            )
        )
    return specs
