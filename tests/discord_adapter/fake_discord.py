"""A small fake Discord on 127.0.0.1: the REST routes cpcbot's client calls and a gateway websocket
(HELLO → IDENTIFY → READY, heartbeats), recording every request so tests can assert on what the
real discord.py sent. See ../shared/PLATFORM_NOTES.md for what the library expects of it.

Messages POSTed to a channel are kept (``channel_messages``) and listed by GET
/channels/{id}/messages, newest first. Platform faults: ``faults[channel_id]`` is a script consumed
one entry per POST to that channel (``FAULTS``), and ``global_limit`` enforces a global rate limit
on bot-token requests over a sliding one-second window, answering 429 + retry_after + global:true as
Discord does. ``latency`` delays every channel request."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import WSMsgType, web

API = "/api/v10"
APPLICATION_ID = 900000000000000001
BOT_USER_ID = 900000000000000001
GUILD_ID = 910000000000000001
CHANNEL_ID = 920000000000000001

BOT_USER = {
    "id": str(BOT_USER_ID),
    "username": "cpcbot",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
}


# What a POST to a channel can meet, one script entry per POST: a 429 (retry_after from the fake),
# a 500 or 503 (nothing created), "created-502" (the message is created, then a gateway error), or
# "hang" (the message is created, then no answer until ``hang_seconds`` pass or the fake closes).
FAULTS = ("429", "500", "503", "created-502", "hang")


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py parses a body as JSON only for exactly this Content-Type (no charset).
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def rate_limited(retry_after: float, is_global: bool) -> web.Response:
    # discord.py takes a 429 as a rate limit only with a Via header and this JSON body.
    return json_response(
        {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global},
        status=429,
        headers={
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(retry_after + 0.5))),
            "X-RateLimit-Global": "true" if is_global else "false",
            "X-RateLimit-Scope": "global" if is_global else "user",
        },
    )


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    authorization: str | None = None


@dataclass
class GatewaySession:
    ws: web.WebSocketResponse
    identify: dict[str, Any]
    shard: tuple[int, int]
    identified_at: float
    sequence: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def dispatch(self, event: str, data: Any) -> None:
        await self.ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self.sequence), "d": data}))


class FakeDiscord:
    def __init__(self, token: str, *, shards: int = 1, max_concurrency: int = 1):
        self.token = token
        self.shards = shards
        self.max_concurrency = max_concurrency
        self.requests: list[Recorded] = []
        self.sessions: list[GatewaySession] = []
        self.refuse_channels: dict[int, tuple[int, int, str]] = {}
        self.refuse_guilds: set[int] = set()
        self.channel_messages: dict[int, list[dict[str, Any]]] = {}
        self.faults: dict[int, list[str]] = {}
        self.retry_after = 0.3
        self.hang_seconds = 30.0
        self.latency = 0.0
        self.global_limit: int | None = None
        self.rate_limited = 0  # 429s answered
        self._window: deque[float] = deque()
        self._unhang = asyncio.Event()
        self._changed = asyncio.Condition()
        self._ids = itertools.count(930000000000000001)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        self._unhang.set()
        for session in self.sessions:
            await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> yarl.URL:
        return yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")

    def snowflake(self) -> int:
        return next(self._ids)

    # ---- waiting on what the bot did -------------------------------------------------------------
    async def wait_for(self, match: Callable[[Recorded], bool], within: float = 10.0) -> Recorded:
        async def found() -> Recorded:
            async with self._changed:
                while True:
                    for request in self.requests:
                        if match(request):
                            return request
                    await self._changed.wait()

        return await asyncio.wait_for(found(), within)

    async def callback(self, interaction_id: int, within: float = 10.0) -> Recorded:
        """The interaction response the bot POSTed for this interaction."""
        return await self.wait_for(
            lambda r: r.method == "POST" and r.path.startswith(f"/interactions/{interaction_id}/"), within
        )

    def requests_for(self, token: str) -> list[Recorded]:
        return [r for r in self.requests if f"/{token}" in r.path]

    async def session(self, shard_id: int = 0, after: int = 0, within: float = 10.0) -> GatewaySession:
        async def found() -> GatewaySession:
            async with self._changed:
                while True:
                    for s in self.sessions[after:]:
                        if s.shard[0] == shard_id:
                            return s
                    await self._changed.wait()

        return await asyncio.wait_for(found(), within)

    async def _note(self, record: Recorded | None = None, session: GatewaySession | None = None) -> None:
        async with self._changed:
            if record is not None:
                self.requests.append(record)
            if session is not None:
                self.sessions.append(session)
            self._changed.notify_all()

    # ---- REST --------------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        record = Recorded(
            request.method,
            path,
            dict(request.query),
            None,
            authorization=request.headers.get("Authorization"),
        )
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                data = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":  # type: ignore[union-attr]
                    record.json = json.loads(data)
                else:
                    record.files[part.name or ""] = (part.filename or "", bytes(data))  # type: ignore[union-attr]
        elif request.can_read_body:
            record.json = await request.json()
        await self._note(record)
        needs_bot_auth = not path.startswith(("/interactions/", "/webhooks/"))
        if needs_bot_auth and record.authorization != f"Bot {self.token}":
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        if path.startswith("/channels/") and self.latency:
            await asyncio.sleep(self.latency)
        if needs_bot_auth and (wait := self._over_global_limit()) is not None:
            self.rate_limited += 1
            return rate_limited(wait, is_global=True)
        return await self._route(record)

    def _over_global_limit(self) -> float | None:
        """None when this request fits the sliding one-second window, else the seconds until it would."""
        if self.global_limit is None:
            return None
        now = asyncio.get_running_loop().time()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if len(self._window) >= self.global_limit:
            return round(self._window[0] + 1.0 - now, 3)
        self._window.append(now)
        return None

    async def _channel_messages(self, r: Recorded, channel_id: int, message_id: int | None) -> web.Response:
        stored = self.channel_messages.setdefault(channel_id, [])
        if r.method == "GET" and message_id is None:
            limit = int(r.query.get("limit", "50"))
            return json_response(stored[::-1][:limit])
        if r.method == "POST" and message_id is None:
            script = self.faults.get(channel_id)
            fault = script.pop(0) if script else None
            if fault == "429":
                self.rate_limited += 1
                return rate_limited(self.retry_after, is_global=False)
            if fault in ("500", "503"):
                return json_response({"message": f"{fault}: fake server error", "code": 0}, status=int(fault))
            message = self.message(channel_id, r.json or {}, r.files)
            stored.append(message)
            if fault == "created-502":
                return web.Response(status=502, text="<html>502 Bad Gateway</html>")
            if fault == "hang":
                try:
                    await asyncio.wait_for(self._unhang.wait(), self.hang_seconds)
                except TimeoutError:
                    pass
            return json_response(message)
        updated = self.message(channel_id, r.json or {}, r.files, message_id=message_id)
        for i, message in enumerate(stored):
            if message["id"] == updated["id"]:
                stored[i] = {**updated, "edited_timestamp": "2026-01-05T12:01:00+00:00"}
        return json_response(updated)

    async def _route(self, r: Recorded) -> web.StreamResponse:
        m = r.method
        if m == "GET" and r.path == "/users/@me":
            return json_response(BOT_USER)
        if m == "GET" and r.path == "/oauth2/applications/@me":
            return json_response(
                {
                    "id": str(APPLICATION_ID),
                    "name": "cpcbot",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "owner": {**BOT_USER, "id": "900000000000000099", "bot": False},
                    "verify_key": "0" * 64,
                    "flags": 0,
                }
            )
        if m == "GET" and r.path in ("/gateway", "/gateway/bot"):
            return json_response(
                {
                    "url": str(self.gateway_url),
                    "shards": self.shards,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": self.max_concurrency,
                    },
                }
            )
        if m == "PUT" and (found := re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", r.path)):
            if found.group(2) and int(found.group(2)) in self.refuse_guilds:
                return json_response({"message": "Missing Access", "code": 50001}, status=403)
            return json_response([self._app_command(c, found.group(2)) for c in r.json])
        if m == "POST" and (found := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", r.path)):
            return json_response(self._callback_response(int(found.group(1)), r.json))
        if found := re.fullmatch(r"/webhooks/(\d+)/([^/]+)(/messages/@original)?", r.path):
            if m == "DELETE":
                return web.Response(status=204)
            return json_response(self.message(CHANNEL_ID, r.json or {}, r.files))
        if found := re.fullmatch(r"/channels/(\d+)/messages(?:/(\d+))?", r.path):
            channel_id = int(found.group(1))
            if channel_id in self.refuse_channels:
                status, code, text = self.refuse_channels[channel_id]
                return json_response({"message": text, "code": code}, status=status)
            message_id = int(found.group(2)) if found.group(2) else None
            return await self._channel_messages(r, channel_id, message_id)
        return json_response({"message": f"fake Discord has no route {m} {r.path}", "code": 0}, status=404)

    def _app_command(self, command: dict[str, Any], guild_id: str | None) -> dict[str, Any]:
        out = {
            "id": str(self.snowflake()),
            "application_id": str(APPLICATION_ID),
            "version": "1",
            "type": 1,
            "default_member_permissions": None,
            "nsfw": False,
            **command,
        }
        if guild_id:
            out["guild_id"] = guild_id
        return out

    def message(
        self,
        channel_id: int,
        payload: dict[str, Any],
        files: dict[str, tuple[str, bytes]] | None = None,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        attachments = [
            {
                "id": str(self.snowflake()),
                "filename": name,
                "size": len(data),
                "url": f"http://127.0.0.1:{self.port}/attachments/{name}",
                "proxy_url": f"http://127.0.0.1:{self.port}/attachments/{name}",
            }
            for name, data in (files or {}).values()
        ]
        return {
            "id": str(message_id or self.snowflake()),
            "channel_id": str(channel_id),
            "type": 0,
            "content": payload.get("content") or "",
            "author": BOT_USER,
            "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [],
            "attachments": attachments,
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": "2026-01-05T12:00:00+00:00",
            "edited_timestamp": None,
            "flags": payload.get("flags") or 0,
        }

    def _callback_response(self, interaction_id: int, body: dict[str, Any]) -> dict[str, Any]:
        kind = body.get("type")
        data = body.get("data") or {}
        interaction: dict[str, Any] = {"id": str(interaction_id), "type": 2}
        out: dict[str, Any] = {"interaction": interaction}
        if kind in (4, 5, 7):
            message = self.message(CHANNEL_ID, data)
            interaction.update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool((data.get("flags") or 0) & 64),
            )
            out["resource"] = {"type": kind, "message": message}
        return out

    # ---- gateway -----------------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        async for frame in ws:
            if frame.type is not WSMsgType.TEXT:
                continue
            msg = json.loads(frame.data)
            if msg["op"] == 1:
                await ws.send_str(json.dumps({"op": 11}))
            elif msg["op"] == 2:
                identify = msg["d"]
                if identify.get("token") != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                shard = tuple(identify.get("shard") or (0, 1))
                at = asyncio.get_running_loop().time()
                session = GatewaySession(ws, identify, (int(shard[0]), int(shard[1])), at)
                await session.dispatch("READY", self._ready(session))
                await self._note(session=session)
        return ws

    def _ready(self, session: GatewaySession) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [],
            "private_channels": [],
            "session_id": f"session-{len(self.sessions)}",
            "resume_gateway_url": str(self.gateway_url),
            "shard": list(session.shard),
            "application": {"id": str(APPLICATION_ID), "flags": 0},
        }
