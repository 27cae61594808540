"""A small fake of Slack on 127.0.0.1: the Web API methods the bot calls (auth.test, chat.postMessage,
chat.update, users.info, the three steps of files upload v2, apps.connections.open), response_url
endpoints, and a Socket Mode websocket. It records every call for the tests to assert on.

Posted messages are kept per channel (``messages``) and listed by conversations.history, newest
first. ``faults[channel]`` is a script consumed one entry per chat.postMessage to that channel:
"429" (HTTP 429 + Retry-After, nothing posted), "500" (nothing posted), "hang" (posted, then no answer
until ``hang_seconds`` pass or the fake stops)."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-1111-2222-testtoken"
APP_TOKEN = "xapp-1-A111-3333-testapptoken"
TEAM_ID = "T0TEAM"
BOT_USER = "U0BOT"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str


@dataclass
class FakeSlack:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    not_in_channel: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    socket_received: list[dict[str, Any]] = field(default_factory=list)
    socket_outbox: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    socket_connections: int = 0
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    faults: dict[str, list[str]] = field(default_factory=dict)
    hang_seconds: float = 30.0
    _unhang: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None

    # ---- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/link", self._socket)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self._unhang.set()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, key: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{key}"

    # ---- what the tests read -------------------------------------------------------------------
    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def responses_to(self, key: str) -> list[dict[str, Any]]:
        return [body for k, body in self.responses if k == key]

    async def wait_for(self, predicate: Callable[[], object], seconds: float = 10.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting; calls so far: {[c.method for c in self.calls]}")
            await asyncio.sleep(0.01)

    # ---- handlers ------------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(dict(await request.post()))
        for key in ("blocks", "files"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.calls.append(Call(method, params, token))
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        fault = None
        if method == "chat.postMessage" and (script := self.faults.get(params.get("channel", ""))):
            fault = script.pop(0)
        if fault == "429":
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        if fault == "500":
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        answer = self._answer(method, params)
        if fault == "hang":
            try:
                await asyncio.wait_for(self._unhang.wait(), self.hang_seconds)
            except TimeoutError:
                pass
        return web.json_response(answer)

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        n = next(self._ids)
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER, "bot_id": "B0BOT", "team_id": TEAM_ID, "team": "Test"}
        if method in ("chat.postMessage", "chat.update"):
            channel = params.get("channel", "")
            if channel in self.not_in_channel:
                return {"ok": False, "error": "not_in_channel"}
            ts = params.get("ts") or f"1700000000.{n:06d}"
            message = {
                "type": "message",
                "ts": ts,
                "text": params.get("text", ""),
                "blocks": params.get("blocks"),
            }
            kept = self.messages.setdefault(channel, [])
            if method == "chat.postMessage":
                kept.append({**message, "bot_id": "B0BOT"})
            else:
                kept[:] = [{**m, **message} if m["ts"] == ts else m for m in kept]
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "conversations.history":
            kept = self.messages.get(params.get("channel", ""), [])
            return {"ok": True, "messages": kept[::-1][: int(params.get("limit", 100))], "has_more": False}
        if method == "users.info":
            user = self.users.get(params.get("user", ""))
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "files.getUploadURLExternal":
            file_id = f"F{n:05d}"
            return {
                "ok": True,
                "file_id": file_id,
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
            }
        if method == "files.completeUploadExternal":
            if params.get("channel_id") in self.not_in_channel:
                return {"ok": False, "error": "not_in_channel"}
            files = [{"id": f["id"], "title": f.get("title", "")} for f in params.get("files", [])]
            if not all(f["id"] in self.uploads for f in files):
                return {"ok": False, "error": "file_not_found"}
            return {"ok": True, "files": files}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link"}
        return {"ok": False, "error": "unknown_method"}

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - 1")

    async def _respond(self, request: web.Request) -> web.Response:
        self.responses.append((request.match_info["key"], await request.json()))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.socket_connections += 1
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}))

        async def forward() -> None:
            while True:
                envelope = await self.socket_outbox.get()
                await ws.send_str(json.dumps(envelope))

        sender = asyncio.create_task(forward())
        try:
            async for message in ws:
                if message.type == WSMsgType.TEXT:
                    self.socket_received.append(json.loads(message.data))
        finally:
            sender.cancel()
        return ws
