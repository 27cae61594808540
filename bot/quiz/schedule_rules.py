"""A daily-question schedule as moderators type it, validated, and its next post time.

The post time is kept as a local wall-clock time plus an IANA zone, so 09:00 stays 09:00 local
across daylight-saving changes. A local time that does not exist on a spring-forward day (02:30 in
New York) is posted as the clock reads 03:30, one gap later; a repeated time on a fall-back day is
posted once, at its first occurrence.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict

from bot.core.errors import UserError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_ALIASES = {"daily": DAY_NAMES, "weekdays": DAY_NAMES[:5], "weekends": DAY_NAMES[5:]}
_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
TIME_FORM = "24-hour HH:MM, e.g. 09:00 or 17:30"
DAYS_FORM = "daily, weekdays, weekends, or days like mon,wed,fri"
ZONE_FORM = "an IANA time zone such as America/New_York, Europe/London or UTC"


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise UserError(f"{text!r} is not a time I can use. Write it as {TIME_FORM}.")
    return time(int(match.group(1)), int(match.group(2)))


def parse_zone(text: str) -> ZoneInfo:
    name = text.strip()
    if name not in _zone_names():
        hint = _zone_hint(name)
        raise UserError(f"{name[:60]!r} is not a time zone I know. Use {ZONE_FORM}.{hint}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - listed names load
        raise UserError(f"{name!r} is not a time zone I know. Use {ZONE_FORM}.") from exc


def parse_days(text: str) -> tuple[str, ...]:
    key = text.strip().lower()
    if key in DAY_ALIASES:
        return DAY_ALIASES[key]
    parts = [p.strip()[:3] for p in key.replace(" ", ",").split(",") if p.strip()]
    if not parts or any(p not in DAY_NAMES for p in parts):
        raise UserError(f"{text[:60]!r} is not a set of days I understand. Use {DAYS_FORM}.")
    return tuple(d for d in DAY_NAMES if d in parts)


def days_label(days: tuple[str, ...]) -> str:
    for alias, members in DAY_ALIASES.items():
        if days == members:
            return alias
    return ",".join(days)


class ScheduleRule(BaseModel):
    """When a channel gets its daily question."""

    model_config = ConfigDict(frozen=True)

    post_time: time
    timezone: str
    days: tuple[str, ...]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_post_instant(self, day: date) -> datetime:
        """The aware UTC instant of this rule's post on local calendar ``day``. ``fold=0`` takes the
        first of a repeated wall time and moves a skipped one forward by the gap."""
        return datetime.combine(day, self.post_time).replace(tzinfo=self.zone, fold=0).astimezone(UTC)

    def posts_on(self, day: date) -> bool:
        return DAY_NAMES[day.weekday()] in self.days

    def next_post(self, after: datetime) -> datetime:
        """The first post instant strictly after ``after`` (aware)."""
        local_day = after.astimezone(self.zone).date()
        for offset in range(0, 8):
            day = local_day + timedelta(days=offset)
            if self.posts_on(day):
                instant = self.local_post_instant(day)
                if instant > after:
                    return instant
        raise AssertionError("a schedule with at least one day always posts within 8 days")


def rule_from_text(time_text: str, zone_text: str, days_text: str) -> ScheduleRule:
    post_time = parse_time(time_text)
    zone = parse_zone(zone_text)
    return ScheduleRule(post_time=post_time, timezone=zone.key, days=parse_days(days_text))


_ZONES: frozenset[str] | None = None


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def _zone_hint(name: str) -> str:
    lowered = name.lower().replace(" ", "_")
    matches = sorted(z for z in _zone_names() if z.lower().endswith("/" + lowered))[:3]
    return f" Did you mean {' or '.join(matches)}?" if matches else ""
