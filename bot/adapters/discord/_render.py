"""Reply → a Discord message: one embed (fields, footer with sources, a table as a code block), the
chart as a file attachment the embed shows, and the buttons as a persistent view.

Discord rejects an embed over its limits (title 256, description 4096, 25 fields, field 256/1024,
footer 2048, 6000 in all), so text is clipped to fit and says so, rather than the reply failing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import discord

from bot.adapters.console import render_table
from bot.adapters.discord._views import action_view
from bot.core.replies import Reply, TableData

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000

COLOUR = discord.Colour(0x1F8A70)
ERROR_COLOUR = discord.Colour(0xC0392B)
NO_MENTIONS = discord.AllowedMentions.none()


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def table_block(table: TableData, limit: int) -> str:
    """The table as a monospace code block of at most ``limit`` characters, dropping rows that do
    not fit and saying how many."""
    rows = list(table.rows)
    while True:
        shown = TableData(columns=table.columns, rows=rows, align=table.align)
        dropped = len(table.rows) - len(rows)
        note = f"\n… {dropped} more rows not shown" if dropped else ""
        block = f"```\n{render_table(shown)}\n```{note}"
        if len(block) <= limit or not rows:
            return block if len(block) <= limit else clip(note.strip(), limit)
        rows = rows[:-1]


def build_embed(reply: Reply) -> discord.Embed:
    title = clip(reply.title, TITLE_LIMIT) if reply.title else None
    fields = _fields(reply, EMBED_TOTAL_LIMIT - len(title or "") - 500)
    room = EMBED_TOTAL_LIMIT - len(title or "") - sum(len(n) + len(v) for n, v, _ in fields)
    footer = clip(reply.footer, FOOTER_LIMIT) if reply.footer else ""
    wanted = _description(reply, DESCRIPTION_LIMIT)
    if len(wanted) + len(footer) > room:
        footer = clip(footer, max(room - len(wanted), room // 3))
    description = _description(reply, min(DESCRIPTION_LIMIT, room - len(footer)))
    embed = discord.Embed(
        title=title, description=description or None, colour=ERROR_COLOUR if reply.is_error else COLOUR
    )
    for name, value, inline in fields:
        embed.add_field(name=name, value=value, inline=inline)
    if footer:
        embed.set_footer(text=footer)
    if reply.image is not None:
        embed.set_image(url=f"attachment://{reply.image.filename}")
    return embed


def _fields(reply: Reply, budget: int) -> list[tuple[str, str, bool]]:
    """Fields clipped to Discord's sizes, as many as fit in ``budget`` characters; the last one
    says how many were left out."""
    fields = [
        (clip(f.name, FIELD_NAME_LIMIT), clip(f.value, FIELD_VALUE_LIMIT), f.inline) for f in reply.fields
    ]
    kept: list[tuple[str, str, bool]] = []
    used = 0
    for index, (name, value, inline) in enumerate(fields):
        last_slot = len(kept) == FIELD_COUNT_LIMIT - 1 and index < len(fields) - 1
        if last_slot or used + len(name) + len(value) > budget - 40:
            kept.append(("…", f"{len(fields) - index} more entries not shown", False))
            break
        kept.append((name, value, inline))
        used += len(name) + len(value)
    return kept


def _description(reply: Reply, limit: int) -> str:
    text = clip(reply.text, limit) if reply.text else ""
    if reply.table is None:
        return text
    room = limit - len(text) - (2 if text else 0)
    block = table_block(reply.table, room) if room > 0 else ""
    return "\n\n".join(part for part in (text, block) if part)


def build_file(reply: Reply) -> discord.File | None:
    if reply.image is None:
        return None
    return discord.File(
        io.BytesIO(reply.image.data), filename=reply.image.filename, description=reply.image.alt
    )


@dataclass
class RenderedMessage:
    """A fresh rendering for one send (a ``discord.File`` can be read only once)."""

    embed: discord.Embed
    file: discord.File | None
    view: discord.ui.View | None

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"embed": self.embed, "allowed_mentions": NO_MENTIONS}
        if self.file is not None:
            kwargs["file"] = self.file
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs

    def edit_kwargs(self) -> dict[str, Any]:
        """Replaces everything the message showed: old attachments and buttons go."""
        return {
            "embed": self.embed,
            "attachments": [self.file] if self.file is not None else [],
            "view": self.view,
            "allowed_mentions": NO_MENTIONS,
        }


def render(reply: Reply) -> RenderedMessage:
    return RenderedMessage(build_embed(reply), build_file(reply), action_view(reply.buttons))
