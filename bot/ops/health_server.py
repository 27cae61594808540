"""``/healthz`` and ``/metrics`` over aiohttp.

Slack HTTP mode adds these routes to the app that serves ``/slack/events``; every other mode serves
them on ``CPCBOT_HEALTH_PORT`` when it is set.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.core.services import Services
from bot.ops.metrics import REGISTRY

log = logging.getLogger(__name__)

HealthCheck = tuple[str, Callable[[], Awaitable[object]]]
CHECK_TIMEOUT = 3.0


def health_checks(services: Services) -> list[HealthCheck]:
    """What /healthz probes: every dependency the running bot needs to serve members."""
    return [("database", services.storage.ping)]


def add_ops_routes(app: web.Application, checks: Sequence[HealthCheck] = ()) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        results: dict[str, str] = {}
        healthy = True
        for name, check in checks:
            try:
                await asyncio.wait_for(check(), CHECK_TIMEOUT)
                results[name] = "ok"
            except Exception as exc:  # a failing dependency is reported, never raised
                log.warning("health check %s failed: %s", name, type(exc).__name__)
                results[name] = "failing"
                healthy = False
        body = {"status": "ok" if healthy else "failing", "checks": results}
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics(_request: web.Request) -> web.Response:
        response = web.Response(body=generate_latest(REGISTRY))
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)


async def start_ops_server(host: str, port: int, checks: Sequence[HealthCheck] = ()) -> web.AppRunner:
    """Start a standalone health/metrics server; the caller cleans the runner up."""
    app = web.Application()
    add_ops_routes(app, checks)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("health and metrics on http://%s:%s/healthz and /metrics", host, port)
    return runner
