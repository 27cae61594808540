"""Post times stay at the same local time across daylight-saving changes, in several zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.errors import UserError
from bot.quiz.schedule_rules import parse_days, parse_time, rule_from_text


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "before_day", "before_utc", "after_day", "after_utc"),
    [
        # US spring forward 2026-03-08: 09:00 EST = 14:00 UTC, then 09:00 EDT = 13:00 UTC
        ("America/New_York", date(2026, 3, 6), utc(2026, 3, 6, 14), date(2026, 3, 9), utc(2026, 3, 9, 13)),
        # US fall back 2026-11-01
        (
            "America/New_York",
            date(2026, 10, 30),
            utc(2026, 10, 30, 13),
            date(2026, 11, 2),
            utc(2026, 11, 2, 14),
        ),
        # UK: BST ends 2026-10-25
        ("Europe/London", date(2026, 10, 23), utc(2026, 10, 23, 8), date(2026, 10, 26), utc(2026, 10, 26, 9)),
        # Sydney: AEDT starts 2026-10-04 (09:00 AEST = 23:00 UTC the day before; AEDT = 22:00)
        (
            "Australia/Sydney",
            date(2026, 10, 2),
            utc(2026, 10, 1, 23),
            date(2026, 10, 5),
            utc(2026, 10, 4, 22),
        ),
        # Kolkata has no DST: always 03:30 UTC
        (
            "Asia/Kolkata",
            date(2026, 3, 6),
            utc(2026, 3, 6, 3, 30),
            date(2026, 11, 2),
            utc(2026, 11, 2, 3, 30),
        ),
    ],
)
def test_nine_local_stays_nine_local_across_dst(
    zone: str, before_day: date, before_utc: datetime, after_day: date, after_utc: datetime
) -> None:
    rule = rule_from_text("09:00", zone, "daily")
    assert rule.local_post_instant(before_day) == before_utc
    assert rule.local_post_instant(after_day) == after_utc
    assert rule.local_post_instant(after_day).astimezone(rule.zone).hour == 9


def test_skipped_and_repeated_wall_times() -> None:
    skipped = rule_from_text("02:30", "America/New_York", "daily")
    at = skipped.local_post_instant(date(2026, 3, 8))  # 02:30 does not exist that night
    assert at == utc(2026, 3, 8, 7, 30) and at.astimezone(skipped.zone).strftime("%H:%M") == "03:30"
    repeated = rule_from_text("01:30", "America/New_York", "daily")
    assert repeated.local_post_instant(date(2026, 11, 1)) == utc(2026, 11, 1, 5, 30)  # first 01:30 (EDT)


def test_next_post_skips_days_off_and_is_strictly_after() -> None:
    rule = rule_from_text("09:00", "America/New_York", "weekdays")
    friday_post = utc(2026, 3, 6, 14)
    assert rule.next_post(friday_post - timedelta(seconds=1)) == friday_post
    assert rule.next_post(friday_post) == utc(2026, 3, 9, 13)  # Monday, after the clocks changed
    mwf = rule_from_text("18:15", "Europe/London", "mon,wed,fri")
    seen = []
    at = utc(2026, 6, 1)
    for _ in range(6):
        at = mwf.next_post(at)
        seen.append(at.astimezone(mwf.zone).strftime("%a %H:%M"))
    assert seen == ["Mon 18:15", "Wed 18:15", "Fri 18:15"] * 2


@pytest.mark.parametrize("text", ["25:00", "9am", "9:5", "24:00", "09:60", "", "0900", "9:00:00"])
def test_bad_times_name_the_form(text: str) -> None:
    with pytest.raises(UserError, match="24-hour HH:MM"):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("weekdays", ("mon", "tue", "wed", "thu", "fri")),
        ("Mon, Wed, FRI", ("mon", "wed", "fri")),
        ("sunday,monday", ("mon", "sun")),
    ],
)
def test_days(text: str, days: tuple[str, ...]) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("text", ["funday", "", "mon,xyz", "every day"])
def test_bad_days_name_the_form(text: str) -> None:
    with pytest.raises(UserError, match="daily, weekdays, weekends, or days like mon,wed,fri"):
        parse_days(text)


@pytest.mark.parametrize("text", ["New York", "EST5EDT-nope", "Mars/Olympus", "America/New_Yrok"])
def test_bad_zones_name_the_form(text: str) -> None:
    with pytest.raises(UserError, match="IANA time zone"):
        rule_from_text("09:00", text, "daily")
