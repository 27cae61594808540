"""``cpcbot`` entry point: picks the adapter (Discord when ``CPCBOT_DISCORD_TOKEN`` is set and no
mode is given, else the console)."""

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
    sub.add_parser("discord", help="run on Discord (token from CPCBOT_DISCORD_TOKEN)")
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
    core = build_core(settings)
    mode = args.mode or ("discord" if settings.discord_token else "console")
    if mode == "discord":
        from bot.adapters import discord as discord_adapter  # the console never loads discord.py

        try:
            return asyncio.run(discord_adapter.run(core, settings))
        except KeyboardInterrupt:
            return 0
    if args.mode == "say":
        return asyncio.run(console.say(core, args.line))
    return asyncio.run(console.interactive(core))


if __name__ == "__main__":
    sys.exit(main())
