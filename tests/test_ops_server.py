"""/healthz and /metrics as an operator's probe and Prometheus would read them."""

from __future__ import annotations

import socket

import aiohttp

from bot.core.dispatch import BotCore
from bot.core.invocation import Invocation
from bot.ops.health_server import start_ops_server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_healthz_reports_each_check_and_fails_with_503_when_one_fails() -> None:
    broken = {"on": False}

    async def database() -> None:
        if broken["on"]:
            raise ConnectionError("down")

    port = free_port()
    runner = await start_ops_server("127.0.0.1", port, [("database", database)])
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                assert resp.status == 200
                assert await resp.json() == {"status": "ok", "checks": {"database": "ok"}}
            broken["on"] = True
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                assert resp.status == 503
                assert (await resp.json())["checks"] == {"database": "failing"}
    finally:
        await runner.cleanup()


async def test_metrics_count_commands_by_outcome(core: BotCore, member: Invocation) -> None:
    port = free_port()
    runner = await start_ops_server("127.0.0.1", port)
    try:
        async with aiohttp.ClientSession() as http:

            async def counter(line: str) -> float:
                async with http.get(f"http://127.0.0.1:{port}/metrics") as resp:
                    assert resp.status == 200
                    assert resp.headers["Content-Type"].startswith("text/plain")
                    text = await resp.text()
                for row in text.splitlines():
                    if row.startswith(line + " "):
                        return float(row.split()[-1])
                return 0.0

            ok = 'cpcbot_commands_total{command="certs",outcome="ok"}'
            bad = 'cpcbot_commands_total{command="salary",outcome="user_error"}'
            before_ok, before_bad = await counter(ok), await counter(bad)
            await core.run_line("/certs", member)
            await core.run_line("/salary state:Narnia", member)
            assert await counter(ok) == before_ok + 1
            assert await counter(bad) == before_bad + 1
    finally:
        await runner.cleanup()
