from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.config import Settings
from bot.logging_setup import RedactSecrets


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CPCBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CPCBOT_LOG_LEVEL", "debug")
    monkeypatch.setenv("CPCBOT_SLACK_MODERATORS", '["U1","U2"]')
    settings = Settings(_env_file=None)
    assert settings.sqlite_path == tmp_path / "cpcbot.sqlite3"
    assert settings.log_level == "DEBUG"
    assert settings.slack_moderators == ["U1", "U2"]
    assert settings.discord_token is None


def test_tokens_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    secret = "xoxb-1234567890-abcdefghijklmnop"
    logger = logging.getLogger("cpcbot.test")
    handler = logging.Handler()
    records: list[str] = []
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    handler.addFilter(RedactSecrets(["my-signing-secret-value"]))
    logger.addHandler(handler)
    try:
        logger.warning("calling with %s and %s", secret, "my-signing-secret-value")
    finally:
        logger.removeHandler(handler)
    assert records == ["calling with [redacted] and [redacted]"]
    assert repr(Settings(_env_file=None, slack_bot_token=secret)).count(secret) == 0
