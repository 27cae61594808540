"""Reply → Block Kit: a header, text sections, fields, the table as preformatted text, buttons, and a
context footer with the sources. Built with slack_sdk's block models, which check Slack's limits when
serialised; long content is split or shortened here so a reply never breaks those limits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.adapters.console import render_table
from bot.core.replies import Button, Reply, ReplyField

MAX_BLOCKS = 50
HEADER_MAX = 150
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
FIELDS_PER_SECTION = 10
CONTEXT_ELEMENTS_MAX = 10
BUTTON_TEXT_MAX = 75
BUTTONS_PER_BLOCK = 25
FALLBACK_TEXT_MAX = 3000

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


@dataclass(frozen=True)
class SlackMessage:
    """What chat.postMessage, chat.update and respond() take: fallback text and the blocks."""

    text: str
    blocks: list[dict]


def escape(text: str) -> str:
    """Slack's three control characters, so member input echoed back can't become a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    return _BOLD.sub(r"*\1*", escape(text))


def _plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunks(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, split at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()]


def _field_text(field: ReplyField, limit: int) -> str:
    return _shorten(f"*{escape(field.name)}*\n{to_mrkdwn(field.value)}", limit)


def _field_blocks(fields: list[ReplyField]) -> list[Block]:
    blocks: list[Block] = []
    inline: list[str] = []

    def flush() -> None:
        for start in range(0, len(inline), FIELDS_PER_SECTION):
            texts = inline[start : start + FIELDS_PER_SECTION]
            blocks.append(SectionBlock(fields=[MarkdownTextObject(text=t) for t in texts]))
        inline.clear()

    for field in fields:
        if field.inline:
            inline.append(_field_text(field, FIELD_TEXT_MAX))
        else:
            flush()
            blocks.append(SectionBlock(text=MarkdownTextObject(text=_field_text(field, SECTION_TEXT_MAX))))
    flush()
    return blocks


def _table_blocks(reply: Reply) -> list[Block]:
    assert reply.table is not None
    fence = "```"
    body = escape(render_table(reply.table))
    return [
        SectionBlock(text=MarkdownTextObject(text=f"{fence}\n{piece}\n{fence}"))
        for piece in chunks(body, SECTION_TEXT_MAX - 2 * len(fence) - 2)
    ]


def _button_blocks(buttons: list[Button]) -> list[Block]:
    elements: list[ButtonElement] = []
    seen: set[str] = set()
    for index, button in enumerate(buttons):
        action_id = button.action if button.action not in seen else f"{button.action}#{index}"
        seen.add(action_id)
        style = {"primary": "primary", "success": "primary", "danger": "danger"}.get(button.style)
        elements.append(
            ButtonElement(
                text=PlainTextObject(text=_shorten(button.label, BUTTON_TEXT_MAX)),
                action_id=action_id,
                value=button.action,
                style=style,
            )
        )
    return [
        ActionsBlock(elements=elements[i : i + BUTTONS_PER_BLOCK])
        for i in range(0, len(elements), BUTTONS_PER_BLOCK)
    ]


def _footer_block(footer: str) -> Block:
    pieces = chunks(to_mrkdwn(footer), SECTION_TEXT_MAX)
    if len(pieces) > CONTEXT_ELEMENTS_MAX:
        pieces = [*pieces[: CONTEXT_ELEMENTS_MAX - 1], "(footer shortened)"]
    return ContextBlock(elements=[MarkdownTextObject(text=p) for p in pieces])


def fallback_text(reply: Reply) -> str:
    """Notification and screen-reader text: the title and the start of the text."""
    parts = [_plain(p) for p in (reply.title, reply.text) if p]
    return _shorten(escape("\n".join(parts)) or "cpcbot", FALLBACK_TEXT_MAX)


def render(reply: Reply, *, note: str | None = None) -> SlackMessage:
    """``note`` is an extra context line from the adapter (where the chart went, why it didn't)."""
    blocks: list[Block] = []
    if reply.title:
        title = ("⚠️ " if reply.is_error else "") + _plain(reply.title)
        blocks.append(HeaderBlock(text=PlainTextObject(text=_shorten(title, HEADER_MAX))))
    for piece in chunks(to_mrkdwn(reply.text), SECTION_TEXT_MAX):
        blocks.append(SectionBlock(text=MarkdownTextObject(text=piece)))
    blocks.extend(_field_blocks(reply.fields))
    if reply.table:
        blocks.extend(_table_blocks(reply))
    if note:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=_shorten(to_mrkdwn(note), 3000))]))
    tail: list[Block] = []
    if reply.buttons:
        tail.extend(_button_blocks(reply.buttons))
    if reply.footer:
        tail.append(_footer_block(reply.footer))
    room = MAX_BLOCKS - len(tail)
    if len(blocks) > room:
        blocks = blocks[: room - 1]
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text="(Reply shortened to fit one Slack message.)")])
        )
    blocks.extend(tail)
    return SlackMessage(text=fallback_text(reply), blocks=[b.to_dict() for b in blocks])
