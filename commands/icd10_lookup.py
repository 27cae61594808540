"""/code: an ICD-10-CM code's place in the official code set, or description search."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel, Field

from bot.core.commands import CommandSpec, Context
from bot.core.errors import UserError
from bot.core.replies import Reply, ReplyField, TableData
from bot.icd10.code_lookup import CODE_SET, looks_like_code, normalise

MAX_CHILDREN = 15


class CodeOptions(BaseModel):
    query: str = Field(
        description="An ICD-10-CM code (E11.9) or words (type 2 diabetes)",
        min_length=1,
        max_length=100,
        json_schema_extra={"greedy": True},
    )


async def code(ctx: Context, opts: CodeOptions) -> Reply:
    lookup = ctx.services.icd10
    query = " ".join(opts.query.replace(",", " ").split())
    if looks_like_code(query):
        info = await asyncio.to_thread(lookup.describe, query)  # first use loads the code set
        if info is None:
            near = await asyncio.to_thread(lookup.nearest, query)
            hint = f" Nearest valid codes: {', '.join(near)}." if near else ""
            raise UserError(f"{normalise(query)} is not a code in the {CODE_SET}.{hint}")
        status = (
            "Billable (valid for claims)"
            if info.billable
            else "Not billable: a header; report a more specific code below"
        )
        fields = [
            ReplyField(name="Status", value=status, inline=False),
            ReplyField(name="Chapter", value=f"{info.chapter[0]}: {info.chapter[1]}", inline=False),
            ReplyField(name="Block", value=info.block[1], inline=False),
        ]
        if info.parent:
            fields.append(ReplyField(name="Parent", value=f"{info.parent[0]} {info.parent[1]}", inline=False))
        if info.children:
            shown = "\n".join(f"{c} {d}" for c, d in info.children[:MAX_CHILDREN])
            more = len(info.children) - MAX_CHILDREN
            shown += f"\n…and {more} more" if more > 0 else ""
            fields.append(ReplyField(name=f"Children ({len(info.children)})", value=shown, inline=False))
        return Reply(
            title=f"{info.code}: {info.description}",
            text=f"ICD-10-CM {info.kind}.",
            fields=fields,
            footer=f"Source: {CODE_SET}.",
        )
    hits = await asyncio.to_thread(lookup.search, query)
    if not hits:
        raise UserError(
            f"No ICD-10-CM description contains all of {query!r}. Try fewer or different words, or a code such as E11.9."
        )
    rows = [[h.code, h.description, "yes" if h.billable else "no"] for h in hits]
    return Reply(
        title=f"ICD-10-CM matches for {query!r}",
        text=f"The best {len(hits)} matches, most specific wording first. /code <code> shows one code's details.",
        table=TableData(columns=["Code", "Description", "Billable"], rows=rows),
        footer=f"Source: {CODE_SET}.",
    )


COMMANDS = [
    CommandSpec(
        "code",
        "Look up an ICD-10-CM code, or search code descriptions",
        code,
        CodeOptions,
        example="/code E11.9",
    )
]
