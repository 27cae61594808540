"""INTERACTION_CREATE payloads as Discord sends them: slash commands, autocomplete, button presses."""

from __future__ import annotations

import base64
import itertools
from typing import Any

from .fake_discord import APPLICATION_ID, CHANNEL_ID, GUILD_ID

MANAGE_GUILD = 1 << 5
EVERYONE_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)  # view channel, send messages, use commands

_ids = itertools.count(940000000000000001)


def new_id() -> int:
    return next(_ids)


def interaction_token(interaction_id: int) -> str:
    """Real interaction tokens are base64 of 'interaction:<id>:…'."""
    raw = f"interaction:{interaction_id}:fake-secret-part-{interaction_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def member(
    user_id: int = 950000000000000001, name: str = "Dana", permissions: int = EVERYONE_PERMISSIONS
) -> dict[str, Any]:
    return {
        "user": {
            "id": str(user_id),
            "username": name.lower(),
            "discriminator": "0",
            "global_name": name,
            "avatar": None,
        },
        "roles": [],
        "joined_at": "2025-01-01T00:00:00+00:00",
        "permissions": str(permissions),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "nick": None,
    }


def channel(channel_id: int = CHANNEL_ID) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": "coding-study",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


def base(
    kind: int, data: dict[str, Any], *, permissions: int = EVERYONE_PERMISSIONS, dm: bool = False
) -> dict[str, Any]:
    interaction_id = new_id()
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(APPLICATION_ID),
        "type": kind,
        "token": interaction_token(interaction_id),
        "version": 1,
        "data": data,
        "attachment_size_limit": 10 * 1024 * 1024,
        "locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "app_permissions": str((1 << 11) | (1 << 14) | (1 << 15) | (1 << 16)),
    }
    if dm:
        payload["user"] = member()["user"]
        payload["channel"] = {"id": "960000000000000001", "type": 1, "recipients": [member()["user"]]}
        payload["channel_id"] = "960000000000000001"
        payload["context"] = 1
    else:
        payload["member"] = member(permissions=permissions)
        payload["guild_id"] = str(GUILD_ID)
        payload["guild_locale"] = "en-US"
        payload["channel"] = channel()
        payload["channel_id"] = str(CHANNEL_ID)
        payload["context"] = 0
    return payload


def option(name: str, value: Any, *, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        out["focused"] = True
    return out


def command(
    name: str,
    options: list[dict[str, Any]] | None = None,
    *,
    subcommand: str | None = None,
    resolved: dict[str, Any] | None = None,
    permissions: int = EVERYONE_PERMISSIONS,
    dm: bool = False,
) -> dict[str, Any]:
    opts = options or []
    if subcommand:
        opts = [{"name": subcommand, "type": 1, "options": opts}]
    data: dict[str, Any] = {"id": str(new_id()), "name": name, "type": 1, "options": opts}
    if resolved:
        data["resolved"] = resolved
    if not dm:
        data["guild_id"] = str(GUILD_ID)
    return base(2, data, permissions=permissions, dm=dm)


def autocomplete(name: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    data = {"id": str(new_id()), "name": name, "type": 1, "options": options, "guild_id": str(GUILD_ID)}
    return base(4, data)


def button_press(custom_id: str, message: dict[str, Any]) -> dict[str, Any]:
    """A press of the button ``custom_id`` on ``message`` (a message object as Discord stores it)."""
    payload = base(3, {"custom_id": custom_id, "component_type": 2})
    payload["message"] = message
    return payload


def resolved_channel(channel_id: int) -> dict[str, Any]:
    return {
        "channels": {
            str(channel_id): {
                "id": str(channel_id),
                "type": 0,
                "name": "daily-question",
                "permissions": str(EVERYONE_PERMISSIONS),
                "guild_id": str(GUILD_ID),
                "parent_id": None,
            }
        }
    }
