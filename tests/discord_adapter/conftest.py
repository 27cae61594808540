"""Session fixtures: one fake Discord and one connected client for all Discord tests (a client
connects in well under a second, but the suite runs on 2 cores)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from .discord_harness import (
    TOKEN,
    CommandState,
    RunningBot,
    build_test_core,
    discord_settings,
    running_client,
    serving,
)
from .fake_discord import GUILD_ID, FakeDiscord


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def fake() -> AsyncIterator[FakeDiscord]:
    async with serving(FakeDiscord(TOKEN, shards=2, max_concurrency=2)) as server:
        yield server


@pytest_asyncio.fixture(loop_scope="session", scope="session")
async def bot(fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningBot]:
    state = CommandState()
    settings = discord_settings(tmp_path_factory.mktemp("discord"), discord_guild_id=GUILD_ID)
    core = build_test_core(settings, state)
    try:
        async with running_client(fake, core, settings) as (client, gateway):
            yield RunningBot(fake, client, core, state, gateway)
    finally:
        await core.aclose()
