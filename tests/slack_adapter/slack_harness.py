"""The Slack test harness: the real AsyncApp served over HTTP on 127.0.0.1, a fake Slack beside it, correctly
signed requests, and test-only commands that write to a real SQLite file so "nothing stored" can fail."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sqlite3
import time
import urllib.parse
from pathlib import Path
from typing import Any

import aiohttp
import aiosqlite
from pydantic import BaseModel, Field
from slack_sdk.signature import SignatureVerifier

from bot.adapters.slack import SlackAdapter
from bot.config import Settings
from bot.core.commands import CommandSpec, Context
from bot.core.replies import Button, Reply

from .fake_slack import TEAM_ID, FakeSlack

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
MODERATOR = "U0MOD"  # listed in settings.slack_moderators
ADMIN = "U0ADMIN"
OWNER = "U0OWNER"
MEMBER = "U0MEMBER"
CHANNEL = "C0GENERAL"


# ---- a test command that writes to SQLite -----------------------------------------------------
class TallyOptions(BaseModel):
    label: str = Field(description="what to count", pattern=r"^[a-z]{1,20}$")


async def _count(path: Path, label: str, user: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    async with aiosqlite.connect(path) as db:
        await db.execute("CREATE TABLE IF NOT EXISTS tally (label TEXT, user_id TEXT)")
        await db.execute("INSERT INTO tally VALUES (?, ?)", (label, user))
        await db.commit()
        async with db.execute("SELECT COUNT(*) FROM tally WHERE label = ?", (label,)) as cursor:
            row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def tally(ctx: Context, opts: TallyOptions) -> Reply:
    count = await _count(ctx.services.settings.sqlite_path, opts.label, ctx.invocation.user_id)
    return Reply(
        title="Tally",
        text=f"{opts.label}: {count}",
        buttons=[Button(label="Count again", action=f"tally:{opts.label}", style="primary")],
    )


async def tally_button(ctx: Context, args: list[str]) -> Reply:
    count = await _count(ctx.services.settings.sqlite_path, args[0], ctx.invocation.user_id)
    return Reply(title="Tally", text=f"{args[0]}: {count}", update_message=True)


TALLY = CommandSpec(
    "tally",
    "Count something (moderators only)",
    tally,
    TallyOptions,
    example="/tally coffee",
    moderator_only=True,
)


def stored_rows(settings: Settings) -> list[tuple[str, str]]:
    path = settings.sqlite_path
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        try:
            return list(db.execute("SELECT label, user_id FROM tally"))
        except sqlite3.OperationalError:
            return []


# ---- core and services --------------------------------------------------------------------------
# ---- the running app ---------------------------------------------------------------------------
@dataclasses.dataclass
class SlackHarness:
    fake: FakeSlack
    adapter: SlackAdapter | None
    url: str
    session: aiohttp.ClientSession
    _n: int = 0

    def next_id(self) -> str:
        self._n += 1
        return f"{self._n}"

    def signed_headers(self, body: str, *, timestamp: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
        assert signature is not None
        return {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
        }

    def slash_body(
        self, command: str, text: str, *, user: str = MEMBER, channel: str = CHANNEL, key: str | None = None
    ) -> tuple[str, str]:
        key = key or f"cmd{self.next_id()}"
        body = urllib.parse.urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM_ID,
                "team_domain": "test",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0APP",
                "is_enterprise_install": "false",
                "response_url": self.fake.response_url(key),
                "trigger_id": f"trigger-{key}",
            }
        )
        return body, key

    def button_body(self, value: str, *, user: str = MEMBER, channel: str = CHANNEL) -> tuple[str, str]:
        key = f"press{self.next_id()}"
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
            "api_app_id": "A0APP",
            "token": "legacy-verification-token",
            "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": channel},
            "trigger_id": f"trigger-{key}",
            "team": {"id": TEAM_ID, "domain": "test"},
            "channel": {"id": channel, "name": "general"},
            "message": {"type": "message", "ts": "1700000000.000100", "text": "Tally"},
            "response_url": self.fake.response_url(key),
            "actions": [
                {
                    "action_id": value,
                    "block_id": "b1",
                    "value": value,
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Count again"},
                    "action_ts": "1700000001.000200",
                }
            ],
        }
        return urllib.parse.urlencode({"payload": json.dumps(payload)}), key

    async def post(self, body: str, headers: dict[str, str]) -> int:
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            await response.read()
            return response.status

    async def slash(self, command: str, text: str = "", **kwargs: Any) -> tuple[int, str]:
        body, key = self.slash_body(command, text, **kwargs)
        return await self.post(body, self.signed_headers(body)), key

    async def press(self, value: str, **kwargs: Any) -> tuple[int, str]:
        body, key = self.button_body(value, **kwargs)
        return await self.post(body, self.signed_headers(body)), key

    async def reply(self, key: str, count: int = 1) -> dict[str, Any]:
        """The ``count``-th message posted to this request's response_url."""
        await self.fake.wait_for(lambda: len(self.fake.responses_to(key)) >= count)
        return self.fake.responses_to(key)[count - 1]

    async def settle(self) -> None:
        """Lets work started after an ack finish, so "nothing more happened" can be asserted."""
        await asyncio.sleep(0.05)
        if self.adapter is not None:
            await self.adapter.drain(10)
