"""Two real bot processes (``cpcbot console``, each running the scheduler) on one database at the same
scheduled minute: every channel is posted exactly once between them. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.quiz.schedule_rules import rule_from_text
from bot.storage.schedules import Schedule
from bot.storage.store import open_store

CHANNELS = 60


def start_bot(settings: Settings, cwd: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPCBOT_")}
    env["CPCBOT_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["CPCBOT_DATABASE_URL"] = settings.database_url.get_secret_value()
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )


async def test_two_processes_post_each_channel_once(settings: Settings, tmp_path: Path) -> None:
    store = open_store(settings)
    now = datetime.now(UTC)
    due = (now - timedelta(minutes=2)).strftime("%H:%M")  # the minute has just passed for both
    for n in range(CHANNELS):
        await store.schedules.save(
            Schedule(
                community_id=f"g{n % 7}",
                channel_id=f"ch{n}",
                platform="console",
                rule=rule_from_text(due, "UTC", "daily"),
                updated_by="mod",
                updated_at=now - timedelta(days=2),
            )
        )
    bots = [start_bot(settings, tmp_path), start_bot(settings, tmp_path)]
    try:
        deadline = time.monotonic() + 60
        posted = 0
        while time.monotonic() < deadline:
            posted = await store.fetch_value("SELECT COUNT(*) FROM posts WHERE state = 'posted'")
            if posted >= CHANNELS:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(1)  # a duplicate, if there were one, would have had time to show
        outputs = [bot.communicate("/quit\n", timeout=30)[0] for bot in bots]
    finally:
        for bot in bots:
            bot.kill() if bot.poll() is None else None
    await store.fetch_value("SELECT 1")
    rows = await store.fetch_all("SELECT channel_id, state FROM posts")
    await store.close()
    assert all(bot.returncode == 0 for bot in bots), [bot.stderr.read() for bot in bots if bot.stderr]
    sent = Counter(channel for out in outputs for channel in re.findall(r"\[posted in #(ch\d+)\]", out))
    assert sent == Counter({f"ch{n}": 1 for n in range(CHANNELS)})  # every channel, once, across both
    assert sorted(rows) == sorted((f"ch{n}", "posted") for n in range(CHANNELS))
