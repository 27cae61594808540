"""``cpcbot slack``: checks the credentials, then runs the adapter in Socket Mode (when an app-level
token is set) or HTTP mode (aiohttp on ``slack_host:slack_port``, ``/slack/events``) until SIGINT or
SIGTERM. Credential problems end it with one line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from dataclasses import dataclass
from typing import Literal, TextIO

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack._app import EVENTS_PATH, SlackAdapter
from bot.adapters.slack._errors import error_code
from bot.config import Settings
from bot.core.dispatch import BotCore
from bot.ops.health_server import add_ops_routes, health_checks
from bot.quiz.scheduler import scheduler_running

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_SETUP = 2
DRAIN_SECONDS = 10.0


class SetupError(Exception):
    """A credential or start-up problem the operator can fix; the message is one line."""


@dataclass(frozen=True)
class Credentials:
    mode: Literal["socket", "http"]
    bot_token: str
    app_token: str = ""
    signing_secret: str = ""


def credentials(settings: Settings) -> Credentials:
    """Which mode to run in, or a SetupError naming the missing or malformed variable."""
    if settings.slack_bot_token is None or not settings.slack_bot_token.get_secret_value().strip():
        raise SetupError(
            "CPCBOT_SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your app's "
            "OAuth & Permissions page."
        )
    bot_token = settings.slack_bot_token.get_secret_value().strip()
    if not bot_token.startswith("xoxb-"):
        raise SetupError("CPCBOT_SLACK_BOT_TOKEN must be a bot token starting with xoxb-.")
    app_token = settings.slack_app_token.get_secret_value().strip() if settings.slack_app_token else ""
    if app_token:
        if not app_token.startswith("xapp-"):
            raise SetupError(
                "CPCBOT_SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                "(Basic Information → App-Level Tokens, scope connections:write)."
            )
        return Credentials("socket", bot_token, app_token=app_token)
    secret = settings.slack_signing_secret.get_secret_value().strip() if settings.slack_signing_secret else ""
    if not secret:
        raise SetupError(
            "HTTP mode needs CPCBOT_SLACK_SIGNING_SECRET (Basic Information → Signing Secret); "
            "or set CPCBOT_SLACK_APP_TOKEN to use Socket Mode."
        )
    return Credentials("http", bot_token, signing_secret=secret)


def web_client(settings: Settings, token: str) -> AsyncWebClient:
    client = AsyncWebClient(token=token, base_url=settings.slack_api_url, timeout=15)
    client.retry_handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    return client


async def _check(call: str, what: str, coro: object) -> dict:
    try:
        response = await coro  # type: ignore[misc]
    except SlackApiError as exc:
        raise SetupError(f"Slack rejected {what} ({call}: {error_code(exc)}).") from None
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        raise SetupError(f"cannot reach the Slack Web API for {call} ({type(exc).__name__}).") from None
    return response.data  # type: ignore[no-any-return]


async def serve(core: BotCore, settings: Settings, creds: Credentials, stop: asyncio.Event) -> None:
    """Runs until ``stop`` is set. Raises SetupError for problems found while starting."""
    client = web_client(settings, creds.bot_token)
    identity = await _check("auth.test", "CPCBOT_SLACK_BOT_TOKEN", client.auth_test())
    adapter = SlackAdapter(core, client, signing_secret=creds.signing_secret)
    adapter.register_delivery()
    where = f"workspace {identity.get('team_id', '?')} as {identity.get('user_id', '?')}"
    if creds.mode == "socket":
        await _check(
            "apps.connections.open",
            "CPCBOT_SLACK_APP_TOKEN",
            client.apps_connections_open(app_token=creds.app_token),
        )
        handler = AsyncSocketModeHandler(adapter.app, app_token=creds.app_token)
        await handler.connect_async()
        log.info("Slack adapter running in Socket Mode (%s)", where)
        try:
            await stop.wait()
        finally:
            await handler.close_async()
            await asyncio.sleep(0)
            await adapter.drain(DRAIN_SECONDS)
        return
    app = adapter.web_app()
    add_ops_routes(app, health_checks(core.services))
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.slack_host, settings.slack_port)
        try:
            await site.start()
        except OSError as exc:
            raise SetupError(
                f"cannot listen on {settings.slack_host}:{settings.slack_port} ({exc.strerror or exc})."
            ) from None
        log.info(
            "Slack adapter running in HTTP mode on http://%s:%s%s (%s)",
            settings.slack_host,
            settings.slack_port,
            EVENTS_PATH,
            where,
        )
        await stop.wait()
    finally:
        await runner.cleanup()
        await asyncio.sleep(0)
        await adapter.drain(DRAIN_SECONDS)


async def _main(core: BotCore, settings: Settings, creds: Credentials) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with scheduler_running(core.services, "slack"):
            await serve(core, settings, creds, stop)
    finally:
        await core.aclose()
    log.info("Slack adapter stopped")


def run(core: BotCore, settings: Settings, err: TextIO | None = None) -> int:
    try:
        creds = credentials(settings)
        asyncio.run(_main(core, settings, creds))
    except SetupError as exc:
        print(f"cpcbot: {exc}", file=err or sys.stderr)
        return EXIT_SETUP
    return EXIT_OK
