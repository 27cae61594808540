"""Platform request ids already handled (Slack trigger_id / event_id), shared by every process on the
database: behind a load balancer a replayed or retried request may reach another replica."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.storage.store import Store

KEEP = timedelta(minutes=10)  # longer than Slack's 5-minute signature window
PRUNE_EVERY = 500


class SeenRequestRepository:
    def __init__(self, store: Store):
        self.store = store
        self._since_prune = 0

    async def first_time(self, key: str, now: datetime) -> bool:
        """True for the first process to see ``key``; False for every later delivery of it."""
        stamp = now.astimezone(UTC).isoformat()
        async with self.store.transaction() as tx:
            added = await tx.execute(
                "INSERT INTO seen_requests (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key[:200], stamp),
            )
            self._since_prune += 1
            if self._since_prune >= PRUNE_EVERY:
                self._since_prune = 0
                await tx.execute(
                    "DELETE FROM seen_requests WHERE seen_at < ?", ((now - KEEP).astimezone(UTC).isoformat(),)
                )
        return added == 1
