"""/quiz now, /answer and the daily question's A–D buttons."""

from __future__ import annotations

from datetime import UTC
from typing import Literal

from pydantic import BaseModel, Field

from bot.core.commands import ButtonSpec, CommandSpec, Context
from bot.core.delivery import DeliveryError
from bot.core.errors import UserError
from bot.core.replies import Reply
from bot.quiz import daily_post
from commands.quiz_schedule import ChannelOptions, channel_id


async def post_now(ctx: Context, opts: ChannelOptions) -> Reply:
    services, inv = ctx.services, ctx.invocation
    channel = channel_id(ctx, opts.channel)
    schedule = await services.storage.schedules.get(inv.community_id, channel)
    now = services.clock()
    zone = schedule.rule.zone if schedule else UTC
    topics = schedule.topics if schedule else ()
    try:
        post = await daily_post.post_daily(
            services, inv.community_id, channel, inv.platform, now.astimezone(zone).date(), topics, now
        )
    except DeliveryError as exc:
        raise UserError(
            f"I couldn't post in that channel ({exc}). Nothing was recorded; please try again."
        ) from exc
    if post is None:
        raise UserError(
            "Today's question has already been posted in that channel. The next one comes at the scheduled time."
        )
    return Reply(
        title="Daily question posted",
        text=f"Today's question is up ({post.quiz_date:%a %d %b}).",
        ephemeral=True,
    )


class AnswerOptions(BaseModel):
    letter: Literal["A", "B", "C", "D"] = Field(description="Your answer to today's question")


async def answer_latest(ctx: Context, opts: AnswerOptions) -> Reply:
    inv = ctx.invocation
    post = await ctx.services.storage.posts.latest_open(inv.community_id, inv.channel_id)
    if post is None:
        raise UserError(
            "There is no open daily question in this channel. A moderator can post one with /quiz now."
        )
    return await daily_post.answer(ctx.services, inv, post.id, opts.letter)


async def press_answer(ctx: Context, args: list[str]) -> Reply:
    if len(args) != 2:
        raise UserError("That answer button is not valid. Answer with A, B, C or D.")
    return await daily_post.answer(ctx.services, ctx.invocation, args[0], args[1])


COMMANDS = [
    CommandSpec(
        "now",
        "Post today's question in a channel now (moderators)",
        post_now,
        ChannelOptions,
        group="quiz",
        moderator_only=True,
        example="/quiz now",
    ),
    CommandSpec(
        "answer", "Answer today's question in this channel", answer_latest, AnswerOptions, example="/answer B"
    ),
]
BUTTONS = [ButtonSpec(daily_post.ACTION, press_answer)]
