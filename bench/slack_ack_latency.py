"""How long Slack waits for the ack while chart commands run: N signed /map requests at once against
the real AsyncApp on 127.0.0.1 (fake Web API). Slack gives up after 3 s.

    .venv/bin/python bench/slack_ack_latency.py [N]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.adapters.slack import SlackAdapter
from bot.bootstrap import build_core
from bot.config import Settings
from tests.slack_adapter.fake_slack import BOT_TOKEN, FakeSlack
from tests.slack_adapter.slack_harness import SIGNING_SECRET, SlackHarness


async def main(n: int) -> None:
    fake = FakeSlack()
    await fake.start()
    core = build_core(Settings(_env_file=None, data_dir=Path(tempfile.mkdtemp()) / "var"))
    adapter = SlackAdapter(
        core, AsyncWebClient(token=BOT_TOKEN, base_url=fake.api_url), signing_secret=SIGNING_SECRET
    )
    runner = web.AppRunner(adapter.web_app(), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    async with aiohttp.ClientSession() as session:
        harness = SlackHarness(fake, adapter, f"http://127.0.0.1:{port}/slack/events", session)
        await harness.slash("/help")  # warm-up: auth.test, imports

        async def one(command: str, text: str) -> tuple[float, str]:
            started = time.perf_counter()
            status, key = await harness.slash(command, text)
            assert status == 200
            return time.perf_counter() - started, key

        started = time.perf_counter()
        results = await asyncio.gather(*(one("/map", "") for _ in range(n)))
        acks = sorted(r[0] for r in results)
        for _, key in results:
            await harness.reply(key)
        done = time.perf_counter() - started
        await adapter.drain(60)
    await runner.cleanup()
    await fake.stop()
    print(
        f"{n} concurrent /map: ack median {statistics.median(acks):.3f}s, max {acks[-1]:.3f}s; all answered in {done:.2f}s"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
