"""Drops a request Slack (or anyone holding a copy) delivers twice. A signed request stays valid for
five minutes, so a captured one could be replayed; every slash command and button press carries a
unique trigger_id, and events an event_id, so the second delivery is acknowledged and ignored."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

WINDOW_SECONDS = 600.0
MAX_KEYS = 20000


class SeenRequests:
    """Keys seen within the window (longer than Slack's 5-minute signature window)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        now = self.clock()
        while self._seen and (
            len(self._seen) >= MAX_KEYS or now - next(iter(self._seen.values())) > WINDOW_SECONDS
        ):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def request_key(body: dict) -> str | None:
    """trigger_id (slash commands, buttons) or event_id (Events API); None when there is neither."""
    for name in ("trigger_id", "event_id"):
        value = body.get(name)
        if isinstance(value, str) and value:
            return f"{name}:{value}"
    return None
