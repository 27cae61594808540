"""Bot processes running the scheduler are killed around the scheduled minute, one of them after it
claimed a channel's post but before the platform answered (a stale claim); new processes start:
every channel gets exactly one post, none is missed. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from bot.quiz.schedule_rules import rule_from_text
from bot.storage.posts import STALE_CLAIM
from bot.storage.schedules import Schedule
from bot.storage.store import open_store

from .driver import PLATFORM
from .processes import Driver

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # every channel's scheduled minute
CHANNELS = [f"ch{n}" for n in range(6)]


def run_pass(settings: Settings, now: datetime) -> list[str]:
    driver = Driver(settings, "schedule", now.isoformat())
    try:
        return driver.finish()
    finally:
        driver.close()


def sent(lines: list[str]) -> dict[str, str]:
    return {line.split()[1]: line.split()[2] for line in lines if line.startswith("SENT ")}


async def test_killed_around_the_minute_and_with_a_stale_claim_posts_each_channel_once(
    settings: Settings,
) -> None:
    store = open_store(settings)
    try:
        for n, channel in enumerate(CHANNELS):
            await store.schedules.save(
                Schedule(
                    community_id=f"g{n % 2}",
                    channel_id=channel,
                    platform=PLATFORM,
                    rule=rule_from_text("09:00", "UTC", "daily"),
                    updated_by="mod",
                    updated_at=AT - timedelta(days=2),
                )
            )
    finally:
        await store.close()

    # A process up a minute before: nothing is due yet.
    assert run_pass(settings, AT - timedelta(minutes=1))[-1] == "DONE 0"

    # A process at the minute sends two posts, claims others (its workers post concurrently), and
    # dies while the platform has not answered them.
    first = Driver(settings, "schedule", (AT + timedelta(seconds=20)).isoformat(), "2")
    try:
        first.wait_for(lambda line: line.startswith("HANG "))
        first.kill()
    finally:
        first.close()
    posts: list[dict[str, str]] = [sent(first.lines)]
    hung = {line.split()[1] for line in first.lines if line.startswith("HANG ")}
    assert len(posts[0]) == 2 and hung and hung.isdisjoint(posts[0])

    # Restarted two minutes later: the channels nobody claimed are posted; the fresh claims are left
    # alone (their owner might still be sending).
    second = run_pass(settings, AT + timedelta(minutes=2))
    posts.append(sent(second))
    assert hung.isdisjoint(posts[1]) and set(posts[1]).isdisjoint(posts[0])
    # Once the claims are stale, the next process takes them over. It looks for each dead owner's
    # message first: the ones the platform has (sent, but the process died before recording them)
    # are recorded, not sent again; the rest are posted now.
    third = run_pass(settings, AT + timedelta(seconds=20) + STALE_CLAIM + timedelta(minutes=1))
    posts.append(sent(third))
    found = {line.split()[1]: line.split()[2] for line in third if line.startswith("FOUND ")}
    assert set(posts[2]) == set(CHANNELS) - set(posts[0]) - set(posts[1]) and hung <= set(posts[2])
    assert set(found) <= set(posts[0]) and all(found[c] == posts[0][c] for c in found)
    assert all(f"LOOK {channel}" in third for channel in [*posts[2], *found])
    # Later passes within the grace window, and a restart, change nothing.
    assert run_pass(settings, AT + timedelta(minutes=45))[-1] == "DONE 0"
    assert run_pass(settings, AT + timedelta(hours=3))[-1] == "DONE 0"

    counted = Counter(channel for batch in posts for channel in batch)
    assert counted == Counter({channel: 1 for channel in CHANNELS})  # every channel, exactly once
    store = open_store(settings)
    try:
        rows = await store.fetch_all("SELECT channel_id, quiz_date, state, message_id FROM posts")
    finally:
        await store.close()
    message_of = {channel: message for batch in posts for channel, message in batch.items()}
    assert sorted(rows) == sorted((c, "2026-12-01", "posted", message_of[c]) for c in CHANNELS)
