"""Requests Slack didn't sign (or signed too long ago) are refused with 401 and change nothing; a
replayed valid request is acknowledged and ignored."""

from __future__ import annotations

import time

import pytest

from bot.adapters.slack._replay import SeenRequests
from bot.config import Settings

from .slack_harness import MODERATOR, SlackHarness, stored_rows


def tamper(headers: dict[str, str], case: str) -> dict[str, str]:
    headers = dict(headers)
    if case == "bad signature":
        headers["X-Slack-Signature"] = "v0=" + "0" * 64
    elif case == "signed with another secret":
        digest = headers["X-Slack-Signature"][3:]
        headers["X-Slack-Signature"] = "v0=" + digest[::-1]
    elif case == "missing signature":
        del headers["X-Slack-Signature"]
    elif case == "missing timestamp":
        del headers["X-Slack-Request-Timestamp"]
    return headers


@pytest.mark.parametrize(
    "case", ["bad signature", "signed with another secret", "missing signature", "missing timestamp"]
)
async def test_unsigned_or_badly_signed_requests_get_401_and_store_nothing(
    slack: SlackHarness, slack_settings: Settings, case: str
) -> None:
    body, key = slack.slash_body("/tally", "coffee", user=MODERATOR)
    status = await slack.post(body, tamper(slack.signed_headers(body), case))
    assert status == 401
    await slack.settle()
    assert slack.fake.responses_to(key) == []
    assert stored_rows(slack_settings) == []
    assert not slack.fake.called("users.info") and not slack.fake.called("auth.test")


@pytest.mark.parametrize("age", [301, 600, -400])
async def test_a_correct_signature_with_a_stale_timestamp_is_refused(
    slack: SlackHarness, slack_settings: Settings, age: int
) -> None:
    body, key = slack.slash_body("/tally", "coffee", user=MODERATOR)
    status = await slack.post(body, slack.signed_headers(body, timestamp=int(time.time()) - age))
    assert status == 401
    await slack.settle()
    assert slack.fake.responses_to(key) == []
    assert stored_rows(slack_settings) == []


async def test_a_body_changed_after_signing_is_refused(slack: SlackHarness, slack_settings: Settings) -> None:
    body, _ = slack.slash_body("/tally", "coffee", user="U0MEMBER")
    headers = slack.signed_headers(body)
    forged = body.replace("U0MEMBER", MODERATOR)
    assert await slack.post(forged, headers) == 401
    await slack.settle()
    assert stored_rows(slack_settings) == []


async def test_replaying_a_valid_command_changes_nothing_more(
    slack: SlackHarness, slack_settings: Settings
) -> None:
    body, key = slack.slash_body("/tally", "coffee", user=MODERATOR)
    headers = slack.signed_headers(body)
    assert await slack.post(body, headers) == 200
    await slack.reply(key)
    for _ in range(2):
        assert await slack.post(body, headers) == 200
    await slack.settle()
    assert stored_rows(slack_settings) == [("coffee", MODERATOR)]
    assert len(slack.fake.responses_to(key)) == 1


async def test_a_replay_reaching_another_replica_is_dropped_too(
    slack: SlackHarness, slack_settings: Settings
) -> None:
    body, key = slack.slash_body("/tally", "coffee", user=MODERATOR)
    headers = slack.signed_headers(body)
    assert await slack.post(body, headers) == 200
    await slack.reply(key)
    assert slack.adapter is not None
    slack.adapter.seen = SeenRequests()  # another process: nothing in memory, only the shared database
    assert await slack.post(body, headers) == 200
    await slack.settle()
    assert stored_rows(slack_settings) == [("coffee", MODERATOR)]
    assert len(slack.fake.responses_to(key)) == 1


async def test_replaying_a_button_press_changes_nothing_more(
    slack: SlackHarness, slack_settings: Settings
) -> None:
    body, key = slack.button_body("tally:coffee", user=MODERATOR)
    headers = slack.signed_headers(body)
    assert await slack.post(body, headers) == 200
    await slack.reply(key)
    assert await slack.post(body, headers) == 200
    await slack.settle()
    assert stored_rows(slack_settings) == [("coffee", MODERATOR)]
    assert len(slack.fake.responses_to(key)) == 1


async def test_a_rejected_request_does_not_spoil_the_real_one(
    slack: SlackHarness, slack_settings: Settings
) -> None:
    body, key = slack.slash_body("/tally", "coffee", user=MODERATOR)
    headers = slack.signed_headers(body)
    assert await slack.post(body, tamper(headers, "bad signature")) == 401
    assert await slack.post(body, headers) == 200
    await slack.reply(key)
    assert stored_rows(slack_settings) == [("coffee", MODERATOR)]
