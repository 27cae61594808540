"""Dollar amounts and ranges exactly as a source writes them ("$58,000–$72,000+", "$23.45")."""

from __future__ import annotations

import re
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

_AMOUNT = r"\$([0-9]{1,3}(?:,[0-9]{3})*(?:\.[0-9]{2})?)"
_RANGE = re.compile(rf"^{_AMOUNT}(?:–{_AMOUNT})?(\+)?$")


class MoneyRange:
    """A written amount or range; ``text`` is kept verbatim, ``low``/``high`` are parsed from it."""

    __slots__ = ("high", "low", "open_ended", "text")

    def __init__(self, text: str):
        match = _RANGE.match(text)
        if not match:
            raise ValueError(f"{text!r} is not a dollar amount or range like $48,000–$58,000")
        self.text = text
        self.low = float(match.group(1).replace(",", ""))
        self.high = float(match.group(2).replace(",", "")) if match.group(2) else self.low
        self.open_ended = bool(match.group(3))
        if self.high < self.low:
            raise ValueError(f"{text!r}: the range's high end is below its low end")

    @property
    def is_range(self) -> bool:
        return self.high != self.low

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2

    def __repr__(self) -> str:
        return f"MoneyRange({self.text!r})"

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MoneyRange) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda m: m.text)
        )


def _parse(value: Any) -> MoneyRange:
    if isinstance(value, MoneyRange):
        return value
    if not isinstance(value, str):
        raise ValueError('must be written as text, e.g. "$48,000–$58,000"')
    return MoneyRange(value)


Money = MoneyRange


def dollars(amount: float) -> str:
    """Format a whole-dollar figure the way the sources do: $62,300."""
    return f"${amount:,.0f}"


def round_to(amount: float, step: int = 100) -> float:
    return round(amount / step) * step


def signed_dollars(amount: float) -> str:
    """+$1,234 / −$1,234 / $0."""
    if round(amount) == 0:
        return "$0"
    return f"{'+' if amount > 0 else '−'}${abs(amount):,.0f}"
