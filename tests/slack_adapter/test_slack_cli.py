"""``cpcbot slack`` as an operator runs it: clear one-line errors for bad credentials, and both modes
starting for real (in a subprocess) against the fake Slack, answering, and stopping on SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bot import cli

from .fake_slack import APP_TOKEN, BOT_TOKEN, FakeSlack
from .slack_harness import SIGNING_SECRET, SlackHarness
from .test_slack_socket_mode import slash_envelope

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No CPCBOT_* from the outside, no .env, and the root logger put back afterwards."""
    for name in list(os.environ):
        if name.startswith("CPCBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CPCBOT_DATA_DIR", str(tmp_path / "var"))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    ("argv", "env", "needle"),
    [
        (["slack"], {}, "CPCBOT_SLACK_BOT_TOKEN is not set"),
        (["slack"], {"CPCBOT_SLACK_BOT_TOKEN": "xoxp-user-token"}, "must be a bot token starting with xoxb-"),
        (["slack"], {"CPCBOT_SLACK_BOT_TOKEN": BOT_TOKEN}, "HTTP mode needs CPCBOT_SLACK_SIGNING_SECRET"),
        (
            ["slack"],
            {"CPCBOT_SLACK_BOT_TOKEN": BOT_TOKEN, "CPCBOT_SLACK_APP_TOKEN": "xoxb-not-an-app-token"},
            "CPCBOT_SLACK_APP_TOKEN must be an app-level token",
        ),
        ([], {"CPCBOT_SLACK_BOT_TOKEN": BOT_TOKEN}, "HTTP mode needs CPCBOT_SLACK_SIGNING_SECRET"),
        (
            ["slack"],
            {
                "CPCBOT_SLACK_BOT_TOKEN": BOT_TOKEN,
                "CPCBOT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "CPCBOT_SLACK_API_URL": "http://127.0.0.1:1/api/",
            },
            "cannot reach the Slack Web API for auth.test",
        ),
    ],
)
def test_missing_or_bad_credentials_give_one_clear_line(
    clean_env: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    env: dict[str, str],
    needle: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    last = err.splitlines()[-1]
    assert last.startswith("cpcbot: ") and needle in last
    assert [line for line in err.splitlines() if line.startswith("cpcbot:")] == [last]
    assert "Traceback" not in err and BOT_TOKEN not in err


def child_env(fake: FakeSlack, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPCBOT_")}
    env |= {
        "CPCBOT_DATA_DIR": str(tmp_path / "var"),
        "CPCBOT_SLACK_API_URL": fake.api_url,
        "CPCBOT_SLACK_BOT_TOKEN": BOT_TOKEN,
        "CPCBOT_LOG_LEVEL": "DEBUG",
        **extra,
    }
    return env


async def start(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "slack", env=env, cwd=cwd, stderr=asyncio.subprocess.PIPE
    )


async def read_until(proc: asyncio.subprocess.Process, needle: str, seconds: float = 30) -> str:
    seen: list[str] = []
    async with asyncio.timeout(seconds):
        while True:
            assert proc.stderr is not None
            line = (await proc.stderr.readline()).decode()
            if not line:
                raise AssertionError("bot exited early:\n" + "".join(seen))
            seen.append(line)
            if needle in line:
                return "".join(seen)


async def stop(proc: asyncio.subprocess.Process) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    assert proc.stderr is not None
    rest = (await asyncio.wait_for(proc.stderr.read(), 30)).decode()
    return await proc.wait(), rest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (
            {"CPCBOT_SLACK_BOT_TOKEN": "xoxb-revoked-0000", "CPCBOT_SLACK_SIGNING_SECRET": SIGNING_SECRET},
            "Slack rejected CPCBOT_SLACK_BOT_TOKEN (auth.test: invalid_auth).",
        ),
        (
            {"CPCBOT_SLACK_APP_TOKEN": "xapp-1-revoked-0000"},
            "Slack rejected CPCBOT_SLACK_APP_TOKEN (apps.connections.open: invalid_auth).",
        ),
    ],
)
async def test_tokens_slack_rejects_give_one_clear_line(
    fake_slack: FakeSlack, tmp_path: Path, extra: dict[str, str], needle: str
) -> None:
    proc = await start(child_env(fake_slack, tmp_path, CPCBOT_LOG_LEVEL="INFO", **extra), tmp_path)
    assert proc.stderr is not None
    err = (await asyncio.wait_for(proc.stderr.read(), 60)).decode()
    assert await proc.wait() == 2
    assert err.strip().splitlines()[-1] == f"cpcbot: {needle}"
    assert "Traceback" not in err and "revoked" not in err


async def test_http_mode_starts_answers_and_stops(fake_slack: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    env = child_env(
        fake_slack,
        tmp_path,
        CPCBOT_SLACK_SIGNING_SECRET=SIGNING_SECRET,
        CPCBOT_SLACK_HOST="127.0.0.1",
        CPCBOT_SLACK_PORT=str(port),
    )
    proc = await start(env, tmp_path)
    try:
        log = await read_until(proc, "running in HTTP mode")
        async with aiohttp.ClientSession() as session:
            harness = SlackHarness(fake_slack, None, f"http://127.0.0.1:{port}/slack/events", session)
            status, key = await harness.slash("/salary", "CA CPC")
            assert status == 200
            body = await harness.reply(key)
            async with session.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert health.status == 200 and (await health.json())["status"] == "ok"
            async with session.get(f"http://127.0.0.1:{port}/metrics") as metrics:
                assert 'cpcbot_commands_total{command="salary",outcome="ok"} 1.0' in await metrics.text()
        assert body["blocks"][0]["text"]["text"] == "Medical coder pay in California (CA) — CPC"
    finally:
        code, rest = await stop(proc)
    assert code == 0
    log += rest
    assert "Slack adapter stopped" in log
    assert BOT_TOKEN not in log and SIGNING_SECRET not in log


async def test_socket_mode_starts_answers_and_stops(fake_slack: FakeSlack, tmp_path: Path) -> None:
    proc = await start(child_env(fake_slack, tmp_path, CPCBOT_SLACK_APP_TOKEN=APP_TOKEN), tmp_path)
    try:
        log = await read_until(proc, "running in Socket Mode")
        await fake_slack.wait_for(lambda: fake_slack.socket_connections == 1)
        await fake_slack.socket_outbox.put(slash_envelope(fake_slack, 7, "/compare", "CA TX NY", "U0MEMBER"))
        await fake_slack.wait_for(lambda: fake_slack.responses_to("sock7"), 30)
        assert fake_slack.socket_received[0]["envelope_id"] == "env-7"
        await fake_slack.wait_for(lambda: fake_slack.uploads, 30)
    finally:
        code, rest = await stop(proc)
    assert code == 0
    log += rest
    assert fake_slack.responses_to("sock7")[0]["blocks"][0]["text"]["text"] == "Compare: CA, NY, TX"
    assert BOT_TOKEN not in log and APP_TOKEN not in log
