"""``cpcbot`` entry point: picks the adapter (console when no platform token is set, Slack when only
Slack tokens are set)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic import ValidationError

from bot.adapters import console
from bot.bootstrap import build_core
from bot.config import Settings
from bot.logging_setup import configure_logging


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cpcbot", description="CPC study and medical-coding career bot.")
    sub = parser.add_subparsers(dest="mode")
    sub.add_parser("console", help="interactive prompt in this terminal")
    say = sub.add_parser(
        "say", help='run one command and print the reply, e.g. cpcbot say "/salary state:CA"'
    )
    say.add_argument("line")
    sub.add_parser(
        "slack", help="run on Slack: Socket Mode with CPCBOT_SLACK_APP_TOKEN, else HTTP mode on slack_port"
    )
    return parser


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
    mode = args.mode
    if mode is None and settings.slack_bot_token and not settings.discord_token:
        mode = "slack"
    core = build_core(settings)
    if mode == "slack":
        from bot.adapters.slack import runner as slack_runner

        return slack_runner.run(core, settings)
    if args.mode == "say":
        return asyncio.run(console.say(core, args.line))
    return asyncio.run(console.interactive(core))


if __name__ == "__main__":
    sys.exit(main())
