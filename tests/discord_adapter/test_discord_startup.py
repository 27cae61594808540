"""Starting up: `cpcbot discord` with a missing or rejected token (one line, no traceback), and
sharded clients identifying each shard and serving interactions on any of them."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import discord
import pytest

from bot.adapters.discord import client as discord_client

from . import interaction_payloads as ip
from .discord_harness import CommandState, build_test_core, discord_settings, running_client
from .fake_discord import APPLICATION_ID, FakeDiscord

pytestmark = pytest.mark.asyncio(loop_scope="session")

# Runs the real entry point in a fresh process with the REST API pointed at the fake.
CLI = (
    "import sys, discord.http; discord.http.Route.BASE = sys.argv[1]; "
    "from bot.cli import main; sys.exit(main(sys.argv[2:]))"
)
REJECTED = "MTAwMDAwMDAwMDAwMDAwMDk5.Gwrong.revokedrevokedrevokedrevokedrevoked"


async def run_cli(fake: FakeDiscord, tmp: Path, *args: str, **env: str) -> tuple[int, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CPCBOT_")}
    clean.update(CPCBOT_DATA_DIR=str(tmp / "var"), **env)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CLI,
        fake.api_base,
        *args,
        cwd=tmp,
        env=clean,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, err.decode()


async def test_missing_token_is_one_clear_line(fake: FakeDiscord, tmp_path: Path) -> None:
    code, err = await run_cli(fake, tmp_path, "discord")
    assert code == 2
    assert err.strip().splitlines() == [
        "cpcbot: CPCBOT_DISCORD_TOKEN is not set. Create a bot in the Discord developer portal and set "
        "its token (see README, Running on Discord)."
    ]


async def test_a_rejected_token_is_one_clear_line_and_never_logged(fake: FakeDiscord, tmp_path: Path) -> None:
    """Plain `cpcbot` picks Discord when a token is set; the fake answers 401."""
    code, err = await run_cli(fake, tmp_path, CPCBOT_DISCORD_TOKEN=REJECTED, CPCBOT_LOG_LEVEL="DEBUG")
    assert code == 2
    assert "Traceback" not in err
    assert REJECTED not in err
    ours = [line for line in err.splitlines() if line.startswith("cpcbot:")]
    assert ours == [
        "cpcbot: Discord rejected the token in CPCBOT_DISCORD_TOKEN (401 Unauthorized). Reset the bot "
        "token in the developer portal and set it again."
    ]
    login = await fake.wait_for(lambda r: r.path == "/users/@me" and r.authorization == f"Bot {REJECTED}")
    assert login.method == "GET"


async def test_auto_sharding_identifies_every_shard_at_discords_pace(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    state = CommandState()
    settings = discord_settings(tmp_path, discord_auto_shard=True)
    seen, requests_before = len(fake.sessions), len(fake.requests)
    async with running_client(fake, build_test_core(settings, state), settings) as (client, _):
        assert isinstance(client, discord.AutoShardedClient)
        assert client.shard_count == 2
        shards = sorted(s.shard for s in fake.sessions[seen:])
        assert shards == [(0, 2), (1, 2)]
        first, second = sorted(s.identified_at for s in fake.sessions[seen:])
        assert second - first < discord_client.IDENTIFY_INTERVAL  # max_concurrency 2: no wait
        shard_one = await fake.session(1, after=seen)
        payload = ip.command("salary", [ip.option("state", "FL")])
        await shard_one.dispatch("INTERACTION_CREATE", payload)
        recorded = await fake.callback(int(payload["id"]))
    assert recorded.json["data"]["embeds"][0]["title"] == "Medical coder pay in Florida (FL)"
    assert any(r.path == "/gateway/bot" for r in fake.requests[requests_before:])
    synced = [r for r in fake.requests[requests_before:] if r.method == "PUT"]
    assert [r.path for r in synced] == [f"/applications/{APPLICATION_ID}/commands"]  # global


async def test_a_refused_command_sync_is_logged_and_the_bot_still_serves(
    fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.refuse_guilds.add(910000000000000666)
    settings = discord_settings(tmp_path, discord_guild_id=910000000000000666)
    async with running_client(fake, build_test_core(settings, CommandState()), settings) as (_, gateway):
        payload = ip.command("roadmap")
        await gateway.dispatch("INTERACTION_CREATE", payload)
        recorded = await fake.callback(int(payload["id"]))
    assert recorded.json["type"] == 4
    assert (
        "could not register slash commands for guild 910000000000000666 (403 Missing Access)" in caplog.text
    )


async def test_shards_in_one_bucket_wait_between_identifies(
    fake: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord_client, "IDENTIFY_INTERVAL", 0.4)
    monkeypatch.setattr(fake, "max_concurrency", 1)
    settings = discord_settings(tmp_path, discord_shard_count=2, discord_sync_commands=False)
    seen = len(fake.sessions)
    async with running_client(fake, build_test_core(settings, CommandState()), settings):
        first, second = sorted(s.identified_at for s in fake.sessions[seen:])
    assert second - first >= 0.4


async def test_one_process_can_run_a_subset_of_shards(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = discord_settings(
        tmp_path, discord_shard_count=3, discord_shard_ids=[1], discord_sync_commands=False
    )
    seen = len(fake.sessions)
    async with running_client(fake, build_test_core(settings, CommandState()), settings, shard_id=1):
        assert [s.shard for s in fake.sessions[seen:]] == [(1, 3)]


async def test_shard_ids_without_a_count_is_a_configuration_error(tmp_path: Path) -> None:
    settings = discord_settings(tmp_path, discord_shard_ids=[0])
    core = build_test_core(settings, CommandState())
    assert await discord_client.run(core, settings) == discord_client.EXIT_CONFIG
