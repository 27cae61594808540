"""deploy/slack-manifest.yml is what the generator makes from BotCore's commands, and it holds what
the adapter needs (scopes, interactivity, Socket Mode)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.adapters.slack import slash_command_names
from bot.adapters.slack.manifest import BOT_SCOPES, build_manifest, manifest_yaml
from bot.bootstrap import choice_providers
from bot.core.dispatch import BotCore
from bot.core.services import Services
from commands import all_buttons, all_commands

from .slack_harness import TALLY

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "slack-manifest.yml"


def real_core(services: Services) -> BotCore:
    return BotCore(services, all_commands(), all_buttons(), choice_providers(services))


def test_the_committed_manifest_is_the_generated_one(base_services: Services) -> None:
    core = real_core(base_services)
    assert MANIFEST.read_text("utf-8") == manifest_yaml(core), (
        "regenerate: python -m bot.adapters.slack.manifest > deploy/slack-manifest.yml"
    )
    loaded = yaml.safe_load(MANIFEST.read_text("utf-8"))
    commands = [c["command"] for c in loaded["features"]["slash_commands"]]
    assert commands == [f"/{name}" for name in sorted({s.name for s in core.top_level()} | set(core.groups))]
    assert all(len(c["description"]) <= 100 for c in loaded["features"]["slash_commands"])
    assert set(loaded["oauth_config"]["scopes"]["bot"]) >= {
        "commands",
        "chat:write",
        "files:write",
        "users:read",
    }
    assert loaded["settings"]["interactivity"]["is_enabled"] is True
    assert loaded["settings"]["socket_mode_enabled"] is True


def test_groups_appear_once_and_http_mode_points_every_command_at_the_url(base_services: Services) -> None:
    core = BotCore(base_services, [*all_commands(), TALLY], [], choice_providers(base_services))
    assert "quiz" in slash_command_names(core) and "schedule" not in slash_command_names(core)
    manifest = build_manifest(core, request_url="https://bot.example.org/slack/events")
    entries = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert entries["/quiz"]["usage_hint"] == "schedule | pause | resume | status | now | forget-me"
    assert all(c["url"] == "https://bot.example.org/slack/events" for c in entries.values())
    assert manifest["settings"]["interactivity"]["request_url"] == "https://bot.example.org/slack/events"
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["oauth_config"]["scopes"]["bot"] == BOT_SCOPES
