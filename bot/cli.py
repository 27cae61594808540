"""``cpcbot`` entry point. With no mode (or ``run``) it picks the adapter from the tokens it finds:
Discord when ``CPCBOT_DISCORD_TOKEN`` is set, Slack when only Slack tokens are set, else the console."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable
from pathlib import Path

from pydantic import ValidationError

from bot.adapters import console
from bot.bootstrap import build_core
from bot.config import Settings
from bot.core.dispatch import BotCore
from bot.logging_setup import configure_logging
from bot.ops.health_server import health_checks, start_ops_server
from bot.quiz.scheduler import scheduler_running


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cpcbot", description="CPC study and medical-coding career bot.")
    sub = parser.add_subparsers(dest="mode")
    sub.add_parser("run", help="pick the adapter from the tokens set (the default)")
    sub.add_parser("console", help="interactive prompt in this terminal")
    say = sub.add_parser(
        "say", help='run one command and print the reply, e.g. cpcbot say "/salary state:CA"'
    )
    say.add_argument("line")
    sub.add_parser("discord", help="run on Discord (token from CPCBOT_DISCORD_TOKEN)")
    sub.add_parser(
        "slack", help="run on Slack: Socket Mode with CPCBOT_SLACK_APP_TOKEN, else HTTP mode on slack_port"
    )
    sub.add_parser(
        "migrate", help="bring the database schema up to date (CPCBOT_DATABASE_URL or the SQLite file)"
    )
    export = sub.add_parser("export", help="write the stored data as JSON Lines (to move it or back it up)")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    export.add_argument("--community", help="only this community (Discord server or Slack workspace id)")
    load = sub.add_parser("import", help="load a cpcbot export into the configured database")
    load.add_argument("file", type=Path)
    return parser


def pick_mode(requested: str | None, settings: Settings) -> str:
    if requested not in (None, "run"):
        return requested  # type: ignore[return-value]
    if settings.discord_token:
        return "discord"
    if settings.slack_bot_token:
        return "slack"
    return "console"


async def _with_ops_server(core: BotCore, settings: Settings, work: Awaitable[int], platform: str) -> int:
    """Run ``work`` (a long-running adapter) with the daily-question scheduler for its platform, and
    /healthz and /metrics beside it when CPCBOT_HEALTH_PORT is set."""
    runner = None
    if settings.health_port:
        runner = await start_ops_server(
            settings.health_host, settings.health_port, health_checks(core.services)
        )
    try:
        async with scheduler_running(core.services, platform):
            return await work
    finally:
        if runner is not None:
            await runner.cleanup()
        await core.aclose()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(
            f"cpcbot: bad configuration: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}", file=sys.stderr
        )
        return 2
    configure_logging(settings)
    mode = pick_mode(args.mode, settings)
    if mode in ("migrate", "export", "import"):
        from bot import storage_admin

        if mode == "migrate":
            return asyncio.run(storage_admin.migrate(settings))
        if mode == "export":
            return asyncio.run(storage_admin.export(settings, args.out, args.community))
        return asyncio.run(storage_admin.import_file(settings, args.file))
    core = build_core(settings)
    if mode == "slack":
        from bot.adapters.slack import runner as slack_runner

        return slack_runner.run(core, settings)
    if mode == "discord":
        from bot.adapters import discord as discord_adapter  # the console never loads discord.py

        try:
            return asyncio.run(
                _with_ops_server(core, settings, discord_adapter.run(core, settings), "discord")
            )
        except KeyboardInterrupt:
            return 0
    if mode == "say":
        return asyncio.run(console.say(core, args.line))
    return asyncio.run(_with_ops_server(core, settings, console.interactive(core), "console"))


if __name__ == "__main__":
    sys.exit(main())
