"""Prometheus metrics for operators (prometheus-client: the standard exposition format, no hand-rolled text)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

REGISTRY = CollectorRegistry(auto_describe=True)

COMMANDS = Counter(
    "cpcbot_commands_total", "Commands run, by command and outcome", ["command", "outcome"], registry=REGISTRY
)
ANSWERS_RECORDED = Counter(
    "cpcbot_answers_recorded_total", "Daily-question answers committed", registry=REGISTRY
)
POSTS_SENT = Counter(
    "cpcbot_posts_sent_total", "Scheduled daily questions posted", ["platform"], registry=REGISTRY
)
ERRORS = Counter(
    "cpcbot_errors_total", "Unexpected errors, by where they happened", ["where"], registry=REGISTRY
)
DELIVERY_RETRIES = Counter(
    "cpcbot_delivery_retries_total",
    "Posts and edits tried again, by platform and why (rate_limited, server_error, timeout, found)",
    ["platform", "reason"],
    registry=REGISTRY,
)
