"""Reads the error code out of a failed Web API call, whether Slack answered JSON or not."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError


def error_code(exc: SlackApiError) -> str:
    """``invalid_auth``, ``not_in_channel``…, or ``HTTP 502`` when the answer wasn't Slack's JSON."""
    response = exc.response
    data = getattr(response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {getattr(response, 'status_code', '?')}"
