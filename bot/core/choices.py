"""Choice providers: the suggestions every adapter offers for an option (autocomplete), and the test
of whether a typed value is one of them (used to read plain ``/salary New York CPC`` lines)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    name: str
    value: str


@dataclass(frozen=True)
class ChoiceProvider:
    """``options`` lists every choice; ``accepts`` says whether free text resolves to one."""

    options: Callable[[], Iterable[Choice]]
    accepts: Callable[[str], bool]

    def suggest(self, partial: str, limit: int = 25) -> list[Choice]:
        """Choices whose name or value starts with ``partial``, then those that contain it."""
        needle = " ".join(partial.lower().split())
        starts: list[Choice] = []
        contains: list[Choice] = []
        for choice in self.options():
            name, value = choice.name.lower(), choice.value.lower()
            if not needle or name.startswith(needle) or value.startswith(needle):
                starts.append(choice)
            elif needle in name or needle in value:
                contains.append(choice)
        return (starts + contains)[:limit]
