"""/quiz schedule, pause, resume and status through the core and the console."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from console_process import run_cli

from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation

MOD = Invocation(
    platform="discord",
    community_id="g1",
    channel_id="111",
    user_id="m1",
    user_name="Mod",
    is_moderator=True,
    at=datetime(2026, 3, 6, 12, tzinfo=UTC),
)
MEMBER = MOD.model_copy(update={"user_id": "u1", "user_name": "Member", "is_moderator": False})


async def rows(core: BotCore) -> list[tuple]:  # type: ignore[type-arg]
    return await core.services.storage.fetch_all("SELECT * FROM schedules ORDER BY channel_id")


@pytest.fixture
def fixed_clock(core: BotCore) -> BotCore:
    core.services.clock = lambda: datetime(2026, 3, 6, 12, tzinfo=UTC)
    return core


async def test_moderator_schedules_and_status_shows_the_next_local_post(fixed_clock: BotCore) -> None:
    core = fixed_clock
    reply = await core.run_line(
        "/quiz schedule time:09:00 timezone:America/New_York days:weekdays topics:icd10,hcpcs", MOD
    )
    assert not reply.is_error and reply.ephemeral, reply.text
    # Friday 2026-03-06 09:00 EST = 14:00 UTC, after the 12:00 UTC clock
    assert "<t:1772805600:F>" in reply.text and "icd10cm, hcpcs" in reply.text
    stored = await rows(core)
    assert len(stored) == 1 and stored[0][:6] == (
        "g1",
        "111",
        "discord",
        "09:00",
        "America/New_York",
        "mon,tue,wed,thu,fri",
    )
    status = await core.run_line("/quiz status", MEMBER)
    assert status.fields[0].name == "<#111>" and "<t:1772805600:F>" in status.fields[0].value
    await core.aclose()


async def test_slack_channel_mentions_and_slack_time_rendering(fixed_clock: BotCore) -> None:
    slack_mod = MOD.model_copy(update={"platform": "slack", "community_id": "T1"})
    reply = await fixed_clock.run_line(
        "/quiz schedule time:07:15 timezone:Asia/Kolkata channel:<#C0ABC|general>", slack_mod
    )
    assert not reply.is_error, reply.text
    assert reply.text.startswith("<#C0ABC>") and "<!date^" in reply.text
    assert (await rows(fixed_clock))[0][1] == "C0ABC"
    await fixed_clock.aclose()


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ("time:25:00 timezone:UTC", "24-hour HH:MM"),
        ("time:9am timezone:UTC", "24-hour HH:MM"),
        ("time:09:00 timezone:Mars/Base", "IANA time zone"),
        ("time:09:00 timezone:UTC days:funday", "mon,wed,fri"),
        ("time:09:00 timezone:UTC topics:astrology", "I don't know the topic"),
        ("time:09:00 timezone:UTC channel:'#no such channel'", "not a channel"),
        ("time:09:00 timezone:" + "x" * 80, "too long"),
        ("timezone:UTC", "the time option is required"),
    ],
)
async def test_bad_input_is_a_clear_error_and_stores_nothing(
    fixed_clock: BotCore, options: str, needle: str
) -> None:
    await fixed_clock.run_line("/quiz schedule time:08:00 timezone:UTC channel:keep", MOD)
    before = await rows(fixed_clock)
    reply = await fixed_clock.run_line(f"/quiz schedule {options}", MOD)
    assert reply.is_error and reply.ephemeral and needle in reply.text
    assert await rows(fixed_clock) == before
    await fixed_clock.aclose()


@pytest.mark.parametrize("line", ["/quiz schedule time:09:00 timezone:UTC", "/quiz pause", "/quiz resume"])
async def test_non_moderators_are_refused_and_nothing_changes(fixed_clock: BotCore, line: str) -> None:
    await fixed_clock.run_line("/quiz schedule time:08:00 timezone:UTC", MOD)
    before = await rows(fixed_clock)
    reply = await fixed_clock.run_line(line, MEMBER)
    assert reply.is_error and reply.ephemeral and "Only moderators" in reply.text
    assert await rows(fixed_clock) == before
    await fixed_clock.aclose()


async def test_pause_resume_and_unknown_channel(fixed_clock: BotCore) -> None:
    core = fixed_clock
    missing = await core.run_line("/quiz pause", MOD)
    assert missing.is_error and "has no daily-question schedule" in missing.text
    await core.run_line("/quiz schedule time:09:00 timezone:UTC", MOD)
    assert (await core.run_line("/quiz pause", MOD)).title == "Daily question paused"
    assert "Paused" in (await core.run_line("/quiz status", MEMBER)).fields[0].value
    assert (await core.run_line("/quiz resume", MOD)).title == "Daily question resumed"
    assert "Next question" in (await core.run_line("/quiz status", MEMBER)).fields[0].value
    await core.aclose()


def test_console_schedule_then_status_in_separate_processes(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "say", "/quiz schedule time:09:00 timezone:Europe/London days:mon,wed,fri")
    assert done.returncode == 0, done.stdout + done.stderr
    status = run_cli(tmp_path, "say", "/quiz status")
    assert status.returncode == 0 and "09:00 Europe/London, mon,wed,fri" in status.stdout
    assert "Europe/London" in status.stdout.split("Next question:")[1]
    bad = run_cli(tmp_path, "say", "/quiz schedule time:25:00 timezone:UTC")
    assert bad.returncode == 2 and "24-hour HH:MM" in bad.stdout
