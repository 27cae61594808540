"""An instant shown to members in their own local time, the way each platform renders it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.invocation import Platform


def local_time(at: datetime, platform: Platform, zone: str = "UTC") -> str:
    """Discord ``<t:…:F>`` and Slack ``<!date^…>`` show each member their own zone; the console shows
    the schedule's zone."""
    unix = int(at.timestamp())
    fallback = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if platform == "discord":
        return f"<t:{unix}:F> (<t:{unix}:R>)"
    if platform == "slack":
        return f"<!date^{unix}^{{date_long_pretty}} at {{time}}|{fallback}>"
    return f"{at.astimezone(ZoneInfo(zone)).strftime('%a %Y-%m-%d %H:%M')} {zone}"
