"""Every slash command through the real AsyncApp over HTTP, with real signatures, against a fake Slack."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.core.dispatch import MODERATOR_REFUSAL, BotCore
from bot.core.invocation import Invocation
from bot.core.replies import ImageData, Reply
from commands import all_commands

from .fake_slack import TEAM_ID
from .slack_harness import ADMIN, CHANNEL, MEMBER, MODERATOR, OWNER, SlackHarness, stored_rows

# /answer needs an open daily question first; test_answer_without_an_open_question covers it.
EXAMPLES = {spec.name: spec.example for spec in all_commands() if not spec.group and spec.name != "answer"}


def texts(blocks: list[dict], kind: str) -> list[str]:
    """Every text of the given block type (section text and fields, header, context elements)."""
    out: list[str] = []
    for block in blocks:
        if block["type"] != kind:
            continue
        if "text" in block:
            out.append(block["text"]["text"])
        out.extend(f["text"] for f in block.get("fields", []))
        out.extend(e["text"] for e in block.get("elements", []) if "text" in e and isinstance(e["text"], str))
    return out


def header(body: dict) -> str:
    return texts(body["blocks"], "header")[0]


def invocation() -> Invocation:
    return Invocation(
        platform="slack", community_id=TEAM_ID, channel_id=CHANNEL, user_id=MEMBER, user_name="m"
    )


@pytest.mark.parametrize("name", sorted(EXAMPLES))
async def test_every_slash_command_answers_in_block_kit(
    slack: SlackHarness, slack_core: BotCore, name: str
) -> None:
    example = EXAMPLES[name]
    text = example.removeprefix(f"/{name}").strip()
    started = time.monotonic()
    status, key = await slack.slash(f"/{name}", text)
    acked_after = time.monotonic() - started
    assert status == 200
    assert acked_after < 3.0
    body = await slack.reply(key)
    expected = await slack_core.run_line(example, invocation())
    assert not expected.is_error, expected.text
    assert header(body) == expected.title
    assert body["response_type"] == ("ephemeral" if expected.ephemeral else "in_channel")
    assert body["text"].startswith(expected.title)
    if expected.footer:
        assert expected.footer[:30] in " ".join(texts(body["blocks"], "context"))
    for field in expected.fields:
        assert any(field.value.split("\n")[0][:40] in t for t in texts(body["blocks"], "section"))
    if expected.table:
        table = next(t for t in texts(body["blocks"], "section") if t.startswith("```"))
        assert expected.table.columns[0] in table
    if expected.image:
        await slack.fake.wait_for(lambda: slack.fake.called("files.completeUploadExternal"))
        (requested,) = slack.fake.called("files.getUploadURLExternal")
        assert requested.params["filename"] == expected.image.filename
        (complete,) = slack.fake.called("files.completeUploadExternal")
        assert complete.params["channel_id"] == CHANNEL
        (uploaded,) = slack.fake.uploads.values()
        assert uploaded.startswith(b"\x89PNG\r\n\x1a\n")
        assert int(requested.params["length"]) == len(uploaded)
        assert "posted below" in " ".join(texts(body["blocks"], "context"))
    else:
        assert not slack.fake.called("files.getUploadURLExternal")
    await slack.settle()
    assert len(slack.fake.responses_to(key)) == 1


@pytest.mark.parametrize(
    ("command", "text", "title"),
    [
        ("/salary", "CA CPC", "Medical coder pay in California (CA) — CPC"),
        ("/salary", "New York CPC senior", "Medical coder pay in New York (NY) — CPC"),
        ("/salary", "state:“Washington D.C.”", "Medical coder pay in District of Columbia (DC)"),
        ("/compare", "CA TX NY", "Compare: CA, NY, TX"),
        ("/compare", "states:tx,ca", "Compare: CA, TX"),
    ],
)
async def test_named_and_plain_word_forms(slack: SlackHarness, command: str, text: str, title: str) -> None:
    status, key = await slack.slash(command, text)
    assert status == 200
    body = await slack.reply(key)
    assert header(body) == title
    assert body["response_type"] == "in_channel"


@pytest.mark.parametrize(
    ("command", "text", "needle"),
    [
        ("/salary", "Narnia", "CA, California"),
        ("/salary", "state:CA cert:XYZ", "CPC, CPC+specialty, CCS"),
        ("/compare", "CA", "2 to 5"),
        ("/specialty", "name:Dermatology", "Cardiology"),
        ("/salary", "state:CA color:blue", "Its options: state, cert, level"),
    ],
)
async def test_unknown_input_gets_an_ephemeral_reply_naming_the_choices(
    slack: SlackHarness, command: str, text: str, needle: str
) -> None:
    status, key = await slack.slash(command, text)
    assert status == 200
    body = await slack.reply(key)
    assert body["response_type"] == "ephemeral"
    assert needle in " ".join(texts(body["blocks"], "section"))
    await slack.settle()
    assert not slack.fake.called("chat.postMessage") and not slack.fake.uploads


async def test_member_text_is_escaped_so_it_cannot_ping_the_channel(slack: SlackHarness) -> None:
    # Slack sends < > & escaped; the bot unescapes them to read the command, and escapes them again when
    # echoing the value back, so "<!channel>" stays text.
    status, key = await slack.slash("/salary", "state:&lt;!channel&gt;")
    assert status == 200
    body = await slack.reply(key)
    shown = " ".join(texts(body["blocks"], "section"))
    assert "&lt;!channel&gt;" in shown
    assert "<!channel>" not in str(body)


async def test_the_ack_comes_before_the_slow_work(slack: SlackHarness, slack_core: BotCore) -> None:
    gate = asyncio.Event()
    real = slack_core.run_line

    async def held(line: str, inv: Invocation):  # type: ignore[no-untyped-def]
        await gate.wait()
        return await real(line, inv)

    slack_core.run_line = held  # type: ignore[method-assign]
    status, key = await slack.slash("/map")
    assert status == 200  # answered while the command is still waiting
    assert slack.fake.responses_to(key) == []
    gate.set()
    body = await slack.reply(key)
    assert header(body).startswith("Pay map")


async def test_chart_upload_refused_tells_the_member_privately(slack: SlackHarness) -> None:
    slack.fake.not_in_channel.add("C0PRIVATE")
    status, key = await slack.slash("/compare", "CA TX", channel="C0PRIVATE")
    assert status == 200
    first = await slack.reply(key)
    assert header(first) == "Compare: CA, TX" and first["response_type"] == "in_channel"
    second = await slack.reply(key, 2)
    assert second["response_type"] == "ephemeral"
    assert "not_in_channel" in second["text"] and "/invite" in second["text"]


# ---- moderators -------------------------------------------------------------------------------
async def test_a_member_is_refused_a_moderator_command_and_nothing_is_stored(
    slack: SlackHarness, slack_settings
) -> None:  # type: ignore[no-untyped-def]
    status, key = await slack.slash("/tally", "coffee", user=MEMBER)
    assert status == 200
    body = await slack.reply(key)
    assert body["response_type"] == "ephemeral"
    assert MODERATOR_REFUSAL in " ".join(texts(body["blocks"], "section"))
    assert [c.params["user"] for c in slack.fake.called("users.info")] == [MEMBER]
    assert stored_rows(slack_settings) == []


@pytest.mark.parametrize("user", [ADMIN, OWNER, MODERATOR])
async def test_admins_owners_and_listed_moderators_may(
    slack: SlackHarness, slack_settings, user: str
) -> None:  # type: ignore[no-untyped-def]
    status, key = await slack.slash("/tally", "tea", user=user)
    assert status == 200
    body = await slack.reply(key)
    assert body["response_type"] == "in_channel"
    assert "tea: 1" in texts(body["blocks"], "section")
    assert stored_rows(slack_settings) == [("tea", user)]
    looked_up = [c.params["user"] for c in slack.fake.called("users.info")]
    assert looked_up == ([] if user == MODERATOR else [user])


async def test_moderator_lookups_are_cached(slack: SlackHarness) -> None:
    for _ in range(3):
        status, key = await slack.slash("/tally", "tea", user=ADMIN)
        assert status == 200
        await slack.reply(key)
    assert len(slack.fake.called("users.info")) == 1


# ---- buttons ----------------------------------------------------------------------------------
async def test_button_press_runs_the_core_button_and_replaces_the_message(
    slack: SlackHarness, slack_settings
) -> None:  # type: ignore[no-untyped-def]
    status, key = await slack.slash("/tally", "coffee", user=MODERATOR)
    assert status == 200
    body = await slack.reply(key)
    (actions,) = [b for b in body["blocks"] if b["type"] == "actions"]
    (button,) = actions["elements"]
    assert button["action_id"] == "tally:coffee" and button["value"] == "tally:coffee"
    assert button["style"] == "primary" and button["text"]["text"] == "Count again"

    status, press_key = await slack.press(button["value"], user=MEMBER)
    assert status == 200
    pressed = await slack.reply(press_key)
    assert pressed["replace_original"] is True
    assert "coffee: 2" in texts(pressed["blocks"], "section")
    assert stored_rows(slack_settings) == [("coffee", MODERATOR), ("coffee", MEMBER)]


async def test_unknown_button_gets_a_polite_ephemeral_answer(slack: SlackHarness) -> None:
    status, key = await slack.press("gone:away")
    assert status == 200
    body = await slack.reply(key)
    assert body["response_type"] == "ephemeral" and body["replace_original"] is False
    assert "no longer works" in " ".join(texts(body["blocks"], "section"))


async def test_a_private_reply_with_a_chart_says_where_the_chart_is(
    slack: SlackHarness, slack_core: BotCore
) -> None:
    async def private_chart(line: str, inv: Invocation) -> Reply:
        return Reply(
            title="Only for you",
            text="Your numbers.",
            image=ImageData(filename="mine.png", data=b"\x89PNG\r\n\x1a\n", alt="your chart"),
            ephemeral=True,
        )

    slack_core.run_line = private_chart  # type: ignore[method-assign]
    status, key = await slack.slash("/map")
    assert status == 200
    body = await slack.reply(key)
    assert body["response_type"] == "ephemeral"
    assert "only posted with replies the whole channel sees" in " ".join(texts(body["blocks"], "context"))
    await slack.settle()
    assert not slack.fake.called("files.getUploadURLExternal")


async def test_answer_without_an_open_question_is_a_polite_ephemeral_error(slack: SlackHarness) -> None:
    status, key = await slack.slash("/answer", "B")
    assert status == 200
    body = await slack.reply(key)
    assert body["response_type"] == "ephemeral"
    assert "no open daily question in this channel" in body["text"] + " ".join(
        texts(body["blocks"], "section")
    )
