"""Reply → Block Kit within Slack's limits, whatever the reply holds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.slack import render
from bot.adapters.slack._blocks import MAX_BLOCKS, chunks, to_mrkdwn
from bot.core.replies import Button, Reply, ReplyField, TableData


def test_markdown_bold_becomes_slack_bold_and_control_characters_are_escaped() -> None:
    assert to_mrkdwn("**AI** & <@U1> > 3") == "*AI* &amp; &lt;@U1&gt; &gt; 3"


def test_a_full_reply_has_header_fields_table_buttons_and_footer_in_order() -> None:
    reply = Reply(
        title="Compare: **CA**, TX",
        text="Ranked by **BLS**.",
        fields=[
            ReplyField(name="Mean", value="$64,070"),
            ReplyField(name="Note", value="long", inline=False),
        ],
        table=TableData(columns=["State", "Pay"], rows=[["CA", "$64,070"]], align="lr"),
        buttons=[Button(label="Again", action="x:1"), Button(label="Again", action="x:1", style="danger")],
        footer="Sources: BLS <OEWS>.",
    )
    message = render(reply)
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["header", "section", "section", "section", "section", "actions", "context"]
    assert message.blocks[0]["text"] == {"type": "plain_text", "text": "Compare: CA, TX"}
    assert message.blocks[1]["text"]["text"] == "Ranked by *BLS*."
    assert message.blocks[2]["fields"] == [{"type": "mrkdwn", "text": "*Mean*\n$64,070"}]
    assert message.blocks[3]["text"]["text"] == "*Note*\nlong"
    assert message.blocks[4]["text"]["text"] == "```\nState      Pay\n-----  -------\nCA     $64,070\n```"
    first, second = message.blocks[5]["elements"]
    assert first["action_id"] != second["action_id"]  # Slack wants them unique within the block
    assert first["value"] == second["value"] == "x:1"
    assert "style" not in first and second["style"] == "danger"
    assert message.blocks[6]["elements"][0]["text"] == "Sources: BLS &lt;OEWS&gt;."
    assert message.text == "Compare: CA, TX\nRanked by BLS."


def test_errors_are_marked_in_the_header() -> None:
    message = render(Reply.error("No such state."))
    assert message.blocks[0]["text"]["text"] == "⚠️ Sorry, I can't do that"


def test_chunks_split_at_line_ends_and_never_exceed_the_limit() -> None:
    assert chunks("aaa\nbbb\nccc", 7) == ["aaa\nbbb", "ccc"]
    assert chunks("x" * 10, 4) == ["xxxx", "xxxx", "xx"]


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=4000)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(min_size=1, max_size=300),
    body=text,
    fields=st.lists(
        st.builds(ReplyField, name=st.text(max_size=300), value=text, inline=st.booleans()), max_size=30
    ),
    rows=st.lists(st.lists(st.text(max_size=60), min_size=2, max_size=2), max_size=120),
    buttons=st.lists(
        st.builds(
            Button,
            label=st.text(min_size=1, max_size=80),
            action=st.from_regex(r"[a-z]{1,8}:[a-z0-9]{0,10}", fullmatch=True),
        ),
        max_size=30,
    ),
    footer=st.one_of(st.none(), text),
)
def test_any_reply_fits_slack_limits(title, body, fields, rows, buttons, footer) -> None:  # type: ignore[no-untyped-def]
    reply = Reply(
        title=title,
        text=body,
        fields=fields,
        table=TableData(columns=["a", "b"], rows=rows) if rows else None,
        buttons=buttons,
        footer=footer,
    )
    message = render(reply)  # slack_sdk's models validate lengths when serialising
    assert len(message.blocks) <= MAX_BLOCKS
    assert len(message.text) <= 3000
    for block in message.blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        for field in block.get("fields", []):
            assert len(field["text"]) <= 2000
        if block["type"] == "section" and "text" in block:
            assert 0 < len(block["text"]["text"]) <= 3000
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
        if block["type"] == "actions":
            assert len(block["elements"]) <= 25
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids))
    shown_buttons = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [e["value"] for e in shown_buttons] == [b.action for b in buttons]
