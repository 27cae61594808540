"""Fixtures for the Slack tests; the harness itself is in slack_harness.py."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import SlackAdapter
from bot.bootstrap import build_core, choice_providers
from bot.config import Settings
from bot.core.coalesced_edits import CoalescedEdits
from bot.core.commands import ButtonSpec
from bot.core.dispatch import BotCore
from bot.core.services import Services
from bot.storage.store import open_store
from commands import all_buttons, all_commands

from .fake_slack import BOT_TOKEN, FakeSlack
from .slack_harness import ADMIN, MEMBER, MODERATOR, OWNER, SIGNING_SECRET, TALLY, SlackHarness, tally_button


@pytest.fixture(scope="session")
def base_services() -> Services:
    """Loading the data files once per session; each test gets its own settings and deliveries."""
    return build_core(Settings(_env_file=None)).services


@pytest.fixture
def slack_settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "var", slack_moderators=[MODERATOR])


@pytest.fixture
async def slack_core(base_services: Services, slack_settings: Settings) -> AsyncIterator[BotCore]:
    services = dataclasses.replace(
        base_services,
        settings=slack_settings,
        deliveries={},
        pacers={},
        edits=CoalescedEdits(),
        storage=open_store(slack_settings),
    )
    core = BotCore(
        services,
        [*all_commands(), TALLY],
        [*all_buttons(), ButtonSpec("tally", tally_button)],
        choice_providers(services),
    )
    yield core
    await core.aclose()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack(
        users={
            ADMIN: {"id": ADMIN, "is_admin": True},
            OWNER: {"id": OWNER, "is_owner": True},
            MEMBER: {"id": MEMBER, "is_admin": False, "is_owner": False},
        }
    )
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def slack(fake_slack: FakeSlack, slack_core: BotCore) -> AsyncIterator[SlackHarness]:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url)
    adapter = SlackAdapter(slack_core, client, signing_secret=SIGNING_SECRET)
    runner = web.AppRunner(adapter.web_app(), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    async with aiohttp.ClientSession() as session:
        yield SlackHarness(fake_slack, adapter, f"http://127.0.0.1:{port}/slack/events", session)
        await adapter.drain(10)
    await runner.cleanup()
