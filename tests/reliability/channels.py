"""Scheduling many channels for the same minute, and reading back what the store recorded."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.core.dispatch import BotCore
from bot.quiz.schedule_rules import DAY_NAMES, ScheduleRule
from bot.storage.schedules import Schedule

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # every schedule here posts at 09:00 UTC


async def schedule_channels(core: BotCore, platform: str, channels: list[str], community: str = "g1") -> None:
    rule = ScheduleRule(post_time=time(9, 0), timezone="UTC", days=DAY_NAMES)
    for channel in channels:
        await core.services.storage.schedules.save(
            Schedule(
                community_id=community,
                channel_id=channel,
                platform=platform,
                rule=rule,
                updated_by="moderator",
                updated_at=NOW - timedelta(days=1),
            )
        )


async def posted_rows(core: BotCore) -> dict[str, list[tuple[str, str | None]]]:
    """channel → [(state, message_id)] of every post row."""
    rows = await core.services.storage.fetch_all("SELECT channel_id, state, message_id FROM posts")
    found: dict[str, list[tuple[str, str | None]]] = {}
    for channel, state, message_id in rows:
        found.setdefault(channel, []).append((state, message_id))
    return found
