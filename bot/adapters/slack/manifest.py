"""The Slack app manifest, generated from the commands BotCore declares, so the slash commands a
workspace installs always match the ones the bot answers.

    python -m bot.adapters.slack.manifest > deploy/slack-manifest.yml            # Socket Mode
    python -m bot.adapters.slack.manifest --request-url https://bot.example.org/slack/events
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import yaml

from bot.adapters.slack._app import slash_command_names
from bot.core.dispatch import BotCore

APP_NAME = "cpcbot"
BOT_SCOPES = [
    "commands",  # slash commands
    "chat:write",  # post and update messages (scheduled questions)
    "chat:write.public",  # post in public channels the bot hasn't joined
    "files:write",  # upload charts (files upload v2)
    "users:read",  # users.info: is the member a workspace admin or owner?
]
HEADER = (
    "# Slack app manifest for cpcbot, generated from the bot's commands:\n"
    "#   python -m bot.adapters.slack.manifest > deploy/slack-manifest.yml\n"
    "# Paste it at https://api.slack.com/apps → Create New App → From a manifest. It runs in Socket Mode;\n"
    "# for HTTP mode regenerate it with --request-url https://<your host>/slack/events.\n"
)


def _command_entry(core: BotCore, name: str, request_url: str | None) -> dict[str, Any]:
    spec = core.commands.get(name)
    if spec is not None and not spec.group:
        description = spec.description
        hint = spec.example.removeprefix(f"/{name}").strip()
    else:
        subs = [s for s in core.commands.values() if s.group == name]
        description = f"{name.capitalize()}: " + ", ".join(s.name for s in subs)
        hint = " | ".join(s.name for s in subs)
    entry: dict[str, Any] = {"command": f"/{name}", "description": description[:100]}
    if request_url:
        entry["url"] = request_url
    if hint:
        entry["usage_hint"] = hint[:1000]
    entry["should_escape"] = False
    return entry


def build_manifest(core: BotCore, request_url: str | None = None) -> dict[str, Any]:
    """Socket Mode when ``request_url`` is None; otherwise every command and interactivity post there."""
    interactivity: dict[str, Any] = {"is_enabled": True}
    if request_url:
        interactivity["request_url"] = request_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": APP_NAME,
            "description": "CPC exam study and medical-coding careers: pay by state with sources, charts.",
            "background_color": "#1d4e89",
        },
        "features": {
            "bot_user": {"display_name": APP_NAME, "always_online": True},
            "slash_commands": [_command_entry(core, n, request_url) for n in slash_command_names(core)],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(core: BotCore, request_url: str | None = None) -> str:
    body = yaml.safe_dump(build_manifest(core, request_url), sort_keys=False, allow_unicode=True, width=100)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.adapters.slack.manifest")
    parser.add_argument("--request-url", help="HTTP mode: https://<host>/slack/events")
    args = parser.parse_args(argv)
    from bot.bootstrap import build_core
    from bot.config import Settings

    sys.stdout.write(manifest_yaml(build_core(Settings(_env_file=None)), args.request_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
