"""Daily-question schedules, one per (community, channel)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from bot.quiz.schedule_rules import ScheduleRule

if TYPE_CHECKING:
    from bot.storage.store import Store

_COLUMNS = (
    "community_id, channel_id, platform, post_time, timezone, days, topics, paused, updated_by, updated_at"
)


class Schedule(BaseModel):
    model_config = ConfigDict(frozen=True)

    community_id: str
    channel_id: str
    platform: str
    rule: ScheduleRule
    topics: tuple[str, ...] = ()
    paused: bool = False
    updated_by: str
    updated_at: datetime

    @classmethod
    def from_row(cls, row: tuple, rule: ScheduleRule | None = None) -> Schedule:  # type: ignore[type-arg]
        return cls(
            community_id=row[0],
            channel_id=row[1],
            platform=row[2],
            rule=rule or _rule(row[3], row[4], row[5]),
            topics=tuple(t for t in row[6].split(",") if t),
            paused=bool(row[7]),
            updated_by=row[8],
            updated_at=datetime.fromisoformat(row[9]),
        )


RuleKey = tuple[str, str, str]  # post_time, timezone, days as stored


def _rule(post_time: str, timezone: str, days: str) -> ScheduleRule:
    hour, minute = map(int, post_time.split(":"))
    return ScheduleRule(post_time=time(hour, minute), timezone=timezone, days=tuple(days.split(",")))


class ScheduleRepository:
    def __init__(self, store: Store):
        self.store = store

    async def save(self, schedule: Schedule) -> None:
        """Create or replace the channel's schedule (a new schedule is never paused)."""
        values = (
            schedule.community_id,
            schedule.channel_id,
            schedule.platform,
            schedule.rule.post_time.strftime("%H:%M"),
            schedule.rule.timezone,
            ",".join(schedule.rule.days),
            ",".join(schedule.topics),
            int(schedule.paused),
            schedule.updated_by,
            schedule.updated_at.astimezone(UTC).isoformat(),
        )
        async with self.store.transaction() as tx:
            await tx.execute(
                f"INSERT INTO schedules ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (community_id, channel_id) DO UPDATE SET platform = excluded.platform, "
                "post_time = excluded.post_time, timezone = excluded.timezone, days = excluded.days, "
                "topics = excluded.topics, paused = excluded.paused, updated_by = excluded.updated_by, "
                "updated_at = excluded.updated_at",
                values,
            )

    async def get(self, community_id: str, channel_id: str) -> Schedule | None:
        row = await self.store.fetch_one(
            f"SELECT {_COLUMNS} FROM schedules WHERE community_id = ? AND channel_id = ?",
            (community_id, channel_id),
        )
        return Schedule.from_row(row) if row else None

    async def for_community(self, community_id: str) -> list[Schedule]:
        rows = await self.store.fetch_all(
            f"SELECT {_COLUMNS} FROM schedules WHERE community_id = ? ORDER BY channel_id", (community_id,)
        )
        return [Schedule.from_row(r) for r in rows]

    async def set_paused(
        self, community_id: str, channel_id: str, paused: bool, by: str, at: datetime
    ) -> bool:
        """Pause or resume; False when the channel has no schedule."""
        async with self.store.transaction() as tx:
            changed = await tx.execute(
                "UPDATE schedules SET paused = ?, updated_by = ?, updated_at = ? WHERE community_id = ? AND channel_id = ?",
                (int(paused), by, at.astimezone(UTC).isoformat(), community_id, channel_id),
            )
            return changed == 1

    async def active_rules(self, platform: str) -> list[tuple[RuleKey, ScheduleRule]]:
        """The distinct (time, zone, days) rules of this platform's unpaused schedules: the scheduler
        asks which rules are due, then reads only their schedules, so a minute when nothing is due
        costs one aggregate query however many communities there are."""
        rows = await self.store.fetch_all(
            "SELECT DISTINCT post_time, timezone, days FROM schedules WHERE platform = ? AND paused = 0",
            (platform,),
        )
        return [((r[0], r[1], r[2]), _rule(r[0], r[1], r[2])) for r in rows]

    async def active_with_rule(
        self, platform: str, key: RuleKey, rule: ScheduleRule, days: Sequence[date] = ()
    ) -> list[tuple[Schedule, set[date]]]:
        """This platform's unpaused schedules whose stored rule is ``key`` (parsed: ``rule``), each
        with those of ``days`` (at most two) whose post it already has, sent or closed: the scheduler
        skips those without a write, however long the grace window lasts. A claimed post is not
        counted: its claim may have gone stale and is for the claim logic to judge."""
        checks = list(days)[:2]
        posted = [
            "EXISTS (SELECT 1 FROM posts p WHERE p.community_id = s.community_id "
            "AND p.channel_id = s.channel_id AND p.quiz_date = ? AND p.state != 'claimed')"
            for _ in checks
        ]
        columns = ", ".join(f"s.{c.strip()}" for c in _COLUMNS.split(","))
        stamps = [d.isoformat() for d in checks]
        # Rows with every checked day posted are left in the database: in the hours after a post time
        # a pass reads only the schedules still to post.
        skip_done = f"AND NOT ({' AND '.join(posted)}) " if posted else ""
        rows = await self.store.fetch_all(
            f"SELECT {''.join(c + ', ' for c in posted)}{columns} FROM schedules s WHERE s.platform = ? "
            f"AND s.paused = 0 AND s.post_time = ? AND s.timezone = ? AND s.days = ? {skip_done}"
            "ORDER BY s.community_id, s.channel_id",
            (*stamps, platform, *key, *stamps),
        )
        n = len(checks)
        return [
            (Schedule.from_row(r[n:], rule), {d for d, done in zip(checks, r[:n], strict=True) if done})
            for r in rows
        ]
